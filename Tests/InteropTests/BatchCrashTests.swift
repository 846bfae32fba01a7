import Foundation
import GRDB
import InsigneStore
import OpenBadges
import OpenBadgesHTTP
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A server killed with SIGKILL in the middle of a 1,000-row batch, then restarted: no duplicate, no
/// half-written assertion, and posting the same batch again completes it.
@Suite(.serialized)
struct BatchCrashTests {
    static let token = "crash-test-token"

    func startServer(dataDir: URL, port: Int) throws -> Process {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        let p = Process()
        p.executableURL = bin
        p.arguments = [
            "serve", "--data-dir", dataDir.path, "--port", String(port), "--public-url", "http://127.0.0.1:\(port)",
        ]
        p.environment = ProcessInfo.processInfo.environment.merging(["INSIGNE_ADMIN_TOKEN": Self.token]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func waitUntilUp(_ port: Int) async throws {
        for _ in 0..<200 {
            if try await OfficialTools.httpGet("http://127.0.0.1:\(port)/health") != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("server did not start")
    }

    func request(_ method: String, _ url: String, body: Data? = nil, contentType: String? = nil) async throws -> (
        Int, JSONValue?
    ) {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        r.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
        if let contentType { r.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        r.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONValue(parsing: [UInt8](data)))
    }

    func storedCount(_ dbPath: String) throws -> Int {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: dbPath, configuration: config).read { db in
            try AssertionRecord.filter { $0.createdBy != "seed" }.fetchCount(db)
        }
    }

    func assertionCount(_ dbPath: String) throws -> (count: Int, keys: Int, records: [AssertionRecord]) {
        var config = Configuration()
        config.readonly = true
        let db = try DatabaseQueue(path: dbPath, configuration: config)
        return try db.read { db in
            // The demo data's own awards (created by "seed" at start) are not the batch's.
            let records = try AssertionRecord.filter { $0.createdBy != "seed" }.fetchAll(db)
            let keys =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(DISTINCT idempotencyKey) FROM assertion WHERE createdBy IS NOT 'seed'") ?? -1
            return (records.count, keys, records)
        }
    }

    @Test func killedDuringABatchThenRestartedCompletesWithoutDuplicates() async throws {
        let dataDir = try OfficialTools.temporaryDirectory()
        let port = try OfficialTools.freePort()
        var server = try startServer(dataDir: dataDir, port: port)
        try await waitUntilUp(port)
        let base = "http://127.0.0.1:\(port)"

        var csv = "email,name,narrative,expires,evidence\n"
        for n in 0..<1000 {
            csv += "stagiaire\(n)@example.org,Stagiaire \(n),\"Formation du \(n % 28 + 1) novembre\",,\n"
        }
        let (status, accepted) = try await request(
            "POST", "\(base)/api/v1/badges/bientraitance/assertions/batch", body: Data(csv.utf8),
            contentType: "text/csv")
        #expect(status == 202)
        _ = try #require(accepted?["id"]?.stringValue)

        // Let part of the batch happen (watched in the database file, not through the busy server), then kill
        // the process without warning.
        let dbPath = dataDir.appendingPathComponent("insigne.sqlite").path
        // The watch runs on its own thread: the test process is busy with other suites, and a sleeping task
        // on the shared pool could wake too late.
        let pid = server.processIdentifier
        let stored = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            Thread {
                var count = 0
                for _ in 0..<6000 {
                    count = (try? storedCount(dbPath)) ?? count
                    if count >= 100 { break }
                    usleep(5000)
                }
                kill(pid, SIGKILL)
                continuation.resume(returning: count)
            }.start()
        }
        server.waitUntilExit()
        #expect(stored >= 100 && stored < 1000, "the kill must land mid-batch (stored \(stored))")

        // After the crash: only whole assertions, each once.
        let afterCrash = try assertionCount(dbPath)
        #expect(afterCrash.count == afterCrash.keys)
        #expect(afterCrash.count > 0 && afterCrash.count < 1000)
        for record in afterCrash.records {
            // Structure and signature input are whole: the JWS parses and carries this assertion's id.
            let jws = try CompactJWS(record.jws)
            let payload = try JSONValue(parsing: jws.payload)
            #expect(payload["id"]?.stringValue == "urn:uuid:\(record.id)")
            #expect(payload["recipient"]?["identity"]?.stringValue == record.recipientIdentity)
        }

        // Restart on the same data and post the same batch again: it completes, nothing is awarded twice.
        server = try startServer(dataDir: dataDir, port: port)
        defer { kill(server.processIdentifier, SIGKILL) }
        try await waitUntilUp(port)
        let (status2, accepted2) = try await request(
            "POST", "\(base)/api/v1/badges/bientraitance/assertions/batch", body: Data(csv.utf8),
            contentType: "text/csv")
        #expect(status2 == 202)
        let batch2 = try #require(accepted2?["id"]?.stringValue)
        var final: JSONValue?
        for _ in 0..<1200 {
            let (_, progress) = try await request("GET", "\(base)/api/v1/batches/\(batch2)")
            if progress?["done"]?.boolValue == true {
                final = progress
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let done = try #require(final, "the second batch did not finish")
        #expect(Int(done["skipped"]?.numberValue ?? -1) == afterCrash.count)
        #expect(Int(done["created"]?.numberValue ?? -1) == 1000 - afterCrash.count)
        #expect(Int(done["errors"]?.numberValue ?? -1) == 0)
        let final2 = try assertionCount(dbPath)
        #expect(final2.count == 1000)
        #expect(final2.keys == 1000)

        // A restarted server's award verifies end to end (hosted documents served from the database).
        let (_, one) = try await request("GET", "\(base)/api/v1/assertions?perPage=1")
        let id = try #require(one?["items"]?.arrayValue?.first?["id"]?.stringValue)
        let png = try #require(try await OfficialTools.httpGet("\(base)/assertions/\(id)/badge.png"))
        var config = HTTPLoaderConfiguration()
        config.addressPolicy = .allowAll
        let report = await Verifier(loader: HTTPDocumentLoader(configuration: config))
            .verify(.data(png), options: VerificationOptions(now: Date()))
        #expect(report.isValid, "\(report.checks.filter { $0.status != .passed })")
    }
}
