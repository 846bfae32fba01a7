import Foundation
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// Bulk awards are stored as OB 2.0 by whole groups and get their OB 3.0 forms afterwards, in the background
/// (issue 15 point 1); a revocation made before the form exists is carried by the form's status bit.
@Suite("Batch: OB 3.0 forms made after the batch")
struct BatchOB3FormsTests {
    @Test func formsFollowTheBatchAndCarryAnEarlierRevocation() async throws {
        let h = try await APIHarness.make()
        let issuing = h.services.issuing
        // More rows than one group, with a key repeated across groups: stored once, the later row skipped.
        var rows: [JSONValue] = (0..<BatchAwarding.groupSize + 30).map { n in
            ["recipient": ["email": .string("stagiaire\(n)@example.org")], "narrative": "Session de mars"]
        }
        rows.append(["recipient": ["email": "stagiaire0@example.org"], "narrative": "Session de mars"])
        let csvRows = try BatchAwarding.rows(fromJSON: .array(rows))
        let results = await BatchAwarding(issuing: issuing, urls: h.services.urls).run(
            rows: csvRows, badgeID: "bientraitance", dryRun: false, actor: "admin")
        #expect(results.count { $0.status == .created } == BatchAwarding.groupSize + 30)
        #expect(results.last?.status == .skipped && results.last?.id == results.first?.id)
        #expect(results.map(\.line) == Array(1...(BatchAwarding.groupSize + 31)))
        #expect(try await h.assertionCount() == BatchAwarding.groupSize + 30)

        // Revoked before its form is made: the form's status entry has its bit set.
        let revokedID = try #require(results[3].id)
        _ = try await issuing.revoke(assertionID: revokedID, reason: "erreur de saisie", actor: "admin")
        _ = await issuing.makePendingOB3Forms()
        #expect(try await h.services.db.pendingOB3Forms(limit: 10).isEmpty)
        for result in results.prefix(5) {
            #expect(try await h.services.db.ob3Credential(assertionID: try #require(result.id)) != nil)
        }
        let form = try #require(try await h.services.db.ob3Credential(assertionID: revokedID))
        let credential = try JSONValue(parsing: Array(form.json.utf8))
        let index = try #require(
            credential["credentialStatus"]?["statusListIndex"]?.stringValue.flatMap { Int($0) })
        let badge = try #require(try await issuing.badgeClass(id: "bientraitance"))
        let list = try #require(try await h.services.db.statusList(issuerID: badge.issuerID))
        #expect([UInt8](list.bits)[index / 8] & (0x80 >> UInt8(index % 8)) != 0)
    }
}
