import Foundation
import GRDB
import InsigneServer
import OpenBadges
import TestSupport
import Testing

@testable import InsigneStore

/// Many awards and verifications at once on the on-disk (WAL) database: no error, no "database is locked",
/// every award stored exactly once.
struct ServiceConcurrencyTests {
    @Test func twoHundredConcurrentAwardsAndVerifications() async throws {
        var config = ServerConfiguration()
        config.publicURL = "http://127.0.0.1:8080"
        config.dataDirectory = try OfficialTools.temporaryDirectory().path
        let services = try ServerServices(configuration: config)
        _ = try await services.seedDemoData(adminToken: "t")

        // A first award to verify concurrently with the others.
        let (first, _) = try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "first@example.org"), actor: "test")

        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<200 {
                group.addTask {
                    let (a, created) = try await services.issuing.award(
                        AwardRequest(
                            badgeClassID: "bientraitance", recipientEmail: "stagiaire\(n)@example.org",
                            idempotencyKey: "load-\(n)"), actor: "test")
                    return created && !a.jws.isEmpty
                }
                group.addTask {
                    let report = await services.verifier.verify(
                        .text(first.jws), options: VerificationOptions(now: Date()))
                    return report.isValid
                }
            }
            var all: [Bool] = []
            for try await ok in group { all.append(ok) }
            return all
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0 })
        let count = try await services.db.writer.read { db in try AssertionRecord.fetchCount(db) }
        #expect(count == 201)

        // Retrying the same 200 awards concurrently creates nothing new.
        let again = try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<200 {
                group.addTask {
                    try await services.issuing.award(
                        AwardRequest(
                            badgeClassID: "bientraitance", recipientEmail: "stagiaire\(n)@example.org",
                            idempotencyKey: "load-\(n)"), actor: "test"
                    ).created
                }
            }
            var created = 0
            for try await c in group where c { created += 1 }
            return created
        }
        #expect(again == 0)
        #expect(try await services.db.writer.read { db in try AssertionRecord.fetchCount(db) } == 201)
    }
}
