import Foundation
import LinkedData
import OpenBadgesCrypto

/// A credential in its two signed forms: the JSON with its embedded Data Integrity proof and the VC-JWT.
public struct OB3SignedForms: Sendable, Equatable {
    /// The credential with its `DataIntegrityProof` (`eddsa-rdfc-2022`), serialised once: these bytes are stored
    /// and served.
    public var json: String
    /// The VC-JWT (RS256), compact.
    public var jwt: String
}

/// Signs OB 3.0 credentials in both forms with one issuer's keys:
/// - VC-JWT RS256 with the RSA key: the payload IS the credential (OB 3.0 §8.2, VC 2.0), plus the registered
///   claims `iss` (issuer id), `jti` (credential id), `nbf` (validFrom), `exp` (validUntil, if any); `sub` only when
///   the subject has an `id` (Insigne's subjects are identified by a hashed e-mail: none). Header
///   `{"alg":"RS256","typ":"JWT","kid":…}`: `typ` `JWT` as OB 3.0 §8.2.4.1 and the 1EdTech validator's own
///   fixtures have it; the served media type is `application/vc+jwt`.
/// - Data Integrity `eddsa-rdfc-2022` with the Ed25519 key; `proof` is a one-element array, as the OB 3.0 schema
///   requires.
public struct OB3CredentialSigner: Sendable {
    /// The issuer's RSA key (VC-JWT).
    public let rsaKey: PrivateKey
    /// The URL of its key document (`kid`).
    public let rsaKeyID: String
    /// The issuer's Ed25519 key (Data Integrity).
    public let edKey: PrivateKey
    /// The URL of its Multikey document (`verificationMethod`).
    public let edKeyID: String

    /// Creates a signer; the keys must be RSA and Ed25519.
    public init(rsaKey: PrivateKey, rsaKeyID: String, edKey: PrivateKey, edKeyID: String) throws(IssuingError) {
        guard case .rsa = rsaKey.algorithm, case .ed25519 = edKey.algorithm else {
            throw IssuingError(
                fr: "les justificatifs Open Badges 3.0 exigent une clé RSA et une clé Ed25519",
                en: "Open Badges 3.0 credentials require an RSA key and an Ed25519 key")
        }
        self.rsaKey = rsaKey
        self.rsaKeyID = rsaKeyID
        self.edKey = edKey
        self.edKeyID = edKeyID
    }

    /// Both forms of `credential` (built by ``OB3CredentialBuilder``). `created` dates the Data Integrity proof.
    public func sign(
        _ credential: JSONValue, created: Date = Date(), loader: any ContextLoader = BundledContexts.standard
    ) throws -> OB3SignedForms {
        var proved = try DataIntegrity.sign(
            document: credential, key: edKey, verificationMethod: edKeyID, created: created, loader: loader)
        // The OB 3.0 schema wants `proof` as an array (VC 2.0 allows one object or a set: same RDF).
        if case .object(var o) = proved, let proof = o["proof"] {
            o["proof"] = [proof]
            proved = .object(o)
        }
        return try forms(proved: proved, credential: credential)
    }

    /// The stored JSON of `proved` and the VC-JWT of `credential`.
    func forms(proved: JSONValue, credential: JSONValue) throws -> OB3SignedForms {
        let jwt = try VCJWT.sign(
            claims: Self.claims(credential), key: rsaKey, algorithm: .rs256,
            header: ["typ": "JWT", "kid": .string(rsaKeyID)])
        return OB3SignedForms(json: String(decoding: proved.encoded(), as: UTF8.self), jwt: jwt)
    }

    /// The JWT claims: the credential itself plus the registered claims that repeat it.
    public static func claims(_ credential: JSONValue) -> JSONValue {
        guard case .object(var o) = credential else { return credential }
        let issuer = credential["issuer"]
        o["iss"] = issuer?.stringValue.map(JSONValue.string) ?? issuer?["id"]
        o["jti"] = credential["id"]
        if let subject = credential["credentialSubject"]?["id"] { o["sub"] = subject }
        if let from = credential["validFrom"]?.stringValue.flatMap(DateTimeValue.init) {
            o["nbf"] = .number(from.date.timeIntervalSince1970)
        }
        if let until = credential["validUntil"]?.stringValue.flatMap(DateTimeValue.init) {
            o["exp"] = .number(until.date.timeIntervalSince1970)
        }
        return .object(o)
    }
}
