import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A scripted HTTP server on a loopback address for tests. It serves on a background thread and
/// stops by itself after `lifetime` seconds or `maxConnections` connections.
final class TestServer: @unchecked Sendable {
    struct Request: Sendable {
        var raw: String
        var path: String
        /// The server's own port, for building absolute redirect URLs.
        var port: UInt16
        func header(_ name: String) -> String? {
            for line in raw.components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    enum Reply: Sendable {
        /// Send these bytes, then close.
        case bytes([UInt8])
        /// Send nothing; keep the connection open for up to this many seconds (or until the
        /// client closes it), then close.
        case silence(Double)
        /// Close at once without answering.
        case close

        static func text(_ text: String) -> Reply { .bytes(Array(text.utf8)) }

        static func response(
            _ status: String = "200 OK", headers: [String] = [], body: String = "", contentLength: Bool = true
        ) -> Reply {
            var text = "HTTP/1.1 \(status)\r\n"
            for header in headers { text += header + "\r\n" }
            if contentLength { text += "Content-Length: \(body.utf8.count)\r\n" }
            text += "\r\n" + body
            return .text(text)
        }
    }

    let port: UInt16
    let host: String
    private let listenFD: Int32
    private let lock = NSLock()
    private var _connections = 0
    private var _requests: [Request] = []
    private var _clientClosedDuringSilence = false
    private var stopped = false

    var connectionCount: Int { lock.withLock { _connections } }
    var requests: [Request] { lock.withLock { _requests } }
    /// True when a client closed a connection the server was keeping silent.
    var clientClosedDuringSilence: Bool { lock.withLock { _clientClosedDuringSilence } }
    var baseURL: String { "http://\(host):\(port)" }

    init(
        host: String = "127.0.0.1", lifetime: Double = 10, maxConnections: Int = 16,
        handler: @escaping @Sendable (Request) -> Reply
    ) throws {
        self.host = host
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listenFD = fd
        let thread = Thread { [self] in
            self.serve(lifetime: lifetime, maxConnections: maxConnections, handler: handler)
        }
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    /// A loopback port nothing listens on: bound without listening, read back, closed at once (no race with a
    /// server thread that closes later, as a short-lived server had under load).
    static func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    private func serve(lifetime: Double, maxConnections: Int, handler: @Sendable (Request) -> Reply) {
        let end = Date().addingTimeInterval(lifetime)
        var served = 0
        defer { close(listenFD) }
        while Date() < end && served < maxConnections && !lock.withLock({ stopped }) {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            served += 1
            lock.withLock { _connections += 1 }
            handle(client, handler: handler, until: end)
            close(client)
        }
    }

    private func handle(_ client: Int32, handler: @Sendable (Request) -> Reply, until end: Date) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = recv(client, &chunk, chunk.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: chunk[0..<n])
            if data.count >= 4, data.suffix(4) == [13, 10, 13, 10] { break }
        }
        let raw = String(decoding: data, as: UTF8.self)
        let firstLine = raw.components(separatedBy: "\r\n").first ?? ""
        let parts = firstLine.split(separator: " ")
        let path = parts.count >= 2 ? String(parts[1]) : ""
        let request = Request(raw: raw, path: path, port: port)
        lock.withLock { _requests.append(request) }
        switch handler(request) {
        case .bytes(let bytes):
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                offset += n
            }
        case .silence(let seconds):
            let stopAt = min(end, Date().addingTimeInterval(seconds))
            while Date() < stopAt {
                var pfd = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 20) > 0 {
                    var byte: UInt8 = 0
                    let n = recv(client, &byte, 1, Int32(MSG_DONTWAIT))
                    if n == 0 || (n < 0 && errno != EAGAIN) {
                        lock.withLock { _clientClosedDuringSilence = true }
                        return
                    }
                }
            }
        case .close:
            break
        }
    }
}
