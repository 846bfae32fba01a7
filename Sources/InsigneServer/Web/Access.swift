import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Authorisation rules, on the roles per issuer (`Staff`, `StaffAction`): `admin` may do everything; staff what
/// their roles grant in each issuer (manager: manage + award + review; trainer: award + review; reviewer: review).
enum Access {
    /// The signed-in account (401 if the middleware did not run).
    static func account(_ context: AppRequestContext) throws -> AccountRecord {
        guard let a = context.account else {
            throw ServiceError(.unauthorized, fr: "authentification requise", en: "authentication required")
        }
        return a
    }

    /// The grants of the request's account (none without one).
    static func staff(_ context: AppRequestContext) -> Staff {
        if let s = context.staff, s.accountID == context.account?.id { return s }
        return context.account.map { Staff.of($0) } ?? .nobody
    }

    /// Admin only (403 for staff).
    @discardableResult
    static func requireAdmin(_ context: AppRequestContext) throws -> AccountRecord {
        let a = try account(context)
        guard a.role == .admin else {
            throw ServiceError(
                .forbidden, fr: "réservé aux administrateurs", en: "administrators only")
        }
        return a
    }

    /// True when the account may do `action` for this issuer (its request's roles).
    static func may(_ account: AccountRecord, issuer issuerID: String, _ action: StaffAction = .award) -> Bool {
        Staff.of(account).may(action, issuer: issuerID)
    }

    /// How this account imports competency frameworks: administrators for the site, a manager for the first issuer
    /// it manages (by id); nil: may not import.
    static func frameworkImporter(_ account: AccountRecord) -> FrameworkImporter? {
        let staff = Staff.of(account)
        if staff.isAdmin { return .site }
        return staff.issuerIDs(for: .manage)?.first.map { .issuer($0) }
    }

    /// True when the account may see, review and cite what was submitted to this issuer (`nil`: the site, whose
    /// learners only administrators see): a role granting `.review` there. The parent/child hierarchy of issuers
    /// grants nothing.
    static func maySee(_ account: AccountRecord, submittedTo issuerID: String?) -> Bool {
        Staff.of(account).may(.review, issuer: issuerID)
    }

    /// The account, when it may do `action` for this issuer (403 otherwise).
    @discardableResult
    static func requireIssuer(_ context: AppRequestContext, _ issuerID: String, _ action: StaffAction = .award)
        throws -> AccountRecord
    {
        let a = try account(context)
        guard staff(context).may(action, issuer: issuerID) else { throw forbidden(issuerID, action) }
        return a
    }

    /// The refusal of an action for an issuer on a page: a sentence naming the role it needs and who grants it.
    static func pageRefusal(_ issuer: IssuerRecord, _ action: StaffAction) -> ServiceError {
        let (fr, en) =
            switch action {
            case .manage: ("responsable", "manager")
            case .award: ("formateur·rice ou responsable", "trainer or manager")
            case .review: ("évaluateur·rice, formateur·rice ou responsable", "reviewer, trainer or manager")
            }
        return ServiceError(
            .forbidden,
            fr: "Cette action demande le rôle de \(fr) de « \(issuer.name) ». "
                + "Un·e responsable de l'établissement ou un administrateur peut vous le donner.",
            en: "This action needs the \(en) role at \(issuer.name). "
                + "A manager of the issuer or an administrator can give it to you.")
    }

    /// The refusal of an action for an issuer.
    static func forbidden(_ issuerID: String, _ action: StaffAction) -> ServiceError {
        let (fr, en) =
            switch action {
            case .manage: ("responsable", "manager")
            case .award: ("formateur·rice ou responsable", "trainer or manager")
            case .review: ("évaluateur·rice, formateur·rice ou responsable", "reviewer, trainer or manager")
            }
        return ServiceError(
            .forbidden, fr: "il faut être \(fr) de l'émetteur « \(issuerID) » (ou administrateur)",
            en: "you must be \(en) of the issuer \"\(issuerID)\" (or an administrator)")
    }
}
