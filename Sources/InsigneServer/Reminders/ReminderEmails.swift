import Foundation
import InsigneStore

/// The expiry reminder to a holder and the daily digest to an establishment's trainers and managers, French first
/// then English. Dates in words, in Paris time (« 7 décembre 2029 » / "7 December 2029").
enum ReminderEmails {
    /// What a holder's reminder says.
    struct Holder {
        var to: String
        var name: String?
        var badge: String
        var issuer: String
        var issuerEmail: String
        var expires: Date
        /// The public badge class page (description, criteria).
        var badgeURL: String
        /// The badge class's own criteria page, when it has one.
        var criteriaURL: String?
        /// The holder's hosted award.
        var awardURL: String
    }

    /// One line of a digest.
    struct DigestLine {
        var name: String?
        var email: String
        var badge: String
        var expires: Date
    }

    /// The reminder: the badge expires on this date, renew it by following the course again; links and contact.
    static func holder(_ h: Holder) -> MailMessage {
        let criteriaFR = h.criteriaURL.map { "\n\nLe parcours de formation :\n\($0)" } ?? ""
        let criteriaEN = h.criteriaURL.map { "\n\nThe course:\n\($0)" } ?? ""
        let body = """
            \(NotificationEmails.greeting("Bonjour", h.name))

            Votre badge « \(h.badge) » délivré par \(h.issuer) expire le \(day(h.expires, english: false)). Pour le garder à jour, suivez à nouveau la formation : \(h.issuer) vous attribuera alors un nouveau badge.

            Ce qu'il faut faire pour l'obtenir (critères) :
            \(h.badgeURL)\(criteriaFR)

            Votre badge actuel :
            \(h.awardURL)

            Contact : \(h.issuerEmail)

            ---

            \(NotificationEmails.greeting("Hello", h.name))

            Your badge "\(h.badge)" issued by \(h.issuer) expires on \(day(h.expires, english: true)). To keep it up to date, take the course again: \(h.issuer) will then award you a new badge.

            What it takes (criteria):
            \(h.badgeURL)\(criteriaEN)

            Your current badge:
            \(h.awardURL)

            Contact: \(h.issuerEmail)
            """
        return MailMessage(
            to: h.to,
            subject: NotificationEmails.subject(
                "Votre badge « \(h.badge) » expire bientôt", "Your badge \"\(h.badge)\" expires soon"),
            body: body)
    }

    /// The digest of the day: every holder reminded, with badge and expiry.
    static func digest(to: String, name: String?, day date: Date, lines: [DigestLine]) -> MailMessage {
        func list(english: Bool) -> String {
            lines.map { l in
                let who = l.name.map { "\($0) <\(l.email)>" } ?? l.email
                return english
                    ? "- \(who): \(l.badge), expires on \(day(l.expires, english: true))"
                    : "- \(who) : \(l.badge), expire le \(day(l.expires, english: false))"
            }.joined(separator: "\n")
        }
        let body = """
            \(NotificationEmails.greeting("Bonjour", name))

            Aujourd'hui (\(day(date, english: false))), \(lines.count) titulaire(s) ont été prévenu(s) que leur badge expire bientôt :

            \(list(english: false))

            ---

            \(NotificationEmails.greeting("Hello", name))

            Today (\(day(date, english: true))), \(lines.count) holder(s) were told that their badge expires soon:

            \(list(english: true))
            """
        return MailMessage(
            to: to,
            subject: NotificationEmails.subject(
                "Badges bientôt expirés : \(lines.count) rappel(s)", "Badges expiring soon: \(lines.count) reminder(s)"),
            body: body)
    }

    /// « 7 décembre 2029 », « 1er mars 2030 » / "7 December 2029", in Paris time.
    static func day(_ date: Date, english: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WebDates.paris
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let (d, m, y) = (c.day ?? 1, (c.month ?? 1) - 1, c.year ?? 0)
        if english { return "\(d) \(englishMonths[m]) \(y)" }
        return "\(d == 1 ? "1er" : String(d)) \(frenchMonths[m]) \(y)"
    }

    private static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}
