import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import Logging
import NIOCore
import NIOEmbedded
import OpenBadgesHTTP
import Testing

@testable import InsigneServer

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP client that sends exactly the bytes a slow or hostile client would. Sockets are non-blocking and waits are
/// `Task.sleep`, so the tests never hold a thread of the cooperative pool that the server's handlers need.
final class RawSocket: @unchecked Sendable {
    let fd: Int32

    struct SocketError: Error { var what: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(what: "socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard r == 0 else {
            Glibc.close(fd)
            throw SocketError(what: "connect")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw SocketError(what: "send")
            }
        }
    }

    struct Received {
        var bytes: [UInt8]
        var closed: Bool
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Reads until the peer closes (or resets) the connection, until `stop` says enough, or `timeout` seconds pass.
    func receive(timeout: Double, stop: ([UInt8]) -> Bool = { _ in false }) async -> Received {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                out += buffer[0..<n]
                if stop(out) { return Received(bytes: out, closed: false) }
            } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                return Received(bytes: out, closed: true)
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return Received(bytes: out, closed: false)
    }

    func readUntilClosed(timeout: Double) async -> Received { await receive(timeout: timeout) }

    /// Reads until `marker` appears after the response head, or `timeout` seconds pass.
    func read(until marker: String, timeout: Double) async -> String {
        await receive(timeout: timeout) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let head = text.range(of: "\r\n\r\n") else { return false }
            return text[head.upperBound...].contains(marker)
        }.text
    }

    func close() { Glibc.close(fd) }
}
