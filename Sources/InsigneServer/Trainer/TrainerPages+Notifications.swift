import Foundation
import Hummingbird
import InsigneStore

/// Sending an award's notification again from its page.
extension TrainerPages {
    /// Resends the award message with a fresh claim link (409 page for a revoked award), then shows the award.
    func resendNotification(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws
        -> Response
    {
        _ = try await self.form(request, context, env)
        guard let issuerID = try await services.db.issuerIDOfAward(id: id) else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuerID) else { throw PageError.forbidden() }
        let delivery = try await Notifier(services: services).resend(assertionID: id, actor: env.user.id)
        return redirect("/trainer/assertions/\(id)?notified=\(Notifier.Outcome.sent(delivery).code)")
    }
}
