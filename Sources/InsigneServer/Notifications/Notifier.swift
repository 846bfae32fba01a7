import Foundation
import InsigneStore
import Logging
import OpenBadges
import OpenBadgesCrypto

/// Sends the notifications of the other features (awards with their claim links, resends, revocations, learner
/// invitations, review decisions, submitted evidence). Called after the action committed: a message that cannot
/// be sent is logged (never with the address at info level) and reported, the action itself stands.
struct Notifier: Sendable {
    let services: ServerServices

    /// How long a claim link stays usable.
    static let claimLifetime: TimeInterval = 90 * 86400
    static let logger = Logger(label: "insigne.notifications")

    /// What became of a notification.
    enum Outcome: Sendable, Equatable {
        case sent(Mailer.Delivery)
        /// Could not be queued or written (logged).
        case failed
        /// Nothing to send (no address, or not asked).
        case none

        /// The word carried in a redirect's query (`notified=`).
        var code: String {
            switch self {
            case .sent(.queued): "queued"
            case .sent(.outbox): "outbox"
            case .failed: "failed"
            case .none: "none"
            }
        }
    }

    /// The note a page shows for the `notified=` code of a redirect (nil for none or unknown codes).
    static func note(code: String?) -> LocalizedText? {
        switch code {
        case "queued":
            LocalizedText(fr: "Un message a été envoyé à la personne.", en: "A message was sent to the person.")
        case "outbox":
            LocalizedText(
                fr:
                    "Aucun serveur de courrier n'est configuré : le message a été déposé dans la boîte d'envoi du serveur.",
                en: "No mail server is configured: the message was written to the server's outbox.")
        case "failed":
            LocalizedText(
                fr:
                    "Le message n'a pas pu être envoyé (voir le journal du serveur) ; réessayez avec « Renvoyer la notification ».",
                en: "The message could not be sent (see the server log); try again with \"Resend the notification\".")
        default: nil
        }
    }

    /// The query of the redirect after an award: `awarded=1`, preceded by `notified=failed` when the message could
    /// not be sent (a retried award redirects to the same place; the page tells how mail goes).
    static func awardedQuery(_ outcome: Outcome?) -> String {
        outcome == .failed ? "notified=failed&awarded=1" : "awarded=1"
    }

    /// The stored form of a claim token.
    static func hash(_ token: String) -> String { SHA256Digest.hexHash(Array(token.utf8)) }

    // MARK: - Awards

    /// Notifies the recipients of new awards: one fresh claim token and one message each, tokens stored in one
    /// transaction and messages queued in one. Never throws: a failure is logged and reported as `.failed`.
    @discardableResult
    func awarded(_ records: [AssertionRecord], actor: String, now: Date = Date()) async -> [Outcome] {
        let live = records.filter { !$0.isRevoked && !$0.recipientEmail.isEmpty }
        guard !live.isEmpty else { return records.map { _ in .none } }
        do {
            var classes: [String: (BadgeClassRecord, IssuerRecord?)] = [:]
            var tokens: [ClaimTokenRecord] = []
            var messages: [MailMessage] = []
            for a in live {
                if classes[a.badgeClassID] == nil {
                    classes[a.badgeClassID] = try await services.db.badgeClassWithIssuer(id: a.badgeClassID)
                }
                let token = try SecureRandom.hex(byteCount: 32)
                tokens.append(
                    ClaimTokenRecord(
                        tokenHash: Self.hash(token), assertionID: a.id, email: a.recipientEmail, createdAt: now,
                        expiresAt: now.addingTimeInterval(Self.claimLifetime)))
                let found = classes[a.badgeClassID]
                messages.append(
                    NotificationEmails.award(
                        .init(
                            to: a.recipientEmail, name: a.recipientName, badge: found?.0.name ?? a.badgeClassID,
                            issuer: found?.1?.name ?? "Insigne", issuedOn: a.issuedOn, expires: a.expires,
                            hostedURL: services.urls.assertion(a.id), claimURL: services.urls.base + "/claim/" + token))
                )
            }
            try await services.db.storeClaimTokens(tokens, actor: actor, now: now)
            let deliveries = try await services.mailer.sendAll(messages, now: now)
            var byID: [String: Outcome] = [:]
            for (a, d) in zip(live, deliveries) { byID[a.id] = .sent(d) }
            return records.map { byID[$0.id] ?? .none }
        } catch {
            Self.logger.error(
                "award notification failed", metadata: ["awards": "\(live.count)", "error": "\(error)"])
            return records.map { live.contains($0) ? .failed : .none }
        }
    }

