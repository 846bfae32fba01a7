import Foundation
import GRDB
import Testing

@testable import InsigneStore

@Suite("Store: roster and compliance")
struct AppDatabaseRosterTests {
    static let now = IssuingFixture.start

    static func row(_ line: Int, _ first: String, _ last: String, _ emails: [String], external: String? = nil)
        -> RosterImportRow
    {
        RosterImportRow(line: line, firstName: first, lastName: last, emails: emails, externalID: external)
    }

    @Test func importAddsUpdatesAndLeavesUnchanged() async throws {
        let db = try await IssuingFixture.database()
        let first = try await db.importPeople(
            issuerID: "annexe",
            rows: [
                Self.row(2, "Léa", "Martin", ["Lea.Martin@Example.org"]),
                Self.row(3, "Jean", "Petit", ["jean@example.org"], external: "jpetit"),
            ], now: Self.now)
        guard case .added(let lea) = first[0], case .added = first[1] else {
            Issue.record("expected two added, got \(first)")
            return
        }
        let second = try await db.importPeople(
            issuerID: "annexe",
            rows: [
                Self.row(2, "Léa", "Martin", ["lea.martin@example.org"]),
                Self.row(3, "Jean", "Petit-Durand", ["jean@example.org", "jean.perso@example.org"]),
                Self.row(4, "J.", "Petit", ["other@example.org"], external: "jpetit"),
                Self.row(5, "Mix", "Up", ["lea.martin@example.org", "jean@example.org"]),
            ], now: Self.now)
        #expect(second[0] == .unchanged(personID: lea))
        guard case .updated(let jean) = second[1], case .updated(let again) = second[2] else {
            Issue.record("expected updates, got \(second)")
            return
        }
        #expect(jean == again)  // matched by external id
        #expect(second[3] == .conflict(emails: ["lea.martin@example.org", "jean@example.org"]))
        let person = try #require(try await db.person(id: jean, issuerID: "annexe"))
        #expect(person.emails == ["jean@example.org", "jean.perso@example.org", "other@example.org"])
        #expect(person.person.firstName == "J.")
        #expect(try await db.person(id: jean, issuerID: "foyer") == nil)  // another establishment's
        // The same address in another establishment is another person.
        let other = try await db.importPeople(
            issuerID: "foyer", rows: [Self.row(2, "Léa", "Martin", ["lea.martin@example.org"])], now: Self.now)
        guard case .added = other[0] else {
            Issue.record("expected added, got \(other)")
            return
        }
    }

    @Test func pagedSearchAndLeavers() async throws {
        let db = try await IssuingFixture.database()
        let rows = (0..<30).map { Self.row($0 + 2, "P\($0)", String(format: "Nom%02d", $0), ["p\($0)@example.org"]) }
        let outcomes = try await db.importPeople(issuerID: "annexe", rows: rows, now: Self.now)
        let page2 = try await db.people(issuerID: "annexe", search: nil, includeLeft: false, page: 2, perPage: 25)
        #expect(page2.total == 30)
        #expect(page2.items.map(\.person.lastName) == ["Nom25", "Nom26", "Nom27", "Nom28", "Nom29"])
        let found = try await db.people(issuerID: "annexe", search: "p7@", includeLeft: false, page: 1, perPage: 25)
        #expect(found.items.map(\.person.lastName) == ["Nom07"])
        guard case .added(let id) = outcomes[0] else { return }
        #expect(try await db.setPersonLeft(id: id, issuerID: "annexe", leftAt: Self.now, now: Self.now))
        #expect(
            try await db.people(issuerID: "annexe", search: nil, includeLeft: false, page: 1, perPage: 50).total == 29)
        #expect(
            try await db.people(issuerID: "annexe", search: nil, includeLeft: true, page: 1, perPage: 50).total == 30)
        #expect(try await db.compliance(issuerID: "annexe", badgeClassID: "foyer-badge").count == 29)
        #expect(!(try await db.setPersonLeft(id: id, issuerID: "foyer", leftAt: nil, now: Self.now)))
    }

    @Test func savePersonRefusesAnotherPersonsAddress() async throws {
        let db = try await IssuingFixture.database()
        let p = PersonRecord(
            id: "", issuerID: "annexe", firstName: "A", lastName: "B", externalID: nil, joinedAt: Self.now,
            updatedAt: Self.now)
        guard case .saved(let a) = try await db.savePerson(id: nil, p, emails: ["a@example.org"], now: Self.now),
            case .saved(let b) = try await db.savePerson(id: nil, p, emails: ["b@example.org"], now: Self.now)
        else {
            Issue.record("not saved")
            return
        }
        #expect(
            try await db.savePerson(id: b, p, emails: ["A@example.org"], now: Self.now) == .emailTaken("a@example.org"))
        #expect(
            try await db.savePerson(id: a, p, emails: ["a@example.org", "a2@example.org"], now: Self.now)
                == .saved(personID: a))
        #expect(try await db.person(id: a, issuerID: "annexe")?.emails == ["a@example.org", "a2@example.org"])
        #expect(try await db.savePerson(id: "per_none", p, emails: ["c@example.org"], now: Self.now) == .notFound)
    }

    @Test func complianceTakesTheNewestNonRevokedAwardOfAnyAddress() async throws {
        let db = try await IssuingFixture.database()
        _ = try await db.importPeople(
            issuerID: "annexe",
            rows: [
                Self.row(2, "Léa", "Martin", ["lea@example.org", "lea.perso@example.org"]),
                Self.row(3, "Jean", "Petit", ["jean@example.org"]),
            ], now: Self.now)
        try await db.writer.write { db in
            var old = IssuingFixture.award("a-old", email: "lea@example.org")
            old.issuedOn = "2027-01-15T08:00:00Z"
            old.expires = "2030-01-15T08:00:00Z"
            try old.insert(db)
            var newer = IssuingFixture.award("a-new", email: "lea.perso@example.org")
            newer.issuedOn = "2028-01-15T08:00:00Z"
            newer.expires = "2031-01-15T08:00:00Z"
            try newer.insert(db)
            var revoked = IssuingFixture.award("a-revoked", email: "lea@example.org")
            revoked.issuedOn = "2029-01-15T08:00:00Z"
            revoked.revokedAt = Self.now
            try revoked.insert(db)
            var jean = IssuingFixture.award("j-revoked", email: "jean@example.org")
            jean.revokedAt = Self.now
            try jean.insert(db)
            try IssuingFixture.award("other-badge", badge: "annexe-badge", email: "jean@example.org", key: "annexe-k1")
                .insert(db)
        }
        let entries = try await db.compliance(issuerID: "annexe", badgeClassID: "foyer-badge")
        #expect(entries.map(\.person.person.lastName) == ["Martin", "Petit"])
        #expect(entries[0].assertionID == "a-new")
        #expect(entries[0].expires == "2031-01-15T08:00:00Z")
        #expect(entries[1].assertionID == nil)  // revoked, or another badge class
        #expect(try await db.issuerLineage(id: "annexe") == ["annexe", "foyer"])
    }
}
