import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Authorisation rules: `admin` may do everything; `staff` only within its issuer.
enum Access {
    /// The signed-in account (401 if the middleware did not run).
    static func account(_ context: AppRequestContext) throws -> AccountRecord {
        guard let a = context.account else {
            throw ServiceError(.unauthorized, fr: "authentification requise", en: "authentication required")
        }
        return a
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

    /// True when the account may act for this issuer.
    static func may(_ account: AccountRecord, issuer issuerID: String) -> Bool {
        account.role == .admin || (account.role == .staff && account.issuerID == issuerID)
    }

    /// How this account imports competency frameworks: administrators for the site, staff for their issuer (nil:
    /// may not import).
    static func frameworkImporter(_ account: AccountRecord) -> FrameworkImporter? {
        switch account.role {
        case .admin: .site
        case .staff: account.issuerID.map { .issuer($0) }
        case .learner: nil
        }
    }

    /// True when the account may see, review and cite what was submitted to this issuer (`nil`: the site, whose
    /// learners only administrators see). Staff act only within their own issuer; the parent/child hierarchy of
    /// issuers grants nothing.
    static func maySee(_ account: AccountRecord, submittedTo issuerID: String?) -> Bool {
        guard account.erasedAt == nil else { return false }
        if account.role == .admin { return true }
        guard account.role == .staff, let mine = account.issuerID, let issuerID else { return false }
        return mine == issuerID
    }

    /// The account, when it may act for this issuer (403 otherwise).
    @discardableResult
    static func requireIssuer(_ context: AppRequestContext, _ issuerID: String) throws -> AccountRecord {
        let a = try account(context)
        guard may(a, issuer: issuerID) else {
            throw ServiceError(
                .forbidden, fr: "votre compte est limité à l'émetteur « \(a.issuerID ?? "-") »",
                en: "your account is limited to the issuer \"\(a.issuerID ?? "-")\"")
        }
        return a
    }
}
