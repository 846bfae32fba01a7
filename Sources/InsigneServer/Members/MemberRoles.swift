import Foundation
import InsigneStore
import OpenBadges

/// The staff roles as people read them (French first) and as the API and forms name them.
enum MemberRoles {
    /// The role named `value` (`manager`, `trainer`, `reviewer`), or a 422 naming `field`.
    static func parse(_ value: String, field: String = "role") throws -> MembershipRecord.Role {
        guard let role = MembershipRecord.Role(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased())
        else {
            throw ServiceError(
                .unprocessable, field: field,
                fr:
                    "rôle inconnu « \(value) » : manager (responsable), trainer (formateur·rice) ou reviewer (évaluateur·rice)",
                en: "unknown role \"\(value)\": manager, trainer or reviewer")
        }
        return role
    }

    /// The role's name.
    static func label(_ role: MembershipRecord.Role) -> LocalizedText {
        switch role {
        case .manager: LocalizedText(fr: "Responsable", en: "Manager")
        case .trainer: LocalizedText(fr: "Formateur·rice", en: "Trainer")
        case .reviewer: LocalizedText(fr: "Évaluateur·rice", en: "Reviewer")
        }
    }

    /// The roles `staff` holds in the issuer, named and comma-separated ("Administrateur" for the site's).
    static func held(_ staff: Staff, issuerID: String, english: Bool) -> String {
        let roles = MembershipRecord.Role.allCases.filter { staff.roles[issuerID]?.contains($0) == true }
        var names = roles.map { english ? label($0).en : label($0).fr }
        if staff.isAdmin { names.insert(english ? "Administrator" : "Administrateur·rice", at: 0) }
        return names.joined(separator: ", ")
    }
}
