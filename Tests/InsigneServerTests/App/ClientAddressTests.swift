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

/// `INSIGNE_TRUSTED_PROXIES` and the client address every rate limit uses.
@Suite("Client address")
struct ClientAddressTests {
    static func proxies(_ list: String) -> TrustedProxies { try! TrustedProxies(parsing: list) }

    @Test func untrustedPeerIsTheClientWhateverItForwards() {
        let none = TrustedProxies()
        #expect(
            ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"], trusted: none) == "198.51.100.7")
        let other = Self.proxies("10.0.0.0/8")
        #expect(
            ClientAddress.resolve(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"], trusted: other)
                == "198.51.100.7")
    }

    @Test func trustedPeerGivesTheForwardedClient() {
        let t = Self.proxies("10.0.0.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"], trusted: t) == "203.0.113.9")
        // Forged entries on the left are ignored: the first untrusted from the right is the client.
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.9"], trusted: t)
                == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trusted: t) == "10.0.0.1")
        #expect(
            ClientAddress.resolve(peer: "::ffff:10.0.0.1", forwardedFor: ["203.0.113.9"], trusted: t) == "203.0.113.9")
    }

    @Test func chainOfProxies() {
        let t = Self.proxies("10.0.0.0/8, 192.168.1.5, 2001:db8::/32")
        #expect(
            ClientAddress.resolve(
                peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.9, 192.168.1.5", "10.9.9.9"], trusted: t)
                == "203.0.113.9")
        #expect(
            ClientAddress.resolve(peer: "2001:db8::1", forwardedFor: ["2001:db8::2, [2001:db8:1::9]:4711"], trusted: t)
                == "2001:db8::2")
        #expect(
            ClientAddress.resolve(peer: "2001:db8::1", forwardedFor: ["2a01:e0a::7, 2001:db8::2"], trusted: t)
                == "2a01:e0a::7")
        #expect(
            ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["203.0.113.9:51234, 10.2.2.2"], trusted: t)
                == "203.0.113.9")
        // Every hop trusted: the leftmost.
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["10.3.3.3, 10.2.2.2"], trusted: t) == "10.3.3.3")
    }

    @Test func malformedForwardedForFallsBackToThePeer() {
        let t = Self.proxies("10.0.0.1")
        for bad in ["unknown", "203.0.113.9, garbage", "", " , ", "203.0.113.999", "[::1", "1.2.3.4:port", "_hidden"] {
            #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [bad], trusted: t) == "10.0.0.1", "\(bad)")
        }
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["203.0.113.9"], trusted: t) == "unknown")
    }

    @Test func proxyListParsing() throws {
        let t = try TrustedProxies(parsing: " 127.0.0.1 ,10.0.0.0/8,::1, fd00::/8 ,")
        #expect(t.ranges.count == 4)
        #expect(t.trusts(IPAddress("10.200.3.4")!))
        #expect(!t.trusts(IPAddress("11.0.0.1")!))
        #expect(t.trusts(IPAddress("fd12::5")!))
        #expect(t.trusts(IPAddress("::ffff:127.0.0.1")!))
        #expect(!t.trusts(IPAddress("::2")!))
        #expect(try TrustedProxies(parsing: "").ranges.isEmpty)
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").trusts(IPAddress("203.0.113.1")!))
        for bad in ["10.0.0.0/33", "::/129", "localhost", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8", "1.2.3.4/+8"] {
            #expect(throws: TrustedProxiesError.self, "\(bad)") { try TrustedProxies(parsing: "127.0.0.1, \(bad)") }
        }
        do {
            _ = try TrustedProxies(parsing: "10.0.0.0/33")
        } catch let e as TrustedProxiesError {
            #expect(e.fr.contains("« 10.0.0.0/33 »"))
            #expect(e.en.contains("\"10.0.0.0/33\""))
        }
    }

    /// On a live server behind a trusted proxy (the loopback), the `/verify` limit is per forwarded client;
    /// without trust, a forged `X-Forwarded-For` changes nothing.
    @Test(arguments: [true, false])
    func verifyRateLimitUsesTheForwardedClientOnlyBehindATrustedProxy(_ trusted: Bool) async throws {
        var config = LiveServer.configuration()
        config.verifyRateLimitPerMinute = 1
        if trusted { config.trustedProxies = Self.proxies("127.0.0.1, ::1") }
        try await LiveServer.run(config) { port in
            func post(_ xff: String) async throws -> String {
                let socket = try RawSocket(port: port)
                defer { socket.close() }
                try await socket.send(
                    "POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nX-Forwarded-For: \(xff)\r\n"
                        + "Connection: close\r\nContent-Length: 0\r\n\r\n")
                return String(await socket.readUntilClosed(timeout: 30).text.prefix(12))
            }
            let first = try await post("203.0.113.1")
            let again = try await post("203.0.113.1")
            let other = try await post("203.0.113.2")
            #expect(first == "HTTP/1.1 415")
            #expect(again == "HTTP/1.1 429")
            #expect(other == (trusted ? "HTTP/1.1 415" : "HTTP/1.1 429"))
        }
    }
}
