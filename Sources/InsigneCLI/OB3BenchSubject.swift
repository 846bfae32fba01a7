import Foundation
import OpenBadges
import OpenBadgesCrypto

/// The Open Badges 3.0 part of `insigne bench` (ISSUE12 point 7, ISSUE13 point 6), with everything prepared: a
/// VC-JWT RS256 baked in a PNG whose key comes from a key document in memory, a JSON credential with an
/// `eddsa-rdfc-2022` proof by a `did:key` issuer, and the raw inputs of their signatures for the OpenSSL baselines.
final class OB3BenchSubject: Sendable {
    static let issuerURL = "https://badges.example.org/issuers/bench"
    static let keyDocumentURL = "https://badges.example.org/issuers/bench/ob3-key.json"

    let rsaKey: PrivateKey
    let edKey: PrivateKey
    /// `did:key:z6Mk…` of `edKey`, the issuer of the Data Integrity credential.
    let did: String
    let verifier: Verifier
    let options: VerificationOptions
    /// PNG with an `openbadgecredential` iTXt chunk holding the VC-JWT.
    let bakedJWT: [UInt8]
    let jwtSigningInput: [UInt8]
    let jwtSignature: [UInt8]
    /// The JSON credential with its Data Integrity proof, as bytes.
    let diCredential: [UInt8]
    /// What its Ed25519 signature signs (proof hash ‖ document hash) and the signature.
    let diHashData: [UInt8]
    let diSignature: [UInt8]
    let validFrom: Date

    init(rsaKey: PrivateKey, carrier: PreparedPNG, now: Date) async throws {
        self.rsaKey = rsaKey
        edKey = try PrivateKey.generate(.ed25519)
        guard let multikey = Multibase.multikey(edKey.publicKey) else {
            throw CLIError(fr: "clé Ed25519 inutilisable", en: "unusable Ed25519 key")
        }
        did = "did:key:" + multikey
        validFrom = now.addingTimeInterval(-60)
        options = VerificationOptions(now: now)

        // VC-JWT RS256, `kid` the URL of a key document controlled by the issuer.
        let kid = Self.keyDocumentURL + "#key-1"
        var claims = Self.credential(issuer: Self.issuerURL, serial: 0, validFrom: validFrom)
        if case .object(var o) = claims {
            o["iss"] = .string(Self.issuerURL)
            o["jti"] = o["id"]
            o["nbf"] = .number(validFrom.timeIntervalSince1970.rounded(.down))
            claims = .object(o)
        }
        let jwt = try VCJWT.sign(claims: claims, key: rsaKey, algorithm: .rs256, header: ["kid": .string(kid)])
        let parts = jwt.split(separator: ".")
        jwtSigningInput = Array("\(parts[0]).\(parts[1])".utf8)
        jwtSignature = Base64URL.decode(parts[2]) ?? []
        bakedJWT = try carrier.bake(jwt, keyword: PNGBaker.credentialKeyword)
        var loader = StaticDocumentLoader()
        loader.add(Self.keyDocumentURL, json: Self.keyDocument(rsaKey.publicKey, kid: kid))
        verifier = Verifier(loader: loader)

        // JSON credential with an eddsa-rdfc-2022 proof.
        let signed = try DataIntegrity.sign(
            document: Self.credential(issuer: did, serial: 0, validFrom: validFrom), key: edKey,
            verificationMethod: did + "#" + multikey, created: validFrom)
        diCredential = signed.encoded()
        guard let proof = signed["proof"]?.objectValue, let value = proof["proofValue"]?.stringValue,
            let signature = DataIntegrity.signature(proofValue: value)
        else { throw CLIError(fr: "preuve Data Integrity absente", en: "no Data Integrity proof") }
        diHashData = try DataIntegrity.hashes(document: signed, proof: proof).hashData
        diSignature = signature

        for (name, input) in [("VC-JWT", bakedJWT), ("Data Integrity", diCredential)] {
            let report = await verifier.verify(.data(input), options: options)
            guard report.isValid else {
                throw CLIError(
                    fr: "le badge OB 3.0 de référence (\(name)) n'est pas valide",
                    en: "the reference OB 3.0 badge (\(name)) is not valid: \(report.json.encodedString())")
            }
        }
    }

