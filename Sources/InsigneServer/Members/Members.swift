import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The staff of an issuer: inviting a person with a role (a new account chooses its password with a single-use link
/// sent by e-mail; an account in use gets the role and a notice), listing, removing a role, sending a new link.
/// Callers check that the person acting may manage the issuer (`StaffAction.manage`).
struct Members: Sendable {
    let services: ServerServices
    var db: AppDatabase { services.db }

    /// How long an invitation link stays valid.
    static let invitationLifetime: TimeInterval = 7 * 86400

    /// Invited (no password chosen yet) or active.
    enum Status: String, Sendable { case invited, active }

    /// One role of one person in the issuer.
    struct Member: Sendable {
        var membership: MembershipRecord
        var account: AccountRecord
        var status: Status { account.passwordHash == nil ? .invited : .active }
    }

    /// What inviting did: the member, where the message went, and the link when there is no mail server.
    struct Invitation: Sendable {
        var member: Member
        var delivery: Mailer.Delivery
        /// The invitation link, only when it was written to the outbox (no SMTP server) and a link was made.
        var invitationURL: String?
    }

    /// The stored form of a token.
    static func hash(_ token: String) -> String { SHA256Digest.hexHash(Array(token.utf8)) }

    /// The members of the issuer, by name.
    func list(issuerID: String) async throws -> [Member] {
        try await db.members(issuerID: issuerID).map { Member(membership: $0.membership, account: $0.account) }
    }

    /// Checks the invitation's fields (422 naming the field) and returns them cleaned.
    static func validate(email: String, name: String, role: String) throws -> (String, String, MembershipRecord.Role) {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count <= 320, Validation.isEmail(email) else {
            throw ServiceError(
                .unprocessable, field: "email", fr: "adresse électronique invalide", en: "invalid email address")
        }
        guard !name.isEmpty, name.count <= 200 else {
            throw ServiceError(
                .unprocessable, field: "name", fr: "nom obligatoire (200 caractères au plus)",
                en: "name required (200 characters at most)")
        }
        return (EmailNormalization.normalize(email), name, try MemberRoles.parse(role))
    }

    /// Gives the role to the person with this address and e-mails them (invitation or notice).
    func invite(issuer: IssuerRecord, email: String, name: String, role: String, by actor: AccountRecord)
        async throws -> Invitation
    {
        let (email, name, role) = try Self.validate(email: email, name: name, role: role)
        let token = try SecureRandom.hex(byteCount: 32)
        let outcome = try await db.addMember(
            issuerID: issuer.id, email: email, name: name, role: role, by: actor.id, tokenHash: Self.hash(token),
            lifetime: Self.invitationLifetime)
        switch outcome {
        case .learnerAddress:
            throw ServiceError(
                .conflict, field: "email",
                fr:
                    "cette adresse est celle d'un compte apprenant : un compte d'équipe demande une autre adresse (les comptes apprenants et d'équipe restent séparés)",
                en:
                    "this address belongs to a learner account: a staff account needs another address (learner and staff accounts stay apart)"
            )
        case .alreadyMember:
            throw ServiceError(
                .conflict, field: "role", fr: "cette personne a déjà ce rôle dans cet émetteur",
                en: "this person already holds this role in this issuer")
        case .invited(let m, let account):
            let link = services.urls.base + "/staff/invitation/" + token
            let delivery = try await services.mailer.send(
                MemberEmails.invitation(
                    to: account, address: email, issuer: issuer, role: m.role, by: actor, link: link))
            return Invitation(
                member: Member(membership: m, account: account), delivery: delivery,
                invitationURL: services.mailer.smtp == nil ? link : nil)
        case .added(let m, let account):
            let delivery = try await services.mailer.send(
                MemberEmails.notice(
                    to: account, address: email, issuer: issuer, role: m.role, by: actor, signIn: services.urls.base))
            return Invitation(member: Member(membership: m, account: account), delivery: delivery, invitationURL: nil)
        }
    }

    /// Sends a new invitation link to a member who has not chosen a password yet (404 unknown here, 409 active).
    func resend(issuer: IssuerRecord, memberID: String, by actor: AccountRecord) async throws -> Invitation {
        let token = try SecureRandom.hex(byteCount: 32)
        guard
            let (m, account) = try await db.renewStaffInvitation(
                issuerID: issuer.id, memberID: memberID, by: actor.id, tokenHash: Self.hash(token),
                lifetime: Self.invitationLifetime)
        else {
            guard try await list(issuerID: issuer.id).contains(where: { $0.membership.id == memberID }) else {
                throw ServiceError.notFound("Membre / member", memberID)
            }
            throw ServiceError(
                .conflict, fr: "cette personne utilise déjà son compte : rien à renvoyer",
                en: "this person already uses their account: nothing to resend")
        }
        let link = services.urls.base + "/staff/invitation/" + token
        let delivery = try await services.mailer.send(
            MemberEmails.invitation(
                to: account, address: account.email ?? account.login, issuer: issuer, role: m.role, by: actor,
                link: link))
        return Invitation(
            member: Member(membership: m, account: account), delivery: delivery,
            invitationURL: services.mailer.smtp == nil ? link : nil)
    }

    /// Removes one role (404 when it is not this issuer's; 409 for the last manager unless an administrator).
    @discardableResult
    func remove(issuerID: String, memberID: String, by actor: AccountRecord) async throws -> MembershipRecord {
        let outcome = try await db.removeMember(
            issuerID: issuerID, memberID: memberID, by: actor.id, mayRemoveLastManager: actor.role == .admin)
        switch outcome {
        case .removed(let m): return m
        case .notFound: throw ServiceError.notFound("Membre / member", memberID)
        case .lastManager:
            throw ServiceError(
                .conflict,
                fr:
                    "c'est le dernier ou la dernière responsable de cet émetteur : nommez d'abord un·e autre responsable (ou demandez à un administrateur)",
                en: "this is the issuer's last manager: appoint another manager first (or ask an administrator)")
        }
    }
}
