import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Issuers, keys, badge classes, awards and revocations in the store: each change in one audited transaction,
/// idempotency decided by the unique index, nothing written when a check refuses.
@Suite("Issuing store")
struct IssuingStoreTests {
    typealias F = IssuingFixture

    @Test func createsAnIssuerWithItsKeyOnceAndAuditsIt() async throws {
        let db = try await F.database()
        let issuer = IssuerRecord(
            id: "esat", name: "ESAT", url: "https://esat.example", email: "e@example.org", createdAt: F.start)
        #expect(try await db.createIssuer(issuer, key: F.key("esat", "esat-k1", at: F.start), actor: "admin"))
        #expect(try await db.issuer(id: "esat") == issuer)
        #expect(try await db.activeSigningKey(issuerID: "esat")?.id == "esat-k1")
        #expect(!(try await db.createIssuer(issuer, key: F.key("esat", "esat-k2", at: F.start), actor: "admin")))
        #expect(try await db.signingKey(id: "esat-k2") == nil)
        #expect(try await F.audit(db, action: "issuer.create").map(\.subject) == ["esat"])
        #expect(try await db.issuersByID().map(\.id) == ["annexe", "esat", "foyer"])
        #expect(try await db.issuerExists(id: "esat"))
    }

    @Test func rotatingRetiresTheOldKeyButKeepsIt() async throws {
        let later = F.start.addingTimeInterval(60)
        let db = try await F.database()
        #expect(try await db.rotateSigningKey(to: F.key("foyer", "foyer-k2", at: later), actor: "admin"))
        #expect(try await db.activeSigningKey(issuerID: "foyer")?.id == "foyer-k2")
        let keys = try await db.signingKeys(issuerID: "foyer")
        #expect(keys.map(\.id) == ["foyer-k1", "foyer-k2"])
        #expect(keys[0].retiredAt == later && keys[1].retiredAt == nil)
        #expect(try await db.activeSigningKey(issuerID: "annexe")?.id == "annexe-k1")
        #expect(!(try await db.rotateSigningKey(to: F.key("nobody", "nobody-k1", at: later), actor: "admin")))
        #expect(try await F.audit(db, action: "key.rotate").map(\.subject) == ["foyer-k2"])
    }

