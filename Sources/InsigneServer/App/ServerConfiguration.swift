import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import Logging
import NIOCore
import OpenBadges
import OpenBadgesHTTP
import ServiceLifecycle

/// How the service runs: from `insigne serve` options or `INSIGNE_*` environment variables.
public struct ServerConfiguration: Sendable {
    /// Interface to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on.
    public var port: Int = 8080
    /// Where the database and the keystore live.
    public var dataDirectory: String = "./data"
    /// The public base URL of the hosted documents.
    public var publicURL: String = "http://127.0.0.1:8080"
    /// The admin API token to create at first start (`INSIGNE_ADMIN_TOKEN`); random when nil.
    public var adminToken: String?
    /// Seed the demo issuer, badge class and accounts at first start.
    public var seedDemo: Bool = true
    /// Let the verifier fetch documents from private and loopback addresses (intranet deployments, tests).
    public var allowPrivateNetwork: Bool = false
    /// Verifications per minute allowed to one client on `POST /verify` (also the burst); nil disables the limit
    /// (benchmarks).
    public var verifyRateLimitPerMinute: Int? = 30
    /// Proxies whose `X-Forwarded-For` gives the client address (`INSIGNE_TRUSTED_PROXIES`); none by default.
    public var trustedProxies = TrustedProxies()
    /// Idle, read and write timeouts of client connections.
    public var timeouts = ConnectionTimeouts()
    /// Who signs the certificates of achievement (defaults: the issuer, « Service formation »).
    public var certificateSigner = CertificateSigner()
    /// Where e-mail is handed over (`INSIGNE_SMTP_URL`: `smtp://host:25`, `smtp://user:pass@host:587?starttls=required`,
    /// `smtps://host:465`); nil writes messages to `<data>/outbox/` instead.
    public var smtpURL: String?
    /// The sender of e-mail (`INSIGNE_MAIL_FROM`); nil: `ne-pas-repondre@<public host>`.
    public var mailFrom: String?

    /// Defaults.
    public init() {}
}
