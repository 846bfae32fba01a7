import Foundation
import OpenBadges
import OpenBadgesPNG
import TestSupport
import Testing

/// The expected recipient matches as typed or in its normalised form, and the report says which.
struct RecipientMatchingTests {
    typealias S = VerifierTestSupport

    let fixture: BadgeFixture
    let salt = "0123456789abcdef0123456789abcdef"
    let typedOnCV = "Eloise.Muller@Example.org"

    init() throws { fixture = try BadgeFixture() }

    var hostedURL: String { fixture.baseURL + "/assertions/mixed-case" }

    /// A hosted badge from an issuer that hashed the address exactly as it was written, capitals included.
    func hostedLoader(identity: IdentityObject) -> StaticDocumentLoader {
        var l = fixture.loader()
        let a = Assertion(
            id: hostedURL, recipient: identity, badge: fixture.documents.badgeClass.id,
            verification: VerificationObject(type: ["HostedBadge"]),
            issuedOn: DateTimeValue(Date(timeIntervalSinceNow: -3600)))
        l.add(hostedURL, json: a.json)
        return l
    }

    var hashedAsWritten: IdentityObject {
        IdentityObject(
            type: "email", identity: IdentityHash.compute(identifier: typedOnCV, salt: salt).text, hashed: true,
            salt: salt)
    }

    @Test func hashOfTheMixedCaseAddressMatchesAsTyped() async throws {
        let report = await S.verify(
            .url(URL(string: hostedURL)!), loader: hostedLoader(identity: hashedAsWritten), recipient: typedOnCV)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.recipientMatch == .asTyped)
        #expect(report.json["recipientMatch"] == "asTyped")
        let check = try #require(report.check("recipient"))
        #expect(check.message.fr == "Délivré à \(typedOnCV) (adresse telle que saisie)")
        #expect(check.message.en == "Issued to \(typedOnCV) (address as typed)")
    }

    @Test func surroundingSpacesAndCapitalsMatchTheNormalisedForm() async throws {
        let lowercase = IdentityObject(
            type: "email", identity: IdentityHash.compute(identifier: "eloise.muller@example.org", salt: salt).text,
            hashed: true, salt: salt)
        let report = await S.verify(
            .url(URL(string: hostedURL)!), loader: hostedLoader(identity: lowercase), recipient: "  \(typedOnCV) ")
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.recipientMatch == .normalized)
        #expect(report.check("recipient")?.message.en.contains("normalised form") == true)
    }

    @Test func plaintextIdentityMatchesByNormalisedForm() async throws {
        let plain = IdentityObject(type: "email", identity: typedOnCV, hashed: false, salt: nil)
        let l = hostedLoader(identity: plain)
        let exact = await S.verify(.url(URL(string: hostedURL)!), loader: l, recipient: typedOnCV)
        #expect(exact.recipientMatch == .asTyped)
        let lower = await S.verify(.url(URL(string: hostedURL)!), loader: l, recipient: "eloise.muller@example.org")
        #expect(lower.verdict == .valid, "\(S.problems(lower))")
        #expect(lower.recipientMatch == .normalized)
    }

    @Test func anotherAddressIsARealMismatch() async throws {
        let report = await S.verify(
            .url(URL(string: hostedURL)!), loader: hostedLoader(identity: hashedAsWritten),
            recipient: "Eloise.Martin@Example.org")
        #expect(report.outcome == .recipientMismatch)
        #expect(report.recipientMatch == nil)
        // A hash of the capitalised address cannot be undone: the lowercase form alone does not match it.
        let lower = await S.verify(
            .url(URL(string: hostedURL)!), loader: hostedLoader(identity: hashedAsWritten),
            recipient: "eloise.muller@example.org")
        #expect(lower.outcome == .recipientMismatch)
    }

    @Test func matchRuleOnItsOwn() {
        let id = RecipientIdentifier(value: typedOnCV)
        #expect(id.match(hashedAsWritten) == .asTyped)
        let url = IdentityObject(type: "url", identity: "https://example.org/Eloise", hashed: false, salt: nil)
        #expect(RecipientIdentifier(type: "url", value: "https://example.org/eloise").match(url) == nil)
        #expect(RecipientIdentifier(type: "url", value: "https://example.org/Eloise").match(url) == .asTyped)
        let obi = IdentityObject(type: "obi:email", identity: "eloise.muller@example.org", hashed: false, salt: nil)
        #expect(id.match(obi) == .normalized)
    }
}

/// What an employer reads: plain words for damaged files and missing badges, counts of checks that ran,
/// dates in the reader's language.
struct VerdictWordingTests {
    typealias S = VerifierTestSupport

    let fixture: BadgeFixture

    init() throws { fixture = try BadgeFixture() }

    /// Technical words that must stay out of the main message.
    static let jargon = ["iTXt", "chunk", "bloc", "CRC", "0x", "offset", "octet", "zlib", "%%EOF"]

