import Foundation
import OpenBadgesCrypto

/// Open Badges 3.0 verification: VC-JWT proofs and the credential checks (ISSUE12 points 1, 3, 4).
/// Embedded Data Integrity proofs: `VerificationRun+DataIntegrity.swift`.
extension VerificationRun {
    // MARK: Entry points

    /// A credential given as JSON (file, baked image, URL): its embedded proof decides.
    func verifyOB3(json: JSONValue) async {
        guard let credential = readCredential(json) else { return }
        checkOB3Schema(credential)
        await checkEmbeddedProof(document: json)
        await checkOB3(credential, from: credential.validFrom, until: credential.validUntil)
    }

    /// The embedded `proof` of a credential (a badge or a status list credential).
    func checkEmbeddedProof(document: JSONValue) async {
        let proofTypes = (document["proof"]?.oneOrMany ?? []).compactMap { $0["type"]?.stringValue }
        if proofTypes.isEmpty {
            fail(
                "proof", .invalid, fr: "Aucune preuve : l'authenticité du badge ne peut pas être établie",
                en: "No proof: the badge's authenticity cannot be established")
        } else if proofTypes.contains(where: { ["DataIntegrityProof", "Ed25519Signature2020"].contains($0) }) {
            await checkDataIntegrity(document: document)
        } else {
            fail(
                "proof", .invalid,
                fr: "Type de preuve non pris en charge : \(proofTypes.joined(separator: ", "))",
                en: "Unsupported proof type: \(proofTypes.joined(separator: ", "))")
        }
    }

    /// A credential secured as a VC-JWT.
    func verifyOB3(jwt: VCJWT) async {
        jws = jwt.jws.compact
        pass("jws.structure", fr: "Structure JWT compacte correcte", en: "Well-formed compact JWT")
        let alg = jwt.jws.algorithm ?? ""
        // Pin the algorithm before any key lookup: `none` and HMAC are never accepted.
        guard let algorithm = VCJWT.acceptedAlgorithms[alg] else {
            fail(
                "jws.algorithm", .forged,
                fr:
                    "Algorithme de signature refusé : « \(alg.isEmpty ? "absent" : alg) » (RS256, ES256 ou EdDSA attendu)",
                en: "Signature algorithm refused: \"\(alg.isEmpty ? "missing" : alg)\" (RS256, ES256 or EdDSA expected)"
            )
            return
        }
        pass("jws.algorithm", fr: "Algorithme \(alg)", en: "\(alg) algorithm")
        guard let credential = readCredential(jwt.credential) else { return }
        checkOB3Schema(credential, jwt: jwt)
        summary?.verificationType = "VC-JWT \(alg)"
        checkClaims(jwt, credential)
        await checkJWTSignature(jwt, algorithm: algorithm, issuerID: credential.issuerID)
        if !credential.proofs.isEmpty {
            skip(
                "proof.embedded", blocking: false,
                fr: "Preuve intégrée en plus du JWT : non vérifiée (la signature du JWT fait foi)",
                en: "Embedded proof besides the JWT: not checked (the JWT signature is what counts)")
        }
        // VC-JWT 1.1: `nbf` / `exp` stand for issuanceDate / expirationDate when the `vc` claim omits them.
        let from = credential.validFrom ?? jwt.dateClaim("nbf").map(DateTimeValue.init)
        let until = credential.validUntil ?? jwt.dateClaim("exp").map(DateTimeValue.init)
        if credential.validFrom == nil { summary?.issuedOn = from?.text }
        if credential.validUntil == nil { summary?.expires = until?.text }
        await checkOB3(credential, from: from, until: until)
    }

