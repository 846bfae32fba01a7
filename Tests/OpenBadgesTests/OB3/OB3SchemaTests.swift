import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// The official OB 3.0 JSON Schemas at run time (ISSUE12 point 4): bundled byte for byte, the spec's examples
/// valid, altered ones not, VC 1.1 and VC-JWT judged on their VC 2.0 view, the verifier's `schema` check, and
/// hostile input bounded.
struct OB3SchemaTests {
    typealias S = OB3Support
    static let examples = TestPaths.specs.appendingPathComponent("ob3/examples")

    static func example(_ name: String) throws -> JSONValue {
        try TestPaths.loadJSON(examples.appendingPathComponent(name))
    }

    func pointers(_ v: [JSONSchemaViolation]) -> [String] { v.map(\.pointer) }

    @Test func bundledSchemasAreTheOfficialFilesAndLoad() throws {
        for schema in OB3Schema.allCases {
            let bundled = TestPaths.packageRoot.appendingPathComponent(
                "Sources/OpenBadges/Schemas/ob3/\(schema.fileName)")
            let official = TestPaths.specs.appendingPathComponent("ob3/schema/\(schema.fileName)")
            #expect(try Data(contentsOf: bundled) == Data(contentsOf: official), "\(schema.fileName)")
            if case .failure(let e) = schema.validator { Issue.record("\(schema.fileName): \(e)") }
        }
    }

    /// Every credential example of the spec meant to be valid passes (`api-*` are not credentials).
    @Test(arguments: [
        "basic-openbadgecredential.json", "complete-openbadgecredential.json",
        "docformat-sample-openbadgecredential.json", "achievement-alignment-case.json",
        "achievement-alignment-credential-engine.json", "skill-assertion-case.json", "skill-assertion-ctdl.json",
        "equality-sample-credential-a.json", "equality-sample-credential-b.json", "equality-sample-credential-c.json",
        "equality-sample-credential-d.json",
    ])
    func specExamplesConform(_ name: String) throws {
        let v = OB3Schema.violations(of: try Self.example(name), schema: .achievementCredential)
        #expect(v.isEmpty, "\(name): \(v.prefix(5))")
    }

    @Test func endorsementAndProfileExamplesConform() throws {
        let endorsement = try Self.example("endorsementcredential.json")
        #expect(OB3Schema.violations(of: endorsement, schema: .endorsementCredential).isEmpty)
        // An endorsement is not an achievement credential.
        #expect(!OB3Schema.violations(of: endorsement, schema: .achievementCredential).isEmpty)
        let issuer = try #require(try Self.example("complete-openbadgecredential.json")["issuer"])
        #expect(OB3Schema.violations(of: issuer, schema: .profile).isEmpty)
        #expect(pointers(OB3Schema.violations(of: ["type": ["Profile"]], schema: .profile)) == ["/id"])
    }

    @Test func alteredCredentialsFailWithTheirPointer() throws {
        guard case .object(var o) = try Self.example("basic-openbadgecredential.json"),
            case .object(var subject)? = o["credentialSubject"]
        else { throw CancellationError() }
        subject.removeValue(forKey: "achievement")
        o["credentialSubject"] = .object(subject)
        let noAchievement = OB3Schema.violations(of: .object(o), schema: .achievementCredential)
        #expect(noAchievement.contains { $0.keyword == "required" && $0.pointer == "/credentialSubject/achievement" })
        #expect(OB3Schema.describe(noAchievement).fr.contains("/credentialSubject/achievement manquant"))
        #expect(OB3Schema.describe(noAchievement).en.contains("/credentialSubject/achievement missing"))

        guard case .object(var typed) = try Self.example("basic-openbadgecredential.json") else { return }
        typed["type"] = "VerifiableCredential"
        let wrongType = OB3Schema.violations(of: .object(typed), schema: .achievementCredential)
        #expect(pointers(wrongType).contains("/type"), "\(wrongType)")
        typed["type"] = ["VerifiableCredential", "EndorsementCredential"]
        #expect(pointers(OB3Schema.violations(of: .object(typed), schema: .achievementCredential)).contains("/type"))
    }

