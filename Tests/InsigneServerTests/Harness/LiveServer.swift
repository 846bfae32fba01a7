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

/// A live service on 127.0.0.1 (an ephemeral port) built as `insigne serve` builds it.
enum LiveServer {
    static func configuration() -> ServerConfiguration {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        config.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("insigne-live-\(UUID().uuidString)").path
        return config
    }

    static func run(
        timeouts: ConnectionTimeouts = ConnectionTimeouts(), _ test: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var config = configuration()
        config.timeouts = timeouts
        try await run(config, test)
    }

    static func run(_ config: ServerConfiguration, _ test: @escaping @Sendable (Int) async throws -> Void)
        async throws
    {
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        var logger = Logger(label: "insigne-test")
        logger.logLevel = .error
        let app = makeApplication(services: services, logger: logger)
        try await app.test(.live) { client in
            try await test(try #require(client.port))
        }
    }
}
