import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The roles per issuer, proved through HTTP: each person (administrator; manager, trainer, reviewer of issuer A;
/// trainer of B; trainer of A and reviewer of B; learner; anonymous) × a representative action on pages and API.
@Suite("Role matrix")
struct RoleMatrixTests {
    enum Person: String, CaseIterable, Sendable {
        case admin, managerA, trainerA, reviewerA, trainerB, mixed, learner, anonymous
    }
    enum Action: String, CaseIterable, Sendable {
        case editIssuerPage, editBadgePage, newBadgeCreateAPI, issuerEditAPI
        case awardPage, bulkPage, revokePage, inviteLearnerPage, awardAPI, revokeAPI, listAssertionsA
        case reviewPieceA, reviewPieceB, awardPageB
        case membersPage, membersAddPage, membersListAPI, membersAddAPI, membersRemoveAPI
        case keyRotateAPI, createIssuerAPI
    }
    enum Need { case manage, award, review, awardB, reviewB, admin }

    struct Cell: Sendable, CustomTestStringConvertible {
        var person: Person
        var action: Action
        var testDescription: String { "\(person.rawValue) × \(action.rawValue)" }
    }

    static let cells = Person.allCases.flatMap { p in Action.allCases.map { Cell(person: p, action: $0) } }

    static func need(_ a: Action) -> Need {
        switch a {
        case .editIssuerPage, .editBadgePage, .newBadgeCreateAPI, .issuerEditAPI, .membersPage, .membersAddPage,
            .membersListAPI, .membersAddAPI, .membersRemoveAPI:
            .manage
        case .awardPage, .bulkPage, .revokePage, .inviteLearnerPage, .awardAPI, .revokeAPI, .listAssertionsA: .award
        case .reviewPieceA: .review
        case .reviewPieceB: .reviewB
        case .awardPageB: .awardB
        case .keyRotateAPI, .createIssuerAPI: .admin
        }
    }

    /// The rule: manager ⊃ trainer ⊃ reviewer within their issuer; administrators everywhere.
    static func allowed(_ c: Cell) -> Bool {
        let p = c.person
        if p == .admin { return true }
        switch need(c.action) {
        case .admin: return false
        case .manage: return p == .managerA
        case .award: return [.managerA, .trainerA, .mixed].contains(p)
        case .review: return [.managerA, .trainerA, .reviewerA, .mixed].contains(p)
        case .awardB: return p == .trainerB
        case .reviewB: return [.trainerB, .mixed].contains(p)
        }
    }

    @Test(arguments: cells)
    func cell(_ c: Cell) async throws {
        let f = try await RoleFixture.shared.value
        let expected = Self.allowed(c)
        try await f.base.harness.run { browser in
            try await f.signIn(browser, as: c.person)
            let outcome = try await f.attempt(c, browser)
            #expect(outcome == expected, "\(c.testDescription): expected \(expected ? "allowed" : "refused")")
        }
    }
}

/// The access matrix's service (issuers A and B, learners, pieces, badges) plus one account per person of the role
/// matrix, with their roles and API tokens.
struct RoleFixture: Sendable {
    static let shared = Task { try await RoleFixture.make() }
    let base: AccessFixture
    var services: ServerServices { base.services }
    static let a = AccessFixture.issuerA
    static let b = AccessFixture.issuerB

    static func roles(_ p: RoleMatrixTests.Person) -> [(String, MembershipRecord.Role)] {
        switch p {
        case .managerA: [(a, .manager)]
        case .trainerA: [(a, .trainer)]
        case .reviewerA: [(a, .reviewer)]
        case .trainerB: [(b, .trainer)]
        case .mixed: [(a, .trainer), (b, .reviewer)]
        case .admin, .learner, .anonymous: []
        }
    }

    static func make() async throws -> RoleFixture {
        let base = try await AccessFixture.make()
        let now = Date()
        try await base.services.db.writer.write { db in
            for p in RoleMatrixTests.Person.allCases where !roles(p).isEmpty {
                try AccountRecord(
                    id: p.rawValue, login: "\(p.rawValue)@example.org", displayName: p.rawValue,
                    passwordHash: "scrypt$unused", role: .staff, issuerID: nil, createdAt: now,
                    email: "\(p.rawValue)@example.org"
                ).insert(db)
                for (issuer, role) in roles(p) {
                    try MembershipRecord(
                        id: "mem_\(p.rawValue)_\(issuer)", accountID: p.rawValue, issuerID: issuer, role: role,
                        createdAt: now, createdBy: "test"
                    ).insert(db)
                }
                try APITokenRecord(
                    tokenHash: SHA256Digest.hexHash(Array("token-\(p.rawValue)".utf8)), accountID: p.rawValue,
                    label: p.rawValue, createdAt: now
                ).insert(db)
            }
        }
        return RoleFixture(base: base)
    }

    func signIn(_ browser: WebBrowser, as p: RoleMatrixTests.Person) async throws {
        let account: String? =
            switch p {
            case .admin: "admin"
            case .learner: AccessFixture.learner(.a)
            case .anonymous: nil
            default: p.rawValue
            }
        guard let account else { return }
        let (token, _) = try await WebSessionStore(db: services.db).create(accountID: account)
        browser.setCookie(WebSessionStore.cookieName, token)
        _ = try await browser.get(p == .learner ? "/portfolio" : "/trainer")
        #expect(!browser.csrf.isEmpty)
    }

    static func token(_ p: RoleMatrixTests.Person) -> String? {
        switch p {
        case .admin: "t"
        case .learner, .anonymous: nil
        default: "token-\(p.rawValue)"
        }
    }

    func api(
        _ browser: WebBrowser, _ method: HTTPRequest.Method, _ uri: String, as p: RoleMatrixTests.Person,
        json: JSONValue? = nil
    ) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token = Self.token(p) { headers[.authorization] = "Bearer \(token)" }
        return try await browser.client.executeRequest(
            uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(bytes: $0.encoded()) }
        ).status
    }

    /// Passed the access check: not 401/403/404, not sent to sign in or to the portfolio, no server error.
    static func passed(_ status: HTTPResponse.Status, location: String? = nil) -> Bool {
        if [.unauthorized, .forbidden, .notFound].contains(status) { return false }
        if status == .seeOther, let l = location, l.hasPrefix("/login") || l.hasPrefix("/portfolio") { return false }
        #expect(status.code < 500)
        return status.code < 500
    }

    func page(_ browser: WebBrowser, _ uri: String) async throws -> Bool {
        let p = try await browser.get(uri)
        return Self.passed(p.status, location: p.location)
    }

    func form(_ browser: WebBrowser, _ uri: String, _ fields: [(String, String)]) async throws -> Bool {
        let p = try await browser.post(uri, fields)
        return Self.passed(p.status, location: p.location)
    }

    /// A fresh trainer role of issuer A, held by a new account of no cell, to be removed.
    func removableMember() async throws -> String {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        try await services.db.writer.write { db in
            try AccountRecord(
                id: "spare-\(suffix)", login: "spare-\(suffix)@example.org", displayName: "Spare", passwordHash: nil,
                role: .staff, issuerID: nil, createdAt: Date(), email: "spare-\(suffix)@example.org"
            ).insert(db)
            try MembershipRecord(
                id: "mem_\(suffix)", accountID: "spare-\(suffix)", issuerID: Self.a, role: .trainer, createdAt: Date(),
                createdBy: "test"
            ).insert(db)
        }
        return "mem_\(suffix)"
    }

    func attempt(_ c: RoleMatrixTests.Cell, _ browser: WebBrowser) async throws -> Bool {
        let (a, b, p) = (Self.a, Self.b, c.person)
        let badgeA = AccessFixture.badge(.a)
        let fresh = "n-\(UUID().uuidString.prefix(8).lowercased())@example.org"
        switch c.action {
        case .editIssuerPage: return try await page(browser, "/trainer/issuers/\(a)/edit")
        case .editBadgePage: return try await page(browser, "/trainer/badges/\(badgeA)/edit")
        case .awardPage: return try await page(browser, "/trainer/badges/\(badgeA)/award")
        case .bulkPage: return try await page(browser, "/trainer/badges/\(badgeA)/bulk")
        case .awardPageB: return try await page(browser, "/trainer/badges/\(AccessFixture.badge(.b))/award")
        case .membersPage: return try await page(browser, "/trainer/issuers/\(a)/members")
        case .listAssertionsA:
            let id = try await base.newAssertion(.a)
            let s = try await api(browser, .get, "/api/v1/assertions?perPage=200", as: p)
            guard s == .ok, let token = Self.token(p) else { return false }
            let r = try await browser.client.executeRequest(
                uri: "/api/v1/assertions?perPage=200", method: .get, headers: [.authorization: "Bearer \(token)"],
                body: nil)
            return String(buffer: r.body).contains(id)
        case .membersAddPage:
            return try await form(
                browser, "/trainer/issuers/\(a)/members", [("name", "Nouvelle"), ("email", fresh), ("role", "trainer")])
        case .revokePage:
            let id = try await base.newAssertion(.a)
            _ = try await browser.post("/trainer/assertions/\(id)/revoke", [("reason", "Erreur de saisie")])
            return try await base.revoked(id)
        case .inviteLearnerPage:
            _ = try await browser.post(
                "/trainer/learners/invite", [("name", "Invitée"), ("email", fresh), ("issuer", a)])
            return try await services.db.writer.read { db in
                try InvitationRecord.filter { $0.email == fresh && $0.issuerID == a }.fetchCount(db) == 1
            }
        case .reviewPieceA, .reviewPieceB:
            let id = try await base.piece(c.action == .reviewPieceA ? .a : .b, status: .submitted)
            _ = try await browser.post("/trainer/evidence/\(id)/review", [("decision", "accept")])
            return try await base.status(of: id) == .accepted
        case .newBadgeCreateAPI:
            return Self.passed(try await api(browser, .post, "/api/v1/issuers/\(a)/badges", as: p, json: [:]))
        case .issuerEditAPI:
            return try await api(browser, .patch, "/api/v1/issuers/\(a)", as: p, json: ["description": "Texte"]) == .ok
        case .awardAPI:
            return try await api(
                browser, .post, "/api/v1/badges/\(badgeA)/assertions", as: p,
                json: ["recipient": ["email": .string(fresh)]]) == .created
        case .revokeAPI:
            let id = try await base.newAssertion(.a)
            _ = try await api(browser, .post, "/api/v1/assertions/\(id)/revoke", as: p, json: ["reason": "Erreur"])
            return try await base.revoked(id)
        case .membersListAPI: return try await api(browser, .get, "/api/v1/issuers/\(a)/members", as: p) == .ok
        case .membersAddAPI:
            return try await api(
                browser, .post, "/api/v1/issuers/\(a)/members", as: p,
                json: ["email": .string(fresh), "name": "Nouvelle", "role": "reviewer"]) == .created
        case .membersRemoveAPI:
            let id = try await removableMember()
            return try await api(browser, .delete, "/api/v1/issuers/\(a)/members/\(id)", as: p) == .noContent
        case .keyRotateAPI: return try await api(browser, .post, "/api/v1/issuers/\(b)/keys/rotate", as: p) == .ok
        case .createIssuerAPI:
            let id = "issuer-\(UUID().uuidString.prefix(8).lowercased())"
            return try await api(
                browser, .post, "/api/v1/issuers", as: p,
                json: [
                    "id": .string(id), "name": "Nouvel émetteur", "url": "https://nouveau.example.org",
                    "email": "contact@nouveau.example.org",
                ]) == .created
        }
    }
}
