import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Bearer-token authentication for the API: `Authorization: Bearer <token>`; the token's SHA-256 (hex) is looked
/// up in `apiToken`, and its account is put in `context.account`. Missing or unknown tokens answer 401.
struct BearerAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let db: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else {
            return Self.unauthorized(
                request, fr: "jeton d'API requis (en-tête Authorization: Bearer <jeton>)",
                en: "an API token is required (Authorization: Bearer <token> header)", error: nil)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return Self.unauthorized(
                request, fr: "en-tête Authorization mal formé : « Bearer <jeton> » attendu",
                en: "malformed Authorization header: \"Bearer <token>\" expected", error: "invalid_request")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 512 else {
            return Self.unauthorized(
                request, fr: "jeton d'API invalide", en: "invalid API token", error: "invalid_token")
        }
        let hash = SHA256Digest.hexHash(Array(token.utf8))
        let account = try await db.apiTokenAccount(tokenHash: hash)
        guard let account, account.role != .learner, account.erasedAt == nil else {
            return Self.unauthorized(
                request, fr: "jeton d'API inconnu ou révoqué", en: "unknown or revoked API token",
                error: "invalid_token")
        }
        var context = context
        context.account = account
        return try await next(request, context)
    }

    static func unauthorized(_ request: Request, fr: String, en: String, error: String?) -> Response {
        var e = ServiceError(.unauthorized, fr: fr, en: en)
        e.challenge = "Bearer realm=\"insigne\"" + (error.map { ", error=\"\($0)\"" } ?? "")
        return e.problemResponse(english: Language(request).english)
    }
}

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
