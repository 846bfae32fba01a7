import CSVText
import Foundation
import InsigneStore
import OpenBadges

/// The roster of an establishment (issue 14 point 4): people expected to hold its badges, imported from CSV
/// (`RosterCSVReader`) by address — an existing person gets the line's data, a new one is added — or edited one
/// by one; people who leave are kept but no longer counted.
struct Roster: Sendable {
    let db: AppDatabase

    /// What became of one line of an import.
    enum Status: String, Sendable { case added, updated, unchanged, refused }

    /// One line of the import report.
    struct LineResult: Sendable {
        var line: Int
        var email: String
        var status: Status
        var personID: String?
        var problem: ServiceError?
    }

    /// The import report: every line, and how the file was read.
    struct ImportReport: Sendable {
        var lines: [LineResult]
        var summary: (fr: String, en: String)
        func count(_ status: Status) -> Int { lines.count { $0.status == status } }
    }

    /// Imports a roster CSV into `issuerID`'s roster in one transaction; a malformed file throws (nothing written),
    /// a refused line is reported and the others imported.
    func importCSV(_ bytes: [UInt8], encoding: CSVTextEncoding = .automatic, issuerID: String, now: Date)
        async throws -> ImportReport
    {
        let read: (lines: [RosterCSVReader.Line], summary: (fr: String, en: String))
        do {
            read = try RosterCSVReader.read(bytes, encoding: encoding)
        } catch {
            // A file that cannot be read is 422 (413 when too large): the request itself was well formed.
            var e = error.serviceError
            if e.kind == .invalid { e.kind = .unprocessable }
            throw e
        }
        guard !read.lines.isEmpty else {
            throw ServiceError(
                .unprocessable, field: "csv", fr: "le fichier ne contient aucune ligne", en: "the file has no rows")
        }
        let rows = read.lines.compactMap(\.row)
        var outcomes = try await db.importPeople(issuerID: issuerID, rows: rows, now: now).makeIterator()
        let results: [LineResult] = read.lines.map { line in
            guard line.row != nil, let outcome = outcomes.next() else {
                return LineResult(line: line.line, email: line.email, status: .refused, problem: line.problem)
            }
            switch outcome {
            case .added(let id): return LineResult(line: line.line, email: line.email, status: .added, personID: id)
            case .updated(let id):
                return LineResult(line: line.line, email: line.email, status: .updated, personID: id)
            case .unchanged(let id):
                return LineResult(line: line.line, email: line.email, status: .unchanged, personID: id)
            case .conflict(let emails):
                return LineResult(
                    line: line.line, email: line.email, status: .refused,
                    problem: Validation.invalid(
                        "email",
                        fr:
                            "ces adresses appartiennent à deux personnes différentes : \(emails.joined(separator: ", "))",
                        en: "these addresses belong to two different people: \(emails.joined(separator: ", "))"))
            }
        }
        return ImportReport(lines: results, summary: read.summary)
    }

    /// The report as the API returns it: counts, then one entry per line.
    static func json(_ r: ImportReport) -> JSONValue {
        let rows: [JSONValue] = r.lines.map { l in
            var o: [String: JSONValue] = [
                "line": .number(Double(l.line)), "email": .string(l.email), "status": .string(l.status.rawValue),
            ]
            if let id = l.personID { o["personId"] = .string(id) }
            if let p = l.problem { o["error"] = ["fr": .string(p.messageFR), "en": .string(p.messageEN)] }
            return .object(o)
        }
        return [
            "added": .number(Double(r.count(.added))), "updated": .number(Double(r.count(.updated))),
            "unchanged": .number(Double(r.count(.unchanged))), "refused": .number(Double(r.count(.refused))),
            "read": ["fr": .string(r.summary.fr), "en": .string(r.summary.en)], "rows": .array(rows),
        ]
    }

    /// A person as the API lists them.
    static func json(_ p: RosterPerson) -> JSONValue {
        [
            "id": .string(p.person.id), "firstName": .string(p.person.firstName),
            "lastName": .string(p.person.lastName), "externalId": p.person.externalID.map(JSONValue.string) ?? .null,
            "emails": .array(p.emails.map(JSONValue.string)),
            "joinedAt": .string(DateTimeValue(p.person.joinedAt).text),
            "leftAt": p.person.leftAt.map { .string(DateTimeValue($0).text) } ?? .null,
        ]
    }
}
