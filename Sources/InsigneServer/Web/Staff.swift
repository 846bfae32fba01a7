import Foundation
import InsigneStore

/// What a staff member does for an issuer; each role grants some of them (see `Staff.actions(of:)`).
enum StaffAction: Sendable, Hashable, CaseIterable {
    /// Edit the issuer, create / edit / archive / delete its badge classes, manage its members, import frameworks.
    case manage
    /// Award, revoke, bulk awards, invite learners, see the awards and certificates.
    case award
    /// See and review the evidence submitted to the issuer.
    case review
}

/// Who is acting: the signed-in account's site role and its roles per issuer, loaded once per request by the
/// session or bearer authentication (`PageEnv.staff`, `AppRequestContext.staff`). Administrators may do everything
/// everywhere; staff only what their roles grant, issuer by issuer; learners nothing.
struct Staff: Sendable, Equatable {
    /// The account.
    let accountID: String
    /// True for a site administrator.
    let isAdmin: Bool
    /// The roles held, by issuer id.
    let roles: [String: Set<MembershipRecord.Role>]

    /// Nobody: no account, or one that may act for no issuer.
    static let nobody = Staff(accountID: "", isAdmin: false, roles: [:])

    /// The account's grants from its memberships (a learner or an erased account holds none).
    init(_ account: AccountRecord, memberships: [MembershipRecord]) {
        accountID = account.id
        let live = account.erasedAt == nil
        isAdmin = live && account.role == .admin
        var roles: [String: Set<MembershipRecord.Role>] = [:]
        if live, account.role == .staff {
            for m in memberships where m.accountID == account.id { roles[m.issuerID, default: []].insert(m.role) }
        }
        self.roles = roles
    }

    init(accountID: String, isAdmin: Bool, roles: [String: Set<MembershipRecord.Role>]) {
        self.accountID = accountID
        self.isAdmin = isAdmin
        self.roles = roles
    }

    /// Loads the account's memberships.
    static func load(_ account: AccountRecord, db: AppDatabase) async throws -> Staff {
        guard account.role == .staff, account.erasedAt == nil else { return Staff(account, memberships: []) }
        return Staff(account, memberships: try await db.memberships(accountID: account.id))
    }

    /// The actions a role grants.
    static func actions(of role: MembershipRecord.Role) -> Set<StaffAction> {
        switch role {
        case .manager: [.manage, .award, .review]
        case .trainer: [.award, .review]
        case .reviewer: [.review]
        }
    }

    /// True when this person may do `action` for the issuer (`nil`: the site itself, administrators only).
    func may(_ action: StaffAction, issuer issuerID: String?) -> Bool {
        if isAdmin { return true }
        guard let issuerID, let held = roles[issuerID] else { return false }
        return held.contains { Self.actions(of: $0).contains(action) }
    }

    /// The issuers this person may do `action` for (nil: every issuer, for an administrator), sorted.
    func issuerIDs(for action: StaffAction) -> [String]? {
        if isAdmin { return nil }
        return roles.keys.filter { may(action, issuer: $0) }.sorted()
    }

    /// True when the person holds at least one role somewhere, or administers the site.
    var isStaff: Bool { isAdmin || !roles.isEmpty }

    /// The grants of the request being answered, for the rules that only get the account (`Access.may`,
    /// `PageFeature.mayAct`); set by the authentication middleware around the handler.
    @TaskLocal static var current: Staff?

    /// The grants of `account`: the request's when they are that account's; otherwise an administrator's or none
    /// (a rule asked about another account than the signed-in one fails closed).
    static func of(_ account: AccountRecord) -> Staff {
        if let c = current, c.accountID == account.id { return c }
        return Staff(account, memberships: [])
    }
}