    /// Reads the credential and records its structure check and summary.
    func readCredential(_ json: JSONValue) -> OB3Credential? {
        guard OB3Credential.isCredential(json) else {
            let types = (json["type"]?.oneOrMany ?? []).compactMap(\.stringValue).joined(separator: ", ")
            fail(
                "credential.structure", .notABadge,
                fr: "Ce justificatif vérifiable n'est pas un badge (type : \(types))",
                en: "This verifiable credential is not a badge (type: \(types))")
            return nil
        }
        if summary == nil { summary = AssertionSummary() }
        summary?.specVersion = "3.0"
        let credential: OB3Credential
        do { credential = try OB3Credential(document: json) } catch {
            fail("credential.structure", .malformed, fr: error.fr, en: error.en)
            return nil
        }
        assertionDocument = json
        var s = summary ?? AssertionSummary()
        s.specVersion = "3.0"
        s.id = credential.id
        s.issuerID = credential.issuerID
        s.issuerName = credential.issuerName
        s.issuedOn = credential.validFrom?.text
        s.expires = credential.validUntil?.text
        s.badgeID = credential.achievement?["id"]?.stringValue
        s.badgeName = credential.achievement?["name"]?.stringValue ?? json["name"]?.stringValue
        s.badgeDescription = credential.achievement?["description"]?.stringValue
        s.badgeImage = credential.achievementImage
        s.recipientHashed = credential.identities.first?.hashed
        summary = s
        pass(
            "credential.structure",
            fr: "Justificatif Open Badges 3.0 (\(credential.isVC2 ? "VC 2.0" : "VC 1.1")) lisible",
            en: "Readable Open Badges 3.0 credential (\(credential.isVC2 ? "VC 2.0" : "VC 1.1"))")
        return credential
    }

    // MARK: JWT

    /// `iss`, `jti`, `sub`, `nbf`, `exp` must agree with the credential they secure.
    func checkClaims(_ jwt: VCJWT, _ c: OB3Credential) {
        var problems: [String] = []
        func same(_ claim: String, _ value: String?) {
            if let v = jwt.stringClaim(claim), let value, v != value { problems.append(claim) }
            if jwt.claims[claim] != nil, jwt.stringClaim(claim) == nil { problems.append(claim) }
        }
        same("iss", c.issuerID)
        same("jti", c.id)
        same("sub", c.subjectID)
        func sameDate(_ claim: String, _ value: DateTimeValue?) {
            if jwt.claims[claim] != nil, jwt.dateClaim(claim) == nil { problems.append(claim) }
            if let d = jwt.dateClaim(claim), let value, abs(d.timeIntervalSince(value.date)) >= 1 {
                problems.append(claim)
            }
        }
        sameDate("nbf", c.validFrom)
        sameDate("exp", c.validUntil)
        if problems.isEmpty {
            pass(
                "jwt.claims", fr: "Revendications du JWT cohérentes avec le justificatif",
                en: "JWT claims consistent with the credential")
        } else {
            let list = problems.joined(separator: ", ")
            fail(
                "jwt.claims", .invalid, fr: "Revendications du JWT contredisant le justificatif : \(list)",
                en: "JWT claims contradicting the credential: \(list)")
        }
    }

    func checkJWTSignature(_ jwt: VCJWT, algorithm: SignatureAlgorithm, issuerID: String?) async {
        let resolved: ResolvedKey
        switch await resolveKey(jwt) {
        case .failure(let e) where e.unreachable:
            skip(
                "key.resolve", blocking: true, fr: "Clé publique inaccessible : \(e.fr)",
                en: "Public key unreachable: \(e.en)")
            return
        case .failure(let e):
            fail("key.resolve", .forged, fr: "Clé publique inutilisable : \(e.fr)", en: "Unusable public key: \(e.en)")
            return
        case .success(let r): resolved = r
        }
        pass(
            "key.resolve", fr: "Clé publique obtenue (\(resolved.method))",
            en: "Public key obtained (\(resolved.method))")
        if resolved.method == "jwk", !(issuerID ?? "").hasPrefix("did:key:") {
            // Anyone can sign with a key of their own: a header key proves nothing about the issuer.
            skip(
                "key.owner", blocking: true,
                fr: "Clé fournie dans l'en-tête du JWT, non rattachée à l'émetteur : authenticité non établie",
                en: "Key given in the JWT header, not tied to the issuer: authenticity not established")
            return
        } else if let issuerID, resolved.controller == issuerID {
            pass("key.owner", fr: "La clé appartient à l'émetteur", en: "The key belongs to the issuer")
        } else {
            let owner = resolved.controller ?? "?"
            fail(
                "key.owner", .forged, fr: "La clé appartient à « \(owner) », pas à l'émetteur « \(issuerID ?? "?") »",
                en: "The key belongs to \"\(owner)\", not to the issuer \"\(issuerID ?? "?")\"")
            return
        }
        guard resolved.key.algorithm.supports(algorithm) else {
            fail(
                "jws.algorithm", .forged,
                fr: "L'algorithme \(algorithm.rawValue) ne correspond pas à la clé (\(resolved.key.algorithm))",
                en: "The \(algorithm.rawValue) algorithm does not match the key (\(resolved.key.algorithm))")
            return
        }
        if resolved.key.isValidSignature(jwt.jws.signature, for: jwt.jws.signingInput, algorithm: algorithm) {
            pass(
                "signature", fr: "Signature \(algorithm.rawValue) valide (VC-JWT)",
                en: "Valid \(algorithm.rawValue) signature (VC-JWT)")
        } else {
            fail(
                "signature", .forged,
                fr: "Signature invalide : le badge a été modifié ou n'a pas été signé par cet émetteur",
                en: "Invalid signature: the badge was altered or not signed by this issuer")
        }
    }

