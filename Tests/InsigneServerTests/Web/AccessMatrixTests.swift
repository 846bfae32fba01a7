import CompetencyFrameworks
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Who may list, read and change what, proved cell by cell through HTTP (pages with a session and CSRF token, API
/// with bearer tokens). Issuer A is the establishment Foyers La Maison (child of Mutuelle Vivre Ensemble), issuer B
/// an unrelated residence; "parent" is staff of the Mutuelle, which gets nothing of its establishment's learners.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Role: String, CaseIterable, Sendable { case admin, staffA, staffB, staffParent, learnerA, anonymous }
    enum Target: String, CaseIterable, Sendable { case a, b }
    enum Resource: String, CaseIterable, Sendable {
        case learnerList, invitationList, reviewQueue, learnerPage, evidencePage, evidenceFile, reviewPiece
        case awardCitingEvidence, apiAwardCitingEvidence, frameworkReimportPage, frameworkReimportAPI
        case frameworkAlignAPI, badgeClassAPI, revokePage, revokeAPI
        case badgeEditPage, badgeEditAPI, issuerEditAPI
    }

    struct Cell: Sendable, CustomTestStringConvertible {
        var role: Role
        var target: Target
        var resource: Resource
        var testDescription: String { "\(role.rawValue) × \(target.rawValue) × \(resource.rawValue)" }
    }

    static let cells: [Cell] = Role.allCases.flatMap { r in
        Target.allCases.flatMap { t in Resource.allCases.map { Cell(role: r, target: t, resource: $0) } }
    }

    /// The rule under test: what each role may do to what belongs to issuer A or B.
    static func allowed(_ c: Cell) -> Bool {
        let ownIssuer =
            c.role == .admin || (c.role == .staffA && c.target == .a) || (c.role == .staffB && c.target == .b)
        switch c.resource {
        case .evidencePage, .evidenceFile:
            // The learner of A opens their own pieces; reviewers of the issuer the piece was submitted to too.
            return ownIssuer || (c.role == .learnerA && c.target == .a)
        case .frameworkAlignAPI:
            // Every trainer may align their own badges to any framework.
            return [.admin, .staffA, .staffB, .staffParent].contains(c.role)
        default:
            return ownIssuer
        }
    }

    @Test(arguments: cells)
    func cell(_ c: Cell) async throws {
        let f = try await AccessFixture.shared.value
        let expected = Self.allowed(c)
        try await f.harness.run { browser in
            try await f.signIn(browser, as: c.role)
            let outcome = try await f.attempt(c, browser)
            #expect(outcome == expected, "\(c.testDescription): expected \(expected ? "allowed" : "refused")")
        }
    }

    @Test func matrixHasEveryCell() {
        #expect(Self.cells.count == Role.allCases.count * Target.allCases.count * Resource.allCases.count)
        #expect(Self.cells.count == 216)
    }
}

/// One service with issuers A and B, their staff, learners, pieces, invitations, frameworks and badges.
struct AccessFixture: Sendable {
    static let shared = Task { try await AccessFixture.make() }
    static let issuerA = DemoSeeder.establishmentID
    static let issuerB = "residence-les-tilleuls"
    static let parent = DemoSeeder.issuerID

    let harness: WebHarness
    var services: ServerServices { harness.services }

    static func issuer(_ t: AccessMatrixTests.Target) -> String { t == .a ? issuerA : issuerB }
    static func learner(_ t: AccessMatrixTests.Target) -> String { "learner-\(t.rawValue)" }
    static func email(_ t: AccessMatrixTests.Target) -> String { "learner-\(t.rawValue)@example.org" }
    static func badge(_ t: AccessMatrixTests.Target) -> String { "badge-\(t.rawValue)" }
    static func framework(_ t: AccessMatrixTests.Target) -> String { "FW-\(t.rawValue.uppercased())" }
    static func token(_ role: AccessMatrixTests.Role) -> String? {
        switch role {
        case .admin: "t"
        case .staffA, .staffB, .staffParent: "token-\(role.rawValue)"
        case .learnerA, .anonymous: nil
        }
    }

