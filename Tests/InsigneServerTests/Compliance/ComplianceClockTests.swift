import Foundation
import HTTPTypes
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

/// A clock the test moves: `ServerServices.clock` reads it on every request.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func set(_ date: Date) { lock.withLock { current = date } }
}

/// Issue 14 point 6: three years of one establishment's Bientraitance (P3Y) through the real route table, with an
/// injected clock. The roster is imported from a Moodle CSV, awards are issued on the clock's dates, and at every
/// step the page, its CSV download, the JSON export and the API's CSV export say the same thing.
@Suite("Compliance across three years with an injected clock")
struct ComplianceClockTests {
    static let start = DateTimeValue("2027-03-01T08:00:00Z")!.date
    static let day = 86_400.0
    static let page = "/trainer/issuers/foyers-la-maison/compliance?badge=bientraitance"
    static let api = "/api/v1/issuers/foyers-la-maison/compliance?badge=bientraitance"
    static let apiCSV = "/api/v1/issuers/foyers-la-maison/compliance.csv?badge=bientraitance"
    static let people = "/trainer/issuers/foyers-la-maison/people"
    static let roster =
        "username,firstname,lastname,email,city\r\n"
        + "amartin,Alice,Martin,alice@foyers.example,Lyon\r\n"
        + "bpetit,Bruno,Petit,bruno@foyers.example,Lyon\r\n"
        + "cdurand,Chloé,Durand,chloe@foyers.example,Lyon\r\n"
        + "droux,Denis,Roux,denis@foyers.example,Lyon\r\n"
        + "eblanc,Emma,Blanc,emma@foyers.example,Lyon\r\n"
        + "fnasser,Farid,Nasser,farid@foyers.example,Lyon\r\n"

    /// What one step of the three years shows: the state of each person present, by their first address.
    typealias States = [String: String]

    /// The page (rows and counts), its CSV download, the JSON export and the API's CSV export at the clock's
    /// instant: all four must agree; returns the states, with the JSON's `expires` of each person.
    static func look(_ browser: WebBrowser) async throws -> (states: States, expires: [String: String]) {
        let api = APIClient(client: browser.client)
        let json = try await api.get(Self.api)
        #expect(json.status == .ok, "\(json.text)")
        var states: States = [:]
        var expires: [String: String] = [:]
        for p in json.json["people"]?.arrayValue ?? [] {
            let email = p["email"]?.stringValue ?? ""
            states[email] = p["state"]?.stringValue
            expires[email] = p["expires"]?.stringValue
        }
        for s in Compliance.State.allCases {
            #expect(json.json["counts"]?[s.rawValue]?.numberValue == Double(states.values.count { $0 == s.rawValue }))
        }
        let csv = try await api.get(Self.apiCSV)
        #expect(csv.status == .ok)
        let pageCSV = try await browser.get(Self.page.replacingOccurrences(of: "compliance?", with: "compliance.csv?"))
        #expect(pageCSV.body == csv.text, "the page's download is the API's CSV")
        var fromCSV: States = [:]
        for line in csv.text.split(separator: "\r\n").dropFirst() {
            let cells = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let state = Compliance.State.allCases.first { $0.label.fr == cells[3] }
            fromCSV[cells[2]] = state?.rawValue
            #expect(cells[5] == (Compliance.day(expires[cells[2]]) ?? ""), "CSV expiry of \(cells[2])")
        }
        #expect(fromCSV == states, "CSV export and JSON export")
        let html = try await browser.get(Self.page)
        #expect(html.status == .ok)
        var fromPage: States = [:]
        let row = try Regex(#"<td class="break">([^<]+)</td>\s*<td><span class="tag state-(\w+)">"#)
        for m in html.body.matches(of: row) {
            fromPage[String(m.output[1].substring ?? "")] = String(m.output[2].substring ?? "")
        }
        #expect(fromPage == states, "page and JSON export")
        for s in Compliance.State.allCases {
            let n = states.values.count { $0 == s.rawValue }
            #expect(
                html.body.contains(
                    "<span class=\"tag state-\(s.rawValue)\">\(s.label.fr)</span> <strong>\(n)</strong></a>"))
        }
        return (states, expires)
    }

