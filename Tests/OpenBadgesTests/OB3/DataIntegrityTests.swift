import Foundation
import LinkedData
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// The bundled contexts plus the W3C VC examples context the `vc-di-eddsa` vectors use (test double; its whole
/// text is the one line below).
private struct ExamplesLoader: ContextLoader {
    func document(for url: String) throws -> LDJSON {
        if url == "https://www.w3.org/ns/credentials/examples/v2" {
            return try LDJSON(parsing: #"{"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}"#)
        }
        return try BundledContexts.standard.document(for: url)
    }
}

private func spec(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: TestPaths.specs.appendingPathComponent(path)))
}

private func text(_ path: String) throws -> String { String(decoding: try spec(path), as: UTF8.self) }

private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// Data Integrity `eddsa-rdfc-2022` / `Ed25519Signature2020` (ISSUE12 point 3).
struct DataIntegrityTests {
    /// W3C `vc-di-eddsa` vectors, from the signed credential: every intermediate value byte for byte, then the
    /// signature verifies with the vector key; one changed word makes it fail.
    @Test(arguments: [("eddsa-rdfc-2022", "DataInt"), ("Ed25519Signature2020", "EdSig")])
    func w3cVectorsAtEveryStep(_ folder: String, _ suffix: String) throws {
        let dir = "vc-di-eddsa/TestVectors/\(folder)/"
        let signed = try JSONValue(parsing: try spec(dir + "signed\(suffix).json"))
        let proof = try #require(signed["proof"]?.objectValue)
        #expect(DataIntegrity.suite(of: proof) == folder)
        let h = try DataIntegrity.hashes(document: signed, proof: proof, loader: ExamplesLoader())
        #expect(h.canonicalDocument == (try text(dir + "canonDoc\(suffix).txt")))
        #expect(h.canonicalProof == (try text(dir + "proofCanon\(suffix).txt")))
        #expect(hex(h.documentHash) == (try text(dir + "docHash\(suffix).txt")))
        #expect(hex(h.proofHash) == (try text(dir + "proofHash\(suffix).txt")))
        #expect(hex(h.hashData) == (try text(dir + "combinedHash\(suffix).txt")))
        let value = try #require(proof["proofValue"]?.stringValue)
        #expect(value == (try text(dir + "sigBTC58\(suffix).txt")))
        #expect(DataIntegrity.signature(proofValue: value).map(hex) == (try text(dir + "sigHex\(suffix).txt")))
        let keyPair = try JSONValue(parsing: try spec("vc-di-eddsa/TestVectors/keyPair.json"))
        let key = try Multibase.publicKey(multikey: try #require(keyPair["publicKeyMultibase"]?.stringValue))
        #expect(DataIntegrity.isValid(proofValue: value, hashes: h, key: key))
        guard case .object(var tampered) = signed else { return }
        tampered["name"] = "Alumni Credential!"
        let t = try DataIntegrity.hashes(document: .object(tampered), proof: proof, loader: ExamplesLoader())
        #expect(!DataIntegrity.isValid(proofValue: value, hashes: t, key: key))
    }

    /// Signing the W3C vector's unsigned credential with the vector's private key gives the vector's proof, byte
    /// for byte (Ed25519 is deterministic).
    @Test func signingReproducesTheW3CVector() throws {
        let dir = "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/"
        let signed = try JSONValue(parsing: try spec(dir + "signedDataInt.json"))
        let config = try JSONValue(parsing: try spec(dir + "proofConfigDataInt.json"))
        let keyPair = try JSONValue(parsing: try spec("vc-di-eddsa/TestVectors/keyPair.json"))
        let secretText = try #require(keyPair["privateKeyMultibase"]?.stringValue)
        let secret = try #require(Multibase.decode(secretText))
        #expect(secret.count == 34 && secret[0] == 0x80 && secret[1] == 0x26)  // multicodec ed25519-priv
        let pkcs8: [UInt8] = [
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
        ]
        let pem =
            "-----BEGIN PRIVATE KEY-----\n" + Data(pkcs8 + secret.dropFirst(2)).base64EncodedString()
            + "\n-----END PRIVATE KEY-----\n"
        let key = try PrivateKey(pem: pem)
        guard case .object(var unsigned) = signed else { return }
        unsigned["proof"] = nil
        let createdText = try #require(config["created"]?.stringValue)
        let created = try #require(DateTimeValue(createdText))
        let method = try #require(config["verificationMethod"]?.stringValue)
        let result = try DataIntegrity.sign(
            document: .object(unsigned), key: key, verificationMethod: method, created: created.date,
            loader: ExamplesLoader())
        #expect(result["proof"]?["proofValue"] == signed["proof"]?["proofValue"])
        #expect(result == signed)
    }

    /// The OB 3.0 specification's vector: the same steps, then the whole verifier says valid when the issuer's
    /// profile publishes the key, forged when the credential is altered.
    @Test func openBadges3SpecVector() async throws {
        let v = try JSONValue(parsing: try spec("ob3/test-vectors/eddsa-rdfc-2022-openbadgecredential.json"))
        let signed = try #require(v["signedCredential"])
        let proof = try #require(signed["proof"]?.objectValue)
        let h = try DataIntegrity.hashes(document: signed, proof: proof)
        #expect(h.canonicalDocument == v["canonicalDocumentNQuads"]?.stringValue)
        #expect(h.canonicalProof == v["canonicalProofNQuads"]?.stringValue)
        #expect(hex(h.documentHash) == v["documentHashHex"]?.stringValue)
        #expect(hex(h.proofHash) == v["proofHashHex"]?.stringValue)
        #expect(hex(h.hashData) == v["dataToSignHex"]?.stringValue)
        #expect(
            DataIntegrity.signature(proofValue: proof["proofValue"]?.stringValue ?? "").map(hex)
                == v["signatureHex"]?.stringValue)
        let issuer = "https://example.edu/issuers/565049"
        let method = try #require(v["keyPair"]?["verificationMethodId"]?.stringValue)
        let profile: JSONValue = [
            "id": .string(issuer),
            "verificationMethod": [
                [
                    "id": .string(method), "type": "Multikey", "controller": .string(issuer),
                    "publicKeyMultibase": v["keyPair"]?["publicKeyMultibase"] ?? .null,
                ]
            ],
        ]
        let loader = OB3Support.loader([issuer: profile])
        let report = await OB3Support.verify(.text(signed.encodedString()), loader: loader)
        #expect(report.outcome == .valid, "\(VerifierTestSupport.problems(report))")
        #expect(report.assertion?.verificationType == "Data Integrity eddsa-rdfc-2022")
        guard case .object(var altered) = signed else { return }
        altered["name"] = "Badge modifié"
        let forged = await OB3Support.verify(.text(JSONValue.object(altered).encodedString()), loader: loader)
        #expect(forged.outcome == .forged)
    }

