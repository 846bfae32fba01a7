import Foundation

/// The e-mails about passwords, French first then English: the reset link (the only secret they ever carry) and
/// the notice that a password was changed (no secret).
enum PasswordMessages {
    /// The message with a single-use reset link, valid for `PasswordReset.lifetime`.
    static func resetLink(to email: String, name: String, login: String, link: String) -> MailMessage {
        let body = """
            Bonjour \(name),

            Une demande de nouveau mot de passe a été faite pour votre compte Insigne (identifiant : \(login)).
            Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, une seule fois) :

            \(link)

            Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.

            ---

            Hello \(name),

            A new password was requested for your Insigne account (login: \(login)).
            To choose a new password, open this link (valid for 1 hour, once):

            \(link)

            If you did not ask for this, ignore this message: your password stays as it is.
            """
        return MailMessage(
            to: email, subject: MailMessage.subject("Nouveau mot de passe", "New password"), body: body)
    }

    /// The notice sent after a password was changed or reset.
    static func changed(to email: String, name: String, login: String, signInURL: String) -> MailMessage {
        let body = """
            Bonjour \(name),

            Le mot de passe de votre compte Insigne (identifiant : \(login)) vient d'être modifié.
            Toutes les autres sessions ouvertes sur ce compte ont été fermées.

            Si vous n'êtes pas à l'origine de ce changement, demandez tout de suite un nouveau mot de passe
            (« Mot de passe oublié ? » sur la page de connexion) et prévenez l'administrateur du service :

            \(signInURL)

            ---

            Hello \(name),

            The password of your Insigne account (login: \(login)) was just changed.
            Every other session open on this account was closed.

            If you did not make this change, ask for a new password at once ("Forgot your password?" on the
            sign-in page) and tell the service's administrator:

            \(signInURL)
            """
        return MailMessage(
            to: email, subject: MailMessage.subject("Votre mot de passe a été modifié", "Your password was changed"),
            body: body)
    }
}
