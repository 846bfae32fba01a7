import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// « Mot de passe oublié » without Hummingbird: reset links (32 random bytes, only their SHA-256 stored, valid one
/// hour, single use, a new one replacing the older ones) sent to the account's address. A request for an unknown,
/// erased or address-less account does comparable work and sends nothing, so the answer tells nothing.
struct PasswordReset: Sendable {
    let services: ServerServices

    /// How long a reset link stays valid.
    static let lifetime: TimeInterval = 3600

    /// The stored form of a token.
    static func hash(_ token: String) -> String { SHA256Digest.hexHash(Array(token.utf8)) }

    /// True for a token of the right shape (64 hexadecimal digits).
    static func wellFormed(_ token: String) -> Bool { token.count == 64 && token.allSatisfy(\.isHexDigit) }

    /// Sends a reset link to each account with this address; returns where the messages went (empty when there
    /// is no such account: the caller shows the same page either way).
    @discardableResult
    func request(email: String, now: Date = Date()) async throws -> [Mailer.Delivery] {
        let address = EmailNormalization.normalize(email)
        let accounts = try await services.db.accountsForPasswordReset(email: address)
        guard !accounts.isEmpty else {
            // The same token drawing, hashing and message rendering as a real request, then nothing is sent.
            let token = try SecureRandom.hex(byteCount: 32)
            let message = PasswordMessages.resetLink(
                to: "nobody@example.invalid", name: "—", login: "—", link: link(token))
            _ = try message.render(from: services.mailer.from, messageID: Self.hash(token), date: now)
            return []
        }
        var deliveries: [Mailer.Delivery] = []
        for account in accounts {
            let token = try SecureRandom.hex(byteCount: 32)
            try await services.db.issuePasswordReset(
                PasswordResetRecord(
                    tokenHash: Self.hash(token), accountID: account.id, createdAt: now,
                    expiresAt: now.addingTimeInterval(Self.lifetime)), now: now)
            deliveries.append(
                try await services.mailer.send(
                    PasswordMessages.resetLink(
                        to: address, name: account.displayName, login: account.login, link: link(token)), now: now))
        }
        return deliveries
    }

    /// The reset link of a token.
    func link(_ token: String) -> String { services.urls.base + "/password/reset/" + token }

    /// The account of a live reset link; nil when the link is unknown, expired or used.
    func account(token: String, now: Date = Date()) async throws -> AccountRecord? {
        guard Self.wellFormed(token) else { return nil }
        return try await services.db.livePasswordReset(tokenHash: Self.hash(token), now: now)?.1
    }

    /// Uses a live link: the new password is set and every session of the account ends. Nil when the link is
    /// unknown, expired or used.
    func complete(token: String, passwordHash: String, now: Date = Date()) async throws -> AccountRecord? {
        guard Self.wellFormed(token) else { return nil }
        return try await services.db.completePasswordReset(
            tokenHash: Self.hash(token), passwordHash: passwordHash, now: now)
    }

    /// Tells the account's owner that the password changed (when the account has an address).
    func notifyChanged(_ account: AccountRecord) async throws -> Mailer.Delivery? {
        guard let email = account.email, Validation.isEmail(email) else { return nil }
        return try await services.mailer.send(
            PasswordMessages.changed(
                to: email, name: account.displayName, login: account.login,
                signInURL: services.urls.base + "/login"))
    }
}
