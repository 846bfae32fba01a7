import Foundation
import GRDB
import HTTPTypes
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Validity on badge classes (API) and renewal (`POST /api/v1/assertions/{id}/renew`), with injected issue dates
/// across a three-year span.
@Suite("Validity and renewal: service and API")
struct RenewalAPITests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let key = HTTPField.Name("Idempotency-Key")!

    /// The French and English details of a problem document.
    static func details(_ r: APIResponse) -> String {
        (r.json["i18n"]?["fr"]?["detail"]?.stringValue ?? "") + "\n"
            + (r.json["i18n"]?["en"]?["detail"]?.stringValue ?? "")
    }

    /// The instant `years` years and `days` days before now (UTC calendar), as an OB date.
    static func ago(years: Int = 0, days: Int = 0) -> String {
        let c = Validity.calendar
        let d = c.date(byAdding: .day, value: -days, to: c.date(byAdding: .year, value: -years, to: Date())!)!
        return DateTimeValue(d).text
    }

    /// An award of the demo badge class issued at `issuedOn`.
    static func award(_ h: APIHarness, _ email: String, issuedOn: String, expires: Date? = nil) async throws
        -> AssertionRecord
    {
        var r = AwardRequest(badgeClassID: "bientraitance", recipientEmail: email, expires: expires)
        r.issuedOn = date(issuedOn)
        return try await h.services.issuing.award(r, actor: "admin").record
    }

    @Test func awardsExpireAfterTheValidityUnlessTheyGiveTheirOwnDate() async throws {
        let h = try await APIHarness.make()
        // The demo badge class is a three-year refresher.
        #expect(try await h.services.db.badgeClass(id: "bientraitance")?.validity == "P3Y")
        let a = try await Self.award(h, "lea@example.org", issuedOn: "2026-12-07T10:00:00Z")
        #expect(a.issuedOn == "2026-12-07T10:00:00Z")
        #expect(a.expires == "2029-12-07T10:00:00Z")
        let own = try await Self.award(
            h, "max@example.org", issuedOn: "2026-12-07T10:00:00Z", expires: Self.date("2099-06-30T21:59:59Z"))
        #expect(own.expires == "2099-06-30T21:59:59Z")
        // The signed document says the same.
        let report = await h.services.verifier.verify(
            .text(a.jws), options: .init(now: Self.date("2027-01-01T00:00:00Z")))
        #expect(report.isValid)
        #expect(report.assertion?.expires == "2029-12-07T10:00:00Z")
        let later = await h.services.verifier.verify(
            .text(a.jws), options: .init(now: Self.date("2029-12-08T00:00:00Z")))
        #expect(later.outcome == .expired)
    }

    @Test func validityOnBadgeClassesThroughTheAPI() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let before = try await Self.award(h, "old@example.org", issuedOn: "2026-12-07T10:00:00Z")
            let get = try await api.get("/api/v1/badges/bientraitance")
            #expect(get.json["validity"]?.stringValue == "P3Y")
            #expect(get.json["reminders"] == [90, 30, 7])
            let patch = try await api.call(
                .patch, "/api/v1/badges/bientraitance",
                body: (["validity": "p18m", "reminders": [7, 60]] as JSONValue).encoded())
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(patch.json["validity"]?.stringValue == "P18M")
            #expect(patch.json["reminders"] == [60, 7])
            // Old awards keep their date; new ones get the new validity.
            #expect(try await h.services.db.assertion(id: before.id)?.expires == "2029-12-07T10:00:00Z")
            let after = try await Self.award(h, "new@example.org", issuedOn: "2026-12-07T10:00:00Z")
            #expect(after.expires == "2028-06-07T10:00:00Z")
            let audit = try await h.services.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT detail FROM auditEvent WHERE action = 'badge.update' AND subject = 'bientraitance'"
                )
            }
            #expect(audit.contains { $0.contains("validity") && $0.contains("reminders") })
            for (body, fragment) in [
                (["validity": "PT12H"] as JSONValue, "pas en heures"), (["validity": "3 ans"], "P3Y (3 ans)"),
                (["reminders": [0]], "rappels"), (["reminders": ["90"]], "reminders[0]"), (["validity": 3], "validity"),
            ] {
                let bad = try await api.call(.patch, "/api/v1/badges/bientraitance", body: body.encoded())
                #expect(bad.status == .badRequest, "\(body)")
                #expect(bad.isBilingualProblem)
                #expect(Self.details(bad).contains(fragment), "\(bad.text)")
            }
            let removed = try await api.call(
                .patch, "/api/v1/badges/bientraitance", body: (["validity": .null] as JSONValue).encoded())
            #expect(removed.json["validity"] == .null)
            let none = try await Self.award(h, "none@example.org", issuedOn: "2026-12-07T10:00:00Z")
            #expect(none.expires == nil)
            // Creation: validity and reminders (defaults when absent).
            let png = "data:image/png;base64," + Data(try DemoBadgeArt.png()).base64EncodedString()
            let created = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: [
                    "name": "Hygiène", "description": "d", "criteria": "c", "image": .string(png), "validity": "P2Y",
                ])
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["validity"]?.stringValue == "P2Y")
            #expect(created.json["reminders"] == [90, 30, 7])
            let refused = try await api.post(
                "/api/v1/issuers/mutuelle-vivre-ensemble/badges",
                json: [
                    "name": "Gestes", "description": "d", "criteria": "c", "image": .string(png), "validity": "PT1H",
                ])
            #expect(refused.status == .badRequest)
        }
    }

    @Test func renewLinksBothWaysAndKeepsTheEarlierAward() async throws {
        let h = try await APIHarness.make()
        let first = try await Self.award(h, "Lea.Martin@example.org", issuedOn: Self.ago(years: 3, days: 7))
        #expect(first.expires.flatMap { DateTimeValue($0)?.date }.map { $0 < Date() } == true)  // expired a week ago
        try await h.run { api in
            let r = try await api.post(
                "/api/v1/assertions/\(first.id)/renew",
                json: ["narrative": "Session de rappel", "evidence": ["https://lms.example.org/rappel/1"]])
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"]?.stringValue)
            #expect(id != first.id)
            #expect(r.json["renewalOf"]?.stringValue == first.id)
            #expect(r.json["recipient"]?["email"]?.stringValue == "lea.martin@example.org")
            #expect(r.json["narrative"]?.stringValue == "Session de rappel")
            #expect(r.json["jws"]?.stringValue?.isEmpty == false)
            #expect(r.headers[.location] == "\(APIHarness.base)/assertions/\(id)")
            let renewal = try #require(try await h.services.db.assertion(id: id))
            #expect(renewal.recipientSalt != first.recipientSalt)
            #expect(renewal.recipientIdentity != first.recipientIdentity)
            let issued = try #require(DateTimeValue(renewal.issuedOn)?.date)
            #expect(abs(issued.timeIntervalSinceNow) < 120)
            #expect(renewal.expires == DateTimeValue(try Validity("P3Y").expiry(from: issued)).text)
            // The earlier award is linked, not revoked.
            let old = try await api.get("/api/v1/assertions/\(first.id)")
            #expect(old.json["renewedBy"]?.stringValue == id)
            #expect(old.json["revoked"] == false)
            // The renewed award is a valid OB 2.0 badge for the same address.
            let report = await h.services.verifier.verify(
                .text(renewal.jws),
                options: .init(now: Date(), recipient: .init(type: "email", value: "lea.martin@example.org")))
            #expect(report.isValid, "\(report.outcome)")
            // Renewing the earlier award again: 409 naming the newest.
            let twice = try await api.post("/api/v1/assertions/\(first.id)/renew", json: [:])
            #expect(twice.status == .conflict)
            #expect(twice.isBilingualProblem)
            #expect(Self.details(twice).contains("/assertions/\(id)"))
            // The newest renews, once per Idempotency-Key.
            let again = try await api.call(
                .post, "/api/v1/assertions/\(id)/renew", headers: [Self.key: "k-1"], body: nil)
            #expect(again.status == .created, "\(again.text)")
            let retry = try await api.call(
                .post, "/api/v1/assertions/\(id)/renew", headers: [Self.key: "k-1"], body: nil)
            #expect(retry.status == .ok)
            #expect(retry.json["id"] == again.json["id"])
            let chain = try await h.services.issuing.renewalHistory(
                of: try #require(try await h.services.db.assertion(id: again.json["id"]?.stringValue ?? "")))
            #expect(chain.map(\.id) == [id, first.id])
        }
    }

    @Test func renewRefusals() async throws {
        let h = try await APIHarness.make()
        let a = try await Self.award(h, "paul@example.org", issuedOn: Self.ago(years: 1))
        try await h.run { api in
            #expect(try await api.post("/api/v1/assertions/nope/renew", json: [:]).status == .notFound)
            let extra = try await api.post("/api/v1/assertions/\(a.id)/renew", json: ["recipient": ["email": "x@y.z"]])
            #expect(extra.status == .badRequest)
            #expect(try await api.post("/api/v1/assertions/\(a.id)/renew", json: []).status == .badRequest)
            #expect(
                try await api.post("/api/v1/assertions/\(a.id)/renew", raw: "a=b", contentType: "text/plain").status
                    == .unsupportedMediaType)
            // Another issuer's staff.
            let other = try await api.post(
                "/api/v1/assertions/\(a.id)/renew", json: [:], token: APIHarness.staffToken)
            #expect(other.status == .forbidden)
            _ = try await h.services.issuing.revoke(assertionID: a.id, reason: "Erreur", actor: "admin")
            let revoked = try await api.post("/api/v1/assertions/\(a.id)/renew", json: [:])
            #expect(revoked.status == .conflict)
            #expect(Self.details(revoked).contains("révoqué"))
            #expect(try await h.assertionCount() == 1)
        }
    }

    /// A CSV row for someone holding an expired or expiring award of the badge class renews it (linked).
    @Test func bulkRenewal() async throws {
        let h = try await APIHarness.make()
        // P3Y: expired 17 days ago; expires in 44 days (within the first reminder, 90 days); in two years.
        let expired = try await Self.award(h, "expire@example.org", issuedOn: Self.ago(years: 3, days: 17))
        let soon = try await Self.award(h, "bientot@example.org", issuedOn: Self.ago(years: 3, days: -44))
        let current = try await Self.award(h, "ajour@example.org", issuedOn: Self.ago(years: 1))
        let revoked = try await Self.award(h, "revoque@example.org", issuedOn: Self.ago(years: 3, days: 17))
        _ = try await h.services.issuing.revoke(assertionID: revoked.id, reason: "Erreur", actor: "admin")
        try await h.run { api in
            let csv =
                "email;name\r\nexpire@example.org;A\r\nbientot@example.org;B\r\najour@example.org;C\r\n"
                + "nouveau@example.org;D\r\nrevoque@example.org;E\r\n"
            let path = "/api/v1/badges/bientraitance/assertions/batch"
            let dry = try await api.post(path + "?dryRun=true", raw: csv, contentType: "text/csv")
            let dryRenewals = dry.json["rows"]?.arrayValue?.map { $0["renewalOf"]?.stringValue }
            #expect(dryRenewals == [expired.id, soon.id, nil, nil, nil])
            let r = try await api.post(path, raw: csv, contentType: "text/csv")
            #expect(r.status == .ok, "\(r.text)")
            let rows = try #require(r.json["rows"]?.arrayValue)
            #expect(rows.map { $0["status"]?.stringValue } == ["created", "created", "created", "created", "created"])
            #expect(rows.map { $0["renewalOf"]?.stringValue } == [expired.id, soon.id, nil, nil, nil])
            #expect(try await h.services.db.assertion(id: expired.id)?.renewedBy == rows[0]["id"]?.stringValue)
            #expect(try await h.services.db.assertion(id: soon.id)?.renewedBy == rows[1]["id"]?.stringValue)
            #expect(try await h.services.db.assertion(id: current.id)?.renewedBy == nil)
            #expect(try await h.services.db.assertion(id: revoked.id)?.renewedBy == nil)
            // A retried batch awards nothing twice and renews nothing again.
            let retry = try await api.post(path, raw: csv, contentType: "text/csv")
            #expect(retry.json["skipped"]?.numberValue == 5)
            #expect(try await h.assertionCount() == 9)
        }
    }
}