    /// Signs `credential` with `key` as `eddsa-rdfc-2022` (what an issuer does), for the verifier tests.
    static func sign(
        _ credential: JSONValue, key: PrivateKey, method: String, extra: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var proof: [String: JSONValue] = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-15T09:00:00Z",
            "verificationMethod": .string(method), "proofPurpose": "assertionMethod",
        ]
        proof.merge(extra) { $1 }
        let h = try DataIntegrity.hashes(document: credential, proof: proof)
        proof["proofValue"] = .string(
            "z" + Multibase.encodeBase58(try key.signature(for: h.hashData, algorithm: .edDSA)))
        guard case .object(var o) = credential else { return credential }
        o["proof"] = .object(proof)
        return .object(o)
    }

    @Test func didKeyIssuerSignsAndEveryCheckHolds() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = OB3Support.didKey(key)
        let signed = try Self.sign(OB3Support.credential(issuer: did), key: key, method: kid)
        let ok = await OB3Support.verify(.text(signed.encodedString()))
        #expect(ok.outcome == .valid, "\(VerifierTestSupport.problems(ok))")
        #expect(ok.check("proof")?.message.fr == "Preuve Data Integrity eddsa-rdfc-2022 valide")
        // Wrong purpose, a creation date in the future, a key of someone else.
        let purpose = try Self.sign(
            OB3Support.credential(issuer: did), key: key, method: kid, extra: ["proofPurpose": "authentication"])
        #expect(await OB3Support.verify(.text(purpose.encodedString())).outcome == .invalid)
        let future = try Self.sign(
            OB3Support.credential(issuer: did), key: key, method: kid, extra: ["created": "2030-01-01T00:00:00Z"])
        #expect(await OB3Support.verify(.text(future.encodedString())).outcome == .invalid)
        let other = try PrivateKey.generate(.ed25519)
        let stranger = try Self.sign(
            OB3Support.credential(issuer: did), key: other, method: OB3Support.didKey(other).kid)
        let r = await OB3Support.verify(.text(stranger.encodedString()))
        #expect(r.outcome == .forged)
        #expect(r.check("key.owner")?.status == .failed)
    }

    /// A proof set: every proof must verify; one bad proof among good ones decides.
    @Test func everyProofOfASetMustVerify() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = OB3Support.didKey(key)
        let one = try Self.sign(OB3Support.credential(issuer: did), key: key, method: kid)
        guard case .object(var o) = one, let good = o["proof"] else { return }
        o["proof"] = [good, good]
        let two = await OB3Support.verify(.text(JSONValue.object(o).encodedString()))
        #expect(two.outcome == .valid, "\(VerifierTestSupport.problems(two))")
        #expect(two.check("proof")?.message.fr == "Les 2 preuves Data Integrity sont valides (eddsa-rdfc-2022)")
        guard case .object(var bad) = good else { return }
        bad["proofValue"] = .string("z" + Multibase.encodeBase58([UInt8](repeating: 7, count: 64)))
        o["proof"] = [good, .object(bad)]
        #expect(await OB3Support.verify(.text(JSONValue.object(o).encodedString())).outcome == .forged)
    }

    /// `endorsementJwt` (a term of context 3.0.3 since errata 1.6, in the copy the 1EdTech validator and openbadgeslib
    /// bundle) is part of what the proof signs. Found by the openbadgeslib interop tests: with the older copy of
    /// 3.0.3 the term was dropped, so a genuine endorsed credential was called forged, and a changed one not noticed.
    @Test func endorsementJwtIsSigned() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = OB3Support.didKey(key)
        /// Claims `{"iss":"did:example:a"}` or `…:b"}`, base64url.
        func endorsed(by endorser: String) -> JSONValue {
            guard case .object(var c) = OB3Support.credential(issuer: did), case .object(var i) = c["issuer"] else {
                return .null
            }
            let claims = endorser == "a" ? "eyJpc3MiOiJkaWQ6ZXhhbXBsZTphIn0" : "eyJpc3MiOiJkaWQ6ZXhhbXBsZTpiIn0"
            i["endorsementJwt"] = [.string("eyJhbGciOiJFZERTQSJ9.\(claims).c2lnbmF0dXJl")]
            c["issuer"] = .object(i)
            return .object(c)
        }
        let nquads = try LinkedData.canonicalNQuads(of: LDJSON(parsing: endorsed(by: "a").encoded()))
        #expect(nquads.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#endorsementJwt>"))
        let signed = try Self.sign(endorsed(by: "a"), key: key, method: kid)
        let ok = await OB3Support.verify(.text(signed.encodedString()))
        #expect(ok.outcome == .valid, "\(VerifierTestSupport.problems(ok))")
        guard case .object(var o) = signed, let proof = o["proof"], case .object(let other) = endorsed(by: "b")
        else { return }
        o = other
        o["proof"] = proof
        #expect(await OB3Support.verify(.text(JSONValue.object(o).encodedString())).outcome == .forged)
    }

    /// An unbundled context is never fetched: indeterminate, not forged.
    @Test func unknownContextIsIndeterminate() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = OB3Support.didKey(key)
        let signed = try Self.sign(OB3Support.credential(issuer: did), key: key, method: kid)
        guard case .object(var o) = signed else { return }
        o["@context"] = [
            "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://contexts.example/unknown.jsonld",
        ]
        let r = await OB3Support.verify(.text(JSONValue.object(o).encodedString()))
        #expect(r.verdict == .indeterminate)
        #expect(r.check("proof")?.message.fr.hasPrefix("Contexte JSON-LD inconnu") == true)
    }
}