    @Test func describeNamesTheFirstFewPointersInFrenchFirst() {
        let v = [
            JSONSchemaViolation(instancePath: "/a", keyword: "required", message: "", property: "b"),
            JSONSchemaViolation(instancePath: "/a", keyword: "required", message: "", property: "b"),
            JSONSchemaViolation(instancePath: "/c", keyword: "type", message: ""),
            JSONSchemaViolation(instancePath: "", keyword: "additionalProperties", message: ""),
            JSONSchemaViolation(instancePath: "/d/0", keyword: "pattern", message: ""),
        ]
        let text = OB3Schema.describe(v)
        #expect(text.fr == "/a/b manquant ; /c : type incorrect ; / : propriété non autorisée ; et 1 autre")
        #expect(text.en == "/a/b missing; /c: wrong type; /: property not allowed; and 1 more")
    }

    /// VC 1.1 credentials, which OB 3.0 still accepts, fail the VC 2.0-only schema for their shape alone
    /// (`issuanceDate`, VC 1.1 context first): they are judged on their VC 2.0 view, and only real defects remain.
    @Test func vc11CredentialsAreJudgedOnTheirVC2View() throws {
        let folder = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
        let v1 = try TestPaths.loadJSON(folder.appendingPathComponent("simple_v1.json"))
        let raw = OB3Schema.violations(of: v1, schema: .achievementCredential)
        #expect(pointers(raw).contains("/validFrom"))
        #expect(pointers(raw).contains("/@context/0"))
        let view = OB3Schema.schemaView(of: v1)
        #expect(view["validFrom"] == v1["issuanceDate"])
        #expect(view["issuanceDate"] == nil)
        #expect(OB3Schema.violations(of: view, schema: .achievementCredential).isEmpty)
        // A VC 2.0 credential is its own view.
        let v2 = try Self.example("basic-openbadgecredential.json")
        #expect(OB3Schema.schemaView(of: v2) == v2)
    }

    /// `issuer` is a URI or a profile (`oneOf`): for a profile object, what is wrong inside it is named.
    @Test(arguments: [
        ("simple-err-issuer-type.json", "/issuer/type : valeur non conforme (contains)"),
        ("simple-err-issuer-parentorg-type.json", "/issuer/parentOrg/type : valeur non conforme (contains)"),
    ])
    func alternativesOfTheInstanceTypeAreExplained(_ name: String, _ expected: String) throws {
        let folder = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
        let credential = try TestPaths.loadJSON(folder.appendingPathComponent(name))
        let v = OB3Schema.violations(of: credential, schema: .achievementCredential, singleValuesAsArrays: true)
        #expect(v.contains { $0.keyword == "oneOf" && $0.pointer == "/issuer" })
        #expect(OB3Schema.describe(v).fr.hasPrefix(expected), "\(OB3Schema.describe(v).fr)")
    }

