import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// OB 3.0 credentials issued (ISSUE13 points 1 and 2): built from award facts, valid against the official schema,
/// no plaintext e-mail, and both signed forms accepted by Insigne's own verifier.
struct OB3CredentialBuilderTests {
    typealias S = OB3Support
    static let base = "https://insigne.example"
    static let issuerID = "\(base)/ob3/issuers/of"

    static func facts(salt: String = "0123456789abcdef0123456789abcdef", status: Bool = true) -> OB3AwardFacts {
        OB3AwardFacts(
            credentialID: "\(base)/ob3/credentials/6f1a4a3e-0c2b-4a8e-9a51-2f6a1c0b7d11",
            issuer: OB3IssuerFacts(
                id: issuerID, name: "Organisme de formation", url: "https://of.example", email: "contact@of.example",
                description: "Formations sécurité", image: "\(base)/issuers/of/image"),
            achievement: OB3AchievementFacts(
                id: "\(base)/ob3/achievements/sst", name: "Sauveteur secouriste du travail",
                description: "Premiers secours au travail", criteriaURL: "https://of.example/sst",
                criteriaNarrative: "Formation de 14 heures", image: "\(base)/badges/sst/image",
                alignment: [
                    AlignmentObject(
                        targetName: "Protéger", targetUrl: "\(base)/referentials/sst/C1",
                        targetDescription: "Protéger la victime", targetFramework: "Référentiel SST", targetCode: "C1")
                ], achievementType: "Certificate", tags: ["secourisme", "sst"], related: ["\(base)/badges/sst"]),
            recipientEmail: S.email, salt: salt, issuedOn: Date(timeIntervalSince1970: 1_770_000_000),
            expires: Date(timeIntervalSince1970: 1_830_000_000), narrative: "Cas pratiques réussis",
            evidence: [Evidence(id: "\(base)/public-evidence/abc", narrative: "Mise en situation", name: "Grille")],
            credentialStatus: status
                ? OB3CredentialBuilder.revocationEntry(listURL: "\(issuerID)/status/revocation", index: 4711) : nil)
    }

    static func keys() throws -> (OB3CredentialSigner, StaticDocumentLoader) {
        let rsa = try BadgeFixture.testKey()
        let ed = try PrivateKey.generate(.ed25519)
        let rsaID = "\(base)/ob3/keys/of-rsa"
        let edID = "\(base)/ob3/keys/of-ed"
        let loader = S.loader([
            rsaID: [
                "id": .string(rsaID), "type": "JsonWebKey", "controller": .string(issuerID),
                "publicKeyJwk": .object(rsa.publicKey.jwk.mapValues { .string($0) }),
            ],
            edID: [
                "id": .string(edID), "type": "Multikey", "controller": .string(issuerID),
                "publicKeyMultibase": .string(Multibase.multikey(ed.publicKey)!),
            ],
        ])
        return (try OB3CredentialSigner(rsaKey: rsa, rsaKeyID: rsaID, edKey: ed, edKeyID: edID), loader)
    }

    static func schema() throws -> JSONSchemaValidator {
        try JSONSchemaValidator(
            schemaFile: TestPaths.specs.appendingPathComponent("ob3/schema/achievementcredential.json"))
    }

    @Test func credentialIsValidAgainstTheOfficialSchema() throws {
        let validator = try Self.schema()
        for status in [true, false] {
            let c = try OB3CredentialBuilder.credential(Self.facts(status: status))
            #expect(validator.validate(c) == [])
        }
        var bare = Self.facts(status: false)
        bare.expires = nil
        bare.evidence = []
        bare.narrative = nil
        bare.achievement.alignment = []
        bare.achievement.tags = []
        bare.achievement.criteriaURL = nil
        bare.issuer = OB3IssuerFacts(id: Self.issuerID, name: "OF")
        let c = try OB3CredentialBuilder.credential(bare)
        #expect(validator.validate(c) == [])
        #expect(c["validUntil"] == nil && c["evidence"] == nil)
    }

    @Test func credentialCarriesTheAwardFacts() throws {
        let c = try OB3CredentialBuilder.credential(Self.facts())
        #expect(c["validFrom"]?.stringValue == "2026-02-02T02:40:00Z")
        #expect(c["validUntil"]?.stringValue == "2027-12-28T13:20:00Z")
        let a = try #require(c["credentialSubject"]?["achievement"])
        #expect(a["related"]?.oneOrMany.first?["id"]?.stringValue == "\(Self.base)/badges/sst")
        #expect(a["alignment"]?.oneOrMany.first?["targetCode"]?.stringValue == "C1")
        #expect(a["achievementType"]?.stringValue == "Certificate")
        #expect(c["credentialStatus"]?["statusListIndex"]?.stringValue == "4711")
        let id = try #require(c["credentialSubject"]?["identifier"]?.oneOrMany.first)
        let expected = IdentityHash.compute(identifier: "lea.martin@example.fr", salt: Self.facts().salt).text
        #expect(id["identityHash"]?.stringValue == expected)
        #expect(id["hashed"]?.boolValue == true)
    }

