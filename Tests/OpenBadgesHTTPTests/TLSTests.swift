import Foundation
import OpenBadges
import Testing

@testable import OpenBadgesHTTP

#if canImport(Glibc)
    import Glibc
#endif

private let opensslPath = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// A real TLS server on 127.0.0.1: `openssl s_server -www` with a throw-away self-signed
/// certificate. Killed (by its own process handle) when the fixture is released.
private final class OpenSSLServer {
    let process = Process()
    let port: UInt16
    let certificatePath: String
    let directory: URL

    init(subjectAltName: String) throws {
        let openssl = try #require(opensslPath)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("insigne-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: openssl)
        generate.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "1", "-subj", "/CN=insigne-test",
            "-addext", "subjectAltName=\(subjectAltName)",
        ]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        #expect(generate.terminationStatus == 0)

        port = try Self.freePort()
        // Children inherit the test runner's blocked signal mask (SIGTERM included), so the
        // server is stopped with SIGKILL (by its own pid).
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificatePath, "-key", keyPath,
            "-www", "-quiet",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if Self.canConnect(port: port) { return }
            usleep(50_000)
        }
        stop()
        throw POSIXError(.ETIMEDOUT)
    }

    func stop() {
        let pid = process.processIdentifier
        if pid > 0 && process.isRunning {
            kill(pid, SIGKILL)
            // Bounded wait (Process.waitUntilExit can miss the exit under the test runner).
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    static func canConnect(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

@Suite(.serialized, .enabled(if: opensslPath != nil, "needs the openssl command"))
struct TLSTests {
    @Test func verifiesCertificateForIPAndName() async throws {
        let server = try OpenSSLServer(subjectAltName: "DNS:localhost,IP:127.0.0.1")
        defer { server.stop() }
        let configuration = HTTPLoaderConfiguration(
            connectTimeout: 1, totalTimeout: 5, addressPolicy: .allowAll,
            trustedCertificatesFile: server.certificatePath
        )
        let loader = HTTPDocumentLoader(configuration: configuration)
        let byIP = try await loader.load(URL(string: "https://127.0.0.1:\(server.port)/")!, accept: "*/*")
        #expect(byIP.statusCode == 200)
        #expect(String(decoding: byIP.body, as: UTF8.self).contains("s_server"))
        let byName = try await loader.load(URL(string: "https://localhost:\(server.port)/")!, accept: "*/*")
        #expect(byName.statusCode == 200)
    }

    @Test func rejectsUntrustedCertificate() async throws {
        let server = try OpenSSLServer(subjectAltName: "DNS:localhost,IP:127.0.0.1")
        defer { server.stop() }
        let loader = HTTPDocumentLoader(
            configuration: HTTPLoaderConfiguration(connectTimeout: 1, totalTimeout: 5, addressPolicy: .allowAll))
        let error = await loadError(loader, "https://127.0.0.1:\(server.port)/")
        #expect(error?.code == .tlsFailed)
        #expect(error?.message.contains("self-signed") == true, "\(error?.description ?? "")")
    }

    @Test func rejectsNameMismatch() async throws {
        let server = try OpenSSLServer(subjectAltName: "DNS:other.example")
        defer { server.stop() }
        let configuration = HTTPLoaderConfiguration(
            connectTimeout: 1, totalTimeout: 5, addressPolicy: .allowAll,
            trustedCertificatesFile: server.certificatePath
        )
        let loader = HTTPDocumentLoader(configuration: configuration)
        let byIP = await loadError(loader, "https://127.0.0.1:\(server.port)/")
        #expect(byIP?.code == .tlsFailed)
        #expect(byIP?.message.contains("mismatch") == true, "\(byIP?.description ?? "")")
        let byName = await loadError(loader, "https://localhost:\(server.port)/")
        #expect(byName?.code == .tlsFailed)
        #expect(byName?.message.contains("mismatch") == true, "\(byName?.description ?? "")")
    }
}
