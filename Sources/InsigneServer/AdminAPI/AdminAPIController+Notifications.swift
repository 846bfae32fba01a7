import Foundation
import Hummingbird
import InsigneStore
import OpenBadges

/// Award notifications through the API: `POST /assertions/{id}/notify`, and the e-mails of a batch.
extension AdminAPIController {
    /// Sends the award message again with a fresh claim link: 202, 409 for a revoked award.
    func resendNotification(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let a = try await assertion(context)
        let account = try Access.account(context)
        let delivery = try await Notifier(services: services).resend(assertionID: a.id, actor: account.id)
        let via: String =
            switch delivery {
            case .queued: "queue"
            case .outbox: "outbox"
            }
        return HTTP.json(["id": .string(a.id), "notified": .bool(true), "delivery": .string(via)], status: .accepted)
    }

    /// Notifies the recipients of the rows a batch created (unless the batch or the row said `notify: false`).
    func notifyBatch(_ rows: [BatchRow], _ results: [BatchRowResult], notify: Bool, actor: String) async {
        guard notify else { return }
        var records: [AssertionRecord] = []
        for (row, result) in zip(rows, results) where row.notify && result.status == .created {
            if let id = result.id, let a = try? await issuing.assertion(id: id) { records.append(a) }
        }
        await Notifier(services: services).awarded(records, actor: actor)
    }
}
