import Foundation
import OpenBadges
import TestSupport
import Testing

/// The 1EdTech validator's OB 3.0 fixtures (`../shared/Specs/fixtures/1edtech-validator/ob30`) and Insigne's
/// verdict on each, against what `OB30Tests.java` expects. Nothing is fetched (every URL answers 404).
///
/// Where Insigne differs from the validator, and why. The test serves each `https://…/issuers/…` profile with the
/// Multikey keys its fixtures name by fragment (the validator reads the key from the fragment itself); `did:web`
/// documents are not served.
/// - Embedded Data Integrity proofs (`eddsa-rdfc-2022`, `eddsa-2022`, `Ed25519Signature2020`) are verified: simple,
///   simple_v1, simple.1ob, did-web, context-alias, context-version, eddsa-2022 are valid as the validator says.
///   The fixtures edited after signing to break the OB 3.0 JSON Schema (err-credential-subject-*-type,
///   err-evidence-type, err-issuer-*-type) are malformed: the `schema` check (official `achievementcredential.json`)
///   names what is wrong, as the validator's schema probe does (invalid); their proofs are broken too (forged, which
///   malformed outranks). err-proof-value is forged; err-proof-method names a key that is not a key: forged.
/// - The `schema` check reads a single value as an array of one (JSON-LD; the fixtures write `"proof": {…}`,
///   `"type": "Achievement"`), and judges VC 1.1 credentials (simple_v1, and the endorsements inside complete_v1)
///   on their VC 2.0 view (`OB3Schema.schemaView`): the validator instead downgrades the schema's refusal of VC 1.1
///   shapes to a warning (`testSimpleV1PNGJWTValid`).
/// - `simple-did-key-method.json`: signed by a `did:key` that is not its issuer (`urn:uuid:…`): forged (the
///   validator does not tie the key to the issuer and says valid).
/// - `err-proof-method-no-scheme`, `-unknown-scheme`, `-unknown-did-method`: a key Insigne cannot obtain is
///   indeterminate, not invalid. `sd/derivedcredential.json` (`ecdsa-sd-2023`): cryptosuite not supported,
///   indeterminate. `credential-status-revoked.json`: `did:web` key not served here, indeterminate.
/// - `complete.json`: indeterminate: its `1EdTechRevocationList` (https://1edtech.edu/…) cannot be fetched here, and a
///   status that cannot be checked never yields « valide » (the validator does not fetch it); `complete_v1.json`:
///   malformed: its VC 1.1 endorsements lack the `id` and `name` the schema requires (the validator: invalid, by
///   its inline schema probe); its `#key-1` is not in the served profile either (forged) and it expired in 2020.
/// - `bit-string-list/*` revoked: indeterminate here: their status list URL is not served by this test (the status
///   list tests in `StatusListTests` serve it and read the bit; its own Data Integrity proof names a key that is not
///   reachable either). The validator says revoked without checking the list's proof.
/// - `simple.jwt`: the validator says valid; its `credentialSubject` has no `achievement` (required by OB 3.0)
///   and its header names no key (`kid`/`jwk`): Insigne answers malformed.
/// - `velocity.jwt`: the validator says invalid (missing OB extension context, JSON-LD); Insigne cannot resolve
///   `did:velocity` keys: indeterminate.
/// - `endorsement-*`: EndorsementCredentials are not badges: « pas un badge ».
/// - `complete_v1.json` expired in 2020 (malformed outranks expired; the validator runs with no clock check on it).
/// - `simple-err-issued.json` (issued in 2040) also lacks an achievement: malformed outranks « pas encore valide ».
struct OB3ValidatorFixtureTests {
    static let folder = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
    /// 7 December 2026.
    static let now = Date(timeIntervalSince1970: 1_796_601_600)

