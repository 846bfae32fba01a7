import Foundation
import InsigneStore
import OpenBadges

/// Builds the public OB 2.0 documents from stored records. No recipient email ever goes into them.
public struct DocumentFactory: Sendable {
    /// The URL scheme.
    public let urls: PublicURLs

    /// Creates a factory.
    public init(urls: PublicURLs) { self.urls = urls }

    /// The issuer profile, listing every key it ever used (old badges keep verifying after a rotation).
    public func profile(_ issuer: IssuerRecord, keys: [SigningKeyRecord]) -> Profile {
        var p = Profile(
            id: urls.issuer(issuer.id), name: issuer.name, url: issuer.url, email: issuer.email,
            description: issuer.description, image: issuer.imageData == nil ? nil : .iri(urls.issuerImage(issuer.id)),
            publicKey: keys.map { urls.key($0.id) }, revocationList: urls.revocationList(issuer.id))
        p.type = ["Issuer"]
        return p
    }

    /// The CryptographicKey document.
    public func key(_ key: SigningKeyRecord) -> CryptographicKey {
        CryptographicKey(id: urls.key(key.id), owner: urls.issuer(key.issuerID), publicKeyPem: key.publicKeyPEM)
    }

    /// The badge class.
    public func badgeClass(_ b: BadgeClassRecord) -> BadgeClass {
        BadgeClass(
            id: urls.badgeClass(b.id), name: b.name, description: b.description, image: urls.badgeImage(b.id),
            criteria: Criteria(id: b.criteriaURL, narrative: b.criteriaNarrative), issuer: urls.issuer(b.issuerID),
            alignment: b.alignment.map {
                AlignmentObject(
                    targetName: $0.targetName, targetUrl: $0.targetUrl, targetDescription: $0.targetDescription,
                    targetFramework: $0.targetFramework, targetCode: $0.targetCode)
            }, tags: b.tags)
    }

    /// The revocation list: each revoked award is listed under both of its ids (signed `urn:uuid` and hosted URL).
    public func revocationList(issuerID: String, revoked: [AssertionRecord]) -> RevocationList {
        var entries: [RevocationList.Entry] = []
        for a in revoked.sorted(by: { $0.id < $1.id }) {
            entries.append(.init(id: "urn:uuid:\(a.id)", revocationReason: a.revocationReason))
            entries.append(.init(id: urls.assertion(a.id), revocationReason: a.revocationReason))
        }
        return RevocationList(
            id: urls.revocationList(issuerID), issuer: urls.issuer(issuerID), revokedAssertions: entries)
    }

    /// The hosted form of an award: same recipient hash, badge and dates as the signed form, `id` = its URL,
    /// HostedBadge verification.
    public func hostedAssertion(_ a: AssertionRecord) -> Assertion {
        var assertion = Assertion(
            id: urls.assertion(a.id),
            recipient: IdentityObject(
                type: "email", identity: a.recipientIdentity, hashed: true, salt: a.recipientSalt),
            badge: urls.badgeClass(a.badgeClassID), verification: VerificationObject(type: ["HostedBadge"]),
            issuedOn: DateTimeValue(a.issuedOn) ?? DateTimeValue(a.createdAt),
            expires: a.expires.flatMap(DateTimeValue.init), evidence: a.evidence.map(Self.evidence),
            narrative: a.narrative, image: urls.assertionPNG(a.id))
        assertion.type = ["Assertion"]
        return assertion
    }

    /// The body served with 410 Gone for a revoked hosted assertion.
    public func revokedAssertionBody(_ a: AssertionRecord) -> JSONValue {
        [
            "@context": .string(openBadgesV2Context), "id": .string(urls.assertion(a.id)), "type": "Assertion",
            "revoked": true, "revocationReason": .string(a.revocationReason ?? ""),
        ]
    }

    /// Evidence record → OB Evidence.
    static func evidence(_ e: EvidenceRecord) -> Evidence {
        Evidence(id: e.id, narrative: e.narrative, name: e.name, description: e.description, genre: e.genre)
    }
}
