import Foundation
import OpenBadges
import TestSupport
import Testing

/// The 1EdTech validator's OB 3.0 fixtures (`../shared/Specs/fixtures/1edtech-validator/ob30`) and Insigne's
/// verdict on each, against what `OB30Tests.java` expects. Nothing is fetched (every URL answers 404).
///
/// Where Insigne differs from the validator, and why:
/// - Every fixture secured by an embedded `DataIntegrityProof` / `Ed25519Signature2020` is « indéterminé » for now
///   (« preuve Data Integrity : vérification à venir »): the validator says valid (simple, simple_v1, simple.1ob,
///   complete, did-key, did-web, context-alias, eddsa-2022, credential-status-revoked…) or invalid for a reason
///   found by the proof check (err-proof-method*, err-proof-value) or by the OB 3.0 JSON Schema, not checked yet
///   (err-credential-subject-*-type, err-evidence-type, err-issuer-*-type, context-version).
/// - `simple.jwt`: the validator says valid; its `credentialSubject` has no `achievement` (required by OB 3.0)
///   and its header names no key (`kid`/`jwk`): Insigne answers malformed.
/// - `velocity.jwt`: the validator says invalid (missing OB extension context, JSON-LD); Insigne cannot resolve
///   `did:velocity` keys: indeterminate.
/// - `endorsement-*`: EndorsementCredentials are not badges: « pas un badge ».
/// - `complete_v1.json` expired in 2020: expired (the validator runs with no clock check on it).
/// - `simple-err-issued.json` (issued in 2040) also lacks an achievement: malformed outranks « pas encore valide ».
struct OB3ValidatorFixtureTests {
    static let folder = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
    /// 7 December 2026.
    static let now = Date(timeIntervalSince1970: 1_796_601_600)

    static let expected: [String: VerificationOutcome] = [
        "complete.json": .unverifiable,
        "complete_v1.json": .expired,
        "credential-status-revoked.json": .unverifiable,
        "endorsement-err-schema-status-refresh.json": .notABadge,
        "endorsement-valid.json": .notABadge,
        "simple-context-alias.json": .unverifiable,
        "simple-context-version.json": .unverifiable,
        "simple-did-key-method.json": .unverifiable,
        "simple-did-web-method.json": .unverifiable,
        "simple-eddsa-2022.json": .unverifiable,
        "simple-err-context.json": .malformed,
        "simple-err-credential-subject-achievement-result-description-type.json": .unverifiable,
        "simple-err-credential-subject-identifier-type.json": .unverifiable,
        "simple-err-credential-subject-profile-type.json": .unverifiable,
        "simple-err-credential-subject-result-type.json": .unverifiable,
        "simple-err-credential-subject-type.json": .unverifiable,
        "simple-err-evidence-type.json": .unverifiable,
        "simple-err-expired.json": .expired,
        "simple-err-issued.json": .malformed,
        "simple-err-issuer-otheridentifier-type.json": .unverifiable,
        "simple-err-issuer-parentorg-type.json": .unverifiable,
        "simple-err-issuer-type.json": .unverifiable,
        "simple-err-issuer.json": .malformed,
        "simple-err-proof-method-no-scheme.json": .unverifiable,
        "simple-err-proof-method-unknown-did-method.json": .unverifiable,
        "simple-err-proof-method-unknown-scheme.json": .unverifiable,
        "simple-err-proof-method.json": .unverifiable,
        "simple-err-proof-value.json": .unverifiable,
        "simple-err-type.json": .notABadge,
        "simple-multiple-proofs.json": .unverifiable,
        "simple-noproof.json": .malformed,
        "simple.1ob": .unverifiable,
        "simple.json": .unverifiable,
        "simple.jwt": .malformed,
        "simple_v1.json": .unverifiable,
        "velocity.jwt": .unverifiable,
        "sd/derivedcredential.json": .unverifiable,
        "bit-string-list/credential-status-revoked.json": .unverifiable,
        "bit-string-list/credential-status-revoked-blank-nodes.json": .unverifiable,
    ]

    @Test func everyFixtureGetsTheListedOutcome() async throws {
        var differences: [String] = []
        for (name, outcome) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let report = await VerifierTestSupport.verify(.data(bytes), loader: StaticDocumentLoader(), now: Self.now)
            if report.outcome != outcome {
                differences.append("\(name): \(report.outcome) (\(VerifierTestSupport.problems(report)))")
            }
            // Recognised as OB 3.0 unless it is not a badge at all.
            if outcome != .notABadge { #expect(report.assertion?.specVersion == "3.0", "\(name)") }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test func everyFixtureIsListed() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jwt") || $0.hasSuffix(".1ob") }
        #expect(Set(files).isSubset(of: Set(Self.expected.keys)), "\(Set(files).subtracting(Self.expected.keys))")
    }
}