    static let expected: [String: VerificationOutcome] = [
        "complete.json": .unverifiable,
        "complete_v1.json": .malformed,
        "credential-status-revoked.json": .unverifiable,
        "endorsement-err-schema-status-refresh.json": .notABadge,
        "endorsement-valid.json": .notABadge,
        "simple-context-alias.json": .valid,
        "simple-context-version.json": .valid,
        "simple-did-key-method.json": .forged,
        "simple-did-web-method.json": .valid,
        "simple-eddsa-2022.json": .valid,
        "simple-err-context.json": .malformed,
        "simple-err-credential-subject-achievement-result-description-type.json": .malformed,
        "simple-err-credential-subject-identifier-type.json": .malformed,
        "simple-err-credential-subject-profile-type.json": .malformed,
        "simple-err-credential-subject-result-type.json": .malformed,
        "simple-err-credential-subject-type.json": .malformed,
        "simple-err-evidence-type.json": .malformed,
        "simple-err-expired.json": .expired,
        "simple-err-issued.json": .malformed,
        "simple-err-issuer-otheridentifier-type.json": .malformed,
        "simple-err-issuer-parentorg-type.json": .malformed,
        "simple-err-issuer-type.json": .malformed,
        "simple-err-issuer.json": .malformed,
        "simple-err-proof-method-no-scheme.json": .unverifiable,
        "simple-err-proof-method-unknown-did-method.json": .unverifiable,
        "simple-err-proof-method-unknown-scheme.json": .unverifiable,
        "simple-err-proof-method.json": .forged,
        "simple-err-proof-value.json": .forged,
        "simple-err-type.json": .notABadge,
        "simple-multiple-proofs.json": .invalid,
        "simple-noproof.json": .malformed,
        "simple.1ob": .valid,
        "simple.json": .valid,
        "simple.jwt": .malformed,
        "simple_v1.json": .valid,
        "velocity.jwt": .unverifiable,
        "sd/derivedcredential.json": .unverifiable,
        "bit-string-list/credential-status-revoked.json": .unverifiable,
        "bit-string-list/credential-status-revoked-blank-nodes.json": .unverifiable,
    ]

    @Test func everyFixtureGetsTheListedOutcome() async throws {
        let loader = try Self.issuerProfiles()
        var differences: [String] = []
        for (name, outcome) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let report = await VerifierTestSupport.verify(.data(bytes), loader: loader, now: Self.now)
            if report.outcome != outcome {
                differences.append("\(name): \(report.outcome) (\(VerifierTestSupport.problems(report)))")
            }
            // Recognised as OB 3.0 unless it is not a badge at all.
            if outcome != .notABadge { #expect(report.assertion?.specVersion == "3.0", "\(name)") }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// Test double for the issuers' profiles: each publishes, as Multikey verification methods it controls, the
    /// keys the fixtures' proofs name by fragment (`https://example.com/issuers/876543#z6Mk…`), as the validator
    /// reads them. `did:web` documents are not served (indeterminate).
    static func issuerProfiles() throws -> StaticDocumentLoader {
        var keys: [String: Set<String>] = [:]
        for name in expected.keys where name.hasSuffix(".json") {
            let json = try JSONValue(parsing: [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
            for proof in json["proof"]?.oneOrMany ?? [] {
                guard let id = proof["verificationMethod"]?.stringValue, id.hasPrefix("https://"),
                    let hash = id.firstIndex(of: "#")
                else { continue }
                let fragment = String(id[id.index(after: hash)...])
                if fragment.hasPrefix("z") { keys[String(id[..<hash]), default: []].insert(fragment) }
            }
        }
        var loader = StaticDocumentLoader()
        for (url, fragments) in keys {
            let methods: [JSONValue] = fragments.sorted().map {
                [
                    "id": .string(url + "#" + $0), "type": "Multikey", "controller": .string(url),
                    "publicKeyMultibase": .string($0),
                ]
            }
            loader.add(url, json: ["id": .string(url), "verificationMethod": .array(methods)])
        }
        return loader
    }

    @Test func everyFixtureIsListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jwt") || $0.hasSuffix(".1ob") }
        #expect(Set(files).isSubset(of: Set(Self.expected.keys)), "\(Set(files).subtracting(Self.expected.keys))")
    }
}
