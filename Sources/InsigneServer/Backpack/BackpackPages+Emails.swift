import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The learner's email addresses: list, add (with a confirmation link sent through the `Mailer`), confirm, remove.
extension BackpackPages {
    /// A confirmation link that is unknown, expired, used, or someone else's.
    var confirmationGone: PageError {
        PageError(
            status: .notFound,
            fr:
                "Ce lien de confirmation n'est pas valide : il a expiré, a déjà servi, ou a été demandé depuis un autre compte.",
            en:
                "This confirmation link is not valid: it has expired, was already used, or was requested from another account."
        )
    }

    /// `/backpack/emails`: the primary address and the extra ones, the form to add one, and the last action's notice.
    func emailsPage(_ env: Env, _ request: Request, error: String? = nil, value: String = "") async throws -> Response {
        let me = try learner(env)
        let list = try await backpackEmails.addresses(of: me)
        var data: [String: Any] = [
            "addresses": list.map { a -> [String: Any] in
                var d: [String: Any] = ["email": a.email, "primary": a.primary, "verified": a.verifiedAt != nil]
                if let at = a.verifiedAt, !a.primary {
                    d["since"] = WebDates.display(at, english: env.english, time: false)
                }
                return d
            },
            "value": value, "max": BackpackEmails.maxAddresses,
        ]
        if let error { data["error"] = error }
        let q = request.uri.queryParameters
        if q.get("sent") != nil {
            data["notice"] =
                services.mailer.smtp == nil
                ? env.text(
                    "Aucun serveur de courrier n'est configuré : le message de confirmation a été déposé dans le dossier \(services.mailer.outbox.directory.path) du serveur, que l'exploitant doit vous transmettre. Ouvrez son lien (valable 48 heures) en restant connecté(e).",
                    "No mail server is configured: the confirmation message was written to the server's folder \(services.mailer.outbox.directory.path), for the operator to pass on to you. Open its link (valid for 48 hours) while signed in."
                )
                : env.text(
                    "Un message de confirmation a été envoyé à cette adresse. Ouvrez le lien qu'il contient (valable 48 heures) en restant connecté(e).",
                    "A confirmation message was sent to this address. Open its link (valid for 48 hours) while signed in."
                )
        }
        if q.get("confirmed") != nil {
            data["notice"] = env.text(
                "Adresse confirmée : les badges qui lui ont été attribués apparaissent dans « Mes badges ».",
                "Address confirmed: the badges awarded to it now show in \"My badges\".")
        }
        if q.get("removed") != nil { data["notice"] = env.text("Adresse retirée.", "Address removed.") }
        return renderBackpack(
            "backpack.emails", env, title: env.text("Mes adresses électroniques", "My email addresses"),
            status: error == nil ? .ok : .unprocessableContent, data)
    }

    /// Adds an unverified address and sends its confirmation link; a refusal shows on the form (422).
    func addEmail(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let raw = String(form["email"].prefix(320))
        switch try await backpackEmails.add(raw, to: me) {
        case .added(let token):
            try await backpackEmails.sendConfirmation(
                to: EmailNormalization.normalize(raw), token: token, learnerName: me.displayName)
            return redirect("/backpack/emails?sent=1")
        case .refused(let refusal):
            return try await emailsPage(env, request, error: env.language.text(refusal.message), value: raw)
        }
    }

    /// Removes one of the learner's extra addresses (404 when it is not theirs).
    func removeEmail(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        guard try await backpackEmails.remove(form["email"], accountID: try learner(env).id) else {
            throw PageError.notFound()
        }
        return redirect("/backpack/emails?removed=1")
    }

    /// The confirmation page a link opens (the address is confirmed by its form, never by a GET).
    func confirmEmailPage(_ env: Env, token: String) async throws -> Response {
        let me = try learner(env)
        guard let r = try await backpackEmails.pending(token: token, accountID: me.id) else {
            throw confirmationGone
        }
        return renderBackpack(
            "backpack.email-confirm", env, title: env.text("Confirmer une adresse", "Confirm an address"),
            ["email": r.email, "token": token])
    }

    /// Confirms the address of a live token of this learner.
    func confirmEmail(_ env: Env, _ request: Request, _ context: AppRequestContext, token: String) async throws
        -> Response
    {
        _ = try await form(request, context, env)
        let me = try learner(env)
        guard try await backpackEmails.confirm(token: token, accountID: me.id) != nil else { throw confirmationGone }
        return redirect("/backpack/emails?confirmed=1")
    }
}
