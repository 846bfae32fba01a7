import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Bulk awards in the store: a group in one transaction (the unique idempotency key and the renewal checks decide per
/// award), the OB 3.0 maker's list written with the awards, rows the same as the single award path writes.
@Suite("Batch awards store")
struct BatchAwardsStoreTests {
    typealias F = IssuingFixture

    @Test func aGroupIsStoredWithEachAwardDecidedAlone() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("old", idempotencyKey: "row-0"), actor: "staff")
        var revoked = F.award("gone", email: "zoe@example.org")
        revoked.expires = "2027-02-01T00:00:00Z"
        _ = try await db.storeAward(revoked, actor: "staff")
        _ = try await db.revokeAward(id: "gone", reason: "erreur", actor: "staff")
        var renewal = F.award("r1", email: "zoe@example.org", idempotencyKey: "row-r")
        renewal.renewalOf = "gone"  // revoked: cannot be renewed
        let group = [
            F.award("a1", idempotencyKey: "row-1"), F.award("a2", idempotencyKey: "row-0"),  // key used before
            renewal, F.award("a3", idempotencyKey: "row-1"),  // key used earlier in the group
            F.award("a4", badge: "nope", idempotencyKey: "row-4"),  // another constraint
            F.award("a5", idempotencyKey: "row-5"),
        ]
        let outcomes = try await db.storeAwardGroup(group, actor: "staff", ob3Pending: true)
        let summary = outcomes.map { outcome -> String in
            switch outcome {
            case .created(let r): "created \(r.id)"
            case .existing(let r): "existing \(r.id)"
            case .notRenewable(let id, let previous): "notRenewable \(id) \(previous?.isRevoked == true)"
            case .failed: "failed"
            }
        }
        #expect(
            summary == ["created a1", "existing old", "notRenewable gone true", "existing a1", "failed", "created a5"])
        #expect(try await F.audit(db, action: "assertion.award").map(\.subject) == ["old", "gone", "a1", "a5"])
        for id in ["a2", "r1", "a3", "a4"] { #expect(try await db.assertion(id: id) == nil) }
        #expect(try await db.assertion(id: "gone")?.renewedBy == nil)
        // Only the stored awards are listed for the OB 3.0 maker; clearing takes them off.
        #expect(try await db.pendingOB3Forms(limit: 10).sorted() == ["a1", "a5"])
        try await db.clearPendingOB3Forms(["a1"])
        #expect(try await db.pendingOB3Forms(limit: 10) == ["a5"])
    }

    @Test func aGroupRenewsAndReadsEarlierAwardsInOneQuery() async throws {
        let db = try await F.database()
        var old = F.award("old", email: "lea@example.org", idempotencyKey: "k-old")
        old.expires = "2027-02-01T00:00:00Z"
        _ = try await db.storeAward(old, actor: "staff")
        _ = try await db.storeAward(F.award("other", badge: "annexe-badge", key: "annexe-k1"), actor: "staff")
        var renewal = F.award("new", email: "lea@example.org", idempotencyKey: "k-new")
        renewal.renewalOf = "old"
        let outcomes = try await db.storeAwardGroup([renewal], actor: "staff", ob3Pending: false)
        guard case .created = outcomes.first else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(try await db.assertion(id: "old")?.renewedBy == "new")
        #expect(try await F.audit(db, action: "assertion.renew").map(\.subject) == ["new"])
        #expect(try await db.pendingOB3Forms(limit: 10).isEmpty)
        let found = try await db.assertions(idempotencyKeys: ["k-old", "k-new", "unknown"])
        #expect(found.mapValues(\.id) == ["k-old": "old", "k-new": "new"])
        let held = try await db.unrevokedAwards(
            badgeClassID: "foyer-badge", recipientEmails: ["lea@example.org", "lea@example.org", "x@example.org"])
        #expect(held.mapValues { $0.map(\.id).sorted() } == ["lea@example.org": ["new", "old"]])
    }

    @Test func theMakersListGoesWithItsAward() async throws {
        let db = try await F.database()
        _ = try await db.storeAwardGroup([F.award("a1")], actor: "staff", ob3Pending: true)
        try await db.writer.write { db in _ = try AssertionRecord.deleteOne(db, key: "a1") }
        #expect(try await db.pendingOB3Forms(limit: 10).isEmpty)
    }

    /// The group's own insert statement writes every column as the record's encoding does (`record.insert`, used
    /// by single awards): dates, absent values, evidence JSON, renewal links and the audit row.
    @Test func aGroupWritesTheSameRowsAsASingleAward() async throws {
        let db = try await F.database()
        var a = F.award(
            "single", name: "Léa « L » Martin", idempotencyKey: "k-s", at: Date(timeIntervalSince1970: 1.8e9 + 0.123))
        a.expires = "2030-01-15T08:00:00Z"
        a.narrative = "Stage\nfoyer"
        a.evidence = [
            EvidenceRecord(id: "https://example.org/preuve?a=1&b=é"),
            EvidenceRecord(id: nil, name: "Grille", narrative: "vue", description: "d", genre: "Document"),
        ]
        var b = a
        b.id = "grouped"
        b.idempotencyKey = "k-g"
        var plain = F.award("plain-single", idempotencyKey: "k-ps")
        plain.recipientName = nil
        var plainGrouped = plain
        plainGrouped.id = "plain-grouped"
        plainGrouped.idempotencyKey = "k-pg"
        _ = try await db.storeAward(a, actor: "staff")
        _ = try await db.storeAward(plain, actor: "staff")
        _ = try await db.storeAwardGroup([b, plainGrouped], actor: "staff", ob3Pending: false)
        try await db.writer.read { db in
            func row(_ id: String) throws -> [String: DatabaseValue] {
                let r = try #require(try Row.fetchOne(db, sql: "SELECT * FROM assertion WHERE id = ?", arguments: [id]))
                var values = Dictionary(uniqueKeysWithValues: r.columnNames.map { ($0, r[$0] as DatabaseValue) })
                values["id"] = nil
                values["idempotencyKey"] = nil
                return values
            }
            #expect(try row("single") == row("grouped"))
            #expect(try row("plain-single") == row("plain-grouped"))
            let audit = try Row.fetchAll(
                db,
                sql: "SELECT at, actor, action, detail, typeof(at) FROM auditEvent WHERE subject IN (?, ?) ORDER BY id",
                arguments: ["single", "grouped"])
            #expect(audit.count == 2 && audit[0] == audit[1])
        }
    }
}
