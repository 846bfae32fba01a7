import Foundation
import OpenBadges
import Testing

@testable import OpenBadgesHTTP

/// With the default policy, non-public destinations are refused before any connection.
/// Timeouts are tiny so that a missing refusal fails fast instead of reaching out.
struct SSRFTests {
    let strict = HTTPDocumentLoader(configuration: HTTPLoaderConfiguration(connectTimeout: 0.05, totalTimeout: 0.3))

    @Test func refusesLoopbackServerWithoutConnecting() async throws {
        let server = try TestServer { _ in .response(body: "secret") }
        for url in [
            "http://127.0.0.1:\(server.port)/",
            "http://localhost:\(server.port)/",
            "http://[::ffff:127.0.0.1]:\(server.port)/",
            "http://2130706433:\(server.port)/",  // resolver reads this as 127.0.0.1
            "http://0x7f.1:\(server.port)/",
            "http://0.0.0.0:\(server.port)/",
        ] {
            let error = await loadError(strict, url)
            #expect(error?.code == .forbiddenAddress, "\(url): \(error?.description ?? "no error")")
        }
        try await Task.sleep(for: .milliseconds(150))
        #expect(server.connectionCount == 0)
    }

    @Test(arguments: [
        "http://[::1]/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data",
        "https://192.168.0.1/", "http://[fe80::1%25eth0]/", "http://[fd00::1]/", "http://100.64.0.1/",
        "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://224.0.0.1/",
    ])
    func refusesNonPublicLiterals(url: String) async throws {
        let error = await loadError(strict, url)
        #expect(error?.code == .forbiddenAddress, "\(error?.description ?? "no error")")
    }

    @Test func refusalMessageNamesAddressAndReason() async throws {
        let error = try #require(await loadError(strict, "http://169.254.169.254/latest/meta-data"))
        #expect(error.message.contains("169.254.169.254"))
        #expect(error.message.contains("link-local"))
        let named = try #require(await loadError(strict, "http://localhost:9/"))
        #expect(named.message.contains("localhost") && named.message.contains("loopback"))
    }

    @Test func redirectHopIsRevalidated() async throws {
        // Only 127.0.0.1 is allowed. The first hop is; the redirect target (another loopback
        // address with a live server) is not, and must never be connected to.
        let target = try TestServer(host: "127.0.0.2") { _ in .response(body: "internal") }
        let entry = try TestServer { _ in
            .response("302 Found", headers: ["Location: http://127.0.0.2:\(target.port)/internal"])
        }
        let policy = AddressPolicy.custom { $0 == .v4(127, 0, 0, 1) }
        let loader = HTTPDocumentLoader(
            configuration: HTTPLoaderConfiguration(connectTimeout: 0.2, totalTimeout: 2, addressPolicy: policy))
        let error = await loadError(loader, entry.baseURL + "/start")
        #expect(error?.code == .forbiddenAddress)
        #expect(error?.url == "http://127.0.0.2:\(target.port)/internal")
        #expect(entry.connectionCount == 1)
        try await Task.sleep(for: .milliseconds(150))
        #expect(target.connectionCount == 0)
    }

    @Test func redirectToPrivateNetworkIsRefused() async throws {
        let entry = try TestServer { _ in
            .response("301 Moved Permanently", headers: ["Location: http://10.0.0.1/admin"])
        }
        let loopbackOnly = AddressPolicy.custom { $0.category == .loopback }
        let loader = HTTPDocumentLoader(
            configuration: HTTPLoaderConfiguration(connectTimeout: 0.05, totalTimeout: 1, addressPolicy: loopbackOnly))
        let error = await loadError(loader, entry.baseURL + "/")
        #expect(error?.code == .forbiddenAddress)
        #expect(error?.message.contains("10.0.0.1") == true)
    }

    @Test(arguments: [
        "file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/_x", "data:text/plain,hi",
        "javascript:alert(1)",
    ])
    func refusesOtherSchemes(url: String) async throws {
        let error = await loadError(strict, url)
        #expect(error?.code == .unsupportedScheme)
    }

    @Test func refusesUserInfo() async throws {
        let error = await loadError(strict, "http://user:secret@example.com/")
        #expect(error?.code == .invalidURL)
    }
}
