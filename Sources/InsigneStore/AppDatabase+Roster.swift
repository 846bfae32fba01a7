import Foundation
import GRDB
import OpenBadges

/// A person on a roster with their addresses (main one first).
public struct RosterPerson: Sendable, Equatable {
    public var person: PersonRecord
    public var emails: [String]

    /// Creates a value.
    public init(person: PersonRecord, emails: [String]) {
        self.person = person
        self.emails = emails
    }
}

/// One line of a roster import, already checked: names, addresses (main one first, not yet normalised), external id.
public struct RosterImportRow: Sendable, Equatable {
    public var line: Int
    public var firstName: String
    public var lastName: String
    public var emails: [String]
    public var externalID: String?

    /// Creates a row.
    public init(line: Int, firstName: String, lastName: String, emails: [String], externalID: String?) {
        self.line = line
        self.firstName = firstName
        self.lastName = lastName
        self.emails = emails
        self.externalID = externalID
    }
}

/// What importing one line did.
public enum RosterImportOutcome: Sendable, Equatable {
    case added(personID: String)
    case updated(personID: String)
    case unchanged(personID: String)
    /// The addresses of the line belong to two different people already.
    case conflict(emails: [String])
}

/// What saving one person did.
public enum PersonSaving: Sendable, Equatable {
    case saved(personID: String)
    /// An address already belongs to another person of the establishment (nothing written).
    case emailTaken(String)
    /// No such person in this establishment.
    case notFound
}

/// One person of the compliance view and the award that counts for them, if any (the newest non-revoked one).
public struct ComplianceEntry: Sendable, Equatable {
    public var person: RosterPerson
    public var assertionID: String?
    public var issuedOn: String?
    public var expires: String?
}

extension AppDatabase {
    /// A new person id.
    static func newPersonID() -> String {
        "per_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }

    /// The issuer and its ancestors (parent, grand-parent…), nearest first.
    public func issuerLineage(id: String) async throws -> [String] {
        try await writer.read { db in
            var out: [String] = []
            var next: String? = id
            while let current = next, !out.contains(current),
                let issuer = try IssuerRecord.fetchOne(db, key: current)
            {
                out.append(issuer.id)
                next = issuer.parentID
            }
            return out
        }
    }

    /// Imports roster lines in one transaction: a line whose address (any of them) or external id matches a person
    /// of the establishment updates that person (new names, new addresses added); otherwise a person is added.
    public func importPeople(issuerID: String, rows: [RosterImportRow], now: Date) async throws
        -> [RosterImportOutcome]
    {
        try await writer.write { db in
            try rows.map { row in try Self.importPerson(db, issuerID: issuerID, row: row, now: now) }
        }
    }

    private static func importPerson(_ db: Database, issuerID: String, row: RosterImportRow, now: Date) throws
        -> RosterImportOutcome
    {
        let emails = normalized(row.emails)
        let owners = try String.fetchSet(
            db,
            sql: "SELECT DISTINCT personID FROM personEmail WHERE issuerID = ? AND email IN (\(marks(emails.count)))",
            arguments: StatementArguments([issuerID] + emails))
        var found = owners
        if found.isEmpty, let external = row.externalID {
            found = try String.fetchSet(
                db, sql: "SELECT id FROM person WHERE issuerID = ? AND externalID = ?",
                arguments: [issuerID, external])
        }
        guard found.count <= 1 else { return .conflict(emails: emails) }
        guard let id = found.first, var person = try PersonRecord.fetchOne(db, key: id) else {
            let id = newPersonID()
            try PersonRecord(
                id: id, issuerID: issuerID, firstName: row.firstName, lastName: row.lastName,
                externalID: row.externalID, joinedAt: now, updatedAt: now
            ).insert(db)
            try addEmails(db, personID: id, issuerID: issuerID, emails: emails)
            return .added(personID: id)
        }
        let before = person
        if !row.firstName.isEmpty { person.firstName = row.firstName }
        if !row.lastName.isEmpty { person.lastName = row.lastName }
        if let external = row.externalID { person.externalID = external }
        let known = try Self.emails(db, personID: id)
        let added = try addEmails(db, personID: id, issuerID: issuerID, emails: emails.filter { !known.contains($0) })
        guard person != before || added > 0 else { return .unchanged(personID: id) }
        person.updatedAt = now
        try person.update(db)
        return .updated(personID: id)
    }

    /// Adds addresses after the person's existing ones; returns how many.
    @discardableResult
    private static func addEmails(_ db: Database, personID: String, issuerID: String, emails: [String]) throws -> Int {
        var position =
            try Int.fetchOne(
                db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM personEmail WHERE personID = ?",
                arguments: [personID]) ?? 0
        for e in emails {
            try PersonEmailRecord(personID: personID, issuerID: issuerID, email: e, position: position).insert(db)
            position += 1
        }
        return emails.count
    }

    private static func emails(_ db: Database, personID: String) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT email FROM personEmail WHERE personID = ? ORDER BY position", arguments: [personID])
    }