    @Test func noPlaintextEmailAndOneSaltPerAward() throws {
        let (signer, _) = try Self.keys()
        let s1 = try OB3CredentialBuilder.freshSalt()
        let s2 = try OB3CredentialBuilder.freshSalt()
        #expect(s1 != s2 && s1.count == 32)
        let forms = try signer.sign(try OB3CredentialBuilder.credential(Self.facts(salt: s1)))
        let jws = try CompactJWS(forms.jwt)
        let payload = String(decoding: jws.payload, as: UTF8.self)
        for text in [forms.json, forms.jwt, payload] {
            #expect(!text.lowercased().contains("lea.martin"))
            #expect(!text.contains("example.fr"))
        }
        let h1 = try OB3CredentialBuilder.credential(Self.facts(salt: s1))["credentialSubject"]?["identifier"]
        let h2 = try OB3CredentialBuilder.credential(Self.facts(salt: s2))["credentialSubject"]?["identifier"]
        #expect(h1 != h2)
    }

    @Test func badInputIsRefused() {
        var f = Self.facts()
        f.recipientEmail = "pas-une-adresse"
        #expect(throws: IssuingError.self) { try OB3CredentialBuilder.credential(f) }
        f = Self.facts()
        f.expires = f.issuedOn
        #expect(throws: IssuingError.self) { try OB3CredentialBuilder.credential(f) }
        #expect(throws: IssuingError.self) {
            let k = try PrivateKey.generate(.ed25519)
            _ = try OB3CredentialSigner(rsaKey: k, rsaKeyID: "a", edKey: k, edKeyID: "b")
        }
    }

    @Test func jwtClaimsRepeatTheCredential() throws {
        let (signer, _) = try Self.keys()
        let forms = try signer.sign(try OB3CredentialBuilder.credential(Self.facts()))
        let jwt = try #require(VCJWT(text: forms.jwt))
        #expect(jwt.jws.header["kid"]?.stringValue == signer.rsaKeyID)
        #expect(jwt.jws.header["typ"]?.stringValue == "JWT")
        #expect(jwt.jws.header["alg"]?.stringValue == "RS256")
        #expect(jwt.stringClaim("iss") == Self.issuerID)
        #expect(jwt.stringClaim("jti") == jwt.credential["id"]?.stringValue)
        #expect(jwt.dateClaim("nbf") == Date(timeIntervalSince1970: 1_770_000_000))
        #expect(jwt.dateClaim("exp") == Date(timeIntervalSince1970: 1_830_000_000))
        #expect(jwt.claims["sub"] == nil)
        #expect(!jwt.usesVCClaim)
        let json = try JSONValue(parsing: Array(forms.json.utf8))
        let proof = try #require(json["proof"]?.arrayValue)
        #expect(proof.count == 1)
        #expect(proof.first?["verificationMethod"]?.stringValue == signer.edKeyID)
        #expect(proof.first?["cryptosuite"]?.stringValue == "eddsa-rdfc-2022")
        #expect(try Self.schema().validate(json) == [])
    }

    /// Both forms, and the PNG and SVG carrying the JWT, verify as valid with Insigne's own verifier.
    @Test(arguments: ["json", "jwt", "png", "svg"])
    func insigneVerifierSaysValid(_ form: String) async throws {
        let (signer, loader) = try Self.keys()
        let forms = try signer.sign(
            try OB3CredentialBuilder.credential(Self.facts(status: false)),
            created: Date(timeIntervalSince1970: 1_775_000_000))
        let input: VerificationInput =
            switch form {
            case "json": .text(forms.json)
            case "jwt": .text(forms.jwt)
            case "png": .data(try S.png(forms.jwt))
            default: .data(S.svg(jwt: forms.jwt))
            }
        let r = await S.verify(input, loader: loader, recipient: S.email)
        #expect(r.verdict == .valid, "\(VerifierTestSupport.problems(r))")
        #expect(r.recipientMatch == .normalized)
        #expect(r.check("key.owner")?.status == .passed)
    }
}