    /// A representative OB 3.0 credential (VC 2.0, context 3.0.3), like the one issued per award.
    static func credential(issuer: String, serial: Int, validFrom: Date) -> JSONValue {
        let hash = IdentityHash.compute(identifier: "marie.dupont@example.org", salt: "sel\(serial)").text
        let identity: JSONValue = [
            "type": "IdentityObject", "identityHash": .string(hash), "identityType": "emailAddress",
            "hashed": true, "salt": .string("sel\(serial)"),
        ]
        let achievement: JSONValue = [
            "id": "https://badges.example.org/badges/bench", "type": ["Achievement"],
            "name": "Sauveteur secouriste du travail", "description": "Premiers secours sur le lieu de travail.",
            "criteria": ["narrative": "Formation de 14 heures suivie en entier, évaluation réussie."],
            "image": ["id": "https://badges.example.org/badges/bench/image.png", "type": "Image"],
            "achievementType": "Certificate",
        ]
        return [
            "@context": [
                "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": .string("https://badges.example.org/ob3/assertions/\(serial)"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": [
                "id": .string(issuer), "type": ["Profile"], "name": "Organisme de formation Bench",
                "url": "https://example.org", "email": "bench@example.org",
            ],
            "validFrom": .string(DateTimeValue(validFrom).text),
            "name": "Sauveteur secouriste du travail",
            "credentialSubject": [
                "type": ["AchievementSubject"], "identifier": [identity], "achievement": achievement,
            ],
        ]
    }

    /// A key document holding `key` as a JsonWebKey method `kid` controlled by the issuer.
    static func keyDocument(_ key: PublicKey, kid: String) -> JSONValue {
        [
            "@context": ["https://www.w3.org/ns/did/v1"], "id": .string(keyDocumentURL),
            "verificationMethod": [
                [
                    "id": .string(kid), "type": "JsonWebKey", "controller": .string(issuerURL),
                    "publicKeyJwk": .object(key.jwk.mapValues { .string($0) }),
                ]
            ],
        ]
    }

    /// Verifies the baked VC-JWT once (unbake + JWT + key document + checks).
    @inline(never)
    func jwtVerifyOnce() async throws {
        let report = await verifier.verify(.data(bakedJWT), options: options)
        if !report.isValid { throw CLIError(fr: "vérification échouée", en: "verification failed") }
    }

    /// Verifies the Data Integrity credential once (JSON + RDFC-1.0 twice + SHA-256 + Ed25519 + checks).
    @inline(never)
    func diVerifyOnce() async throws {
        let report = await verifier.verify(.data(diCredential), options: options)
        if !report.isValid { throw CLIError(fr: "vérification échouée", en: "verification failed") }
    }

    /// Builds a credential and signs it with an `eddsa-rdfc-2022` proof.
    @inline(never)
    func diSignOnce(serial: Int) throws {
        _ = try DataIntegrity.sign(
            document: Self.credential(issuer: did, serial: serial, validFrom: validFrom), key: edKey,
            verificationMethod: did + "#" + did.dropFirst("did:key:".count), created: validFrom)
    }

    /// Issues one award in both OB 3.0 forms, in memory, as the service does at award time: builds the credential
    /// (fresh salt, identity hash, status entry) and signs it as VC-JWT RS256 and with an `eddsa-rdfc-2022` proof.
    @inline(never)
    func issueOnce(serial: Int, signer: OB3CredentialSigner) throws {
        let base = "https://badges.example.org"
        let facts = OB3AwardFacts(
            credentialID: "\(base)/ob3/credentials/\(serial)",
            issuer: OB3IssuerFacts(
                id: Self.issuerURL, name: "Organisme de formation Bench", url: "https://example.org",
                email: "bench@example.org"),
            achievement: OB3AchievementFacts(
                id: "\(base)/ob3/achievements/bench", name: "Sauveteur secouriste du travail",
                description: "Premiers secours sur le lieu de travail.",
                criteriaNarrative: "Formation de 14 heures suivie en entier, évaluation réussie.",
                image: "\(base)/badges/bench/image.png", achievementType: "Certificate"),
            recipientEmail: "marie.dupont@example.org", salt: try OB3CredentialBuilder.freshSalt(),
            issuedOn: validFrom, narrative: "Formation suivie au foyer La Maison.",
            credentialStatus: OB3CredentialBuilder.revocationEntry(
                listURL: "\(base)/ob3/issuers/bench/status/revocation", index: serial % 131_072))
        _ = try signer.sign(facts, created: validFrom)
    }

    /// The signer of ``issueOnce(serial:signer:)``: the RSA key and this subject's Ed25519 key.
    func issueSigner() throws -> OB3CredentialSigner {
        try OB3CredentialSigner(
            rsaKey: rsaKey, rsaKeyID: Self.keyDocumentURL + "#key-1", edKey: edKey,
            edKeyID: Self.keyDocumentURL + "#ed25519")
    }

    /// Raw Ed25519 verifications per second of the same signature.
    func rawEd25519Verify(_ seconds: Double) -> Double {
        RawOpenSSLBenchmark.ed25519VerifiesPerSecond(
            key: edKey.publicKey, signature: diSignature, message: diHashData, duration: seconds)
    }

    /// Raw RS256 verifications per second of the VC-JWT's signature.
    func rawJWTVerify(_ seconds: Double) -> Double {
        RawOpenSSLBenchmark.rs256VerifiesPerSecond(
            key: rsaKey.publicKey, signature: jwtSignature, message: jwtSigningInput, duration: seconds)
    }

    /// Operations per second of an async `body`, run repeatedly for `seconds`.
    static func measure(_ seconds: Double, _ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<8 { try await body() }
            n += 8
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(n) / elapsed
    }
}
