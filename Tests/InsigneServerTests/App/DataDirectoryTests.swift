import Foundation
import GRDB
import Hummingbird
import Logging
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Collects log lines (level and message) in memory.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(Logger.Level, String)] = []

    var entries: [(Logger.Level, String)] { lock.withLock { lines } }
    var text: String { entries.map { "\($0.0) \($0.1)" }.joined(separator: "\n") }

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { lines.append((level, message)) } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(event.level, "\(event.message)")
        }
    }
}

@Suite("Data directory modes and first-start credentials")
struct DataDirectoryTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    static func freshDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("insigne-modes-\(UUID().uuidString)")
            .appendingPathComponent("data")
    }

    /// Opens the services on `dir` (database on disk), writes once so the WAL files exist, and returns them with the
    /// database paths (the `-wal` and `-shm` files exist while the services are kept).
    static func start(_ dir: URL) async throws -> (ServerServices, [String]) {
        var config = ServerConfiguration()
        config.dataDirectory = dir.path
        let services = try ServerServices(configuration: config)
        try await services.db.writer.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS probe(x)")
            try db.execute(sql: "INSERT INTO probe VALUES (1)")
        }
        let db = dir.appendingPathComponent("insigne.sqlite").path
        let paths = [db, db + "-wal", db + "-shm"]
        for p in paths { #expect(FileManager.default.fileExists(atPath: p), "\(p) exists") }
        return (services, paths)
    }

    @Test func freshStartCreatesOwnerOnlyDirectoryAndDatabaseFiles() async throws {
        let dir = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let previous = umask(0o022)  // the usual default: files would be 0644 and directories 0755
        defer { umask(previous) }
        let (services, files) = try await Self.start(dir)
        #expect(try Self.mode(dir.path) == 0o700)
        for file in files { #expect(try Self.mode(file) == 0o600, "\(file)") }
        #expect(try Self.mode(dir.appendingPathComponent("keys").path) == 0o700)
        withExtendedLifetime(services) {}
    }

    @Test func startOnAnOlderInstallCorrectsTheModesWithAWarning() async throws {
        let dir = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let (services, files) = try await Self.start(dir)
        defer { withExtendedLifetime(services) {} }
        // An install made by an older version: 0755 directory, 0644 files.
        #expect(chmod(dir.path, 0o755) == 0)
        for file in files { #expect(chmod(file, 0o644) == 0) }
        let log = LogRecorder()
        let corrected = try DataDirectory.secure(dir, logger: log.logger)
        #expect(Set(corrected) == Set([dir.path] + files))
        #expect(try Self.mode(dir.path) == 0o700)
        for file in files { #expect(try Self.mode(file) == 0o600, "\(file)") }
        #expect(log.entries.filter { $0.0 == .warning }.count == 4)
        #expect(log.text.contains("insigne.sqlite-wal"))
        #expect(log.text.contains("644 → 600"))
        // Already right: nothing to say.
        let again = LogRecorder()
        #expect(try DataDirectory.secure(dir, logger: again.logger).isEmpty)
        #expect(again.entries.isEmpty)
        // The service start does the same.
        #expect(chmod(dir.path, 0o755) == 0)
        #expect(chmod(files[0], 0o640) == 0)
        _ = try await Self.start(dir)
        #expect(try Self.mode(dir.path) == 0o700)
        #expect(try Self.mode(files[0]) == 0o600)
    }

    @Test func firstStartSecretsGoToAnOwnerOnlyFileNeverToTheLog() async throws {
        let dir = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        var config = ServerConfiguration()
        config.dataDirectory = dir.path
        let log = LogRecorder()
        _ = try await buildApplication(config, logger: log.logger)
        let file = dir.appendingPathComponent("first-start-credentials.txt").path
        #expect(try Self.mode(file) == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        func value(after label: String) throws -> String {
            let line = try #require(text.split(separator: "\n").first { $0.contains(label) })
            let colon = try #require(line.firstIndex(of: ":"))
            return String(try #require(line[line.index(after: colon)...].split(separator: " ").first))
        }
        let password = try value(after: "mot de passe / password")
        let token = try value(after: "Jeton d'API / API token")
        #expect(password.count >= 12)
        #expect(token.hasPrefix("ins_"))
        #expect(!log.entries.isEmpty)
        #expect(log.text.contains(file))  // where to find them
        #expect(!log.text.contains(password))
        #expect(!log.text.contains(token))
        // The password in the file is the admin's.
        var services = config
        services.seedDemo = false
        let reopened = try ServerServices(configuration: services)
        let hash = try await reopened.db.writer.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE id = 'admin'")
        }
        #expect(PasswordHash.verify(password, against: try #require(hash)))
    }

    @Test func credentialsFileIsNarrowedWhenRewritten() throws {
        let dir = Self.freshDirectory()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(FirstStartCredentials.fileName).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8)))
        #expect(chmod(path, 0o644) == 0)
        let log = LogRecorder()
        let written = try FirstStartCredentials.publish(
            "secret-xyz", dataDirectory: dir, logger: log.logger, terminal: false)
        #expect(written == path)
        #expect(try Self.mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "secret-xyz\n")
        #expect(!log.text.contains("secret-xyz"))
    }
}