    /// The key named by the JWT header: `kid` (did:key, did:web or http(s) URL) or `jwk`.
    func resolveKey(_ jwt: VCJWT) async -> Result<ResolvedKey, KeyResolutionError> {
        do throws(KeyResolutionError) {
            if let kid = jwt.jws.header["kid"]?.stringValue {
                return .success(try await resolveKey(id: kid))
            }
            if let jwk = jwt.jws.header["jwk"] {
                let key = try KeyMaterial.publicKey(jwk: jwk)
                let did = Multibase.multikey(key).map { "did:key:" + $0 }
                return .success(ResolvedKey(key: key, controller: did, method: "jwk"))
            }
            throw KeyResolutionError(
                fr: "le JWT n'indique pas sa clé (ni « kid » ni « jwk »)",
                en: "the JWT names no key (neither \"kid\" nor \"jwk\")", unreachable: true)
        } catch {
            return .failure(error)
        }
    }

    /// Resolves a verification method id.
    func resolveKey(id: String) async throws(KeyResolutionError) -> ResolvedKey {
        if id.hasPrefix("did:key:") { return try DIDResolution.didKey(id) }
        let documentURL: String
        let via: String
        if id.hasPrefix("did:web:") {
            documentURL = try DIDResolution.didWebURL(id)
            via = "did:web"
        } else if let scheme = URL(string: id)?.scheme?.lowercased(), scheme == "https" || scheme == "http" {
            documentURL = Self.documentURL(id)
            via = "url"
        } else {
            // Not forged, only unobtainable here (e.g. a DID method Insigne does not resolve): indeterminate.
            throw KeyResolutionError(
                fr: "méthode de clé non prise en charge (« \(id.prefix(40)) »)",
                en: "unsupported key method (\"\(id.prefix(40))\")", unreachable: true)
        }
        let doc: LoadedDocument
        switch await load(documentURL) {
        case .failure(let e):
            throw KeyResolutionError(
                fr: "\(documentURL) : \(e.message)", en: "\(documentURL): \(e.message)", unreachable: true)
        case .success(let d): doc = d
        }
        guard (200..<300).contains(doc.statusCode) else {
            throw KeyResolutionError(
                fr: "\(documentURL) : HTTP \(doc.statusCode)", en: "\(documentURL): HTTP \(doc.statusCode)",
                unreachable: true)
        }
        // The method read from these exact bytes before is reused (JWK/Multikey decoding costs a signature check).
        let cacheKey = "verificationMethod " + id
        if case .verificationMethod(let cached) = modelCache.value(cacheKey, body: doc.body) { return cached }
        guard let json = doc.json ?? (try? JSONValue(parsing: doc.body)) else {
            throw KeyResolutionError(fr: "\(documentURL) n'est pas du JSON", en: "\(documentURL) is not JSON")
        }
        guard let method = DIDResolution.method(id, in: json) else {
            throw KeyResolutionError(
                fr: "la clé « \(id) » est absente du document \(documentURL)",
                en: "the key \"\(id)\" is not in the document \(documentURL)")
        }
        var resolved = try DIDResolution.key(of: method, via: via)
        if via == "did:web", resolved.controller == nil { resolved.controller = json["id"]?.stringValue }
        modelCache.store(cacheKey, body: doc.body, value: .verificationMethod(resolved))
        return resolved
    }