    static func make() async throws -> AccessFixture {
        let h = try await WebHarness.make()
        let s = h.services
        _ = try await s.issuing.createIssuer(
            IssuerRecord(
                id: issuerB, name: "Résidence Les Tilleuls", url: "https://tilleuls.example.org",
                email: "contact@tilleuls.example.org", createdAt: Date()), actor: "test")
        let now = Date()
        try await s.db.writer.write { db in
            for (role, issuer) in [("staffA", issuerA), ("staffB", issuerB), ("staffParent", parent)] {
                try AccountRecord(
                    id: role, login: role, displayName: role, passwordHash: nil, role: .staff, issuerID: issuer,
                    createdAt: now
                ).insert(db)
                // Each was their issuer's one staff account: its manager (as the "v6-roles" migration made them).
                try MembershipRecord(
                    id: "mem_\(role)", accountID: role, issuerID: issuer, role: .manager, createdAt: now,
                    createdBy: "test"
                ).insert(db)
                try APITokenRecord(
                    tokenHash: SHA256Digest.hexHash(Array("token-\(role)".utf8)), accountID: role, label: role,
                    createdAt: now
                ).insert(db)
            }
            var template = try #require(try BadgeClassRecord.fetchOne(db, key: DemoSeeder.badgeID))
            for t in AccessMatrixTests.Target.allCases {
                template.id = badge(t)
                template.issuerID = issuer(t)
                template.name = "Badge \(t.rawValue)"
                try template.insert(db)
                try AccountRecord(
                    id: learner(t), login: email(t), displayName: "Apprenant·e \(t.rawValue)", passwordHash: nil,
                    role: .learner, issuerID: nil, createdAt: now, email: email(t)
                ).insert(db)
                try LearnerIssuerRecord(learnerID: learner(t), issuerID: issuer(t), createdAt: now).insert(db)
                try InvitationRecord(
                    tokenHash: "pending-\(t.rawValue)", email: "pending-\(t.rawValue)@example.org",
                    displayName: "Invité·e \(t.rawValue)", createdBy: t == .a ? "staffA" : "staffB", createdAt: now,
                    expiresAt: now.addingTimeInterval(86400), issuerID: issuer(t)
                ).insert(db)
            }
        }
        let f = AccessFixture(harness: h)
        for t in AccessMatrixTests.Target.allCases {
            var fw = TestFrameworks.deesExtract
            fw.idNumber = framework(t)
            _ = try s.db.importFramework(fw, actor: t == .a ? "staffA" : "staffB", as: .issuer(issuer(t)))
            _ = try await f.piece(t, status: .submitted, id: "queued-\(t.rawValue)")
            _ = try await f.piece(t, status: .accepted, id: "file-\(t.rawValue)")
        }
        return f
    }

    /// A new piece of the learner of `t`, submitted to issuer `t`, with a small text file.
    func piece(_ t: AccessMatrixTests.Target, status: EvidenceItemRecord.Status, id: String = UUID().uuidString)
        async throws -> String
    {
        let portfolio = Portfolio(services: services)
        let bytes = Array("Compte rendu \(id)\n".utf8)
        let sha = try portfolio.files.store(bytes)
        var item = EvidenceItemRecord(
            id: id, learnerID: Self.learner(t), kind: .file, title: "Preuve \(id)", status: status, createdAt: Date(),
            updatedAt: Date(), issuerID: Self.issuer(t))
        item.submittedAt = Date()
        try await portfolio.save(
            item, tags: [],
            file: .init(sha256: sha, size: bytes.count, mediaType: "text/plain", fileName: "compte-rendu.txt"))
        return id
    }

    func signIn(_ browser: WebBrowser, as role: AccessMatrixTests.Role) async throws {
        let account: String? =
            switch role {
            case .admin: "admin"
            case .staffA, .staffB, .staffParent: role.rawValue
            case .learnerA: Self.learner(.a)
            case .anonymous: nil
            }
        guard let account else { return }
        let (token, _) = try await WebSessionStore(db: services.db).create(accountID: account)
        browser.setCookie(WebSessionStore.cookieName, token)
        _ = try await browser.get(role == .learnerA ? "/portfolio" : "/trainer")
        #expect(!browser.csrf.isEmpty)
    }

