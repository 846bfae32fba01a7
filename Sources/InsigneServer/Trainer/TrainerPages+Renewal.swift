import Foundation
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Renewing an award from its page: one button (with the session's CSRF token and a form nonce, so a double click
/// renews once), a new award of the same badge class to the same person, linked both ways with the earlier one.
extension TrainerPages {
    func addRenewalRoutes(to routes: AppRoutes) {
        routes.staffPages.post("/trainer/assertions/{id}/renew") { req, ctx in
            try await renew(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
    }

    /// Renews the award and shows the new one, or shows the award again with why it cannot be renewed.
    func renew(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        guard let issuerID = try await services.db.issuerIDOfAward(id: id) else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuerID) else { throw PageError.forbidden() }
        let nonce = form["nonce"].isEmpty ? nil : "page:" + String(form["nonce"].prefix(64))
        do {
            let (renewal, _) = try await services.issuing.renew(
                assertionID: id, idempotencyKey: nonce, actor: env.user.id, issuedOn: services.clock())
            return redirect("/trainer/assertions/\(renewal.id)?renewed=1")
        } catch let e as ServiceError where e.kind == .conflict || e.kind == .invalid {
            return try await assertionPage(
                env, request, id: id, reasonError: nil, renewError: e.fieldMessage(english: env.english))
        }
    }

    /// The renewal part of an award's page: the award it renews, the award renewing it, and whether it may be
    /// renewed now (not revoked, not renewed, badge class not archived).
    func renewalData(_ a: AssertionRecord, _ b: BadgeClassRecord, _ env: Env) async throws -> [String: Any] {
        var data: [String: Any] = [:]
        if let p = try await a.renewalOf.asyncMap({ try await services.db.assertion(id: $0) }) ?? nil {
            data["renewalOf"] = [
                "url": "/trainer/assertions/\(p.id)",
                "issued": WebDates.display(obDate: p.issuedOn, english: env.english) ?? p.issuedOn,
            ]
        }
        if let n = try await a.renewedBy.asyncMap({ try await services.db.assertion(id: $0) }) ?? nil {
            data["renewedBy"] = [
                "url": "/trainer/assertions/\(n.id)",
                "issued": WebDates.display(obDate: n.issuedOn, english: env.english) ?? n.issuedOn,
            ]
        }
        if !a.isRevoked, a.renewedBy == nil, !b.isArchived {
            data["mayRenew"] = true
            data["renewNonce"] = try SecureRandom.hex(byteCount: 16)
            if let v = try? Validity.optional(b.validity) {
                let until = WebDates.display(v.expiry(from: Date()), english: env.english, time: false)
                data["renewExpires"] = env.text(
                    "Le nouveau badge expirera le \(until).", "The new badge will expire on \(until).")
            }
        }
        return data
    }
}
