import Foundation
import InsigneStore
import OpenBadges

/// The compliance view of an establishment for one badge class (issue 14 point 5): everyone present on the roster
/// with the state of the award that counts for them (the newest non-revoked award to one of their addresses), the
/// counts per state, and the JSON and CSV exports. Computed at an instant given by the caller (`now`): the pages and
/// the API pass the clock, tests their own date.
struct Compliance: Sendable {
    let db: AppDatabase

    /// The state of one person.
    enum State: String, Sendable, CaseIterable {
        case valid, expiringSoon, expired, missing

        /// « à jour », « expire bientôt », « expiré », « jamais obtenu ».
        var label: LocalizedText {
            switch self {
            case .valid: LocalizedText(fr: "à jour", en: "up to date")
            case .expiringSoon: LocalizedText(fr: "expire bientôt", en: "expiring soon")
            case .expired: LocalizedText(fr: "expiré", en: "expired")
            case .missing: LocalizedText(fr: "jamais obtenu", en: "never obtained")
            }
        }
    }

    /// One person of the report.
    struct Person: Sendable {
        var personID: String
        var firstName: String
        var lastName: String
        var email: String
        var state: State
        var assertionID: String?
        var issuedOn: String?
        var expires: String?
        var name: String { [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ") }
    }

    /// The whole view.
    struct Report: Sendable {
        var issuer: IssuerRecord
        var badge: BadgeClassRecord
        var at: Date
        var windowDays: Int
        var people: [Person]
        func count(_ state: State) -> Int { people.count { $0.state == state } }
    }

    /// The first reminder window of a badge class, in days: « expire bientôt » within it. The badge class's largest
    /// reminder threshold (`reminderDays`, 90 by default); 90 too when the badge class sends no reminder.
    static func reminderWindowDays(_ badge: BadgeClassRecord) -> Int { badge.reminderDays.max() ?? 90 }

    /// The state of an award at `now`: none is `missing`; an award without expiry is `valid`; expired from its
    /// `expires` instant on; `expiringSoon` when it expires within `windowDays` days (the boundary included).
    static func state(hasAward: Bool, expires: Date?, now: Date, windowDays: Int) -> State {
        guard hasAward else { return .missing }
        guard let expires else { return .valid }
        if expires <= now { return .expired }
        return expires.timeIntervalSince(now) <= Double(windowDays) * 86_400 ? .expiringSoon : .valid
    }

    /// The badge classes the establishment's roster can be held against: its own and its ancestors' (the demo's
    /// Bientraitance belongs to the parent organisation), by issuer then name.
    func badgeClasses(issuerID: String) async throws -> [BadgeClassRecord] {
        var out: [BadgeClassRecord] = []
        for id in try await db.issuerLineage(id: issuerID) {
            out += try await db.badgeClasses(issuerID: id).sorted { $0.name < $1.name }
        }
        return out
    }

    /// The view of `issuerID`'s roster for `badgeID` at `now` (404 for an unknown issuer, or a badge class that is
    /// neither the establishment's nor one of its ancestors').
    func report(issuerID: String, badgeID: String, now: Date) async throws -> Report {
        guard let issuer = try await db.issuer(id: issuerID) else {
            throw ServiceError.notFound("Émetteur / issuer", issuerID)
        }
        guard let badge = try await badgeClasses(issuerID: issuerID).first(where: { $0.id == badgeID }) else {
            throw ServiceError(
                .notFound, field: "badge",
                fr: "classe de badge « \(badgeID) » introuvable pour « \(issuer.name) » ni ses organisations parentes",
                en: "badge class \"\(badgeID)\" not found for \"\(issuer.name)\" or its parent organisations")
        }
        let window = Self.reminderWindowDays(badge)
        let people = try await db.compliance(issuerID: issuerID, badgeClassID: badge.id).map { e in
            Person(
                personID: e.person.person.id, firstName: e.person.person.firstName,
                lastName: e.person.person.lastName, email: e.person.emails.first ?? "",
                state: Self.state(
                    hasAward: e.assertionID != nil, expires: e.expires.flatMap { DateTimeValue($0)?.date }, now: now,
                    windowDays: window),
                assertionID: e.assertionID, issuedOn: e.issuedOn, expires: e.expires)
        }
        return Report(issuer: issuer, badge: badge, at: now, windowDays: window, people: people)
    }

    // MARK: - Exports

    /// The JSON export: `{"issuer","badge","at","counts":{…},"people":[{"name","email","state","expires",
    /// "issuedOn","assertionId"}]}`.
    static func json(_ r: Report, urls: PublicURLs) -> JSONValue {
        var counts: [String: JSONValue] = [:]
        for s in State.allCases { counts[s.rawValue] = .number(Double(r.count(s))) }
        let people: [JSONValue] = r.people.map { p in
            [
                "name": .string(p.name), "firstName": .string(p.firstName), "lastName": .string(p.lastName),
                "email": .string(p.email), "state": .string(p.state.rawValue),
                "expires": p.expires.map(JSONValue.string) ?? .null,
                "issuedOn": p.issuedOn.map(JSONValue.string) ?? .null,
                "assertionId": p.assertionID.map(JSONValue.string) ?? .null,
            ]
        }
        return [
            "issuer": .string(r.issuer.id), "badge": .string(r.badge.id), "badgeName": .string(r.badge.name),
            "at": .string(DateTimeValue(r.at).text), "windowDays": .number(Double(r.windowDays)),
            "counts": .object(counts), "people": .array(people),
        ]
    }

    /// The CSV export for Excel: UTF-8 with BOM, `;` separated, CRLF, French headers
    /// `Nom;Prénom;Courriel;État;Obtenu le;Expire le`, dates as `JJ/MM/AAAA` in Paris, every cell formula-safe.
    static func csv(_ r: Report) -> [UInt8] {
        var lines = ["Nom;Prénom;Courriel;État;Obtenu le;Expire le"]
        for p in r.people {
            let cells = [
                p.lastName, p.firstName, p.email, p.state.label.fr, day(p.issuedOn) ?? "", day(p.expires) ?? "",
            ]
            lines.append(cells.map(cell).joined(separator: ";"))
        }
        return [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// A CSV cell: a text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets
    /// a leading `'`; quoted when it holds `;`, `"` or a line break.
    static func cell(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { t = "'" + t }
        guard t.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An OB date as `JJ/MM/AAAA` in Paris.
    static func day(_ text: String?) -> String? {
        guard let text, let d = DateTimeValue(text)?.date else { return text }
        let c = HumanDate.calendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)
    }
}
