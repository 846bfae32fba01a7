import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// Staff roles per issuer: inviting (new account, account in use, learner address, duplicate), the invitation link
/// (single use, expiry), removing a role (last manager) and the issuers an account acts for.
@Suite("Store: members")
struct AppDatabaseMembersTests {
    let start = IssuingFixture.start
    let week: TimeInterval = 7 * 86400

    func add(
        _ db: AppDatabase, _ email: String, _ role: MembershipRecord.Role, issuer: String = "foyer",
        token: String = UUID().uuidString, at: Date? = nil
    ) async throws -> MemberAddition {
        try await db.addMember(
            issuerID: issuer, email: email, name: "Nom \(email)", role: role, by: "admin", tokenHash: token,
            lifetime: week, now: at ?? start)
    }

    @Test func newAddressGetsAnAccountWithoutPasswordAndALink() async throws {
        let db = try await IssuingFixture.database()
        guard case .invited(let m, let account) = try await add(db, "nina@example.org", .trainer, token: "h1") else {
            Issue.record("expected an invitation")
            return
        }
        #expect(account.role == .staff && account.passwordHash == nil && account.login == "nina@example.org")
        #expect(m.id.hasPrefix("mem_") && m.role == .trainer && m.issuerID == "foyer")
        #expect(try await db.memberships(accountID: account.id).map(\.id) == [m.id])
        #expect(try await db.openStaffInvitation(tokenHash: "h1", now: start)?.1.id == account.id)
        // Expired after 7 days.
        #expect(try await db.openStaffInvitation(tokenHash: "h1", now: start.addingTimeInterval(week + 1)) == nil)
        // Single use: accepted once, never again.
        let accepted = try await db.acceptStaffInvitation(tokenHash: "h1", passwordHash: "scrypt$x", now: start)
        #expect(accepted?.passwordHash == "scrypt$x")
        #expect(try await db.acceptStaffInvitation(tokenHash: "h1", passwordHash: "scrypt$y", now: start) == nil)
        #expect(try await db.openStaffInvitation(tokenHash: "h1", now: start) == nil)
    }

    @Test func accountInUseGetsTheRoleWithoutLink() async throws {
        let db = try await IssuingFixture.database()
        guard case .invited(_, let nina) = try await add(db, "nina@example.org", .trainer, token: "h1") else {
            Issue.record("expected an invitation")
            return
        }
        _ = try await db.acceptStaffInvitation(tokenHash: "h1", passwordHash: "scrypt$x", now: start)
        // Case-insensitive address; a second issuer, another role: added, no invitation stored.
        guard
            case .added(let m, let same) = try await add(
                db, "NINA@example.org", .reviewer, issuer: "annexe", token: "h2")
        else {
            Issue.record("expected the role to be added")
            return
        }
        #expect(same.id == nina.id && m.issuerID == "annexe")
        #expect(try await db.openStaffInvitation(tokenHash: "h2", now: start) == nil)
        #expect(try await db.issuers(actingFor: same).map(\.id) == ["annexe", "foyer"])
        // The same role twice: refused.
        #expect(try await add(db, "nina@example.org", .reviewer, issuer: "annexe") == .alreadyMember(m))
    }

    @Test func learnerAddressIsRefused() async throws {
        let db = try await IssuingFixture.database()
        #expect(try await add(db, "LEA@example.org", .trainer) == .learnerAddress)
    }

    @Test func lastManagerStaysUnlessAnAdministratorRemovesIt() async throws {
        let db = try await IssuingFixture.database()
        guard case .invited(let boss, _) = try await add(db, "boss@example.org", .manager),
            case .invited(let other, _) = try await add(db, "other@example.org", .trainer)
        else {
            Issue.record("expected invitations")
            return
        }
        #expect(
            try await db.removeMember(issuerID: "foyer", memberID: boss.id, by: "x", mayRemoveLastManager: false)
                == .lastManager)
        #expect(
            try await db.removeMember(issuerID: "annexe", memberID: other.id, by: "x", mayRemoveLastManager: false)
                == .notFound)
        #expect(
            try await db.removeMember(issuerID: "foyer", memberID: other.id, by: "x", mayRemoveLastManager: false)
                == .removed(other))
        #expect(
            try await db.removeMember(issuerID: "foyer", memberID: boss.id, by: "admin", mayRemoveLastManager: true)
                == .removed(boss))
    }

    @Test func removedMemberCannotUseTheLinkAndResendReplacesIt() async throws {
        let db = try await IssuingFixture.database()
        guard case .invited(let m, _) = try await add(db, "nina@example.org", .trainer, token: "h1") else {
            Issue.record("expected an invitation")
            return
        }
        let renewed = try await db.renewStaffInvitation(
            issuerID: "foyer", memberID: m.id, by: "admin", tokenHash: "h2", lifetime: week, now: start)
        #expect(renewed?.0 == m)
        #expect(try await db.openStaffInvitation(tokenHash: "h1", now: start) == nil)
        #expect(try await db.openStaffInvitation(tokenHash: "h2", now: start) != nil)
        _ = try await db.removeMember(issuerID: "foyer", memberID: m.id, by: "admin", mayRemoveLastManager: true)
        #expect(try await db.openStaffInvitation(tokenHash: "h2", now: start) == nil)
    }
}
