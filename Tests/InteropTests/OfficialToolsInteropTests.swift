import Foundation
import OpenBadges
import TestSupport
import Testing

/// Interop with the official 1EdTech tools (openbadges 1.1.2 validator, openbadges-bakery 2.0.0), run offline.
@Suite(.enabled(if: OfficialTools.isInstalled, "run `make deps` to install the official tools"))
struct OfficialToolsInteropTests {
    let svgImage: [UInt8]

    init() throws {
        svgImage = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-badge.svg")))
    }

    func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test(arguments: ["png", "svg"])
    func bakeryUnbakesInsigneBadgeIdentically(format: String) async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: format == "png" ? fixture.image : svgImage, jws: signed.jws).bytes
        let dir = try OfficialTools.temporaryDirectory()
        let result = try await OfficialTools.run(["unbake", try write(baked, "badge.\(format)", in: dir)])
        #expect(result["text"]?.stringValue == signed.jws)
    }

    @Test(arguments: ["png", "svg"])
    func insigneVerifiesBadgeBakedByBakery(format: String) async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let dir = try OfficialTools.temporaryDirectory()
        let image = try write(format == "png" ? fixture.image : svgImage, "in.\(format)", in: dir)
        let text = try write(Array(signed.jws.utf8), "badge.jws", in: dir)
        let out = dir.appendingPathComponent("out.\(format)").path
        _ = try await OfficialTools.run(["bake", image, text, out])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(try BadgeBaker.extract(from: bytes).text == signed.jws)
        let report = await fixture.verifier().verify(
            .data(bytes),
            options: VerificationOptions(now: Date(), recipient: RecipientIdentifier(value: "marie.dupont@example.org"))
        )
        #expect(report.verdict == .valid, "\(report.checks.filter { $0.status != .passed })")
        #expect(report.inputFormat == format)
    }

    /// Serves the fixture's documents on 127.0.0.1 and runs the official validator on `image`.
    func validate(
        _ fixture: BadgeFixture, port: Int, image: [UInt8], format: String, recipient: String?
    ) async throws -> (valid: Bool, errors: Int, warnings: Int, messages: String) {
        let dir = try OfficialTools.temporaryDirectory()
        try fixture.writeServedFiles(to: dir.appendingPathComponent("www"))
        var args = [
            "validate", "--input", try write(image, "badge.\(format)", in: dir), "--unbake", "--serve",
            dir.appendingPathComponent("www").path, "--port", String(port),
        ]
        if let recipient { args += ["--recipient", recipient] }
        return OfficialTools.summary(try await OfficialTools.run(args))
    }

    @Test(arguments: ["png", "svg"])
    func officialValidatorAcceptsSignedBadgeWithoutErrorsOrWarnings(format: String) async throws {
        let port = try OfficialTools.freePort()
        let fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: format == "png" ? fixture.image : svgImage, jws: signed.jws).bytes
        let result = try await validate(
            fixture, port: port, image: baked, format: format, recipient: "marie.dupont@example.org")
        #expect(result.valid, "\(result.messages)")
        #expect(result.errors == 0, "\(result.messages)")
        #expect(result.warnings == 0, "\(result.messages)")
        // Insigne agrees on the same documents.
        let report = await fixture.verifier().verify(.data(baked), options: VerificationOptions(now: Date()))
        #expect(report.verdict == .valid)
    }

    @Test func officialValidatorAndInsigneBothSeeRevocation() async throws {
        let port = try OfficialTools.freePort()
        var fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        let signed = try fixture.issue()
        fixture.documents.revocationList.revokedAssertions = [
            .init(id: "urn:uuid:00000000-0000-4000-8000-000000000000"),
            .init(id: signed.assertion.id, revocationReason: "Erreur d'attribution"),
        ]
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws).bytes
        let result = try await validate(fixture, port: port, image: baked, format: "png", recipient: nil)
        #expect(!result.valid)
        #expect(result.messages.lowercased().contains("revoked"), "\(result.messages)")
        let report = await fixture.verifier().verify(.data(baked), options: VerificationOptions(now: Date()))
        #expect(report.outcome == .revoked)
        #expect(report.assertion?.revocationReason == "Erreur d'attribution")
    }

    /// Spec difference: the reference validator never checks the key's `owner` (DIGEST §2.3); Insigne
    /// refuses a key that names another profile as its owner.
    @Test func keyOwnedByAnotherIssuerIsRefusedWhereValidatorIsLax() async throws {
        let port = try OfficialTools.freePort()
        var fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        fixture.documents.key.owner = "http://127.0.0.1:\(port)/issuers/someone-else"
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws).bytes
        let result = try await validate(fixture, port: port, image: baked, format: "png", recipient: nil)
        #expect(result.valid, "the reference validator is expected to be lax here: \(result.messages)")
        let report = await fixture.verifier().verify(.data(baked), options: VerificationOptions(now: Date()))
        #expect(report.verdict == .invalid)
        #expect(report.check("key.owner")?.status == .failed)
    }

    /// Spec difference: a RevocationList entry with `"revoked": false` does not revoke (DIGEST §1.2);
    /// the reference validator treats any matching entry as revoked.
    @Test func revocationEntryMarkedNotRevokedIsHonouredWhereValidatorIsNot() async throws {
        let port = try OfficialTools.freePort()
        var fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        let signed = try fixture.issue()
        fixture.documents.revocationList.revokedAssertions = [
            .init(id: "urn:uuid:00000000-0000-4000-8000-000000000000"), .init(id: signed.assertion.id, revoked: false),
        ]
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws).bytes
        let result = try await validate(fixture, port: port, image: baked, format: "png", recipient: nil)
        #expect(!result.valid, "the reference validator is expected to ignore revoked:false: \(result.messages)")
        let report = await fixture.verifier().verify(.data(baked), options: VerificationOptions(now: Date()))
        #expect(report.verdict == .valid, "\(report.checks.filter { $0.status != .passed })")
    }

    /// Validator bug: after JSON-LD compaction a one-entry `revokedAssertions` becomes a single value, and the
    /// validator iterates over it without `list_of` (openbadges 1.1.2 `crypto.py`), so it misses the revocation.
    /// Insigne reads "one or many" as the spec says and reports the badge revoked.
    @Test func singleEntryRevocationListIsHonouredWhereValidatorMissesIt() async throws {
        let port = try OfficialTools.freePort()
        var fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        let signed = try fixture.issue()
        fixture.documents.revocationList.revokedAssertions = [
            .init(id: signed.assertion.id, revocationReason: "Doublon")
        ]
        let baked = try BadgeBaker.bake(image: fixture.image, jws: signed.jws).bytes
        let result = try await validate(fixture, port: port, image: baked, format: "png", recipient: nil)
        #expect(result.valid, "the reference validator is expected to miss a one-entry list: \(result.messages)")
        let report = await fixture.verifier().verify(.data(baked), options: VerificationOptions(now: Date()))
        #expect(report.outcome == .revoked)
        #expect(report.summary.fr.contains("Doublon"))
    }

    /// Validator laxness: an assertion that declares SignedBadge but is served at its URL as bare JSON (no JWS,
    /// so no signature is ever checked) passes the reference validator; Insigne never reports a signed badge
    /// without its JWS as valid.
    @Test func signedAssertionWithoutItsSignatureIsNeverValid() async throws {
        let port = try OfficialTools.freePort()
        let fixture = try BadgeFixture(baseURL: "http://127.0.0.1:\(port)")
        var assertion = try fixture.issue().assertion
        assertion.id = "http://127.0.0.1:\(port)/assertions/unsigned"
        let json = assertion.json.encoded()
        let dir = try OfficialTools.temporaryDirectory()
        try fixture.writeServedFiles(
            to: dir.appendingPathComponent("www"),
            extra: [
                (
                    path: "/assertions/unsigned", file: "unsigned.json", bytes: json, type: "application/ld+json",
                    status: 200
                )
            ])
        let result = OfficialTools.summary(
            try await OfficialTools.run([
                "validate", "--input", assertion.id, "--serve", dir.appendingPathComponent("www").path, "--port",
                String(port),
            ]))
        #expect(result.valid, "the reference validator is expected to be lax here: \(result.messages)")
        var loader = fixture.loader()
        loader.add(assertion.id, json: assertion.json)
        for input: VerificationInput in [
            .url(URL(string: assertion.id)!), .text(String(decoding: json, as: UTF8.self)),
        ] {
            let report = await fixture.verifier(loader).verify(input, options: VerificationOptions(now: Date()))
            #expect(report.verdict == .invalid, "\(report.checks.filter { $0.status != .passed })")
        }
    }
}