    @Test func badgeClassesNeedTheirIssuerAndAFreeID() async throws {
        let db = try await F.database()
        #expect(
            try await db.createBadgeClass(F.badge("ecoute", issuer: "foyer", name: "Écoute"), actor: "a") == .created)
        #expect(
            try await db.createBadgeClass(F.badge("ecoute", issuer: "foyer", name: "Autre"), actor: "a") == .idTaken)
        #expect(try await db.createBadgeClass(F.badge("x", issuer: "nobody", name: "X"), actor: "a") == .unknownIssuer)
        #expect(try await db.badgeClass(id: "ecoute")?.name == "Écoute")
        #expect(try await db.badgeClasses(issuerID: "foyer").map(\.id) == ["ecoute", "foyer-badge"])
        #expect(try await db.badgeClasses(issuerID: nil).count == 3)
        #expect(try await F.audit(db, action: "badge.create").count == 1)
    }

    @Test func aRefusedAlignmentWritesNothing() async throws {
        struct Refused: Error {}
        let db = try await F.database()
        let alignment = [AlignmentRecord(targetName: "Écoute", targetUrl: "https://example.org/c/1")]
        await #expect(throws: Refused.self) {
            _ = try await db.replaceAlignment(badgeID: "foyer-badge", alignment, actor: "a") { _ in throw Refused() }
        }
        #expect(try await db.badgeClass(id: "foyer-badge")?.alignment == [])
        #expect(try await F.audit(db, action: "badge.alignment").isEmpty)
        let update = try await db.replaceAlignment(badgeID: "foyer-badge", alignment, actor: "a") { b in
            #expect(b.alignment == alignment)
        }
        guard case .updated(let b) = update else {
            Issue.record("not updated")
            return
        }
        #expect(b.alignment == alignment)
        #expect(try await db.badgeClass(id: "foyer-badge")?.alignment == alignment)
        #expect(try await F.audit(db, action: "badge.alignment").map(\.detail) == ["1 items"])
        #expect(try await db.replaceAlignment(badgeID: "nope", alignment, actor: "a") { _ in } == .unknownBadgeClass)
    }

    @Test func anAwardIsStoredAndAuditedOncePerIdempotencyKey() async throws {
        let db = try await F.database()
        let first = try await db.storeAward(F.award("a1", idempotencyKey: "row-1"), actor: "staff")
        #expect(first.created && first.record.id == "a1")
        // The same key again (a retried request that lost the race): the first award comes back, nothing is added.
        let again = try await db.storeAward(F.award("a2", idempotencyKey: "row-1"), actor: "staff")
        #expect(!again.created && again.record.id == "a1")
        #expect(try await db.assertion(id: "a2") == nil)
        #expect(try await db.assertion(idempotencyKey: "row-1")?.id == "a1")
        let audit = try await F.audit(db, action: "assertion.award")
        #expect(audit.map(\.subject) == ["a1"] && audit[0].actor == "staff")
        // Another constraint (an unknown badge class) is not an idempotent replay: it is thrown.
        await #expect(throws: DatabaseError.self) {
            _ = try await db.storeAward(F.award("a3", badge: "nope"), actor: "staff")
        }
    }

    @Test func revokingKeepsTheFirstReason() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        let when = F.start.addingTimeInterval(3600)
        let revoked = try #require(try await db.revokeAward(id: "a1", reason: "erreur", actor: "staff", now: when))
        #expect(revoked.revokedAt == when && revoked.revokedBy == "staff" && revoked.revocationReason == "erreur")
        let twice = try await db.revokeAward(id: "a1", reason: "autre", actor: "admin")
        #expect(twice?.revocationReason == "erreur" && twice?.revokedBy == "staff")
        #expect(try await db.revokeAward(id: "nope", reason: "x", actor: "staff") == nil)
        #expect(try await F.audit(db, action: "assertion.revoke").map(\.detail) == ["erreur"])
    }

    @Test func awardListsAreScopedByIssuerAndFilters() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1", email: "lea@example.org"), actor: "staff")
        _ = try await db.storeAward(
            F.award("a2", email: "sam@example.org", at: F.start.addingTimeInterval(10)), actor: "staff")
        _ = try await db.storeAward(
            F.award("b1", badge: "annexe-badge", key: "annexe-k1", at: F.start.addingTimeInterval(20)), actor: "admin")
        _ = try await db.revokeAward(id: "a2", reason: "r", actor: "staff")
        func ids(_ issuer: String?, email: String? = nil, revoked: Bool? = nil, page: Int = 1, per: Int = 50)
            async throws -> ([String], Int)
        {
            let r = try await db.awards(
                badgeClassID: nil, issuerID: issuer, recipientEmail: email, revoked: revoked, page: page, perPage: per)
            return (r.items.map(\.id), r.total)
        }
        #expect(try await ids(nil) == (["b1", "a2", "a1"], 3))
        #expect(try await ids("foyer") == (["a2", "a1"], 2))
        #expect(try await ids("foyer", revoked: false) == (["a1"], 1))
        #expect(try await ids(nil, email: " LEA@example.org ") == (["b1", "a1"], 2))
        #expect(try await ids(nil, page: 2, per: 2) == (["a1"], 3))
        #expect(try await db.awardWithBadgeClass(id: "b1")?.1.id == "annexe-badge")
    }

    @Test func onlyAcceptedPiecesOfTheRecipientExaminedForTheIssuerMayBeCited() async throws {
        let db = try await F.database()
        try await db.writer.write { db in
            for (id, issuer, status) in [
                ("p-foyer", "foyer", EvidenceItemRecord.Status.accepted), ("p-site", nil, .accepted),
                ("p-draft", "foyer", .submitted),
            ] as [(String, String?, EvidenceItemRecord.Status)] {
                try EvidenceItemRecord(
                    id: id, learnerID: "lea", kind: .narrative, title: id, narrative: "n", status: status,
                    createdAt: F.start, updatedAt: F.start, issuerID: issuer
                ).insert(db)
            }
            try LearnerEmailRecord(
                accountID: "lea", email: "lea.pro@example.org", verifiedAt: F.start, createdAt: F.start
            ).insert(db)
        }
        func may(
            _ ids: [String], to email: String = "lea@example.org", issuer: String = "foyer", actor: String = "staff"
        )
            async throws -> Bool
        {
            try await db.evidenceMayBeCited(
                evidenceIDs: ids, recipientEmail: email, badgeIssuerID: issuer, actorID: actor)
        }
        #expect(try await may(["p-foyer"]))
        #expect(try await may(["p-foyer"], to: "Lea.Pro@example.org"))
        #expect(!(try await may(["p-foyer"], to: "sam@example.org")))
        #expect(!(try await may(["p-foyer"], issuer: "annexe")))
        #expect(!(try await may(["p-draft"])))
        #expect(!(try await may(["p-foyer", "unknown"])))
        #expect(!(try await may(["p-site"])))
        #expect(try await may(["p-site"], actor: "admin"))
    }
}
