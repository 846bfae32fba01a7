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

/// The configured `verifyRateLimitPerMinute` is the one applied.
@Suite("Verify rate limit configuration")
struct VerifyRateLimitConfigurationTests {
    func statuses(limit: Int?, requests: Int) async throws -> [HTTPResponse.Status] {
        let h = try await WebHarness.make(allowPrivateNetwork: false) { $0.verifyRateLimitPerMinute = limit }
        let app = h.application()
        return try await app.test(.router) { client -> [HTTPResponse.Status] in
            var out: [HTTPResponse.Status] = []
            for _ in 0..<requests {
                out.append(
                    try await client.executeRequest(
                        uri: "/verify", method: .post, headers: [.accept: "application/json"], body: nil
                    ).status)
            }
            return out
        }
    }

    @Test func configuredLimitIsApplied() async throws {
        // Refill is one token every 60/limit seconds: far longer than these few requests take.
        let one = try await statuses(limit: 1, requests: 2)
        #expect(one == [.unsupportedMediaType, .tooManyRequests])
        // Larger limits: the configured value is the rate and the burst (checked on the value, since a loaded
        // machine may take longer than one refill between requests).
        var config = ServerConfiguration()
        config.verifyRateLimitPerMinute = 7
        #expect(VerifyLimits(configuration: config).perMinute == 7)
        #expect(VerifyLimits(configuration: config).burst == 7)
        let unlimited = try await statuses(limit: nil, requests: 40)
        #expect(!unlimited.contains(.tooManyRequests))
    }
}
