import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import Logging
import NIOCore
import OpenBadges
import OpenBadgesHTTP
import ServiceLifecycle

/// The request context: the signed-in account, if any, and the client's address (for rate limits).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the authentication middleware.
    public var account: AccountRecord?
    /// The account's roles per issuer, loaded with it by the authentication middleware.
    var staff: Staff?
    /// The connected peer (nil in router tests).
    public let remoteAddress: SocketAddress?
    /// Who the request comes from, for rate limits: the peer, or the client a trusted proxy forwarded for
    /// (set by `ClientAddressMiddleware`; "unknown" without a peer).
    public var clientAddress: String
    /// Language, account and session of an HTML page (set by `PageMiddleware`).
    var page: PageEnv?

    public init(source: Source) {
        coreContext = .init(source: source)
        account = nil
        staff = nil
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
        page = nil
    }

    /// Uploads (badge images, CSV batches, files to verify) are limited to 8 MiB.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
}
