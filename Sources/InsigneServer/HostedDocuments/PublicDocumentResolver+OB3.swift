import Foundation
import InsigneStore
import OpenBadges

extension PublicDocumentResolver {
    /// The OB 3.0 documents under `/ob3/…` (`parts` without the leading `ob3`): issuer profiles and key documents.
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
        default:
            return nil
        }
    }
}
