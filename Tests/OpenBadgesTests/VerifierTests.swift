import Foundation
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import TestSupport
import Testing

/// Verifier outcomes for signed and hosted badges over the fixture issuer's in-memory documents.
/// Every report is also checked against `verification-report.schema.json`.
struct VerifierTests {
    typealias S = VerifierTestSupport

    let fixture: BadgeFixture
    let svgImage: [UInt8]
    let email = "marie.dupont@example.org"

    init() throws {
        fixture = try BadgeFixture()
        svgImage = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-badge.svg")))
    }

    var listURL: String { fixture.documents.revocationList.id! }
    var keyURL: String { fixture.documents.key.id! }
    var issuerURL: String { fixture.documents.profile.id }
    var badgeURL: String { fixture.documents.badgeClass.id }

    // MARK: Signed: valid inputs

    @Test func validSignedPNG() async throws {
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws)
        #expect(baked.format == .png)
        let report = await S.verify(.data(baked.bytes), loader: fixture.loader(), recipient: email)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.outcome == .valid)
        #expect(report.inputFormat == "png")
        #expect(report.jws == signed.jws)
        #expect(report.check("signature")?.status == .passed)
        #expect(report.check("revocation")?.status == .passed)
        #expect(report.check("recipient")?.status == .passed)
        #expect(report.assertion?.id == signed.assertion.id)
        #expect(report.assertion?.badgeName == "Bientraitance")
        #expect(report.assertion?.issuerName == "Mutuelle Vivre Ensemble")
        #expect(report.assertion?.verificationType == "SignedBadge")
        #expect(report.json["valid"] == true)
    }

    @Test func validSignedSVG() async throws {
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: svgImage, jws: signed.jws)
        #expect(baked.format == .svg)
        let report = await S.verify(.data(baked.bytes), loader: fixture.loader(), recipient: email)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.inputFormat == "svg")
    }

    @Test func validRawJWSTextAndFile() async throws {
        let signed = try fixture.issue()
        let text = await S.verify(.text(signed.jws), loader: fixture.loader())
        #expect(text.verdict == .valid, "\(S.problems(text))")
        #expect(text.inputFormat == "jws")
        for file in [signed.jws, signed.jws + "\n", "\r\n  " + signed.jws + "  \n"] {
            let report = await S.verify(.data(Array(file.utf8)), loader: fixture.loader())
            #expect(report.verdict == .valid, "\(S.problems(report))")
            #expect(report.inputFormat == "jws")
        }
    }

    @Test func unsignedImageIsNotABadge() async throws {
        let png = await S.verify(.data(fixture.image), loader: fixture.loader())
        #expect(png.outcome == .notABadge)
        let svg = await S.verify(.data(svgImage), loader: fixture.loader())
        #expect(svg.outcome == .notABadge)
        let junk = await S.verify(.text("hello"), loader: fixture.loader())
        #expect(junk.outcome == .notABadge)
    }

    // MARK: Revocation

    func loader(revoked entries: [JSONValue]) -> StaticDocumentLoader {
        var l = fixture.loader()
        l.add(
            listURL,
            json: [
                "@context": "https://w3id.org/openbadges/v2", "type": "RevocationList", "id": .string(listURL),
                "issuer": .string(issuerURL), "revokedAssertions": .array(entries),
            ])
        return l
    }

    @Test func revokedByStringEntry() async throws {
        let signed = try fixture.issue()
        let l = loader(revoked: ["urn:uuid:00000000-0000-4000-8000-000000000000", .string(signed.assertion.id)])
        let report = await S.verify(.text(signed.jws), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .revoked)
        #expect(report.check("revocation")?.status == .failed)
    }

    @Test func revokedByObjectEntryWithReason() async throws {
        let signed = try fixture.issue()
        let l = loader(revoked: [["id": .string(signed.assertion.id), "revocationReason": "Formation non suivie"]])
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws).bytes
        let report = await S.verify(.data(baked), loader: l)
        #expect(report.outcome == .revoked)
        #expect(report.assertion?.revocationReason == "Formation non suivie")
        #expect(report.summary.fr.contains("Formation non suivie"))
        #expect(report.summary.en.contains("Formation non suivie"))
        #expect(report.json["assertion"]?["revocationReason"] == "Formation non suivie")
    }

    @Test func revokedFalseEntryIsNotRevoked() async throws {
        let signed = try fixture.issue()
        let l = loader(revoked: [
            ["id": .string(signed.assertion.id), "revoked": false, "revocationReason": "reinstated"]
        ])
        let report = await S.verify(.text(signed.jws), loader: l)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.check("revocation")?.status == .passed)
    }

    @Test func otherAssertionRevokedDoesNotAffectThisOne() async throws {
        let signed = try fixture.issue()
        let other = try fixture.issue()
        let l = loader(revoked: [.string(other.assertion.id)])
        #expect(await S.verify(.text(signed.jws), loader: l).verdict == .valid)
        #expect(await S.verify(.text(other.jws), loader: l).outcome == .revoked)
    }

    @Test func revocationListUnreachableIsIndeterminate() async throws {
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: fixture.loader().removing(listURL))
        #expect(report.verdict == .indeterminate)
        #expect(report.outcome == .unverifiable)
    }

    // MARK: Dates

    @Test func expired() async throws {
        let now = Date()
        let signed = try fixture.signer.issue(
            fixture.request(issuedOn: now.addingTimeInterval(-86400), expires: now.addingTimeInterval(-60)))
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now)
        #expect(report.outcome == .expired)
        #expect(report.check("dates.expires")?.status == .failed)
        // The same badge was valid the day before.
        let before = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now.addingTimeInterval(-3600))
        #expect(before.verdict == .valid, "\(S.problems(before))")
    }

    @Test func expiresBeforeIssuedOnIsInvalid() async throws {
        let now = Date()
        var a = try fixture.signer.makeAssertion(fixture.request(issuedOn: now.addingTimeInterval(-3600)))
        a.expires = DateTimeValue(now.addingTimeInterval(-7200))
        let signed = try fixture.signer.sign(a)
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .invalid)
        #expect(report.check("dates.expires")?.status == .failed)
    }

    @Test func issuedInTheFutureIsNotYetValid() async throws {
        let now = Date()
        let signed = try fixture.signer.issue(fixture.request(issuedOn: now.addingTimeInterval(3600)))
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now)
        #expect(report.outcome == .notYetValid)
        #expect(report.check("dates.issuedOn")?.status == .failed)
        let later = await S.verify(.text(signed.jws), loader: fixture.loader(), now: now.addingTimeInterval(7200))
        #expect(later.verdict == .valid, "\(S.problems(later))")
    }

    // MARK: Recipient

    @Test func recipientMatchesGivenEmail() async throws {
        let signed = try fixture.issue(email: email)
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), recipient: email)
        #expect(report.verdict == .valid)
        #expect(report.check("recipient")?.status == .passed)
        let unchecked = await S.verify(.text(signed.jws), loader: fixture.loader())
        #expect(unchecked.check("recipient")?.status == .skipped)
        #expect(unchecked.verdict == .valid)
    }

    @Test func recipientMismatch() async throws {
        let signed = try fixture.issue(email: email)
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), recipient: "jean.martin@example.org")
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .recipientMismatch)
        #expect(report.recipientMatch == nil)
        #expect(report.json["recipientMatch"] == nil)
        #expect(!report.check("recipient")!.message.en.contains(email))
        // Neither as typed nor normalised: still a mismatch, and both forms are named.
        let typed = await S.verify(.text(signed.jws), loader: fixture.loader(), recipient: "Jean.Martin@Example.org")
        #expect(typed.outcome == .recipientMismatch)
        #expect(
            typed.check("recipient")?.message.fr.contains("ni à sa forme normalisée « jean.martin@example.org »")
                == true)
        #expect(!typed.check("recipient")!.message.en.contains(email))
    }

    @Test func mixedCaseTypedMatchesTheNormalisedForm() async throws {
        // Issued here to the normalised address; the employer types it as on a CV.
        let signed = try fixture.issue(email: email)
        let report = await S.verify(.text(signed.jws), loader: fixture.loader(), recipient: "Marie.Dupont@Example.org")
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.recipientMatch == .normalized)
        #expect(report.json["recipientMatch"] == "normalized")
        let check = try #require(report.check("recipient"))
        #expect(check.status == .passed)
        #expect(check.message.fr.contains("forme normalisée"))
        #expect(check.message.en.contains("normalised form"))
        #expect(check.message.fr.contains(email))
    }

    // MARK: Unreachable or wrong linked documents

    @Test func keyDocumentNotFoundIsIndeterminate() async throws {
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: fixture.loader().removing(keyURL))
        #expect(report.verdict == .indeterminate)
        #expect(report.outcome == .unverifiable)
        #expect(report.check("signature")?.status == .skipped)
    }

    @Test(arguments: [DocumentLoaderError.Code.timeout, .connectionFailed, .forbiddenAddress, .tooLarge])
    func keyDocumentLoaderErrorIsIndeterminate(_ code: DocumentLoaderError.Code) async throws {
        let signed = try fixture.issue()
        let report = await S.verify(
            .text(signed.jws), loader: fixture.loader().removing(keyURL, fallback: FailingLoader(code: code)))
        #expect(report.verdict == .indeterminate)
        #expect(report.outcome == .unverifiable)
    }

    @Test func keyDocumentOtherErrorIsIndeterminate() async throws {
        let signed = try fixture.issue()
        let report = await S.verify(
            .text(signed.jws), loader: fixture.loader().removing(keyURL, fallback: FailingLoader(plainError: true)))
        #expect(report.verdict == .indeterminate)
    }

    @Test func issuerUnreachableIsIndeterminate() async throws {
        let signed = try fixture.issue()
        for loader in [
            fixture.loader().removing(issuerURL), fixture.loader().removing(issuerURL, fallback: FailingLoader()),
        ] {
            let report = await S.verify(.text(signed.jws), loader: loader)
            #expect(report.verdict == .indeterminate)
            #expect(report.outcome == .unverifiable)
            #expect(report.check("issuer.structure")?.status == .skipped)
        }
    }

    @Test func badgeClassUnreachableIsIndeterminate() async throws {
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: fixture.loader().removing(badgeURL))
        #expect(report.verdict == .indeterminate)
    }

    @Test func badgeClassWithWrongIDIsInvalid() async throws {
        let signed = try fixture.issue()
        var l = fixture.loader()
        var badge = fixture.documents.badgeClass
        badge.id = fixture.baseURL + "/badges/autre"
        l.add(badgeURL, json: badge.json())
        let report = await S.verify(.text(signed.jws), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.check("badge.structure")?.status == .failed)
        #expect(!report.isValid)
    }

    @Test func issuerProfileWithoutEmailIsMalformed() async throws {
        var f = fixture
        f.documents.profile.email = nil
        let signed = try f.issue()
        let report = await S.verify(.text(signed.jws), loader: f.loader())
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .malformed)
        #expect(report.check("issuer.structure")?.message.en.contains("email") == true)
    }

    @Test func issuerProfileWithAnotherIDIsInvalid() async throws {
        var l = fixture.loader()
        var p = fixture.documents.profile
        p.id = fixture.baseURL + "/issuers/other"
        l.add(issuerURL, json: p.json())
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.check("badge.issuer")?.status == .failed)
    }

    @Test func badgeImageNotPNGOrSVGIsInvalid() async throws {
        var l = fixture.loader()
        l.add(fixture.imageURL, bytes: Array("GIF89a....".utf8), contentType: "image/gif")
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.check("badge.image")?.status == .failed)
    }

    @Test func signedAssertionJSONWithoutJWSIsNeverValid() async throws {
        let signed = try fixture.issue()
        let json = signed.assertion.json.encodedString()
        let counting = CountingLoader(fixture.loader())
        for input in [VerificationInput.text(json), .data(Array(json.utf8))] {
            let report = await S.verify(input, loader: counting)
            #expect(report.verdict == .invalid)
            #expect(report.outcome == .invalid)
            #expect(report.check("signature.present")?.status == .failed)
        }
        // Also with the `verify` alias and the `signed` alias type.
        var o = signed.assertion.json.objectValue!
        o["verify"] = ["type": "signed", "creator": .string(keyURL)]
        o["verification"] = nil
        let aliased = await S.verify(.text(JSONValue.object(o).encodedString()), loader: counting)
        #expect(aliased.verdict == .invalid)
        #expect(counting.requested.isEmpty)
        // Baked into a PNG as JSON: still not valid.
        let baked = try PNGBaker.bake(png: fixture.image, text: json)
        let fromImage = await S.verify(.data(baked), loader: counting)
        #expect(fromImage.verdict == .invalid)
    }

    // MARK: Hosted badges

    var hostedURL: String { fixture.baseURL + "/assertions/1" }

    func hostedAssertion(id: String? = nil, issuedOn: Date = Date(timeIntervalSinceNow: -3600)) -> Assertion {
        let salt = "0123456789abcdef0123456789abcdef"
        return Assertion(
            id: id ?? hostedURL,
            recipient: IdentityObject(
                type: "email", identity: IdentityHash.compute(identifier: email, salt: salt).text, hashed: true,
                salt: salt),
            badge: badgeURL, verification: VerificationObject(type: ["HostedBadge"]), issuedOn: DateTimeValue(issuedOn))
    }

    func hostedLoader(_ assertion: Assertion? = nil, at url: String? = nil) -> StaticDocumentLoader {
        var l = fixture.loader()
        let a = assertion ?? hostedAssertion()
        l.add(url ?? a.id, json: a.json)
        return l
    }

    @Test func validHostedFromURLJSONAndImages() async throws {
        let a = hostedAssertion()
        let l = hostedLoader(a)
        let byURL = await S.verify(.url(URL(string: hostedURL)!), loader: l, recipient: email)
        #expect(byURL.verdict == .valid, "\(S.problems(byURL))")
        #expect(byURL.inputFormat == "url")
        #expect(byURL.assertion?.verificationType == "HostedBadge")
        #expect(byURL.check("hosted.origin")?.status == .passed)
        let byText = await S.verify(.text(hostedURL), loader: l, recipient: email)
        #expect(byText.verdict == .valid, "\(S.problems(byText))")
        let byJSON = await S.verify(.text(a.json.encodedString()), loader: l, recipient: email)
        #expect(byJSON.verdict == .valid, "\(S.problems(byJSON))")
        #expect(byJSON.inputFormat == "json")
        for image in [fixture.image, svgImage] {
            let baked = try BadgeBaker.bake(image: image, hostedAssertion: a)
            let report = await S.verify(.data(baked.bytes), loader: l, recipient: email)
            #expect(report.verdict == .valid, "\(baked.format): \(S.problems(report))")
            #expect(report.inputFormat == baked.format.rawValue)
        }
    }

    @Test func hostedInputIsOnlyTrustedForItsURL() async throws {
        // The submitted JSON claims another recipient; the hosted copy (source of truth) wins.
        var claimed = hostedAssertion()
        claimed.recipient = IdentityObject(type: "email", identity: "mallory@example.org", hashed: false, salt: nil)
        let report = await S.verify(
            .text(claimed.json.encodedString()), loader: hostedLoader(), recipient: "mallory@example.org")
        #expect(report.outcome == .recipientMismatch)
    }

    @Test func hosted410IsRevokedWithReason() async throws {
        var l = fixture.loader()
        l.add(
            hostedURL,
            json: [
                "@context": "https://w3id.org/openbadges/v2", "id": .string(hostedURL), "revoked": true,
                "revocationReason": "Obtenu par fraude",
            ], status: 410)
        let report = await S.verify(.url(URL(string: hostedURL)!), loader: l)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .revoked)
        #expect(report.summary.en.contains("Obtenu par fraude"))
        #expect(report.assertion?.revocationReason == "Obtenu par fraude")
        // A 410 with an empty body is revoked too.
        var empty = fixture.loader()
        empty.add(hostedURL, bytes: [], contentType: "text/plain", status: 410)
        #expect(await S.verify(.url(URL(string: hostedURL)!), loader: empty).outcome == .revoked)
    }

    @Test func hostedBodyRevokedTrueIsRevoked() async throws {
        var a = hostedAssertion()
        a.revoked = true
        a.revocationReason = "Erreur d'attribution"
        let report = await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(a))
        #expect(report.outcome == .revoked)
        #expect(report.summary.fr.contains("Erreur d'attribution"))
        var notRevoked = hostedAssertion()
        notRevoked.revoked = false
        #expect(await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(notRevoked)).verdict == .valid)
    }

    @Test func hostedUnreachableIsIndeterminate() async throws {
        for status in [500, 502, 503] {
            var l = fixture.loader()
            l.add(hostedURL, bytes: Array("error".utf8), contentType: "text/plain", status: status)
            let report = await S.verify(.url(URL(string: hostedURL)!), loader: l)
            #expect(report.verdict == .indeterminate, "\(status)")
        }
        let thrown = await S.verify(.url(URL(string: hostedURL)!), loader: FailingLoader(code: .timeout))
        #expect(thrown.verdict == .indeterminate)
    }

    @Test func hostedIDNotItsURLIsInvalid() async throws {
        let a = hostedAssertion(id: fixture.baseURL + "/assertions/2")
        let report = await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(a, at: hostedURL))
        #expect(report.verdict == .invalid)
        #expect(report.check("assertion.id")?.status == .failed)
    }

    @Test func hostedOnAnotherOriginFailsOriginCheck() async throws {
        let elsewhere = "https://badges.elsewhere.example/assertions/1"
        let a = hostedAssertion(id: elsewhere)
        let report = await S.verify(.url(URL(string: elsewhere)!), loader: hostedLoader(a))
        #expect(report.verdict == .invalid)
        #expect(report.check("hosted.origin")?.status == .failed)
        // Same host, another port: another origin too.
        let port = "https://badges.example.org:8443/assertions/1"
        let p = await S.verify(.url(URL(string: port)!), loader: hostedLoader(hostedAssertion(id: port)))
        #expect(p.check("hosted.origin")?.status == .failed)
    }

    @Test func issuerStartsWithPolicy() async throws {
        var f = fixture
        f.documents.profile.verification = VerificationObject(
            type: ["VerificationObject"], startsWith: [fixture.baseURL + "/hosted/"])
        var l = f.loader()
        let outside = hostedAssertion()
        l.add(outside.id, json: outside.json)
        let inside = hostedAssertion(id: fixture.baseURL + "/hosted/1")
        l.add(inside.id, json: inside.json)
        let refused = await S.verify(.url(URL(string: outside.id)!), loader: l)
        #expect(refused.verdict == .invalid)
        #expect(refused.check("hosted.origin")?.status == .failed)
        let accepted = await S.verify(.url(URL(string: inside.id)!), loader: l)
        #expect(accepted.verdict == .valid, "\(S.problems(accepted))")
    }

    @Test func issuerAllowedOriginsPolicy() async throws {
        var f = fixture
        f.documents.profile.verification = VerificationObject(
            type: ["VerificationObject"], allowedOrigins: ["cdn.example.net"])
        var l = f.loader()
        let cdn = hostedAssertion(id: "https://cdn.example.net/a/1")
        l.add(cdn.id, json: cdn.json)
        let home = hostedAssertion()
        l.add(home.id, json: home.json)
        #expect(await S.verify(.url(URL(string: cdn.id)!), loader: l).verdict == .valid)
        #expect(await S.verify(.url(URL(string: home.id)!), loader: l).check("hosted.origin")?.status == .failed)
    }

    @Test func hostedDeclaringSignedVerificationIsInvalid() async throws {
        var a = hostedAssertion()
        a.verification = VerificationObject(type: ["SignedBadge"], creator: keyURL)
        let report = await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(a))
        #expect(report.verdict == .invalid)
    }

    @Test func hostedFutureAndExpired() async throws {
        let now = Date()
        let future = hostedAssertion(issuedOn: now.addingTimeInterval(3600))
        #expect(
            await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(future), now: now).outcome
                == .notYetValid)
        var expired = hostedAssertion(issuedOn: now.addingTimeInterval(-7200))
        expired.expires = DateTimeValue(now.addingTimeInterval(-3600))
        #expect(
            await S.verify(.url(URL(string: hostedURL)!), loader: hostedLoader(expired), now: now).outcome == .expired)
    }

    @Test func legacyTEXtChunkWithHostedURLVerifiesAsHosted() async throws {
        var stream = try PNGDatastream(parsing: fixture.image)
        stream.chunks.insert(LatinTextChunk(keyword: "openbadges", text: hostedURL).chunk(), at: 1)
        let legacy = stream.serialized()
        let report = await S.verify(.data(legacy), loader: hostedLoader(), recipient: email)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.inputFormat == "png")
        #expect(report.assertion?.verificationType == "HostedBadge")
        #expect(report.check("input.extract")?.message.en.contains("legacy") == true)
        // The same URL revoked (410) is revoked.
        var gone = fixture.loader()
        gone.add(hostedURL, bytes: [], contentType: "text/plain", status: 410)
        #expect(await S.verify(.data(legacy), loader: gone).outcome == .revoked)
    }
}

/// Text files saved with a UTF-8 byte-order mark (Windows editors) are read like the JSON parser reads them.
struct VerifierTextFileTests {
    typealias S = VerifierTestSupport

    @Test func jwsAndJSONFilesWithByteOrderMarkAreRecognised() async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let jwsFile = await S.verify(.data(bom + Array((signed.jws + "\r\n").utf8)), loader: fixture.loader())
        #expect(jwsFile.verdict == .valid, "\(S.problems(jwsFile))")
        #expect(jwsFile.inputFormat == "jws")
        // A signed assertion JSON file with a BOM is recognised as JSON (and refused: no signature).
        let jsonFile = await S.verify(.data(bom + signed.assertion.json.encoded()), loader: fixture.loader())
        #expect(jsonFile.inputFormat == "json")
        #expect(jsonFile.check("signature.present")?.status == .failed)
        // A BOM in the middle is not skipped.
        let inside = await S.verify(.data(Array("  ".utf8) + bom + Array(signed.jws.utf8)), loader: fixture.loader())
        #expect(inside.verdict != .valid)
    }
}
