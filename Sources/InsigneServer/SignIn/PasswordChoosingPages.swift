import Foundation
import Hummingbird
import InsigneStore
import OpenBadgesCrypto

/// Pages where someone chooses a password and is then signed in: learner and staff invitations, the claim of an
/// awarded badge, the reset link, the first administrator's setup. One place hashes the new password on the bounded
/// pool and opens the session afterwards.
protocol PasswordChoosingPages: PageFeature {
    /// The bounded pool password hashing runs on.
    var hasher: PasswordHashingPool { get }
}

extension PasswordChoosingPages {
    /// The hash of a newly chosen password, computed on the bounded pool; nil when the pool is busy (answer with
    /// `busyPage`).
    func hashChosenPassword(_ password: String) async throws -> String? {
        do {
            return try await hasher.run { try PasswordHash.hash(password) }
        } catch is PasswordHashingPool.Busy {
            return nil
        }
    }

    /// Reads a public form checked against the pre-session CSRF cookie (as the login form is).
    func preSessionForm(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> WebForm {
        var plain = env
        plain.session = nil
        let form = try await self.form(request, context, plain)
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, WebSecurity.equal(form["csrf"], cookie) else {
            throw csrfError
        }
        return form
    }

    /// Signs `account` in on this browser (its previous session, if any, ends; the sign-in is audited), forgets the
    /// pre-session CSRF cookie and goes to `location`.
    func signIn(_ account: AccountRecord, _ env: Env, goTo location: String) async throws -> Response {
        if let old = env.sessionToken { try await sessions.delete(token: old) }
        let (session, _) = try await sessions.create(accountID: account.id)
        try await services.db.recordSignIn(accountID: account.id)
        return redirect(
            location,
            cookies: [
                WebSecurity.cookie(
                    WebSessionStore.cookieName, session, maxAge: Int(WebSessionStore.lifetime), secure: secureCookies),
                WebSecurity.cookie(Self.loginCSRFCookie, "", maxAge: 0, secure: secureCookies),
            ])
    }
}
