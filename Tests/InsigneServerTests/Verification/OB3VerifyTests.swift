import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// Open Badges 3.0 badges on `/verify` and in the backpack (ISSUE12 points 1 and 4): a VC-JWT signed with a
/// did:key (no network), shown like an OB 2.0 badge with « OB 3.0 » and the proof checked.
@Suite struct OB3VerifyTests {
    /// An OB 3.0 VC-JWT (EdDSA, did:key) issued to `email`.
    static func jwt(email: String) throws -> String {
        let key = try PrivateKey.generate(.ed25519)
        let mk = try #require(Multibase.multikey(key.publicKey))
        let did = "did:key:" + mk
        guard case .object(var credential) = credential(issuer: did, email: email) else { return "" }
        credential["iss"] = .string(did)
        return try VCJWT.sign(
            claims: .object(credential), key: key, algorithm: .edDSA, header: ["kid": .string(did + "#" + mk)])
    }

    /// The same badge secured by an embedded `eddsa-rdfc-2022` Data Integrity proof (ISSUE12 point 3).
    static func dataIntegrity(email: String) throws -> String {
        let key = try PrivateKey.generate(.ed25519)
        let mk = try #require(Multibase.multikey(key.publicKey))
        let did = "did:key:" + mk
        guard case .object(var credential) = credential(issuer: did, email: email) else { return "" }
        var proof: [String: JSONValue] = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-10T08:00:00Z",
            "verificationMethod": .string(did + "#" + mk), "proofPurpose": "assertionMethod",
        ]
        let hashes = try DataIntegrity.hashes(document: .object(credential), proof: proof)
        let signature = try key.signature(for: hashes.hashData, algorithm: .edDSA)
        proof["proofValue"] = .string("z" + Multibase.encodeBase58(signature))
        credential["proof"] = .object(proof)
        return JSONValue.object(credential).encodedString()
    }

    static func credential(issuer did: String, email: String) -> JSONValue {
        let hash = IdentityHash.compute(identifier: email, salt: "s").text
        let credential: JSONValue = [
            "@context": [
                "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "urn:uuid:0b3c1f9e-8d2a-4c61-9f0e-3a5b7c9d1e2f",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(did), "type": ["Profile"], "name": "Centre de formation Loire"],
            "validFrom": "2026-01-10T08:00:00Z",
            "credentialSubject": [
                "type": ["AchievementSubject"],
                "identifier": [
                    [
                        "type": "IdentityObject", "identityHash": .string(hash), "identityType": "emailAddress",
                        "hashed": true, "salt": "s",
                    ]
                ],
                "achievement": [
                    "id": "https://loire.example/achievements/caces", "type": ["Achievement"], "name": "CACES R489",
                    "description": "Chariots automoteurs", "criteria": ["narrative": "Test pratique"],
                ],
            ],
        ]
        return credential
    }

    @Test func verifyPageShowsADataIntegrityProof() async throws {
        let f = try await VerifyFixture.make()
        let badge = try Self.dataIntegrity(email: "marie.dupont@example.org")
        let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        try await f.fullApp().test(.router) { client in
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: html),
                body: Multipart.file(Array(badge.utf8), name: "badge.json", type: "application/json")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"), "\(page)")
                #expect(page.contains("OB 3.0 · preuve : Data Integrity eddsa-rdfc-2022"))
            }
        }
    }

    @Test func verifyPageShowsAnOB3Badge() async throws {
        let f = try await VerifyFixture.make()
        let jwt = try Self.jwt(email: "marie.dupont@example.org")
        let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        try await f.fullApp().test(.router) { client in
            try await client.execute(
                uri: "/verify", method: .post, headers: Multipart.headers(),
                body: Multipart.file(Array(jwt.utf8), name: "badge.jwt", type: "application/octet-stream")
            ) { r in
                #expect(r.status == .ok)
                let report = try json(r.body)
                #expect(report["valid"] == true, "\(report.prettyString())")
                #expect(report["assertion"]?["specVersion"] == "3.0")
                #expect(report["assertion"]?["verificationType"] == "VC-JWT EdDSA")
                try expectSchemaValid(report)
            }
            try await client.execute(
                uri: "/verify?lang=fr", method: .post, headers: Multipart.headers(accept: html),
                body: Multipart.file(Array(jwt.utf8), recipient: "Marie.Dupont@example.org")
            ) { r in
                let page = text(r.body)
                #expect(page.contains("Badge valide"))
                #expect(page.contains("CACES R489"))
                #expect(page.contains("Centre de formation Loire"))
                #expect(page.contains("OB 3.0 · preuve : VC-JWT EdDSA"))
            }
        }
    }

    @Test func backpackImportsAnOB3Badge() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, _) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            let jwt = try Self.jwt(email: "lea@example.org")
            let imported = try await lea.importBadge(jws: jwt)
            #expect(imported.location?.hasPrefix("/backpack?imported=1") == true, "\(imported.status)")
            let stored = try await h.storedBadges()
            #expect(stored.count == 1)
            #expect(stored.first?.badgeName == "CACES R489")
            #expect(stored.first?.assertionID == "urn:uuid:0b3c1f9e-8d2a-4c61-9f0e-3a5b7c9d1e2f")
            // Someone else's OB 3.0 badge is refused.
            let other = try await lea.importBadge(jws: try Self.jwt(email: "paul@example.org"))
            #expect(other.location?.hasPrefix("/backpack?imported=1") != true)
            #expect(try await h.storedBadges().count == 1)
        }
    }
}
