import Foundation
import InsigneStore
import OpenBadges

extension DocumentFactory {
    /// A badge class as an OB 3.0 `Achievement`: the same facts as the OB 2.0 BadgeClass, which `related` names.
    public func ob3AchievementFacts(_ badge: BadgeClassRecord) -> OB3AchievementFacts {
        OB3AchievementFacts(
            id: urls.ob3Achievement(badge.id), name: badge.name, description: badge.description,
            criteriaURL: badge.criteriaURL, criteriaNarrative: badge.criteriaNarrative,
            image: urls.badgeImage(badge.id), alignment: badgeClass(badge).alignment, tags: badge.tags,
            related: [urls.badgeClass(badge.id)])
    }

    /// The `Achievement` document served at its id, with its creator (the issuer's OB 3.0 profile summary).
    public func ob3Achievement(_ badge: BadgeClassRecord, issuer: IssuerRecord?) -> JSONValue {
        let creator = issuer.map { OB3IssuerFacts(id: urls.ob3Issuer($0.id), name: $0.name) }
        guard case .object(var o) = OB3CredentialBuilder.achievement(ob3AchievementFacts(badge), creator: creator)
        else { return .null }
        o["@context"] = Self.ob3Context
        return .object(o)
    }
}
