import Foundation
import InsigneStore

/// The messages to staff: the invitation (with its single-use link) and the notice of a new role. French first,
/// English below; no secret other than the invitation link.
enum MemberEmails {
    /// The invitation to choose a password.
    static func invitation(
        to account: AccountRecord, address: String, issuer: IssuerRecord, role: MembershipRecord.Role,
        by actor: AccountRecord,
        link: String
    ) -> MailMessage {
        let label = MemberRoles.label(role)
        let body = """
            Bonjour \(account.displayName),

            \(actor.displayName) vous invite à rejoindre l'équipe de « \(issuer.name) » sur Insigne, avec le rôle \
            « \(label.fr) ». Pour choisir votre mot de passe, ouvrez ce lien (valable 7 jours, une seule fois) :

            \(link)

            Votre identifiant sera votre adresse électronique : \(address)

            Si vous ne vous attendiez pas à cette invitation, ignorez ce message.

            ---

            Hello \(account.displayName),

            \(actor.displayName) invites you to join the staff of "\(issuer.name)" on Insigne, as "\(label.en)". To \
            choose your password, open this link (valid for 7 days, once):

            \(link)

            Your sign-in will be your email address: \(address)

            If you did not expect this invitation, ignore this message.
            """
        return MailMessage(
            to: address,
            subject: MailMessage.subject("Invitation : équipe de \(issuer.name)", "Invitation: \(issuer.name) staff"),
            body: body)
    }

    /// The notice of a role given to an account already in use.
    static func notice(
        to account: AccountRecord, address: String, issuer: IssuerRecord, role: MembershipRecord.Role,
        by actor: AccountRecord,
        signIn base: String
    ) -> MailMessage {
        let label = MemberRoles.label(role)
        let body = """
            Bonjour \(account.displayName),

            \(actor.displayName) vous a donné le rôle « \(label.fr) » dans l'équipe de « \(issuer.name) » sur \
            Insigne. Connectez-vous comme d'habitude :

            \(base)/login

            ---

            Hello \(account.displayName),

            \(actor.displayName) gave you the role "\(label.en)" in the staff of "\(issuer.name)" on Insigne. Sign in as \
            usual:

            \(base)/login
            """
        return MailMessage(
            to: address,
            subject: MailMessage.subject("Nouveau rôle : \(issuer.name)", "New role: \(issuer.name)"), body: body)
    }
}
