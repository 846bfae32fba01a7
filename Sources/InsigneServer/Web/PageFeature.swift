import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import MultipartParsing
import OpenBadgesCrypto

/// A feature that answers HTML pages (trainer, sign-in, portfolio, review, backpack, Badge Connect consent,
/// referential pages): the shared page machinery — layout rendering, forms with CSRF check, redirects, error pages
/// and the issuer-access rules — as default methods. A conforming type only holds the services.
protocol PageFeature: Sendable {
    /// The service's shared services.
    var services: ServerServices { get }
}

extension PageFeature {
    /// What a page handler knows about the request (set by `PageMiddleware`).
    typealias Env = PageEnv
    /// The error pages throw.
    typealias PageError = ServiceError

    func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location]
        for c in cookies { headers.append(HTTPField(name: .setCookie, value: c)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// Renders a page inside the layout.
    func render(
        _ template: String, _ env: Env, title: String, status: HTTPResponse.Status = .ok, _ data: [String: Any] = [:],
        cookies: [String] = []
    ) -> Response {
        var d = data
        d["t"] = env.t
        d["lang"] = env.lang
        d["pageTitle"] = title
        d["otherLang"] = env.english ? "fr" : "en"
        d["langSwitchURL"] = data["langSwitchURL"] ?? env.path + "?lang=" + (env.english ? "fr" : "en")
        if let a = env.account, let s = env.session {
            d["account"] = [
                "displayName": a.displayName, "isAdmin": a.role == .admin, "isLearner": a.role == .learner,
                // Which staff links to show (each page checks again).
                "mayAward": env.staff.issuerIDs(for: .award).map { !$0.isEmpty } ?? true,
                "mayManage": env.staff.issuerIDs(for: .manage).map { !$0.isEmpty } ?? true,
            ]
            d["csrf"] = s.csrfToken
        }
        let html =
            Renderer.render(template, d)
            ?? "<!doctype html><title>Insigne</title><p>Template \(template) missing.</p>"
        var response = HTTP.html(html, status: status)
        response.headers[.contentLanguage] = env.lang
        for c in cookies { response.headers.append(HTTPField(name: .setCookie, value: c)) }
        return response
    }

    func errorPage(_ env: Env, status: HTTPResponse.Status, message: String) -> Response {
        let title = env.english ? status.reasonPhrase : Problem.frenchTitle(status)
        return render("layouts.error", env, title: title, status: status, ["status": status.code, "message": message])
    }

    /// Reads a POST body (URL-encoded or multipart) and checks the session's CSRF token.
    func form(_ request: Request, _ context: AppRequestContext, _ env: Env) async throws -> WebForm {
        var req = request
        let body = try await req.collectBody(upTo: context.maxUploadSize)
        let bytes = Array(body.readableBytesView)
        let contentType = request.headers[.contentType] ?? ""
        var form: WebForm
        if let boundary = MultipartFormData.boundary(contentType: contentType) {
            form = WebForm()
            do {
                for part in try MultipartFormData.parse(bytes, boundary: boundary) {
                    if part.filename != nil {
                        if form.files[part.name] == nil { form.files[part.name] = part }
                    } else {
                        form.add(part.name, String(decoding: part.body, as: UTF8.self))
                    }
                }
            } catch {
                throw PageError.badRequest(
                    "Formulaire illisible ; rechargez la page et recommencez.",
                    "Unreadable form; reload the page and try again.")
            }
        } else if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") || contentType.isEmpty {
            form = WebForm(urlEncoded: bytes)
        } else {
            throw PageError(
                status: .unsupportedMediaType, fr: "Type de formulaire non pris en charge.",
                en: "Unsupported form type.")
        }
        if let session = env.session {
            guard WebSecurity.equal(form["csrf"], session.csrfToken) else { throw csrfError }
        }
        return form
    }

    var csrfError: PageError {
        PageError(
            status: .forbidden,
            fr: "Jeton de sécurité du formulaire absent ou invalide : rechargez la page et recommencez.",
            en: "Missing or invalid form security token: reload the page and try again.")
    }

    // MARK: - Access

    /// The issuers the account may do `action` for, by name (every issuer for an administrator).
    func allowedIssuers(_ account: AccountRecord, _ action: StaffAction = .award) async throws -> [IssuerRecord] {
        try await services.db.issuers(actingFor: account).filter { Access.may(account, issuer: $0.id, action) }
    }

    /// True when the account may do `action` (award by default) for the issuer.
    func mayAct(_ account: AccountRecord, issuerID: String, _ action: StaffAction = .award) -> Bool {
        Access.may(account, issuer: issuerID, action)
    }

    /// The badge class, if the account may do `action` for its issuer (404 / 403 pages otherwise).
    func badge(_ id: String, for account: AccountRecord, _ action: StaffAction = .award) async throws -> (
        BadgeClassRecord, IssuerRecord
    ) {
        guard let (badge, owner) = try await services.db.badgeClassWithIssuer(id: id), let issuer = owner else {
            throw PageError.notFound()
        }
        guard mayAct(account, issuerID: badge.issuerID, action) else { throw Access.pageRefusal(issuer, action) }
        return (badge, issuer)
    }

    /// The summary of a badge class that the trainers' pages show above their forms.
    func badgeSummary(_ b: BadgeClassRecord, _ issuer: IssuerRecord) -> [String: Any] {
        [
            "id": b.id, "name": b.name, "description": b.description, "issuerName": issuer.name,
            "imageURL": "/badges/\(b.id)/image",
        ]
    }

    // MARK: - Learners' pages

    /// The signed-in learner; anyone else gets the 404 page (these pages are not theirs).
    func learner(_ env: Env) throws -> AccountRecord {
        guard let a = env.account, a.role == .learner, a.erasedAt == nil else { throw PageError.notFound() }
        return a
    }

    /// Renders a learner-facing page (portfolio, review, backpack) with the portfolio's look: `en` tells the
    /// template which language to show.
    func renderPortfolio(
        _ template: String, _ env: Env, title: String, status: HTTPResponse.Status = .ok, _ data: [String: Any] = [:],
        cookies: [String] = []
    ) -> Response {
        var d = data
        d["en"] = env.english
        d["portfolioCSS"] = StaticAssets.href("portfolio.css")
        d["portfolioJS"] = StaticAssets.href("portfolio.js")
        return render(template, env, title: title, status: status, d, cookies: cookies)
    }

    // MARK: - Settings

    /// Browser sessions.
    var sessions: WebSessionStore { WebSessionStore(db: services.db) }
    /// True when cookies must be `Secure` (the service is published over https).
    var secureCookies: Bool { services.configuration.publicURL.lowercased().hasPrefix("https://") }
    /// Rows per page of the paged lists.
    static var pageSize: Int { 25 }

    // MARK: - Before a session

    /// The cookie holding the CSRF token of the forms shown before any session (sign-in, invitation).
    static var loginCSRFCookie: String { "insigne_login_csrf" }

    /// 503 with `Retry-After` when too many password hashes are already waiting.
    func busyPage(_ env: Env) -> Response {
        var response = errorPage(
            env, status: .serviceUnavailable,
            message: env.text(
                "Le service est très sollicité : réessayez dans quelques secondes.",
                "The service is very busy: try again in a few seconds."))
        response.headers[.retryAfter] = "2"
        return response
    }
}

// MARK: - Forms before a session

extension PageFeature {
    /// A token for forms shown before any session (the sign-in form's cookie), and the cookie to set.
    func preSessionToken(_ request: Request) throws -> (String, [String]) {
        let token = request.cookies[Self.loginCSRFCookie]?.value ?? ""
        if token.count == 64 { return (token, []) }
        let fresh = try SecureRandom.hex(byteCount: 32)
        return (fresh, [WebSecurity.cookie(Self.loginCSRFCookie, fresh, maxAge: nil, secure: secureCookies)])
    }
}
