import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import Logging
import NIOCore
import OpenBadges
import OpenBadgesHTTP
import ServiceLifecycle

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
        try await DemoSeeder(services: services).seedRosterIfNeeded()  // not in the test harness's seed
        if let message = seed {
            // Never in the log: an owner-only file whose path is logged, and the terminal when there is one.
            try FirstStartCredentials.publish(
                message, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory), logger: log)
        }
    }
    try await services.issuing.ensureDataIntegrityKeys()  // issuers from before OB 3.0 issuing
    services.issuing.resumeOB3Forms()  // bulk awards stored before a stop, their OB 3.0 forms not yet made
    var background: [any Service] = []
    if let smtp = services.mailer.smtp {
        log.info("mail: SMTP \(smtp) from \(services.mailer.from)")
        background.append(MailWorker(db: services.db, smtp: smtp, logger: log))
    } else {
        log.info("mail: no INSIGNE_SMTP_URL, messages are written to \(services.mailer.outbox.directory.path)")
    }
    background.append(RemindersWorker(services: services, logger: log))  // expiry reminders, daily
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

/// The application exactly as `insigne serve` answers requests (same route table, same HTTP/1 server with the
/// connection timeouts), around ready services and without background workers: `insigne bench-server` measures it.
public func makeServedApplication(services: ServerServices) -> some ApplicationProtocol {
    var log = Logger(label: "insigne")
    log.logLevel = .info
    return makeApplication(services: services, logger: log)
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