    func expectPlainDamaged(_ report: VerificationReport, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.verdict == .invalid, sourceLocation: sourceLocation)
        #expect(report.outcome == .damaged, "\(S.problems(report))", sourceLocation: sourceLocation)
        #expect(report.summary.fr.hasPrefix("Le fichier a été endommagé ou modifié"), sourceLocation: sourceLocation)
        #expect(report.summary.en.hasPrefix("The file was damaged or modified"), sourceLocation: sourceLocation)
        let check = report.check("input.extract")
        #expect(check?.status == .failed, sourceLocation: sourceLocation)
        for word in Self.jargon {
            #expect(check?.message.fr.contains(word) == false, "\(word)", sourceLocation: sourceLocation)
            #expect(check?.message.en.contains(word) == false, "\(word)", sourceLocation: sourceLocation)
            #expect(
                !report.summary.fr.contains(word) && !report.summary.en.contains(word), sourceLocation: sourceLocation)
        }
        #expect(check?.detail != nil, "the technical detail stays available", sourceLocation: sourceLocation)
        let json = report.json["checks"]?.arrayValue?.first { $0["id"] == "input.extract" }
        #expect(json?["detail"]?["en"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func pngWhoseBadgeChunkNoLongerMatchesItsCRCIsDamaged() async throws {
        let signed = try fixture.issue()
        var png = try PNGBaker.bake(png: fixture.image, text: signed.jws)
        // The iTXt chunk follows IHDR (offset 33); change one character of the JWS inside it.
        png[33 + 8 + 40] ^= 0x01
        let report = await S.verify(.data(png), loader: fixture.loader())
        expectPlainDamaged(report)
        #expect(report.check("input.extract")?.detail?.en.contains("CRC") == true)
    }

    @Test func truncatedPNGIsDamaged() async throws {
        let signed = try fixture.issue()
        let png = try PNGBaker.bake(png: fixture.image, text: signed.jws)
        expectPlainDamaged(await S.verify(.data(Array(png.prefix(png.count / 2))), loader: fixture.loader()))
    }

    @Test func truncatedPDFIsDamaged() async throws {
        let pdf = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("pdf/certificate-truncated.pdf"))
        expectPlainDamaged(await S.verify(.data([UInt8](pdf)), loader: fixture.loader()))
    }

    @Test func hostedAssertionAnswering404DoesNotExistAtItsIssuer() async throws {
        let url = fixture.baseURL + "/assertions/deleted"
        var l = fixture.loader()
        l.add(url, bytes: Array("not found".utf8), contentType: "text/plain", status: 404)
        let report = await S.verify(.url(URL(string: url)!), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .notFound)
        #expect(report.summary.fr == "Ce badge n'existe pas (ou plus) chez son émetteur.")
        #expect(report.summary.en == "This badge does not exist (any more) at its issuer.")
        #expect(!report.summary.fr.contains("Réessayez") && !report.summary.fr.contains("impossible"))
        let check = try #require(report.check("assertion.load"))
        #expect(check.status == .failed)
        #expect(check.detail?.en.contains("HTTP 404") == true)
        #expect(report.json["outcome"] == "notFound")
        // Servers down or slow are still "try again later".
        for status in [500, 503] {
            var down = fixture.loader()
            down.add(url, bytes: [], contentType: "text/plain", status: status)
            #expect(await S.verify(.url(URL(string: url)!), loader: down).outcome == .unverifiable)
        }
        #expect(await S.verify(.url(URL(string: url)!), loader: FailingLoader(code: .timeout)).outcome == .unverifiable)
    }

    @Test func countsOnlyTheChecksThatRan() async throws {
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: fixture.loader())
        #expect(report.verdict == .valid, "\(S.problems(report))")
        // No address given: the recipient check is skipped, and does not count as not passed.
        #expect(report.check("recipient")?.status == .skipped)
        let ran = report.checks.count(where: { $0.status != .skipped })
        #expect(report.passedCount == ran)
        #expect(report.ranCount == ran)
        #expect(report.countText.fr.hasPrefix("\(ran) contrôles réussis sur \(ran) ("))
        #expect(report.countText.fr.hasSuffix("non effectué)") || report.countText.fr.hasSuffix("non effectués)"))
        #expect(report.countText.en.hasPrefix("\(ran) of \(ran) checks passed ("))
        let withRecipient = await S.verify(
            .text(signed.jws), loader: fixture.loader(), recipient: "marie.dupont@example.org")
        let all = withRecipient.checks.filter { $0.status != .skipped }.count
        #expect(withRecipient.countText.fr.hasPrefix("\(all) contrôles réussis sur \(all)"))
    }

    @Test func datesInTheReadersLanguageAndISOInJSON() async throws {
        let issuedOn = try #require(DateTimeValue("2026-12-07T06:11:37Z")).date
        let expires = try #require(DateTimeValue("2028-06-01T10:00:00Z")).date
        let signed = try fixture.signer.issue(fixture.request(issuedOn: issuedOn, expires: expires))
        let now = try #require(DateTimeValue("2026-12-08T09:00:00Z")).date
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.check("dates.issuedOn")?.message.fr == "Émis le 7 décembre 2026")
        #expect(report.check("dates.issuedOn")?.message.en == "Issued on 7 December 2026")
        #expect(report.check("dates.expires")?.message.fr == "Valide jusqu'au 1er juin 2028")
        #expect(report.check("dates.expires")?.message.en == "Valid until 1 June 2028")
        // Machines keep ISO 8601.
        #expect(report.json["assertion"]?["issuedOn"]?.stringValue?.hasPrefix("2026-12-07T06:11:37") == true)
        let later = try #require(DateTimeValue("2028-07-01T00:00:00Z")).date
        let expired = await S.verify(.text(signed.jws), loader: fixture.loader(), now: later)
        #expect(expired.check("dates.expires")?.message.fr == "Expiré depuis le 1er juin 2028")
        // The calendar day is Paris's: 22:30 UTC on 15 August is already the 16th.
        #expect(HumanDate.format("2026-08-15T22:30:00Z", english: true) == "16 August 2026")
    }
}
