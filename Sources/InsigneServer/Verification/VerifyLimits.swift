import Foundation
import Hummingbird

/// Limits of the verification endpoint.
struct VerifyLimits: Sendable {
    /// Largest file accepted (multipart part or raw body), and largest JSON body.
    var maxUploadBytes: Int = 5 * 1024 * 1024
    /// Verifications per client per minute (token bucket refill rate).
    var perMinute: Double = 30
    /// Bucket size: how many verifications a client may make in a burst.
    var burst: Double = 30
    /// Remembered clients before idle buckets are pruned.
    var maxClients: Int = 10_000
    /// Who a request comes from, for the rate limit.
    var clientKey: @Sendable (Request, AppRequestContext) -> String = VerifyLimits.remoteAddressKey
    /// How long an uploaded file is kept to check it against another address (see ``UploadStash``).
    var keptUploadLifetime: TimeInterval = 15 * 60
    /// How many uploaded files are kept at most.
    var keptUploadCount: Int = 32
    /// How many bytes the kept files may hold together.
    var keptUploadBytes: Int = 32 * 1024 * 1024

    /// The defaults.
    init() {}

    /// The limits the configuration asks for: `verifyRateLimitPerMinute` per minute and as burst; nil: unlimited.
    init(configuration: ServerConfiguration) {
        if let n = configuration.verifyRateLimitPerMinute {
            perMinute = Double(max(1, n))
            burst = Double(max(1, n))
        } else {
            perMinute = 1_000_000_000
            burst = 1_000_000_000
        }
    }

    /// The client address (`context.clientAddress`: the peer, or the client behind a trusted proxy).
    static func remoteAddressKey(_ request: Request, _ context: AppRequestContext) -> String {
        context.clientAddress
    }
}
