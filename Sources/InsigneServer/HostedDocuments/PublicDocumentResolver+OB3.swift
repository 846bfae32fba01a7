import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

extension PublicDocumentResolver {
    /// The OB 3.0 documents under `/ob3/…` (`parts` without the leading `ob3`): issuer profiles, key documents and
    /// revocation status lists.
    func resolveOB3(_ parts: [String]) async throws -> PublicDocument? {
        switch parts.count {
        case 2 where parts[0] == "issuers":
            guard let issuer = try await db.issuer(id: parts[1]) else { return nil }
            var parent: IssuerRecord?
            if let parentID = issuer.parentID { parent = try await db.issuer(id: parentID) }
            return json(documents.ob3Profile(issuer, parent: parent))
        case 2 where parts[0] == "keys":
            if let key = try await db.dataIntegrityKey(id: parts[1]) { return json(documents.ob3Key(key)) }
            guard let key = try await db.signingKey(id: parts[1]) else { return nil }
            return json(try documents.ob3Key(key))
        case 4 where parts[0] == "issuers" && parts[2] == "status" && parts[3] == StatusLists.revocation:
            return try await statusList(issuerID: parts[1])
        default:
            return nil
        }
    }

    /// The issuer's signed `BitstringStatusListCredential`: cacheable for five minutes by verifiers (a revocation
    /// is seen within that delay), with an ETag.
    func statusList(issuerID: String) async throws -> PublicDocument? {
        let issuing = self.issuing
        guard
            let list = try await issuing.statusLists.credential(
                issuerID: issuerID, key: { try await issuing.activeDataIntegrityKey(issuerID: $0) })
        else { return nil }
        var doc = json(list)
        doc.etag = "\"\(SHA256Digest.hexHash(doc.body).prefix(32))\""
        doc.cacheControl = "public, max-age=300"
        return doc
    }
}
