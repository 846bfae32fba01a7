import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Editing badge classes and issuers in the store: one audited transaction naming the changed fields, nothing
/// written when nothing changed or a check refuses; deleting only a badge class never awarded.
@Suite("Editing store")
struct EditingStoreTests {
    typealias F = IssuingFixture

    struct Refused: Error {}

    @Test func editsABadgeClassAndAuditsTheChangedFields() async throws {
        let db = try await F.database()
        let later = F.start.addingTimeInterval(60)
        let edit = try await db.editBadgeClass(id: "foyer-badge", actor: "staff", now: later) { b in
            var b = b
            b.name = "Nouveau nom"
            b.tags = ["soin"]
            b.id = "ignored"
            b.archivedAt = later
            return b
        }
        guard case .updated(let b, let changed) = edit else {
            Issue.record("not updated")
            return
        }
        #expect(b.id == "foyer-badge")
        #expect(changed == ["name", "tags", "archived"])
        #expect(try await db.badgeClass(id: "foyer-badge")?.name == "Nouveau nom")
        #expect(try await db.badgeClass(id: "foyer-badge")?.archivedAt == later)
        #expect(try await F.audit(db, action: "badge.update").map(\.detail) == ["name, tags, archived"])
        // Nothing changed: nothing audited. A refusing check writes nothing.
        _ = try await db.editBadgeClass(id: "foyer-badge", actor: "staff") { $0 }
        await #expect(throws: Refused.self) {
            _ = try await db.editBadgeClass(id: "foyer-badge", actor: "staff") { b in
                var b = b
                b.name = "Refusé"
                if b.name == "Refusé" { throw Refused() }
                return b
            }
        }
        #expect(try await db.badgeClass(id: "foyer-badge")?.name == "Nouveau nom")
        #expect(try await F.audit(db, action: "badge.update").count == 1)
        #expect(try await db.editBadgeClass(id: "nope", actor: "staff") { $0 } == .unknown)
    }

    @Test func editsAnIssuer() async throws {
        let db = try await F.database()
        let edit = try await db.editIssuer(id: "foyer", actor: "admin") { i in
            var i = i
            i.email = "contact@foyer.example"
            i.imageData = Data([1])
            i.imageType = "png"
            return i
        }
        guard case .updated(let i, let changed) = edit else {
            Issue.record("not updated")
            return
        }
        #expect(i.email == "contact@foyer.example")
        #expect(changed == ["email", "image"])
        #expect(try await F.audit(db, action: "issuer.update").map(\.detail) == ["email, image"])
        #expect(try await db.editIssuer(id: "nope", actor: "admin") { $0 } == .unknown)
    }

    @Test func deletesOnlyABadgeClassNeverAwarded() async throws {
        let db = try await F.database()
        _ = try await db.storeAward(F.award("a1"), actor: "staff")
        #expect(try await db.awardCount(badgeClassID: "foyer-badge") == 1)
        #expect(try await db.deleteBadgeClass(id: "foyer-badge", actor: "admin") == .hasAwards(1))
        #expect(try await db.badgeClass(id: "foyer-badge") != nil)
        #expect(try await db.deleteBadgeClass(id: "annexe-badge", actor: "admin") == .deleted)
        #expect(try await db.badgeClass(id: "annexe-badge") == nil)
        #expect(try await db.deleteBadgeClass(id: "annexe-badge", actor: "admin") == .unknownBadgeClass)
        #expect(try await F.audit(db, action: "badge.delete").map(\.subject) == ["annexe-badge"])
    }
}