    func status(of pieceID: String) async throws -> EvidenceItemRecord.Status? {
        try await services.db.writer.read { db in try EvidenceItemRecord.fetchOne(db, key: pieceID)?.status }
    }

    /// Whether a badge carrying this cell's own narrative was awarded (cells run in parallel on one service).
    func awarded(_ marker: String) async throws -> Bool {
        try await services.db.writer.read { db in
            try AssertionRecord.filter { $0.narrative == marker }.fetchCount(db) > 0
        }
    }

    /// Whether this cell's role changed `subject` (cells run in parallel: the audit log tells who did what).
    func audited(
        _ c: AccessMatrixTests.Cell, _ action: String, _ subject: String, detail: @escaping @Sendable (String) -> Bool
    ) async throws -> Bool {
        let actor: String? =
            switch c.role {
            case .admin: "admin"
            case .staffA, .staffB, .staffParent: c.role.rawValue
            case .learnerA: Self.learner(.a)
            case .anonymous: nil
            }
        guard let actor else { return false }
        return try await services.db.writer.read { db in
            try AuditEventRecord.filter { $0.action == action && $0.subject == subject && $0.actor == actor }
                .fetchAll(db).contains { detail($0.detail ?? "") }
        }
    }

    func revoked(_ id: String) async throws -> Bool {
        try await services.issuing.assertion(id: id)?.isRevoked == true
    }

    func newAssertion(_ t: AccessMatrixTests.Target) async throws -> String {
        try await services.issuing.award(
            AwardRequest(badgeClassID: Self.badge(t), recipientEmail: "someone-\(UUID().uuidString)@example.org"),
            actor: "test"
        ).record.id
    }

