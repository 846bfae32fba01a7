import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// `/account` (« Mon compte »), for every signed-in account (administrator, staff, learner): who they are, their
/// e-mail address (settable by accounts that have none, such as the seeded `admin`, or changed), and a new
/// password. Both changes need the current password; a new password ends every other session of the account and
/// is notified by e-mail.
struct AccountPages: PageFeature {
    let services: ServerServices
    /// Where password hashing runs.
    var hasher = PasswordHashingPool.shared
    /// Attempts with the current password per account: 10 at once, then 10 every 15 minutes.
    let attempts = RateLimiter(capacity: 10, perMinute: 10.0 / 15)

    /// Adds `/account` to the signed-in pages.
    func addRoutes(to routes: AppRoutes) {
        routes.signedInPages.get("/account") { req, ctx in try await accountPage(ctx.env, req) }
        routes.signedInPages.post("/account/password") { req, ctx in try await changePassword(ctx.env, req, ctx) }
        routes.signedInPages.post("/account/email") { req, ctx in try await changeEmail(ctx.env, req, ctx) }
    }

    /// What the page says above the forms.
    struct Outcome {
        var notice: String?
        var passwordError: String?
        var emailError: String?
        var email: String?
        var status: HTTPResponse.Status = .ok
    }

    /// The page.
    func accountPage(_ env: Env, _ request: Request, _ outcome: Outcome = Outcome()) async throws -> Response {
        let me = try account(env)
        var notice = outcome.notice
        if notice == nil, request.method == .get {
            switch request.uri.queryParameters.get("done") {
            case "reset": notice = env.text("Votre nouveau mot de passe est enregistré.", "Your new password is saved.")
            case "setup":
                notice = env.text(
                    "Le mot de passe administrateur est enregistré : gardez-le pour vous.",
                    "The administrator password is saved: keep it to yourself.")
            default: break
            }
        }
        let kind: LocalizedText =
            switch me.role {
            case .admin: LocalizedText(fr: "Administrateur du service", en: "Service administrator")
            case .staff: LocalizedText(fr: "Équipe (formateurs, responsables)", en: "Staff (trainers, managers)")
            case .learner: LocalizedText(fr: "Apprenant", en: "Learner")
            }
        var data: [String: Any] = [
            "name": me.displayName, "login": me.login, "kind": env.language.text(kind),
            "emailValue": outcome.email ?? me.email ?? "", "minLength": PasswordRules.minLength,
            "en": env.english,
        ]
        if let e = me.email, !e.isEmpty { data["currentEmail"] = e }
        data["emailEditable"] = emailEditable(me)
        if let notice { data["notice"] = notice }
        if let e = outcome.passwordError { data["passwordError"] = e }
        if let e = outcome.emailError { data["emailError"] = e }
        return render(
            "account.account", env, title: env.text("Mon compte", "My account"), status: outcome.status, data)
    }

    /// The signed-in account (erased accounts have no page).
    func account(_ env: Env) throws -> AccountRecord {
        guard let a = env.account, a.erasedAt == nil else { throw PageError.notFound() }
        return a
    }

    /// Checks the current password on the hashing pool, within the per-account limit. Nil when it matches, else
    /// the message to show (and its status).
    func checkCurrent(_ env: Env, _ me: AccountRecord, _ password: String) async throws
        -> (String, HTTPResponse.Status)?
    {
        if let wait = attempts.take(me.id) {
            let delay = SignInPages.delayText(wait)
            return (
                env.text(
                    "Trop d'essais du mot de passe actuel : réessayez dans \(delay.fr).",
                    "Too many tries of the current password: try again in \(delay.en)."), .tooManyRequests
            )
        }
        let hash = me.passwordHash
        let ok =
            password.count <= PasswordRules.maxLength
            ? try await hasher.run {
                PasswordHash.verify(password, against: hash ?? SignInPages.dummyHash) && hash != nil
            } : false
        guard ok else {
            return (
                env.text(
                    "Mot de passe actuel incorrect : rien n'a été modifié.",
                    "Wrong current password: nothing was changed."), .unprocessableContent
            )
        }
        return nil
    }

    /// A new password: the current one checked, the rules, then every other session ends and the owner is told.
    func changePassword(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try account(env)
        do {
            if let (message, status) = try await checkCurrent(env, me, form["current"]) {
                return try await accountPage(env, request, Outcome(passwordError: message, status: status))
            }
            if let problem = PasswordRules.problem(form["password"], confirm: form["confirm"]) {
                return try await accountPage(
                    env, request,
                    Outcome(passwordError: env.language.text(problem), status: .unprocessableContent))
            }
            let password = form["password"]
            let hash = try await hasher.run { try PasswordHash.hash(password) }
            let keep = env.sessionToken.map { SHA256Digest.hexHash(Array($0.utf8)) }
            try await services.db.changePassword(accountID: me.id, passwordHash: hash, keepSessionHash: keep)
        } catch is PasswordHashingPool.Busy {
            return busyPage(env)
        }
        var notice = env.text(
            "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.",
            "Your password was changed. Your other sessions were closed.")
        if let email = me.email, let delivery = try await PasswordReset(services: services).notifyChanged(me) {
            notice += " " + env.language.text(Mailer.note(delivery, to: email))
        }
        return try await accountPage(env, request, Outcome(notice: notice))
    }

    /// Whether the account may set its address here: staff and administrators, and learners without one (a
    /// learner's address is the one their badges were awarded to; more are added in « Mes badges »).
    func emailEditable(_ account: AccountRecord) -> Bool {
        account.role != .learner || (account.email ?? "").isEmpty
    }

    /// A new e-mail address (used for « mot de passe oublié »), confirmed by the current password.
    func changeEmail(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try account(env)
        guard emailEditable(me) else {
            throw PageError(
                status: .conflict,
                fr:
                    "Votre adresse principale est celle à laquelle vos badges ont été attribués : ajoutez d'autres adresses dans « Mes badges ».",
                en: "Your main address is the one your badges were awarded to: add other addresses in \"My badges\".")
        }
        let email = EmailNormalization.normalize(form["email"])
        guard email.count <= 320, Validation.isEmail(email) else {
            return try await accountPage(
                env, request,
                Outcome(
                    emailError: env.text(
                        "Adresse électronique invalide : vérifiez-la (exemple : prenom.nom@exemple.fr).",
                        "Invalid email address: check it (for example: first.last@example.org)."),
                    email: String(email.prefix(320)), status: .unprocessableContent))
        }
        do {
            if let (message, status) = try await checkCurrent(env, me, form["current"]) {
                return try await accountPage(env, request, Outcome(emailError: message, email: email, status: status))
            }
        } catch is PasswordHashingPool.Busy {
            return busyPage(env)
        }
        guard try await services.db.setAccountEmail(accountID: me.id, email: email) == .changed else {
            return try await accountPage(
                env, request,
                Outcome(
                    emailError: env.text(
                        "Cette adresse est déjà celle d'un autre compte : choisissez-en une autre.",
                        "This address already belongs to another account: choose another one."),
                    email: email, status: .conflict))
        }
        var updated = env
        updated.account?.email = email
        return try await accountPage(
            updated, request,
            Outcome(
                notice: env.text(
                    "Adresse enregistrée : c'est là que vous recevrez un lien si vous oubliez votre mot de passe.",
                    "Address saved: that is where a link will come if you forget your password.")))
    }
}
