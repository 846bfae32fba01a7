import Foundation
import InsigneStore

/// The notification messages, French first then English: subject prefixed « [Insigne] », plain text whose HTML
/// part `MailMessage` derives (every user-supplied string escaped there). No secret but the message's own link.
enum NotificationEmails {
    /// The subject with the service's prefix.
    static func subject(_ fr: String, _ en: String) -> String { MailMessage.subject(fr, en) }

    /// "Bonjour Léa," or "Bonjour," when the name is unknown.
    static func greeting(_ word: String, _ name: String?) -> String {
        guard let n = name?.trimmingCharacters(in: .whitespacesAndNewlines), !n.isEmpty else { return word + "," }
        return "\(word) \(n),"
    }

    /// What an award message says.
    struct Award {
        var to: String
        var name: String?
        var badge: String
        var issuer: String
        var issuedOn: String
        var expires: String?
        var hostedURL: String
        var claimURL: String
    }

    /// The award message: badge, issuer, date, expiry, the hosted badge and the claim link.
    static func award(_ a: Award) -> MailMessage {
        let fr = WebDates.display(obDate: a.issuedOn, english: false) ?? a.issuedOn
        let en = WebDates.display(obDate: a.issuedOn, english: true) ?? a.issuedOn
        let expFR = a.expires.map { "\nIl est valable jusqu'au \(WebDates.display(obDate: $0, english: false) ?? $0)." }
        let expEN = a.expires.map { "\nIt is valid until \(WebDates.display(obDate: $0, english: true) ?? $0)." }
        let body = """
            \(greeting("Bonjour", a.name))

            \(a.issuer) vous a attribué le badge « \(a.badge) » le \(fr).\(expFR ?? "")

            Voir le badge (page publique, vérifiable) :
            \(a.hostedURL)

            Le ranger dans votre sac à badges Insigne (votre compte est créé à la première visite si vous n'en avez pas ; lien personnel, valable 90 jours) :
            \(a.claimURL)

            ---

            \(greeting("Hello", a.name))

            \(a.issuer) awarded you the badge "\(a.badge)" on \(en).\(expEN ?? "")

            See the badge (public, verifiable page):
            \(a.hostedURL)

            Keep it in your Insigne backpack (your account is created on your first visit if you have none; personal link, valid for 90 days):
            \(a.claimURL)
            """
        return MailMessage(
            to: a.to, subject: subject("Vous avez reçu un badge", "You received a badge"), body: body)
    }

    /// The revocation message, with the reason as the trainer wrote it.
    static func revocation(
        to: String, name: String?, badge: String, issuer: String, reason: String, hostedURL: String
    ) -> MailMessage {
        let body = """
            \(greeting("Bonjour", name))

            \(issuer) a révoqué le badge « \(badge) » qui vous avait été attribué. Il n'est plus valide.

            Motif :
            \(reason)

            \(hostedURL)

            ---

            \(greeting("Hello", name))

            \(issuer) revoked the badge "\(badge)" awarded to you. It is no longer valid.

            Reason:
            \(reason)

            \(hostedURL)
            """
        return MailMessage(to: to, subject: subject("Badge révoqué", "Badge revoked"), body: body)
    }

    /// The learner invitation: the single-use link to create the account.
    static func invitation(to: String, name: String, issuer: String?, link: String, expires: Date) -> MailMessage {
        let who = issuer.map { "\($0) vous invite" } ?? "Vous êtes invité·e"
        let whoEN = issuer.map { "\($0) invites you" } ?? "You are invited"
        let body = """
            \(greeting("Bonjour", name))

            \(who) à tenir votre portfolio de preuves et vos badges sur Insigne. Pour créer votre compte, ouvrez ce lien (une seule fois, jusqu'au \(WebDates.display(expires, english: false, time: false))) :

            \(link)

            ---

            \(greeting("Hello", name))

            \(whoEN) to keep your evidence portfolio and your badges on Insigne. To create your account, open this link (once, until \(WebDates.display(expires, english: true, time: false))):

            \(link)
            """
        return MailMessage(
            to: to, subject: subject("Invitation à créer votre compte", "Invitation to create your account"),
            body: body)
    }

    /// A review decision on one piece of evidence: accepted, or changes requested with the comment.
    static func reviewDecision(
        to: String, name: String, piece: String, accepted: Bool, comment: String?, link: String
    ) -> MailMessage {
        let commentFR = comment.map { "\n\nCommentaire :\n\($0)" } ?? ""
        let commentEN = comment.map { "\n\nComment:\n\($0)" } ?? ""
        let fr = accepted ? "a été acceptée" : "est à reprendre"
        let en = accepted ? "was accepted" : "needs changes"
        let body = """
            \(greeting("Bonjour", name))

            Votre preuve « \(piece) » \(fr).\(commentFR)

            \(link)

            ---

            \(greeting("Hello", name))

            Your piece of evidence "\(piece)" \(en).\(commentEN)

            \(link)
            """
        return MailMessage(
            to: to,
            subject: accepted
                ? subject("Preuve acceptée", "Evidence accepted")
                : subject("Preuve à reprendre", "Evidence needs changes"),
            body: body)
    }

    /// New evidence submitted to an issuer, for its staff: who, which titles, the review page; no content.
    static func evidenceSubmitted(to: String, staffName: String, learner: String, titles: [String], link: String)
        -> MailMessage
    {
        let list = titles.prefix(20).map { "– \($0)" }.joined(separator: "\n")
        let more = titles.count > 20 ? "\n…" : ""
        let body = """
            \(greeting("Bonjour", staffName))

            \(learner) a envoyé \(titles.count) preuve(s) à examiner :
            \(list)\(more)

            \(link)

            ---

            \(greeting("Hello", staffName))

            \(learner) sent \(titles.count) piece(s) of evidence for review (titles above).

            \(link)
            """
        return MailMessage(
            to: to, subject: subject("Preuves à examiner", "Evidence to review"), body: body)
    }
}