    /// `id` up to its fragment: over bytes for an ASCII id (iterating characters took a few per cent of a VC-JWT
    /// verification), over characters otherwise (a `#` with a combining mark is not a fragment mark there).
    static func documentURL(_ id: String) -> String {
        var copy = id
        let cut: Int? = copy.withUTF8 { u in
            guard u.allSatisfy({ $0 < 0x80 }) else { return nil }
            return u.firstIndex(of: UInt8(ascii: "#")) ?? u.count
        }
        guard let cut else { return String(id.prefix { $0 != "#" }) }
        return cut == id.utf8.count ? id : String(decoding: id.utf8.prefix(cut), as: UTF8.self)
    }

    // MARK: Credential checks

    func checkOB3(_ c: OB3Credential, from: DateTimeValue?, until: DateTimeValue?) async {
        if let issuerID = c.issuerID, !issuerID.isEmpty {
            pass("issuer.structure", fr: "Émetteur identifié (\(issuerID))", en: "Issuer identified (\(issuerID))")
        } else {
            fail(
                "issuer.structure", .malformed, fr: "Émetteur absent ou sans « id »",
                en: "Issuer missing or without an \"id\"")
        }
        if let achievement = c.achievement, achievement["name"]?.stringValue != nil {
            pass("badge.structure", fr: "Réussite (« achievement ») décrite", en: "Achievement described")
        } else {
            fail(
                "badge.structure", .malformed, fr: "« credentialSubject » sans réussite (« achievement ») nommée",
                en: "\"credentialSubject\" without a named \"achievement\"")
        }
        checkOB3Dates(c, from: from, until: until)
        await checkOB3Status(c)
        checkOB3Recipient(c)
    }

    func checkOB3Dates(_ c: OB3Credential, from validFrom: DateTimeValue?, until validUntil: DateTimeValue?) {
        let now = options.now
        if let from = validFrom {
            let day = HumanDate.text(from.date)
            if from.date > now {
                fail(
                    "dates.issuedOn", .notYetValid, fr: "Pas encore valide (à partir du \(day.fr))",
                    en: "Not yet valid (from \(day.en))", detail: iso(from))
            } else {
                pass("dates.issuedOn", fr: "Émis le \(day.fr)", en: "Issued on \(day.en)")
            }
        } else if !c.isVC2 {
            fail("dates.issuedOn", .malformed, fr: "Date d'émission absente", en: "Issue date missing")
        }
        guard let until = validUntil else {
            pass("dates.expires", fr: "Pas de date d'expiration", en: "No expiry date")
            return
        }
        let day = HumanDate.text(until.date)
        if let from = validFrom, until.date < from.date {
            fail(
                "dates.expires", .invalid, fr: "La date d'expiration précède la date d'émission",
                en: "The expiry date is before the issue date")
        } else if until.date <= now {
            fail("dates.expires", .expired, fr: "Expiré depuis le \(day.fr)", en: "Expired on \(day.en)")
        } else {
            pass("dates.expires", fr: "Valide jusqu'au \(day.fr)", en: "Valid until \(day.en)")
        }
    }

    func checkOB3Recipient(_ c: OB3Credential) {
        guard let expected = options.recipient else {
            skip(
                "recipient", blocking: false, fr: "Destinataire non vérifié (aucune adresse fournie)",
                en: "Recipient not checked (no identifier given)")
            return
        }
        for identity in c.identities {
            if let match = expected.match(identity) {
                recipientMatch = match
                pass("recipient", fr: "Délivré à \(expected.value)", en: "Issued to \(expected.value)")
                return
            }
        }
        fail(
            "recipient", .recipientMismatch, fr: "Ce badge n'a pas été délivré à \(expected.value)",
            en: "This badge was not issued to \(expected.value)")
    }
}
