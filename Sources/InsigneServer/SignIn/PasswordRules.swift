import Foundation
import OpenBadges

/// The rules a new password follows everywhere (learner invitation, account page, reset link, first setup): at
/// least `Portfolio.minPasswordLength` characters, at most 1000, typed twice alike.
enum PasswordRules {
    /// The shortest password accepted.
    static var minLength: Int { Portfolio.minPasswordLength }
    /// The longest password accepted (hashing a longer one would only cost time).
    static let maxLength = 1000

    /// What is wrong with a new password and its confirmation, or nil when they are fine.
    static func problem(_ password: String, confirm: String) -> LocalizedText? {
        guard password.count >= minLength, password.count <= maxLength else {
            return LocalizedText(
                fr: "Le mot de passe doit compter au moins \(minLength) caractères.",
                en: "The password must be at least \(minLength) characters long.")
        }
        guard password == confirm else {
            return LocalizedText(
                fr: "Les deux mots de passe ne sont pas identiques.", en: "The two passwords do not match.")
        }
        return nil
    }
}
