import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// OB 3.0 VC-JWT verification: algorithms pinned by key type, keys from did:key, did:web, URLs and `jwk`,
/// claims consistency, dates, recipient, and every input carrier (ISSUE12 points 1, 3, 4).
struct OB3VerifierTests {
    typealias S = OB3Support

    func problems(_ r: VerificationReport) -> String { VerifierTestSupport.problems(r) }

    @Test(arguments: [KeyType.ed25519, .p256])
    func didKeyJWTIsValid(_ type: KeyType) async throws {
        let key = try PrivateKey.generate(type)
        let (did, kid) = S.didKey(key)
        let alg: SignatureAlgorithm = type == .ed25519 ? .edDSA : .es256
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: alg, header: ["kid": .string(kid)])
        let r = await S.verify(.text(jwt), recipient: S.email)
        #expect(r.verdict == .valid, "\(problems(r))")
        #expect(r.inputFormat == "jws")
        #expect(r.assertion?.specVersion == "3.0")
        #expect(r.assertion?.badgeName == "Sauveteur secouriste du travail")
        #expect(r.assertion?.issuerID == did)
        #expect(r.assertion?.verificationType == "VC-JWT \(alg.rawValue)")
        #expect(r.check("key.owner")?.status == .passed)
        #expect(r.recipientMatch == .normalized)
    }

    @Test(arguments: [false, true])
    func didWebES256IsValid(_ jwk: Bool) async throws {
        let key = try PrivateKey.generate(.p256)
        let loader = S.loader(["https://issuer.example/.well-known/did.json": S.didDocument(key, jwk: jwk)])
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.webIssuer)), key: key, algorithm: .es256,
            header: ["kid": .string("\(S.webIssuer)#key-1")])
        let r = await S.verify(.text(jwt), loader: loader)
        #expect(r.verdict == .valid, "\(problems(r))")
        #expect(r.check("key.resolve")?.message.en.contains("did:web") == true)
    }

    @Test func rs256KeyDocumentAtAnHTTPSURLIsValid() async throws {
        let key = try PrivateKey.generate(.rsa2048)
        let keyDoc: JSONValue = [
            "id": "https://issuer.example/keys/1", "type": "JsonWebKey", "controller": .string(S.httpIssuer),
            "publicKeyJwk": .object(key.publicKey.jwk.mapValues { .string($0) }),
        ]
        let loader = S.loader(["https://issuer.example/keys/1": keyDoc])
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.httpIssuer)), key: key, algorithm: .rs256,
            header: ["kid": "https://issuer.example/keys/1"])
        let r = await S.verify(.text(jwt), loader: loader)
        #expect(r.verdict == .valid, "\(problems(r))")
        #expect(r.check("signature")?.message.en == "Valid RS256 signature (VC-JWT)")
    }

    @Test func vc11JWTWithTheVCClaimIsValid() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        guard case .object(var vc) = S.credential(issuer: did) else { return }
        vc["@context"] = [
            "https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ]
        vc["issuanceDate"] = vc.removeValue(forKey: "validFrom")
        vc["expirationDate"] = vc.removeValue(forKey: "validUntil")
        let claims: JSONValue = [
            "vc": .object(vc), "iss": .string(did), "jti": vc["id"]!, "sub": "did:example:lea",
            "nbf": .number(DateTimeValue("2026-01-15T09:00:00Z")!.date.timeIntervalSince1970),
        ]
        let jwt = try VCJWT.sign(claims: claims, key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let r = await S.verify(.text(jwt))
        #expect(r.verdict == .valid, "\(problems(r))")
        #expect(r.check("credential.structure")?.message.en.contains("VC 1.1") == true)

        var wrong = claims
        if case .object(var o) = wrong {
            o["iss"] = "did:example:someone-else"
            wrong = .object(o)
        }
        let bad = try VCJWT.sign(claims: wrong, key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let rb = await S.verify(.text(bad))
        #expect(rb.outcome == .invalid)
        #expect(rb.check("jwt.claims")?.status == .failed)

        // The `vc` claim may leave its dates to `nbf` / `exp`.
        vc.removeValue(forKey: "issuanceDate")
        vc.removeValue(forKey: "expirationDate")
        var short = claims
        if case .object(var o) = short {
            o["vc"] = .object(vc)
            o["exp"] = .number(DateTimeValue("2026-03-01T00:00:00Z")!.date.timeIntervalSince1970)
            short = .object(o)
        }
        let expired = try VCJWT.sign(claims: short, key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let re = await S.verify(.text(expired))
        #expect(re.outcome == .expired, "\(problems(re))")
        #expect(re.assertion?.issuedOn == "2026-01-15T09:00:00Z")
    }

    @Test func noneAndHMACAreRefusedBeforeAnyKeyLookup() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        let payload = S.claims(S.credential(issuer: did)).encoded()
        let counting = CountingLoader(StaticDocumentLoader())
        for header in [#"{"alg":"none","kid":"\#(kid)"}"#, #"{"alg":"HS256","kid":"https://issuer.example/k"}"#] {
            let jwt = VerifierTestSupport.jws(header: header, payload: payload) {
                VerifierTestSupport.hmacSHA256(key: Array("secret".utf8), message: $0)
            }
            let r = await S.verify(.text(jwt), loader: counting)
            #expect(r.outcome == .forged, "\(header): \(problems(r))")
            #expect(r.check("jws.algorithm")?.status == .failed)
        }
        #expect(counting.requested.isEmpty)
    }

    @Test func algorithmIsPinnedByTheKeyType() async throws {
        // An RSA key published for the issuer, a JWT claiming ES256 / EdDSA: refused as forged.
        let rsa = try PrivateKey.generate(.rsa2048)
        let keyDoc: JSONValue = [
            "id": "https://issuer.example/keys/1", "type": "JsonWebKey", "controller": .string(S.httpIssuer),
            "publicKeyJwk": .object(rsa.publicKey.jwk.mapValues { .string($0) }),
        ]
        let loader = S.loader(["https://issuer.example/keys/1": keyDoc])
        let payload = S.claims(S.credential(issuer: S.httpIssuer)).encoded()
        for alg in ["ES256", "EdDSA"] {
            let jwt = try VerifierTestSupport.jws(
                header: #"{"alg":"\#(alg)","kid":"https://issuer.example/keys/1"}"#, payload: payload
            ) { try rsa.signature(for: $0, algorithm: .rs256) }
            let r = await S.verify(.text(jwt), loader: loader)
            #expect(r.outcome == .forged, "\(alg): \(problems(r))")
        }
    }

    @Test func tamperedPayloadIsForged() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let parts = jwt.split(separator: ".").map(String.init)
        var claims = try JSONValue(parsing: Base64URL.decode(parts[1])!)
        if case .object(var o) = claims {
            o["name"] = "Habilitation électrique"
            claims = .object(o)
        }
        let forged = parts[0] + "." + Base64URL.encode(claims.encoded()) + "." + parts[2]
        let r = await S.verify(.text(forged))
        #expect(r.outcome == .forged)
        #expect(r.check("signature")?.status == .failed)
    }

    @Test func keyControlledBySomeoneElseIsForged() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let loader = S.loader([
            "https://issuer.example/.well-known/did.json": S.didDocument(key, controller: "did:web:attacker.example")
        ])
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.webIssuer)), key: key, algorithm: .edDSA,
            header: ["kid": .string("\(S.webIssuer)#key-1")])
        let r = await S.verify(.text(jwt), loader: loader)
        #expect(r.outcome == .forged)
        #expect(r.check("key.owner")?.status == .failed)
        // A did:key of another issuer: its controller is that DID.
        let (_, otherKid) = S.didKey(key)
        let other = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.httpIssuer)), key: key, algorithm: .edDSA,
            header: ["kid": .string(otherKid)])
        #expect(await S.verify(.text(other)).outcome == .forged)
    }

    @Test func unreachableKeyIsIndeterminate() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.webIssuer)), key: key, algorithm: .edDSA,
            header: ["kid": .string("\(S.webIssuer)#key-1")])
        let r = await S.verify(.text(jwt), loader: FailingLoader())
        #expect(r.verdict == .indeterminate, "\(problems(r))")
        let r404 = await S.verify(.text(jwt))
        #expect(r404.verdict == .indeterminate)
    }

    @Test func headerJWKCountsOnlyForADidKeyIssuer() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, _) = S.didKey(key)
        let jwk: JSONValue = .object(key.publicKey.jwk.mapValues { .string($0) })
        let good = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: .edDSA, header: ["jwk": jwk])
        let r = await S.verify(.text(good))
        #expect(r.verdict == .valid, "\(problems(r))")
        let other = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: S.httpIssuer)), key: key, algorithm: .edDSA, header: ["jwk": jwk])
        #expect(await S.verify(.text(other)).verdict == .indeterminate)
    }

    @Test func datesStatusAndRecipient() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        func jwt(_ c: JSONValue) throws -> String {
            try VCJWT.sign(claims: S.claims(c), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        }
        let expired = await S.verify(.text(try jwt(S.credential(issuer: did, validUntil: "2026-02-01T00:00:00Z"))))
        #expect(expired.outcome == .expired)
        let future = await S.verify(.text(try jwt(S.credential(issuer: did, validFrom: "2027-01-01T00:00:00Z"))))
        #expect(future.outcome == .notYetValid)
        #expect(future.check("dates.issuedOn")?.message.fr.hasPrefix("Pas encore valide") == true)
        let status = await S.verify(.text(try jwt(S.credential(issuer: did, status: true))))
        // The status list cannot be fetched: indeterminate (StatusListTests checks lists).
        #expect(status.outcome == .unverifiable)
        #expect(status.check("revocation")?.message.fr.hasPrefix("Statut indéterminé") == true)
        let other = await S.verify(.text(try jwt(S.credential(issuer: did))), recipient: "paul@example.fr")
        #expect(other.outcome == .recipientMismatch)
    }

    @Test func everyCarrierIsRecognised() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        let png = await S.verify(.data(try S.png(jwt)))
        #expect(png.verdict == .valid, "\(problems(png))")
        #expect(png.inputFormat == "png")
        let svg = await S.verify(.data(S.svg(jwt: jwt)))
        #expect(svg.verdict == .valid, "\(problems(svg))")
        let file = await S.verify(.data(Array((jwt + "\n").utf8)))
        #expect(file.verdict == .valid)
        let loader = S.loader([:])
        var served = loader
        served.add("https://issuer.example/credentials/1", bytes: Array(jwt.utf8), contentType: "application/vc+jwt")
        let url = await S.verify(.url(URL(string: "https://issuer.example/credentials/1")!), loader: served)
        #expect(url.verdict == .valid, "\(problems(url))")

        // JSON credentials (embedded proofs): recognised as OB 3.0, not « not a badge ».
        let json = S.credential(issuer: did).encodedString()
        for input in [VerificationInput.text(json), .data(try S.png(json)), .data(S.svg(json: json))] {
            let r = await S.verify(input)
            #expect(r.outcome != .notABadge)
            #expect(r.assertion?.specVersion == "3.0")
        }
    }

    @Test func bakingStrictnessIsTheSameAsForOB2() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let (did, kid) = S.didKey(key)
        let jwt = try VCJWT.sign(
            claims: S.claims(S.credential(issuer: did)), key: key, algorithm: .edDSA, header: ["kid": .string(kid)])
        #expect(await S.verify(.data(try S.png(jwt, chunks: 2))).outcome == .malformed)
        #expect(await S.verify(.data(try S.png(jwt, compressed: true))).outcome == .malformed)
        let twoSVG = Array(
            (#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">"#
                + #"<o:credential verify="\#(jwt)"/><o:credential verify="\#(jwt)"/></svg>"#).utf8)
        #expect(await S.verify(.data(twoSVG)).outcome == .malformed)
        let xxe = Array(
            (#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>"#
                + #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">"#
                + "<o:credential>&x;</o:credential></svg>").utf8)
        let r = await S.verify(.data(xxe))
        #expect(r.verdict == .invalid)
    }

    @Test func jsonCredentialProofs() async throws {
        guard case .object(var c) = S.credential(issuer: S.httpIssuer) else { return }
        let none = await S.verify(.text(JSONValue.object(c).encodedString()))
        #expect(none.outcome == .invalid)
        #expect(none.check("proof")?.status == .failed)
        c["proof"] = [["type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z1"]]
        let di = await S.verify(.text(JSONValue.object(c).encodedString()))
        #expect(di.verdict == .invalid)
        #expect(di.check("proof")?.message.fr == "But de la preuve « absent » au lieu de « assertionMethod »")
    }
}