    /// Normalised, blank and repeated addresses removed, order kept.
    static func normalized(_ emails: [String]) -> [String] {
        var out: [String] = []
        for e in emails.map(EmailNormalization.normalize) where !e.isEmpty && !out.contains(e) { out.append(e) }
        return out
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: max(1, n)).joined(separator: ",") }

    /// A page of the roster (`page` 1-based), present people by name then those who left, with the total;
    /// `search` matches names, external id and addresses.
    public func people(issuerID: String, search: String?, includeLeft: Bool, page: Int, perPage: Int) async throws
        -> (items: [RosterPerson], total: Int)
    {
        var conditions = ["p.issuerID = ?"]
        var arguments: StatementArguments = [issuerID]
        if !includeLeft { conditions.append("p.leftAt IS NULL") }
        if let s = search?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            let like = "%" + s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            conditions.append(
                """
                (p.firstName || ' ' || p.lastName LIKE ? OR p.lastName || ' ' || p.firstName LIKE ? \
                OR p.externalID LIKE ? OR EXISTS (SELECT 1 FROM personEmail e WHERE e.personID = p.id \
                AND e.email LIKE ?))
                """)
            _ = arguments.append(contentsOf: [like, like, like, like.lowercased()])
        }
        let from = "FROM person p WHERE " + conditions.joined(separator: " AND ")
        let perPage = max(1, perPage)
        let offset = max(0, page - 1) * perPage
        return try await writer.read { [arguments] db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)", arguments: arguments)
            let people = try PersonRecord.fetchAll(
                db,
                sql: """
                    SELECT p.* \(from) ORDER BY p.leftAt IS NOT NULL, p.lastName COLLATE NOCASE, \
                    p.firstName COLLATE NOCASE, p.id LIMIT ? OFFSET ?
                    """,
                arguments: arguments + [perPage, offset])
            return (try Self.withEmails(db, people), total ?? 0)
        }
    }

    /// The people with their addresses.
    private static func withEmails(_ db: Database, _ people: [PersonRecord]) throws -> [RosterPerson] {
        guard !people.isEmpty else { return [] }
        var byPerson: [String: [String]] = [:]
        for chunk in stride(from: 0, to: people.count, by: 500) {
            let ids = people[chunk..<min(chunk + 500, people.count)].map(\.id)
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT personID, email FROM personEmail WHERE personID IN (\(marks(ids.count))) "
                    + "ORDER BY position",
                arguments: StatementArguments(ids))
            for r in rows { byPerson[r["personID"], default: []].append(r["email"]) }
        }
        return people.map { RosterPerson(person: $0, emails: byPerson[$0.id] ?? []) }
    }

    /// A person of the establishment with their addresses.
    public func person(id: String, issuerID: String) async throws -> RosterPerson? {
        try await writer.read { db in
            guard let p = try PersonRecord.fetchOne(db, key: id), p.issuerID == issuerID else { return nil }
            return RosterPerson(person: p, emails: try Self.emails(db, personID: id))
        }
    }

    /// Adds a person (`person.id` ignored) or, when `id` names one of the establishment, replaces their names,
    /// external id and addresses; one transaction, nothing written when an address is another person's.
    public func savePerson(id: String?, _ person: PersonRecord, emails: [String], now: Date) async throws
        -> PersonSaving
    {
        let emails = Self.normalized(emails)
        return try await writer.write { db in
            var record = person
            if let id {
                guard let old = try PersonRecord.fetchOne(db, key: id), old.issuerID == person.issuerID else {
                    return .notFound
                }
                record = old
                record.firstName = person.firstName
                record.lastName = person.lastName
                record.externalID = person.externalID
            } else {
                record.id = Self.newPersonID()
                record.joinedAt = now
            }
            record.updatedAt = now
            let owners = try Row.fetchAll(
                db,
                sql:
                    "SELECT personID, email FROM personEmail WHERE issuerID = ? AND email IN (\(Self.marks(emails.count)))",
                arguments: StatementArguments([person.issuerID] + emails))
            if let taken = owners.first(where: { ($0["personID"] as String) != record.id }) {
                return .emailTaken(taken["email"])
            }
            try record.save(db)
            try db.execute(sql: "DELETE FROM personEmail WHERE personID = ?", arguments: [record.id])
            try Self.addEmails(db, personID: record.id, issuerID: record.issuerID, emails: emails)
            return .saved(personID: record.id)
        }
    }

    /// Marks a person of the establishment as gone (`leftAt`) or back (nil); false when there is no such person.
    public func setPersonLeft(id: String, issuerID: String, leftAt: Date?, now: Date) async throws -> Bool {
        try await writer.write { db in
            guard var p = try PersonRecord.fetchOne(db, key: id), p.issuerID == issuerID else { return false }
            p.leftAt = leftAt
            p.updatedAt = now
            try p.update(db)
            return true
        }
    }

    /// Everyone present on the roster (by name) with the award that counts for one badge class: the newest
    /// non-revoked award whose recipient is one of the person's addresses. Three reads of the establishment's
    /// index ranges, whatever the number of awards: its present people (`person_roster`), its addresses
    /// (`personEmail_roster`, covering) and, for each address, the badge class's awards to it
    /// (`assertion_compliance`, covering: no award row is read).
    public func compliance(issuerID: String, badgeClassID: String) async throws -> [ComplianceEntry] {
        try await writer.read { db in
            let people = try PersonRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM person WHERE issuerID = ? AND leftAt IS NULL \
                    ORDER BY lastName COLLATE NOCASE, firstName COLLATE NOCASE, id
                    """, arguments: [issuerID])
            var emails: [String: [String]] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT personID, email FROM personEmail INDEXED BY personEmail_roster WHERE issuerID = ? \
                    ORDER BY personID, position
                    """, arguments: [issuerID])
            {
                emails[r[0], default: []].append(r[1])
            }
            // Per person the newest award: issue date, then creation time.
            var counting: [String: (id: String, issuedOn: String, createdAt: String, expires: String?)] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.personID, a.id, a.issuedOn, a.createdAt, a.expires \
                    FROM personEmail e INDEXED BY personEmail_roster \
                    CROSS JOIN assertion a INDEXED BY assertion_compliance \
                    WHERE e.issuerID = ? AND a.badgeClassID = ? AND a.recipientEmail = e.email AND a.revokedAt IS NULL
                    """, arguments: [issuerID, badgeClassID])
            {
                let award = (
                    id: r[1] as String, issuedOn: r[2] as String, createdAt: r[3] as String, expires: r[4] as String?
                )
                if let held = counting[r[0]], (held.issuedOn, held.createdAt) >= (award.issuedOn, award.createdAt) {
                    continue
                }
                counting[r[0]] = award
            }
            return people.map { p in
                let award = counting[p.id]
                return ComplianceEntry(
                    person: RosterPerson(person: p, emails: emails[p.id] ?? []), assertionID: award?.id,
                    issuedOn: award?.issuedOn, expires: award?.expires)
            }
        }
    }
}

// MARK: - Personal data

extension AppDatabase {
    /// The roster entries of every establishment holding one of these addresses, with the establishment's name
    /// (a learner's personal-data export).
    public func rosterEntries(emails: [String]) async throws -> [(issuerName: String, person: RosterPerson)] {
        let emails = Self.normalized(emails)
        guard !emails.isEmpty else { return [] }
        return try await writer.read { db in
            let people = try PersonRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM person WHERE id IN (SELECT personID FROM personEmail \
                    WHERE email IN (\(Self.marks(emails.count)))) ORDER BY joinedAt, id
                    """, arguments: StatementArguments(emails))
            return try Self.withEmails(db, people).map { p in
                (try IssuerRecord.fetchOne(db, key: p.person.issuerID)?.name ?? p.person.issuerID, p)
            }
        }
    }

    /// The roster part of a learner's erasure: the people of every roster holding one of these addresses go, with
    /// all their addresses. Returns how many.
    static func eraseRosterData(emails: [String], _ db: Database) throws -> Int {
        let emails = normalized(emails)
        guard !emails.isEmpty else { return 0 }
        try db.execute(
            sql:
                "DELETE FROM person WHERE id IN (SELECT personID FROM personEmail WHERE email IN (\(marks(emails.count))))",
            arguments: StatementArguments(emails))
        return db.changesCount
    }
}