    /// The states expected, from a compact description (`valid: [alice]`…), addresses at `foyers.example`.
    static func expect(
        _ states: States, valid: [String] = [], soon: [String] = [], expired: [String] = [], missing: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var want: States = [:]
        for (names, s) in [(valid, "valid"), (soon, "expiringSoon"), (expired, "expired"), (missing, "missing")] {
            for n in names { want["\(n)@foyers.example"] = s }
        }
        #expect(states == want, sourceLocation: sourceLocation)
    }

    /// Awards Bientraitance to `email` on the clock's date (the issuing service takes the issue date).
    static func award(_ services: ServerServices, _ email: String, at: Date) async throws -> AssertionRecord {
        var request = AwardRequest(badgeClassID: "bientraitance", recipientEmail: email)
        request.issuedOn = at
        return try await services.issuing.award(request, actor: "admin").record
    }

    @Test func threeYearsOfBientraitance() async throws {
        let clock = MovableClock(Self.start)
        var configured = try await APIHarness.make().services
        configured.clock = { clock.now }
        let services = configured
        let h = WebHarness(services: services)
        try await h.addStaff(login: "trainer-foyers", password: "foyers password", issuerID: "foyers-la-maison")
        #expect(try await services.db.badgeClass(id: "bientraitance")?.validity == "P3Y")
        try await h.run { browser in
            let api = APIClient(client: browser.client)
            try await browser.signIn("trainer-foyers", "foyers password")
            let imported = try await api.post(
                "/api/v1/issuers/foyers-la-maison/people", raw: Self.roster, contentType: "text/csv")
            #expect(imported.json["added"]?.numberValue == 6, "\(imported.text)")
            Self.expect(
                try await Self.look(browser).states, missing: ["alice", "bruno", "chloe", "denis", "emma", "farid"])

            // Year 1: Alice at the start, Bruno 100 days later, Emma at her personal address (not on the roster).
            let alice = try await Self.award(services, "alice@foyers.example", at: clock.now)
            #expect(alice.expires?.hasPrefix("2030-03-01") == true, "P3Y: \(alice.expires ?? "")")
            clock.set(Self.start.addingTimeInterval(100 * Self.day))
            let bruno = try await Self.award(services, "bruno@foyers.example", at: clock.now)
            _ = try await Self.award(services, "emma.perso@example.org", at: clock.now)
            Self.expect(
                try await Self.look(browser).states, valid: ["alice", "bruno"],
                missing: ["chloe", "denis", "emma", "farid"])

            // A new address makes Emma's award count; Denis leaves and stops counting.
            clock.set(Self.start.addingTimeInterval(120 * Self.day))
            let emma = try #require(
                try await services.db.people(
                    issuerID: "foyers-la-maison", search: "emma", includeLeft: false, page: 1, perPage: 5
                ).items.first)
            _ = try await browser.get(Self.people + "/\(emma.person.id)")
            let saved = try await browser.post(
                Self.people + "/\(emma.person.id)",
                [
                    ("firstName", "Emma"), ("lastName", "Blanc"),
                    ("emails", "emma@foyers.example\nemma.perso@example.org"), ("externalID", "eblanc"),
                ])
            #expect(saved.status == .seeOther, "\(saved.body)")
            let denis = try #require(
                try await services.db.people(
                    issuerID: "foyers-la-maison", search: "denis", includeLeft: false, page: 1, perPage: 5
                ).items.first)
            _ = try await browser.get(Self.people)
            #expect(
                try await browser.post(Self.people + "/\(denis.person.id)/left", [("action", "left")]).status
                    == .seeOther)
            let (states, expires) = try await Self.look(browser)
            Self.expect(states, valid: ["alice", "bruno", "emma"], missing: ["chloe", "farid"])
            #expect(expires["emma@foyers.example"] == bruno.expires)

            // Year 2: Chloé.
            clock.set(Self.start.addingTimeInterval(400 * Self.day))
            _ = try await Self.award(services, "chloe@foyers.example", at: clock.now)
            Self.expect(
                try await Self.look(browser).states, valid: ["alice", "bruno", "chloe", "emma"], missing: ["farid"])

            try await Self.boundaries(browser, clock, services, alice: alice, bruno: bruno)
        }
    }

    /// Year 3 and after: Alice's exact boundaries (90 days before expiry, expiry), her renewal, Bruno and Emma
    /// expiring, and a larger first reminder threshold widening « expire bientôt ».
    static func boundaries(
        _ browser: WebBrowser, _ clock: MovableClock, _ services: ServerServices, alice: AssertionRecord,
        bruno: AssertionRecord
    ) async throws {
        let aliceEnd = try #require(alice.expires.flatMap { DateTimeValue($0)?.date })
        let brunoEnd = try #require(bruno.expires.flatMap { DateTimeValue($0)?.date })
        clock.set(aliceEnd.addingTimeInterval(-90 * day - 1))
        expect(try await look(browser).states, valid: ["alice", "bruno", "chloe", "emma"], missing: ["farid"])
        clock.set(aliceEnd.addingTimeInterval(-90 * day))
        expect(
            try await look(browser).states, valid: ["bruno", "chloe", "emma"], soon: ["alice"], missing: ["farid"])
        clock.set(aliceEnd.addingTimeInterval(-1))
        expect(
            try await look(browser).states, valid: ["bruno", "chloe", "emma"], soon: ["alice"], missing: ["farid"])
        clock.set(aliceEnd)
        expect(
            try await look(browser).states, valid: ["bruno", "chloe", "emma"], expired: ["alice"], missing: ["farid"])

        // Renewed through the API 30 days after it expired (issued on the clock's date): Alice is back « à jour »
        // until three years after the renewal.
        clock.set(aliceEnd.addingTimeInterval(30 * day))
        let api = APIClient(client: browser.client)
        let renewed = try await api.post("/api/v1/assertions/\(alice.id)/renew", raw: "")
        #expect(renewed.status == .created, "\(renewed.text)")
        let renewalID = try #require(try await services.db.assertion(id: alice.id)?.renewedBy)
        let renewal = try #require(try await services.db.assertion(id: renewalID))
        #expect(renewal.renewalOf == alice.id)
        #expect(renewal.issuedOn == DateTimeValue(clock.now).text)
        let (states, expires) = try await look(browser)
        expect(states, valid: ["alice", "chloe"], soon: ["bruno", "emma"], missing: ["farid"])
        #expect(expires["alice@foyers.example"] == renewal.expires)
        #expect(renewal.expires?.hasPrefix("2033-03-31") == true, "\(renewal.expires ?? "")")

        clock.set(brunoEnd)
        expect(
            try await look(browser).states, valid: ["alice", "chloe"], expired: ["bruno", "emma"], missing: ["farid"])

        // Chloé (awarded on day 400) is 100 days from expiry: « à jour » with the 90-day window, « expire bientôt »
        // once Bientraitance reminds 120 days before.
        clock.set(aliceEnd.addingTimeInterval(300 * day))
        expect(
            try await look(browser).states, valid: ["alice", "chloe"], expired: ["bruno", "emma"], missing: ["farid"])
        let patched = try await api.call(
            .patch, "/api/v1/badges/bientraitance", body: Array(#"{"reminders":[120,30,7]}"#.utf8))
        #expect(patched.status == .ok, "\(patched.text)")
        expect(
            try await look(browser).states, valid: ["alice"], soon: ["chloe"], expired: ["bruno", "emma"],
            missing: ["farid"])
        #expect(try await api.get(Self.api).json["windowDays"]?.numberValue == 120)
    }
}