    func api(
        _ browser: WebBrowser, _ method: HTTPRequest.Method, _ uri: String, role: AccessMatrixTests.Role,
        json: JSONValue
    ) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token = Self.token(role) { headers[.authorization] = "Bearer \(token)" }
        return try await browser.client.executeRequest(
            uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: json.encoded())
        ).status
    }

    /// Tries the cell's action; true when it was done (and what it shows or changes is there), false when refused
    /// and nothing was shown or changed.
    func attempt(_ c: AccessMatrixTests.Cell, _ browser: WebBrowser) async throws -> Bool {
        let t = c.target
        let base = services.urls.base
        switch c.resource {
        case .learnerList:
            let page = try await browser.get("/trainer/learners")
            return page.status == .ok && page.body.contains(Self.email(t))
        case .invitationList:
            let page = try await browser.get("/trainer/learners")
            return page.status == .ok && page.body.contains("pending-\(t.rawValue)@example.org")
        case .reviewQueue:
            let page = try await browser.get("/trainer/reviews")
            return page.status == .ok && page.body.contains("/trainer/learners/\(Self.learner(t))")
        case .learnerPage:
            let page = try await browser.get("/trainer/learners/\(Self.learner(t))")
            let shown = page.body.contains(Self.email(t))
            #expect((page.status == .ok) == shown)
            if !shown { #expect(page.status == .notFound || page.status == .seeOther) }
            return shown
        case .evidencePage:
            let page = try await browser.get("/evidence/queued-\(t.rawValue)")
            let shown = page.body.contains("Preuve queued-\(t.rawValue)")
            #expect((page.status == .ok) == shown)
            if !shown { #expect(page.status == .notFound) }
            return shown
        case .evidenceFile:
            let page = try await browser.get("/evidence/file-\(t.rawValue)/file")
            let shown = page.status == .ok && page.body.contains("Compte rendu file-\(t.rawValue)")
            if !shown { #expect(page.status == .notFound) }
            return shown
        case .reviewPiece:
            let id = try await piece(t, status: .submitted)
            let page = try await browser.post("/trainer/evidence/\(id)/review", [("decision", "accept")])
            let done = try await status(of: id) == .accepted
            #expect(done == (page.status == .seeOther))
            return done
        case .awardCitingEvidence:
            let id = try await piece(t, status: .accepted)
            let marker = "Attribution \(UUID().uuidString)"
            _ = try await browser.post(
                "/trainer/learners/\(Self.learner(t))/award",
                [
                    ("badge", Self.badge(t)), ("evidence", id), ("nonce", UUID().uuidString), ("confirm", "1"),
                    ("narrative", marker),
                ])
            return try await awarded(marker)
        case .apiAwardCitingEvidence:
            // Each trainer uses a badge of their own issuer (admin: the target's) and cites the target's piece.
            let id = try await piece(t, status: .accepted)
            let marker = "Attribution \(UUID().uuidString)"
            let badge =
                switch c.role {
                case .staffA: Self.badge(.a)
                case .staffB: Self.badge(.b)
                case .staffParent: DemoSeeder.badgeID
                default: Self.badge(t)
                }
            let status = try await api(
                browser, .post, "/api/v1/badges/\(badge)/assertions", role: c.role,
                json: [
                    "recipient": ["email": .string(Self.email(t))],
                    "evidence": [["id": .string(base + "/evidence/" + id)]], "narrative": .string(marker),
                ])
            let done = try await awarded(marker)
            #expect(done == (status == .created))
            return done
        case .frameworkReimportPage, .frameworkReimportAPI:
            let marker = "Relation éducative \(UUID().uuidString)"
            var fw = try #require(try services.db.coreFramework(id: Self.framework(t).lowercased()))
            fw.competencies[0].shortName = marker
            let body = [UInt8](CompetencyFrameworkJSON.encode(fw))
            let done: Bool
            if c.resource == .frameworkReimportPage {
                let page = try await browser.postMultipart(
                    "/trainer/referentials", [],
                    files: [.init(field: "file", filename: "fw.json", contentType: "application/json", data: body)])
                done = page.status == .ok && page.body.contains("réimporté")
                if !done, [.staffA, .staffB, .staffParent].contains(c.role) {
                    #expect(page.status == .forbidden)
                    #expect(page.body.contains("appartient"))
                }
            } else {
                let status = try await api(
                    browser, .post, "/api/v1/referentials", role: c.role, json: try JSONValue(parsing: body))
                done = status == .ok
                if !done, [.staffA, .staffB, .staffParent].contains(c.role) { #expect(status == .forbidden) }
            }
            // A refused import never wrote anything: its marker is nowhere.
            let written = try services.db.coreFramework(id: Self.framework(t).lowercased())?.competencies
                .contains { $0.shortName == marker }
            if !done { #expect(written == false) }
            return done
        case .frameworkAlignAPI:
            // Align a badge of the trainer's own issuer to the target's framework.
            let badge =
                switch c.role {
                case .staffA: Self.badge(.a)
                case .staffB: Self.badge(.b)
                case .staffParent: DemoSeeder.badgeID
                default: Self.badge(t)
                }
            let status = try await api(
                browser, .patch, "/api/v1/badges/\(badge)/alignment", role: c.role,
                json: ["add": [["framework": .string(Self.framework(t).lowercased()), "code": "DC1.1"]]])
            return status == .ok
        case .badgeClassAPI:
            let status = try await api(browser, .get, "/api/v1/badges/\(Self.badge(t))", role: c.role, json: [:])
            return status == .ok
        case .badgeEditPage:
            _ = try await browser.post(
                "/trainer/badges/\(Self.badge(t))/edit",
                [("name", "Badge \(UUID().uuidString)"), ("description", "Description"), ("criteria", "Critères")])
            return try await audited(c, "badge.update", Self.badge(t)) { $0.contains("name") }
        case .badgeEditAPI:
            let status = try await api(
                browser, .patch, "/api/v1/badges/\(Self.badge(t))", role: c.role,
                json: ["description": .string("Description \(UUID().uuidString)")])
            let done = try await audited(c, "badge.update", Self.badge(t)) { $0 == "description" }
            #expect(done == (status == .ok))
            return done
        case .issuerEditAPI:
            let status = try await api(
                browser, .patch, "/api/v1/issuers/\(Self.issuer(t))", role: c.role,
                json: ["description": .string("Description \(UUID().uuidString)")])
            let done = try await audited(c, "issuer.update", Self.issuer(t)) { $0 == "description" }
            #expect(done == (status == .ok))
            return done
        case .revokePage:
            let id = try await newAssertion(t)
            _ = try await browser.post("/trainer/assertions/\(id)/revoke", [("reason", "Erreur de saisie")])
            return try await revoked(id)
        case .revokeAPI:
            let id = try await newAssertion(t)
            let status = try await api(
                browser, .post, "/api/v1/assertions/\(id)/revoke", role: c.role, json: ["reason": "Erreur de saisie"])
            let done = try await revoked(id)
            #expect(done == (status == .ok))
            return done
        }
    }
}

@Suite("Learners of two issuers")
struct TwoIssuerLearnerTests {
    @Test func eachIssuerSeesOnlyWhatWasSubmittedToIt() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "foyers", password: "mot de passe foyers", issuerID: DemoSeeder.establishmentID)
        try await h.addStaff(login: "mutuelle", password: "mot de passe mutuelle", issuerID: DemoSeeder.issuerID)
        try await h.run { browser in
            let foyers = WebBrowser(client: browser.client)
            let mutuelle = WebBrowser(client: browser.client)
            let learner = WebBrowser(client: browser.client)
            try await foyers.signIn("foyers", "mot de passe foyers")
            try await mutuelle.signIn("mutuelle", "mot de passe mutuelle")
            #expect(
                try await learner.accept(try await foyers.invite(name: "Dominique Duo", email: "duo@example.org"))
                    .location == "/portfolio?welcome=1")
            // The second issuer may invite the same person: they join it with the password they already have.
            let second = try await mutuelle.invite(name: "Dominique Duo", email: "duo@example.org")
            let joining = WebBrowser(client: browser.client)
            let invitation = try await joining.get("/invitation/\(second)")
            #expect(invitation.body.contains("Rejoindre"))
            let wrong = try await joining.post("/invitation/\(second)", [("password", "pas le bon mot de passe")])
            #expect(wrong.status == .unprocessableContent)
            let joined = try await joining.post("/invitation/\(second)", [("password", WebHarness.learnerPassword)])
            #expect(joined.location == "/portfolio?welcome=1")
            let id = try #require(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.login == "duo@example.org" }.fetchOne(db)?.id
                })
            #expect(try await Portfolio(services: h.services).issuers(ofLearner: id).count == 2)
            // With two issuers, the learner says which one examines what they send.
            _ = try await joining.addNarrative(title: "Récit pour les Foyers", text: "Une journée au foyer.")
            _ = try await joining.get("/portfolio")
            #expect(try await joining.post("/portfolio/submit", []).status == .badRequest)
            _ = try await joining.get("/portfolio")
            let sent = try await joining.post("/portfolio/submit", [("issuer", DemoSeeder.establishmentID)])
            #expect(sent.location == "/portfolio?submitted=1")
            // Both see the learner; only the Foyers see and review the piece.
            #expect(try await foyers.get("/trainer/reviews").body.contains("/trainer/learners/\(id)"))
            #expect(!(try await mutuelle.get("/trainer/reviews").body.contains("/trainer/learners/\(id)")))
            #expect(try await foyers.get("/trainer/learners/\(id)").body.contains("Récit pour les Foyers"))
            let seenByMutuelle = try await mutuelle.get("/trainer/learners/\(id)")
            #expect(seenByMutuelle.status == .ok)
            #expect(!seenByMutuelle.body.contains("Récit pour les Foyers"))
            let piece = try #require(try await h.pieces().first)
            #expect(piece.issuerID == DemoSeeder.establishmentID)
            #expect(try await mutuelle.get("/evidence/\(piece.id)").status == .notFound)
            #expect(try await foyers.get("/evidence/\(piece.id)").status == .ok)
        }
    }
}
