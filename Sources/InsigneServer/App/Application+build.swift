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

/// Everything a request handler needs, built once at start.
public struct ServerServices: Sendable {
    /// Configuration.
    public let configuration: ServerConfiguration
    /// Database.
    public let db: AppDatabase
    /// Issuing operations.
    public let issuing: IssuingService
    /// Document builders and URLs.
    public let documents: DocumentFactory
    /// Hosted documents by path.
    public let resolver: PublicDocumentResolver
    /// The verifier, own documents answered from the database, others over HTTP behind the SSRF guard.
    public let verifier: Verifier
    /// Sends e-mail (queue and SMTP, or the outbox).
    let mailer: Mailer

    /// The URLs.
    public var urls: PublicURLs { documents.urls }

    /// Opens the database and keystore under the data directory.
    public init(configuration: ServerConfiguration, db: AppDatabase? = nil) throws {
        self.configuration = configuration
        let dataDir = URL(fileURLWithPath: configuration.dataDirectory)
        try DataDirectory.secure(dataDir, logger: Logger(label: "insigne"))  // 0700, database files 0600
        let db = try db ?? AppDatabase.open(path: dataDir.appendingPathComponent(DataDirectory.databaseFile).path)
        self.db = db
        mailer = try Mailer(configuration: configuration, db: db)
        let documents = DocumentFactory(urls: PublicURLs(base: configuration.publicURL))
        self.documents = documents
        let keystore = try Keystore(directory: dataDir.appendingPathComponent("keys"))
        issuing = IssuingService(db: db, keystore: keystore, documents: documents)
        var http = HTTPLoaderConfiguration()
        http.addressPolicy = configuration.allowPrivateNetwork ? .allowAll : .publicOnly
        resolver = PublicDocumentResolver(db: db, documents: documents, carriers: CarrierCache())
        verifier = Verifier(
            loader: DatabaseDocumentLoader(resolver: resolver, fallback: HTTPDocumentLoader(configuration: http)))
    }
}

/// The request context: the signed-in account, if any, and the client's address (for rate limits).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the authentication middleware.
    public var account: AccountRecord?
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
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
        page = nil
    }

    /// Uploads (badge images, CSV batches, files to verify) are limited to 8 MiB.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
}

/// Builds the application: opens storage, seeds demo data once, and serves.
public func buildApplication(_ configuration: ServerConfiguration, logger: Logger? = nil) async throws
    -> some ApplicationProtocol
{
    try Renderer.check()  // a broken template stops the start, naming its file and line
    let services = try ServerServices(configuration: configuration)
    var log = logger ?? Logger(label: "insigne")
    log.logLevel = .info
    if configuration.seedDemo {
        let seed = try await DemoSeeder(services: services).seedIfNeeded(adminToken: configuration.adminToken)
        if let message = seed {
            // Never in the log: an owner-only file whose path is logged, and the terminal when there is one.
            try FirstStartCredentials.publish(
                message, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory), logger: log)
        }
    }
    var background: [any Service] = []
    if let smtp = services.mailer.smtp {
        log.info("mail: SMTP \(smtp) from \(services.mailer.from)")
        background.append(MailWorker(db: services.db, smtp: smtp, logger: log))
    } else {
        log.info("mail: no INSIGNE_SMTP_URL, messages are written to \(services.mailer.outbox.directory.path)")
    }
    return makeApplication(
        router: buildRouter(services, options: RouteTableOptions()), configuration: configuration, logger: log,
        services: background)
}

/// The application as served around ready services: the route table of `buildRouter` and the server of
/// `makeApplication(router:configuration:logger:)`. `buildApplication` calls it, and so does the tests' harness.
func makeApplication(services: ServerServices, options: RouteTableOptions = RouteTableOptions(), logger: Logger)
    -> some ApplicationProtocol
{
    makeApplication(
        router: buildRouter(services, options: options), configuration: services.configuration, logger: logger)
}

/// The application around a router: address, server name, and the HTTP/1 server with the connection timeouts.
func makeApplication(
    router: Router<AppRequestContext>, configuration: ServerConfiguration, logger: Logger,
    services: [any Service] = []
) -> some ApplicationProtocol {
    Application(
        router: router, server: .insigne(timeouts: configuration.timeouts),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Insigne"),
        services: services, logger: logger)
}

/// Adds conservative security headers to every response.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        if response.headers[.init("X-Frame-Options")!] == nil {
            response.headers[.init("X-Frame-Options")!] = "DENY"
        }
        return response
    }
}
