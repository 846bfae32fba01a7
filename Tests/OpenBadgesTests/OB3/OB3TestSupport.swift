import Foundation
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import TestSupport
import Testing

/// Credentials, keys and issuer documents for the OB 3.0 tests, generated in the test with `OpenBadgesCrypto`.
enum OB3Support {
    /// 1 June 2026: after the credentials' `validFrom`, before their `validUntil`.
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let webIssuer = "did:web:issuer.example"
    static let httpIssuer = "https://issuer.example/profile"
    static let email = "Lea.Martin@example.fr"

    /// An OB 3.0 (VC 2.0) credential issued by `issuer` to `email` (hashed with a salt).
    static func credential(
        issuer: String, validFrom: String = "2026-01-15T09:00:00Z", validUntil: String? = "2029-01-15T09:00:00Z",
        status: Bool = false
    ) -> JSONValue {
        let hash = IdentityHash.compute(identifier: "lea.martin@example.fr", salt: "sel").text
        var o: [String: JSONValue] = [
            "@context": [
                "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "urn:uuid:6f1a4a3e-0c2b-4a8e-9a51-2f6a1c0b7d11",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(issuer), "type": ["Profile"], "name": "Organisme de formation"],
            "validFrom": .string(validFrom),
            "name": "Sauveteur secouriste du travail",
            "credentialSubject": [
                "id": "did:example:lea",
                "type": ["AchievementSubject"],
                "identifier": [
                    [
                        "type": "IdentityObject", "identityHash": .string(hash), "identityType": "emailAddress",
                        "hashed": true, "salt": "sel",
                    ]
                ],
                "achievement": [
                    "id": "https://issuer.example/achievements/sst", "type": ["Achievement"],
                    "name": "Sauveteur secouriste du travail", "description": "Premiers secours au travail",
                    "criteria": ["narrative": "Formation de 14 heures"],
                    "image": ["id": "https://issuer.example/sst.png", "type": "Image"],
                ],
            ],
        ]
        if let validUntil { o["validUntil"] = .string(validUntil) }
        if status {
            o["credentialStatus"] = [
                "id": "https://issuer.example/status/1#5", "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation", "statusListIndex": "5",
                "statusListCredential": "https://issuer.example/status/1",
            ]
        }
        return .object(o)
    }

    /// The VC 2.0 JWT claims for a credential: the credential itself plus consistent registered claims.
    static func claims(_ credential: JSONValue) -> JSONValue {
        guard case .object(var o) = credential else { return credential }
        o["iss"] = credential["issuer"]?["id"]
        o["jti"] = credential["id"]
        o["sub"] = credential["credentialSubject"]?["id"]
        if let from = credential["validFrom"]?.stringValue.flatMap(DateTimeValue.init) {
            o["nbf"] = .number(from.date.timeIntervalSince1970)
        }
        if let until = credential["validUntil"]?.stringValue.flatMap(DateTimeValue.init) {
            o["exp"] = .number(until.date.timeIntervalSince1970)
        }
        return .object(o)
    }

    static func didKey(_ key: PrivateKey) -> (did: String, kid: String) {
        let mk = Multibase.multikey(key.publicKey)!
        return ("did:key:" + mk, "did:key:" + mk + "#" + mk)
    }

    /// A DID document for `did:web:issuer.example` holding `key` as a Multikey (`#key-1`) controlled by `controller`.
    static func didDocument(_ key: PrivateKey, controller: String = webIssuer, jwk: Bool = false) -> JSONValue {
        var method: [String: JSONValue] = [
            "id": .string("\(webIssuer)#key-1"), "controller": .string(controller),
            "type": jwk ? "JsonWebKey" : "Multikey",
        ]
        if jwk {
            method["publicKeyJwk"] = .object(key.publicKey.jwk.mapValues { .string($0) })
        } else {
            method["publicKeyMultibase"] = .string(Multibase.multikey(key.publicKey)!)
        }
        return [
            "@context": ["https://www.w3.org/ns/did/v1"], "id": .string(webIssuer),
            "verificationMethod": [.object(method)], "assertionMethod": [.string("\(webIssuer)#key-1")],
        ]
    }

    static func loader(_ docs: [String: JSONValue]) -> StaticDocumentLoader {
        var l = StaticDocumentLoader()
        for (url, json) in docs { l.add(url, json: json) }
        return l
    }

    static func verify(
        _ input: VerificationInput, loader: any DocumentLoader = StaticDocumentLoader(), recipient: String? = nil,
        now: Date = now, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> VerificationReport {
        await VerifierTestSupport.verify(
            input, loader: loader, now: now, recipient: recipient, sourceLocation: sourceLocation)
    }

    /// A PNG carrying `text` in iTXt chunks `openbadgecredential` (several, or compressed, to test refusals).
    static func png(_ text: String, chunks: Int = 1, compressed: Bool = false) throws -> [UInt8] {
        let base = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/minimal-1x1-rgba.png")))
        var stream = try PNGDatastream(parsing: base)
        for _ in 0..<chunks {
            let chunk = try InternationalTextChunk(keyword: "openbadgecredential", text: text, compressed: compressed)
            stream.chunks.insert(chunk.chunk(), at: 1)
        }
        return stream.serialized()
    }

    static func svg(jwt: String) -> [UInt8] {
        Array(
            (#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">"#
                + #"<openbadges:credential verify="\#(jwt)"/><circle r="4"/></svg>"#).utf8)
    }

    static func svg(json: String) -> [UInt8] {
        Array(
            (#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">"#
                + "<openbadges:credential><![CDATA[\(json)]]></openbadges:credential></svg>").utf8)
    }
}
