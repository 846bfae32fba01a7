import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The one test harness: services built as `buildApplication` builds them (on an in-memory database), the demo seed,
/// a known admin password, and the application served by the real route table and middleware
/// (`makeApplication(services:options:logger:)`, which `buildApplication` calls too). Feature fixtures are its
/// extensions (`WebHarness+Portfolio.swift`…); `APIHarness` and `VerifyFixture` are thin wrappers around it.
struct WebHarness: Sendable {
    let services: ServerServices
    static let adminPassword = "correct horse battery"

    /// A seeded service. The pages' tests let the verifier fetch from loopback (`allowPrivateNetwork`); `adminToken`
    /// is the seeded admin's API token; `configure` changes anything else before the services are built.
    static func make(
        publicURL: String = "http://127.0.0.1:8080", allowPrivateNetwork: Bool = true, adminToken: String = "t",
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> WebHarness {
        var config = ServerConfiguration()
        config.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("insigne-web-\(UUID().uuidString)").path
        config.publicURL = publicURL
        config.allowPrivateNetwork = allowPrivateNetwork
        configure(&config)
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        _ = try await DemoSeeder(services: services).seedIfNeeded(adminToken: adminToken)
        let hash = try PasswordHash.hash(adminPassword, logN: 10)
        try await services.db.writer.write { db in
            try db.execute(sql: "UPDATE account SET passwordHash = ? WHERE id = 'admin'", arguments: [hash])
        }
        return WebHarness(services: services)
    }

    /// Adds a staff account, manager of an issuer.
    func addStaff(login: String, password: String, issuerID: String) async throws {
        let hash = try PasswordHash.hash(password, logN: 10)
        try await services.db.writer.write { db in
            try AccountRecord(
                id: login, login: login, displayName: "Formatrice \(login)", passwordHash: hash, role: .staff,
                issuerID: issuerID, createdAt: Date()
            ).insert(db)
            try MembershipRecord(
                id: "mem_\(login)", accountID: login, issuerID: issuerID, role: .manager, createdAt: Date(),
                createdBy: "test"
            ).insert(db)
        }
    }

    /// How many assertions the database holds.
    func assertionCount() async throws -> Int {
        try await services.db.writer.read { db in try AssertionRecord.fetchCount(db) }
    }

    /// The application as `insigne serve` builds it around these services; `options` narrow a limit or fix a test
    /// seam (sign-in source, hashing pool) without leaving the real route table.
    func application(_ options: RouteTableOptions = RouteTableOptions()) -> some ApplicationProtocol {
        var logger = Logger(label: "insigne-test")
        logger.logLevel = .error
        var options = options
        options.hasher = options.hasher ?? Self.testHasher
        return makeApplication(services: services, options: options, logger: logger)
    }

    /// The hashing pool of the tests that do not bring their own: the same two threads as the service's, with a line
    /// long enough for every suite running at once (the service's line of 32 answers 503 when the whole test run
    /// signs in together on two loaded cores; the tests of that 503 use their own small pool).
    static let testHasher = PasswordHashingPool(threads: 2, maxWaiting: 100_000)

    /// Runs `test` with a browser on the application as served.
    func run(_ test: @escaping @Sendable (WebBrowser) async throws -> Void) async throws {
        var options = RouteTableOptions()
        // The throttles' clock stands still, as in `run(source:)`: a loaded machine must not outlast their delays.
        let frozen = Date()
        options.throttleClock = { frozen }
        try await run(options: options, test)
    }

    /// Runs `test` with a browser on the application built with `options`.
    func run(options: RouteTableOptions, _ test: @escaping @Sendable (WebBrowser) async throws -> Void) async throws {
        try await application(options).test(.router) { client in
            try await test(WebBrowser(client: client))
        }
    }
}