    /// Sends an award's notification again with a fresh claim link (audited). 404 for an unknown award, 409 for a
    /// revoked one; a failure to send is thrown.
    func resend(assertionID: String, actor: String) async throws -> Mailer.Delivery {
        guard let a = try await services.issuing.assertion(id: assertionID) else {
            throw ServiceError.notFound("Assertion", assertionID)
        }
        guard !a.isRevoked else {
            throw ServiceError(
                .conflict, fr: "ce badge a été révoqué : sa notification ne peut pas être renvoyée",
                en: "this badge was revoked: its notification cannot be sent again")
        }
        guard !a.recipientEmail.isEmpty else {
            throw ServiceError(
                .conflict, fr: "l'adresse du destinataire a été effacée", en: "the recipient's address was erased")
        }
        switch await awarded([a], actor: actor).first {
        case .sent(let d)?: return d
        default:
            throw ServiceError(
                .serverError, fr: "le message n'a pas pu être envoyé ; réessayez plus tard",
                en: "the message could not be sent; try again later")
        }
    }

    // MARK: - Other messages

    /// Tells the holder their badge was revoked, with the reason.
    @discardableResult
    func revoked(_ a: AssertionRecord) async -> Outcome {
        guard !a.recipientEmail.isEmpty else { return .none }
        return await send("revocation") {
            let found = try await services.db.badgeClassWithIssuer(id: a.badgeClassID)
            return NotificationEmails.revocation(
                to: a.recipientEmail, name: a.recipientName, badge: found?.0.name ?? a.badgeClassID,
                issuer: found?.1?.name ?? "Insigne", reason: a.revocationReason ?? "",
                hostedURL: services.urls.assertion(a.id))
        }
    }

    /// Sends a learner invitation's link.
    func invitation(to email: String, name: String, issuerID: String?, token: String, expires: Date) async -> Outcome {
        await send("invitation") {
            let issuer = try await issuerID.asyncMap { try await services.issuing.issuer(id: $0) } ?? nil
            return NotificationEmails.invitation(
                to: email, name: name, issuer: issuer?.name, link: services.urls.base + "/invitation/" + token,
                expires: expires)
        }
    }

    /// Tells the learner a piece was accepted or sent back with a comment.
    @discardableResult
    func reviewDecision(learner: AccountRecord, piece: String, accepted: Bool, comment: String?) async -> Outcome {
        guard let email = learner.email, !email.isEmpty, learner.erasedAt == nil else { return .none }
        return await send("review decision") {
            NotificationEmails.reviewDecision(
                to: email, name: learner.displayName, piece: piece, accepted: accepted, comment: comment,
                link: services.urls.base + "/portfolio")
        }
    }

    /// Tells the issuer's reviewers, trainers and managers that a learner submitted evidence (one message each).
    @discardableResult
    func evidenceSubmitted(learner: AccountRecord, issuerID: String, titles: [String]) async -> [Outcome] {
        guard !titles.isEmpty else { return [] }
        let staff: [AccountRecord]
        do {
            staff = try await services.db.staffAccounts(issuerID: issuerID, roles: Set(MembershipRecord.Role.allCases))
        } catch {
            Self.logger.error("evidence notification failed", metadata: ["error": "\(error)"])
            return [.failed]
        }
        var out: [Outcome] = []
        for s in staff {
            guard let address = Self.address(of: s) else { continue }
            out.append(
                await send("evidence submitted") {
                    NotificationEmails.evidenceSubmitted(
                        to: address, staffName: s.displayName, learner: learner.displayName, titles: titles,
                        link: services.urls.base + "/trainer/learners/" + learner.id)
                })
        }
        return out
    }

    /// The address an account is written to: its email, else its login when that is an address.
    static func address(of account: AccountRecord) -> String? {
        if let e = account.email, Validation.isEmail(e) { return e }
        return Validation.isEmail(account.login) ? account.login : nil
    }

    /// Builds and sends one message; a failure is logged (kind and error, no address) and reported.
    private func send(_ kind: String, _ build: () async throws -> MailMessage) async -> Outcome {
        do {
            return .sent(try await services.mailer.send(try await build()))
        } catch {
            Self.logger.error("\(kind) notification failed", metadata: ["error": "\(error)"])
            return .failed
        }
    }
}
