import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// A learner's extra email addresses: added unverified with a confirmation link sent by e-mail (or written to the mail outbox),
/// verified when the signed-in learner opens that link, removed at will. The primary address (the invitation's)
/// is not stored here and cannot be removed. Every change is one transaction.
struct BackpackEmails: Sendable {
    let services: ServerServices
    var db: AppDatabase { services.db }

    /// How long a confirmation link stays valid.
    static let confirmationLifetime: TimeInterval = 48 * 3600
    /// Extra addresses one learner may hold (verified or pending).
    static let maxAddresses = 10

    /// One address as listed on the page.
    struct Address: Sendable {
        var email: String
        var primary: Bool
        var verifiedAt: Date?
        var createdAt: Date?
    }

    /// The primary address first, then the extra ones in the order they were added.
    func addresses(of account: AccountRecord) async throws -> [Address] {
        let extra = try await db.learnerEmails(accountID: account.id)
        var out: [Address] = []
        if let e = account.email, !e.isEmpty {
            out.append(Address(email: EmailNormalization.normalize(e), primary: true, verifiedAt: account.createdAt))
        }
        for r in extra where r.email != out.first?.email {
            out.append(Address(email: r.email, primary: false, verifiedAt: r.verifiedAt, createdAt: r.createdAt))
        }
        return out
    }

    /// What adding an address did: recorded, with the confirmation token to send, or refused (the learner's
    /// mistake, shown on the form; not an error of the service).
    enum AddOutcome: Equatable {
        case added(token: String)
        case refused(Refusal)
    }

    /// Why an address cannot be added.
    enum Refusal: Equatable {
        case malformed, primary, alreadyYours, takenByAnother, tooMany

        /// The reason in both languages, as the form shows it.
        var message: LocalizedText {
            switch self {
            case .malformed: LocalizedText(fr: "Adresse électronique invalide.", en: "Invalid email address.")
            case .primary:
                LocalizedText(fr: "C'est déjà votre adresse principale.", en: "This is already your main address.")
            case .alreadyYours:
                LocalizedText(
                    fr: "Cette adresse est déjà confirmée sur votre compte.",
                    en: "This address is already confirmed on your account.")
            case .takenByAnother:
                LocalizedText(
                    fr: "Cette adresse est déjà rattachée à un autre compte : elle ne peut pas être ajoutée.",
                    en: "This address already belongs to another account: it cannot be added.")
            case .tooMany:
                LocalizedText(
                    fr:
                        "Vous avez atteint le nombre maximal d'adresses (\(BackpackEmails.maxAddresses)) : retirez-en une d'abord.",
                    en:
                        "You have reached the maximum number of addresses (\(BackpackEmails.maxAddresses)): remove one first."
                )
            }
        }
    }

    /// The stored form of a confirmation token.
    static func hash(_ token: String) -> String { SHA256Digest.hexHash(Array(token.utf8)) }

    /// Records an unverified address and returns its confirmation token (stored hashed). A pending claim of the
    /// same address by another account is replaced (claims prove nothing until confirmed); a verified one, or
    /// another account's primary address, refuses.
    func add(_ raw: String, to account: AccountRecord, now: Date = Date()) async throws -> AddOutcome {
        let email = EmailNormalization.normalize(raw)
        guard Validation.isEmail(email) else { return .refused(.malformed) }
        if let p = account.email, EmailNormalization.normalize(p) == email { return .refused(.primary) }
        let token = try SecureRandom.hex(byteCount: 32)
        let outcome = try await db.addLearnerEmail(
            email, accountID: account.id, tokenHash: Self.hash(token), maxAddresses: Self.maxAddresses, now: now)
        switch outcome {
        case .added: return .added(token: token)
        case .alreadyYours: return .refused(.alreadyYours)
        case .takenByAnother: return .refused(.takenByAnother)
        case .tooMany: return .refused(.tooMany)
        }
    }

    /// The pending address of a live token, if it belongs to this account.
    func pending(token: String, accountID: String, now: Date = Date()) async throws -> LearnerEmailRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        guard let r = try await db.pendingLearnerEmail(tokenHash: Self.hash(token)), r.accountID == accountID,
            r.verifiedAt == nil, r.createdAt.addingTimeInterval(Self.confirmationLifetime) > now
        else { return nil }
        return r
    }

    /// Marks the token's address verified; nil when the token is unknown, expired, used, or someone else's.
    func confirm(token: String, accountID: String, now: Date = Date()) async throws -> String? {
        guard try await pending(token: token, accountID: accountID, now: now) != nil else { return nil }
        return try await db.confirmLearnerEmail(tokenHash: Self.hash(token), accountID: accountID, now: now)
    }

    /// Removes one of the learner's extra addresses (never the primary); false when it is not theirs.
    func remove(_ raw: String, accountID: String, now: Date = Date()) async throws -> Bool {
        let email = EmailNormalization.normalize(raw)
        return try await db.removeLearnerEmail(email, accountID: accountID, now: now)
    }

    /// Sends the confirmation message (SMTP queue, or the outbox without a mail server).
    @discardableResult
    func sendConfirmation(to email: String, token: String, learnerName: String) async throws -> Mailer.Delivery {
        let link = services.urls.base + "/backpack/emails/confirm/" + token
        let body = """
            Bonjour \(learnerName),

            Vous avez demandé à ajouter l'adresse \(email) à votre compte Insigne, pour retrouver dans « Mes badges »
            les badges qui lui ont été attribués. Pour confirmer, connectez-vous puis ouvrez ce lien (valable 48 heures) :

            \(link)

            Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : l'adresse ne sera pas ajoutée.

            ---

            Hello \(learnerName),

            You asked to add the address \(email) to your Insigne account, so that the badges awarded to it show in
            "My badges". To confirm, sign in and open this link (valid for 48 hours):

            \(link)

            If you did not ask for this, ignore this message: the address will not be added.
            """
        return try await services.mailer.send(
            MailMessage(
                to: email, subject: MailMessage.subject("Confirmez votre adresse", "Confirm your address"), body: body))
    }
}
