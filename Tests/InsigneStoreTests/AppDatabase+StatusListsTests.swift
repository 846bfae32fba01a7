import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// OB 3.0 Bitstring status lists: random, unique, idempotent indices; the bit set by the revocation's transaction.
@Suite("Status lists store")
struct StatusListsStoreTests {
    typealias F = IssuingFixture

    @Test func indicesAreRandomUniqueAndIdempotent() async throws {
        let db = try await F.database()
        var indices: [Int] = []
        for n in 0..<200 {
            indices.append(try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "a\(n)"))
        }
        #expect(Set(indices).count == 200)
        #expect(indices.allSatisfy { (0..<131_072).contains($0) })
        // Not in issuance order, spread over the whole list.
        #expect(indices != indices.sorted())
        #expect(indices.filter { $0 < 65_536 }.count > 50 && indices.filter { $0 >= 65_536 }.count > 50)
        #expect(try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "a7") == indices[7])
        #expect(try await db.statusListEntry(assertionID: "a7")?.listIndex == indices[7])
        // Another issuer has its own list.
        let other = try await db.reserveStatusListIndex(issuerID: "annexe", assertionID: "b1")
        #expect(try await db.statusListEntry(assertionID: "b1")?.issuerID == "annexe" && other >= 0)
        await #expect(throws: StatusListFull.self) {
            _ = try await db.reserveStatusListIndex(issuerID: "nope", assertionID: "c1")
        }
    }

    @Test func nearlyFullListStillFindsTheFreeIndex() async throws {
        let db = try await F.database()
        try await db.writer.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO statusListEntry VALUES ('foyer', 'revocation', ?, ?, ?)")
            for i in 0..<131_072 where i != 4242 {
                try statement.execute(arguments: [i, "x\(i)", F.start])
            }
        }
        #expect(try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "last") == 4242)
        await #expect(throws: StatusListFull.self) {
            _ = try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "one-too-many")
        }
    }

    @Test func revokingSetsTheBitInTheSameTransaction() async throws {
        let db = try await F.database()
        let empty = try #require(try await db.statusList(issuerID: "foyer"))
        #expect(empty.bits.count == 16_384 && empty.bits.allSatisfy { $0 == 0 } && empty.updatedAt == F.start)
        #expect(try await db.statusList(issuerID: "nope") == nil)

        let index = try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "a1")
        try await db.writer.write { db in
            try F.award("a1").insert(db)
            try F.award("a2").insert(db)
        }
        let when = F.start.addingTimeInterval(3600)
        _ = try await db.revokeAward(id: "a1", reason: "erreur", actor: "staff", now: when)
        let list = try #require(try await db.statusList(issuerID: "foyer"))
        #expect(list.bit(at: index) && list.updatedAt == when)
        #expect(list.bits.enumerated().filter { $0.element != 0 }.count == 1)
        // An award without a reserved index (issued before OB 3.0) changes nothing.
        _ = try await db.revokeAward(id: "a2", reason: "erreur", actor: "staff", now: when.addingTimeInterval(60))
        #expect(try await db.statusList(issuerID: "foyer") == list)
    }

    @Test func aFailedRevocationLeavesTheBitUnset() async throws {
        let db = try await F.database()
        let index = try await db.reserveStatusListIndex(issuerID: "foyer", assertionID: "a1")
        try await db.writer.write { db in
            try F.award("a1").insert(db)
            // Writing the list fails: the revocation and its audit event roll back with it.
            try db.execute(
                sql: "CREATE TEMP TRIGGER fail BEFORE INSERT ON statusList BEGIN SELECT RAISE(ABORT, 'disk'); END")
        }
        await #expect(throws: (any Error).self) {
            _ = try await db.revokeAward(id: "a1", reason: "erreur", actor: "staff")
        }
        #expect(try await db.assertion(id: "a1")?.isRevoked == false)
        #expect(try await F.audit(db, action: "assertion.revoke").isEmpty)
        #expect(try await db.statusList(issuerID: "foyer")?.bit(at: index) == false)
    }
}
