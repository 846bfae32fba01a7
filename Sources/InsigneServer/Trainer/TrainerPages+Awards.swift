import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Awarding a badge class to one person.
extension TrainerPages {
    /// The form awarding a badge class to one person, blank or with the refused values and errors.
    func awardPage(_ env: Env, badgeID: String, form: WebForm?, errors: [String: String], general: String? = nil)
        async throws -> Response
    {
        let (b, issuer) = try await badge(badgeID, for: env.user)
        try IssuingService.requireAwardable(b)
        var values: [String: String] = [:]
        for f in ["email", "name", "narrative", "expires", "evidence"] { values[f] = form?[f] ?? "" }
        let freshNonce = try SecureRandom.hex(byteCount: 16)
        values["nonce"] = form?["nonce"] ?? freshNonce
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer), "v": values, "errors": errors,
            "hasErrors": !errors.isEmpty || general != nil,
            "today": WebDates.todayParis(),
        ]
        if let v = try? Validity.optional(b.validity) {
            data["validity"] = env.text(
                "Sans date, le badge expire après \(v.label(french: true)).",
                "Without a date, the badge expires after \(v.label(french: false)).")
        }
        if let general { data["general"] = general }
        return render(
            "trainer.award", env, title: env.t["awardTitle"]! + " — " + b.name,
            status: errors.isEmpty && general == nil ? .ok : .unprocessableContent, data)
    }

    /// Awards the badge to one person (idempotent per form nonce) and shows the new assertion.
    func award(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user)
        var errors: [String: String] = [:]
        var expires: Date?
        if let e = form.optional("expires") {
            expires = WebDates.endOfDayParis(e)
            if expires == nil {
                errors["expires"] = env.text("Date invalide (AAAA-MM-JJ).", "Invalid date (YYYY-MM-DD).")
            }
        }
        let email = form["email"].trimmingCharacters(in: .whitespacesAndNewlines)
        if email.isEmpty { errors["email"] = env.text("Adresse électronique obligatoire.", "Email address required.") }
        var evidence: [EvidenceRecord] = []
        if let e = form.optional("evidence") { evidence = [EvidenceRecord(id: e)] }
        guard errors.isEmpty else { return try await awardPage(env, badgeID: badgeID, form: form, errors: errors) }
        let nonce = String(form["nonce"].prefix(64))
        let material = [
            nonce, badgeID, EmailNormalization.normalize(email), form["name"], form["narrative"], form["expires"],
            form["evidence"],
        ]
        .joined(separator: "\u{1F}")
        let awardRequest = AwardRequest(
            badgeClassID: badgeID, recipientEmail: email, recipientName: form.optional("name"),
            narrative: form.optional("narrative"),
            evidence: evidence, expires: expires,
            idempotencyKey: nonce.isEmpty ? nil : "web:" + SHA256Digest.hexHash(Array(material.utf8)))
        do {
            let (record, created) = try await services.issuing.award(awardRequest, actor: env.user.id)
            let notified = created ? await Notifier(services: services).awarded([record], actor: env.user.id) : []
            return redirect("/trainer/assertions/\(record.id)?" + Notifier.awardedQuery(notified.first))
        } catch let e as ServiceError where e.kind == .invalid {
            let field: String? =
                switch e.field {
                case "recipient.email": "email"
                case "recipient.name": "name"
                case "narrative": "narrative"
                case "expires": "expires"
                case "evidence", "evidence.id": "evidence"
                default: nil
                }
            if let field { errors[field] = e.fieldMessage(english: env.english) }
            return try await awardPage(
                env, badgeID: badgeID, form: form, errors: errors,
                general: field == nil ? e.fieldMessage(english: env.english) : nil)
        }
    }
}
