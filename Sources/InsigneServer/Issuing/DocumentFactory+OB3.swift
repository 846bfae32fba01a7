import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

extension DocumentFactory {
    /// The `@context` of every OB 3.0 document Insigne emits (VC Data Model 2.0, OB 3.0.3).
    public static let ob3Context: JSONValue = [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]

    /// The OB 3.0 issuer `Profile` (the credentials' `issuer`, the keys' `controller`), with its parent
    /// organisation for an establishment. No personal data: the contact address is the issuer's own.
    public func ob3Profile(_ issuer: IssuerRecord, parent: IssuerRecord?) -> JSONValue {
        var p = ob3ProfileSummary(issuer)
        p["@context"] = Self.ob3Context
        p["url"] = .string(issuer.url)
        p["email"] = .string(issuer.email)
        if let d = issuer.description, !d.isEmpty { p["description"] = .string(d) }
        if issuer.imageData != nil { p["image"] = ["id": .string(urls.issuerImage(issuer.id)), "type": "Image"] }
        if let parent { p["parentOrg"] = .object(ob3ProfileSummary(parent)) }
        return .object(p)
    }

    /// The members of a profile embedded in a credential or as a parent organisation: id, type, name.
    public func ob3ProfileSummary(_ issuer: IssuerRecord) -> [String: JSONValue] {
        ["id": .string(urls.ob3Issuer(issuer.id)), "type": ["Profile"], "name": .string(issuer.name)]
    }

    /// The `JsonWebKey` document of an RSA signing key: the `kid` of the issuer's VC-JWTs.
    public func ob3Key(_ key: SigningKeyRecord) throws -> JSONValue {
        let jwk = try PublicKey(pem: key.publicKeyPEM).jwk
        return [
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": .string(urls.ob3Key(key.id)), "type": "JsonWebKey",
            "controller": .string(urls.ob3Issuer(key.issuerID)),
            "publicKeyJwk": .object(jwk.mapValues { .string($0) }),
        ]
    }

    /// The `Multikey` document of an Ed25519 key: the `verificationMethod` of the issuer's Data Integrity proofs.
    public func ob3Key(_ key: DataIntegrityKeyRecord) -> JSONValue {
        [
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": .string(urls.ob3Key(key.id)), "type": "Multikey",
            "controller": .string(urls.ob3Issuer(key.issuerID)),
            "publicKeyMultibase": .string(key.publicKeyMultibase),
        ]
    }
}