    /// Received credentials may write a single value for a set of one (JSON-LD); what Insigne emits may not.
    @Test func singleValuesAsArraysOnlyWhenAsked() throws {
        guard case .object(var o) = try Self.example("basic-openbadgecredential.json") else { return }
        o["proof"] = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
            "verificationMethod": "https://example.com/issuers/876543#key-1", "proofValue": "z58DAdFfa9",
            "created": "2010-01-01T19:23:24Z",
        ]
        let strict = OB3Schema.violations(of: .object(o), schema: .achievementCredential)
        #expect(strict.map(\.pointer) == ["/proof"], "\(strict)")
        #expect(
            OB3Schema.violations(of: .object(o), schema: .achievementCredential, singleValuesAsArrays: true).isEmpty)
        o["proof"] = "not a proof"
        #expect(
            !OB3Schema.violations(of: .object(o), schema: .achievementCredential, singleValuesAsArrays: true).isEmpty)
    }

    /// VC-JWT: the registered claims stand for what the `vc` claim omits.
    @Test func jwtClaimsFillTheView() throws {
        guard case .object(var vc) = S.credential(issuer: "did:example:issuer") else { return }
        vc["@context"] = [
            "https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ]
        for k in ["id", "issuer", "validFrom", "validUntil"] { vc.removeValue(forKey: k) }
        let claims: [String: JSONValue] = [
            "iss": "did:example:issuer", "jti": "urn:uuid:1", "nbf": 1_768_467_600, "exp": 1_863_162_000,
            "sub": "did:example:lea",
        ]
        let view = OB3Schema.schemaView(of: .object(vc), claims: claims)
        #expect(view["id"] == "urn:uuid:1")
        #expect(view["issuer"] == "did:example:issuer")
        #expect(view["validFrom"] == "2026-01-15T09:00:00Z")
        #expect(view["validUntil"] == "2029-01-15T09:00:00Z")
        #expect(OB3Schema.violations(of: view, schema: .achievementCredential).isEmpty)
    }

    // MARK: The verifier's `schema` check

    @Test func verifierNamesTheMissingAchievement() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        guard case .object(var o) = S.credential(issuer: did), case .object(var subject)? = o["credentialSubject"],
            case .object(var achievement)? = subject["achievement"]
        else { return }
        achievement.removeValue(forKey: "criteria")
        subject["achievement"] = .object(achievement)
        o["credentialSubject"] = .object(subject)
        let jwt = try VCJWT.sign(
            claims: S.claims(.object(o)), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let r = await S.verify(.text(jwt))
        #expect(r.outcome == .malformed, "\(VerifierTestSupport.problems(r))")
        let check = try #require(r.check("schema"))
        #expect(check.status == .failed)
        #expect(
            check.message.fr
                == "Le document ne respecte pas le schéma Open Badges 3.0 : /credentialSubject/achievement/criteria manquant"
        )
        #expect(check.message.en.hasPrefix("The document does not conform to the Open Badges 3.0 schema"))
        // The signature itself is fine: the verdict is about the document's shape.
        #expect(r.check("signature")?.status == .passed)
    }

    @Test func verifierPassesConformingCredentialsVC11Included() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let r = await S.verify(.text(jwt))
        #expect(r.verdict == .valid, "\(VerifierTestSupport.problems(r))")
        #expect(r.check("schema")?.message.fr == "Conforme au schéma Open Badges 3.0")
        let folder = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
        let v1 = [UInt8](try Data(contentsOf: folder.appendingPathComponent("simple_v1.json")))
        let r1 = await VerifierTestSupport.verify(
            .data(v1), loader: try OB3ValidatorFixtureTests.issuerProfiles(), now: OB3ValidatorFixtureTests.now)
        #expect(r1.verdict == .valid, "\(VerifierTestSupport.problems(r1))")
        #expect(
            r1.check("schema")?.message.fr
                == "Conforme au schéma Open Badges 3.0 (VC 1.1 : vérifié sous sa forme VC 2.0)")
    }

    // MARK: Hostile input

    /// Long strings where the schema has a `pattern`, many items, deep nesting, a tiny budget: nothing blows up,
    /// every answer is a list of violations (timings not asserted).
    @Test func hostileInputIsBounded() throws {
        guard case .object(var o) = try Self.example("basic-openbadgecredential.json") else { return }
        let long = String(repeating: "a", count: 300_000)
        o["endorsementJwt"] = .array([.string(long + "." + long), .string(String(repeating: "a.", count: 50_000))])
        o["@context"] = .array(
            [o["@context"]!.arrayValue![0], .string("https://purl.imsglobal.org/spec/ob/v3p0/context" + long)])
        o["name"] = .string(String(repeating: "é", count: 200_000))
        o["evidence"] = .array(Array(repeating: ["type": ["Evidence"], "name": .string(long)], count: 2_000))
        var parent: JSONValue = ["id": "urn:x", "type": ["Profile"]]
        for _ in 0..<200 { parent = ["id": "urn:x", "type": ["Profile"], "parentOrg": parent] }
        o["issuer"] = parent
        let v = OB3Schema.violations(of: .object(o), schema: .achievementCredential)
        #expect(v.contains { $0.pointer == "/endorsementJwt/0" && $0.keyword == "pattern" })
        #expect(v.contains { $0.pointer == "/@context/1" })

        guard case .success(var validator) = OB3Schema.achievementCredential.validator else {
            Issue.record("schema not loaded")
            return
        }
        validator.maxEvaluations = 50
        let tight = validator.validate(try Self.example("complete-openbadgecredential.json"))
        #expect(tight.last?.keyword == "budget")
        #expect(OB3Schema.describe(tight).fr.contains("trop complexe"))
        for junk: JSONValue in [.null, 1, "x", [], [:], ["credentialSubject": [[[[[]]]]]]] {
            #expect(!OB3Schema.violations(of: junk, schema: .achievementCredential).isEmpty)
        }
    }
}
