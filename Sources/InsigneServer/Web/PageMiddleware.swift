import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore

/// Who may open the pages of a route group; checked by `PageMiddleware` before the handler runs.
enum PagePolicy: Sendable {
    /// Anyone; the session is read when there is one (sign-in, invitations, published evidence).
    case anyone
    /// A signed-in account of any role (the learner's pages check the role themselves).
    case signedIn
    /// A signed-in trainer or administrator: learners are sent to their portfolio (GET) or refused.
    case staff
}

/// What a page handler knows about the request: language, the signed-in account and its session.
struct PageEnv: Sendable {
    /// The language of the page.
    var language: Language
    /// The request path (for the language switch link).
    var path: String
    /// The signed-in account, if any.
    var account: AccountRecord?
    /// Its roles per issuer (`Staff.nobody` when anonymous).
    var staff: Staff = .nobody
    /// Its session (CSRF token).
    var session: WebSessionRecord?
    /// The session cookie's token (to end the session).
    var sessionToken: String?
    /// The trainer pages' strings in the page's language.
    var t: [String: String]

    /// An anonymous page in the request's language.
    init(_ request: Request) {
        language = Language(request)
        path = request.uri.path
        t = WebText.table(language)
    }

    /// True when the signed-in person may do `action` for the issuer.
    func may(_ action: StaffAction, issuer issuerID: String?) -> Bool { staff.may(action, issuer: issuerID) }
    /// True for English.
    var english: Bool { language.english }
    /// `fr` or `en`.
    var lang: String { language.rawValue }
    /// The signed-in account (only under the `signedIn` and `staff` policies).
    var user: AccountRecord { account! }
    /// `fr` or `en` in the page's language.
    func text(_ fr: String, _ en: String) -> String { language.text(fr, en) }
}

extension AppRequestContext {
    /// The page environment set by `PageMiddleware` (an anonymous one outside page groups).
    var env: PageEnv { page ?? PageEnv(language: .fr, path: "", t: WebText.table(.fr)) }
}

extension PageEnv {
    fileprivate init(language: Language, path: String, t: [String: String]) {
        self.language = language
        self.path = path
        self.t = t
    }
}

/// The middleware of every HTML page group: language (and its cookie when `?lang=` is given), session, the group's
/// `PagePolicy`, and errors rendered as the HTML error page. Pages are never cached.
struct PageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let policy: PagePolicy
    let sessions: WebSessionStore
    let secureCookies: Bool
    /// Renders the HTML error page.
    let errorPage: @Sendable (PageEnv, HTTPResponse.Status, String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var env = PageEnv(request)
        var response: Response
        do {
            if let token = request.cookies[WebSessionStore.cookieName]?.value,
                let (account, session) = try await sessions.find(token: token)
            {
                env.account = account
                env.session = session
                env.sessionToken = token
                env.staff = try await Staff.load(account, db: sessions.db)
            }
            if let refusal = refusal(request, env) {
                response = refusal
            } else {
                var context = context
                context.page = env
                if env.account != nil {
                    context.account = env.account
                    context.staff = env.staff
                }
                response = try await Staff.$current.withValue(env.staff) { try await next(request, context) }
            }
        } catch {
            response = errorResponse(error, env, request, context)
        }
        if let chosen = Language.chosen(request) {
            let cookie = WebSecurity.cookie(
                Language.cookieName, chosen.rawValue, maxAge: 365 * 86400, secure: secureCookies)
            response.headers.append(HTTPField(name: .setCookie, value: cookie))
        }
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }

    /// The answer when the policy refuses the request, nil when the handler may run.
    func refusal(_ request: Request, _ env: PageEnv) -> Response? {
        if policy != .anyone, env.account == nil {
            guard request.method == .get else {
                let e = ServiceError(
                    .forbidden, fr: "Votre session a expiré : reconnectez-vous puis recommencez.",
                    en: "Your session has expired: sign in again and retry.")
                return errorPage(env, e.status, env.language.text(e.message))
            }
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Self.redirect("/login?next=" + WebForm.encode(next))
        }
        if policy == .staff, env.account?.role == .learner {
            // Learners have their own pages; the trainers' pages are not theirs.
            guard request.method == .get else {
                return errorPage(env, .forbidden, env.language.text(ServiceError.forbidden().message))
            }
            return Self.redirect("/portfolio")
        }
        return nil
    }

    /// The HTML error page of a thrown error; unexpected errors are logged and never echoed.
    func errorResponse(_ error: any Error, _ env: PageEnv, _ request: Request, _ context: Context) -> Response {
        if BodyLimit.isTooLarge(error) {
            let text = BodyLimit.message(limit: context.maxUploadSize)
            return errorPage(env, .contentTooLarge, env.text(text.fr, text.en))
        }
        let e = ServiceError(error)
        if e.kind == .serverError {
            context.logger.error("page \(request.uri.path): \(e.underlying ?? error)")
        }
        return errorPage(env, e.status, e.fieldMessage(english: env.english))
    }

    /// A `303 See Other` to a local page.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

extension PagePolicy: Equatable {}
