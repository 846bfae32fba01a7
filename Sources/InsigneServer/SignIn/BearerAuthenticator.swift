import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Bearer-token authentication for the API: `Authorization: Bearer <token>`; the token's SHA-256 (hex) is looked
/// up in `apiToken`, and its account is put in `context.account` with its roles in `context.staff`. Missing or unknown tokens answer 401.
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
        let staff = try await Staff.load(account, db: db)
        context.staff = staff
        return try await Staff.$current.withValue(staff) { try await next(request, context) }
    }

    static func unauthorized(_ request: Request, fr: String, en: String, error: String?) -> Response {
        var e = ServiceError(.unauthorized, fr: fr, en: en)
        e.challenge = "Bearer realm=\"insigne\"" + (error.map { ", error=\"\($0)\"" } ?? "")
        return e.problemResponse(english: Language(request).english)
    }
}
