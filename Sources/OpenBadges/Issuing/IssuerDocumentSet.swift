/// The hosted documents a signed badge needs: issuer profile, its key, its revocation list and one badge class,
/// with consistent links (`publicKey` ↔ `owner`, `revocationList`, `issuer`).
public struct IssuerDocumentSet: Sendable {
    /// The issuer profile.
    public var profile: Profile
    /// The CryptographicKey document.
    public var key: CryptographicKey
    /// The revocation list.
    public var revocationList: RevocationList
    /// The badge class.
    public var badgeClass: BadgeClass

    /// Builds the documents under `baseURL` (no trailing slash), e.g. `https://badges.example.org`:
    /// `/issuers/{slug}`, `/keys/{slug}-1`, `/revocations/{slug}`, `/badges/{badgeSlug}`.
    public init(
        baseURL: String, issuerSlug: String, issuerName: String, issuerURL: String, issuerEmail: String,
        publicKeyPEM: String, badgeSlug: String, badgeName: String, badgeDescription: String, criteria: String,
        badgeImage: String, tags: [String] = [], alignment: [AlignmentObject] = []
    ) {
        let issuerID = "\(baseURL)/issuers/\(issuerSlug)"
        let keyID = "\(baseURL)/keys/\(issuerSlug)-1"
        let listID = "\(baseURL)/revocations/\(issuerSlug)"
        profile = Profile(
            id: issuerID, name: issuerName, url: issuerURL, email: issuerEmail, publicKey: [keyID],
            revocationList: listID)
        key = CryptographicKey(id: keyID, owner: issuerID, publicKeyPem: publicKeyPEM)
        revocationList = RevocationList(id: listID, issuer: issuerID, revokedAssertions: [])
        badgeClass = BadgeClass(
            id: "\(baseURL)/badges/\(badgeSlug)", name: badgeName, description: badgeDescription, image: badgeImage,
            criteria: Criteria(narrative: criteria), issuer: issuerID, alignment: alignment, tags: tags)
    }

    /// Every document with its URL.
    public var documents: [(url: String, json: JSONValue)] {
        [
            (profile.id, profile.json()), (key.id ?? "", key.json), (revocationList.id ?? "", revocationList.json),
            (badgeClass.id, badgeClass.json()),
        ]
    }

    /// A loader serving these documents (plus `extra` ones) from memory.
    public func loader(extra: [String: LoadedDocument] = [:]) -> StaticDocumentLoader {
        var l = StaticDocumentLoader(documents: extra)
        for d in documents { l.add(d.url, json: d.json) }
        return l
    }
}
