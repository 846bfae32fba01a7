import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The learners' portfolios in the database and on disk: invitations, evidence and its tags, access rules, share
/// links, coverage. Every change is one transaction of `AppDatabase+Portfolio.swift`; the personal-data
/// export and erasure (`PersonalData/`) call this feature's part.
struct Portfolio: Sendable {
    let db: AppDatabase
    let files: EvidenceFiles
    let urls: PublicURLs

    init(services: ServerServices) {
        db = services.db
        files = EvidenceFiles(dataDirectory: services.configuration.dataDirectory)
        urls = services.urls
    }

    static let invitationLifetime: TimeInterval = 14 * 86400
    static let minPasswordLength = 10

    static func hash(_ token: String) -> String { SHA256Digest.hexHash(Array(token.utf8)) }

    // MARK: - Invitations

    /// Creates an invitation to `issuerID` (nil: the site); returns the token (shown once, stored hashed).
    func invite(name: String, email: String, by actor: String, issuerID: String? = nil, now: Date = Date()) async throws
        -> String
    {
        let token = try SecureRandom.hex(byteCount: 32)
        let record = InvitationRecord(
            tokenHash: Self.hash(token), email: email, displayName: name, createdBy: actor, createdAt: now,
            expiresAt: now.addingTimeInterval(Self.invitationLifetime), issuerID: issuerID)
        try await db.createInvitation(record, actor: actor, now: now)
        return token
    }

    /// The invitation of a token if it can still be accepted.
    func openInvitation(_ token: String, now: Date = Date()) async throws -> InvitationRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await db.openInvitation(tokenHash: Self.hash(token), now: now)
    }

    /// Accepts an invitation once: creates the learner account (login = email). Nil when already used, expired,
    /// unknown, or when the email is already a login.
    func accept(_ token: String, passwordHash: String, now: Date = Date()) async throws -> AccountRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await db.acceptInvitation(tokenHash: Self.hash(token), passwordHash: passwordHash, now: now)
    }

    /// The live learner account an invitation's address already belongs to (a second issuer's invitation is
    /// accepted by signing in with that account's password).
    func existingLearner(for invitation: InvitationRecord) async throws -> AccountRecord? {
        try await db.liveLearner(login: invitation.email)
    }

    /// Accepts an invitation once for an existing learner account: enrols it with the invitation's issuer. Nil
    /// when already used, expired, unknown, or not addressed to this account.
    func join(_ token: String, account: AccountRecord, now: Date = Date()) async throws -> AccountRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit), account.role == .learner else { return nil }
        return try await db.joinInvitation(tokenHash: Self.hash(token), account: account, now: now)
    }

    // MARK: - Enrolments

    /// The issuers a learner is enrolled with, oldest enrolment first.
    func issuers(ofLearner learnerID: String) async throws -> [IssuerRecord] {
        try await db.issuers(ofLearner: learnerID)
    }

    // MARK: - Evidence

    /// A piece with its tags and blob.
    typealias Piece = EvidencePiece

    /// A learner's pieces, newest first, with tags and blobs.
    func pieces(learnerID: String, statuses: [EvidenceItemRecord.Status]? = nil) async throws -> [Piece] {
        try await db.evidencePieces(learnerID: learnerID, statuses: statuses)
    }

    /// One piece by id.
    func piece(id: String) async throws -> Piece? { try await db.evidencePiece(id: id) }

    /// A new file to attach: its bytes are already on disk under their digest.
    typealias StoredFile = EvidenceFileUpload

    /// Creates or updates a piece and its tags in one transaction; blobs left unreferenced are deleted.
    func save(_ item: EvidenceItemRecord, tags: [EvidenceAlignmentRecord], file: StoredFile?) async throws {
        let orphans = try await db.saveEvidence(item, tags: tags, file: file)
        orphans.forEach(files.remove)
    }

    /// Deletes a piece (tags follow); its file goes when no other piece uses it.
    func delete(_ item: EvidenceItemRecord) async throws {
        let orphans = try await db.deleteEvidence(item)
        orphans.forEach(files.remove)
    }

    /// Moves the learner's draft and changes-requested pieces to submitted, to `issuerID` (nil: the site); a piece
    /// sent back for changes returns to the issuer that examined it. Returns how many moved.
    func submitAll(learnerID: String, to issuerID: String?, now: Date = Date()) async throws -> Int {
        try await db.submitEvidence(learnerID: learnerID, to: issuerID, now: now)
    }

    // MARK: - Access

    /// Who may open a piece.
    enum Viewer: Sendable { case owner, reviewer, shareLink }

    /// The piece if this account or share token may open it; nil otherwise (the caller answers 404 either way).
    /// Drafts are the learner's alone; reviewers see the rest when it was submitted to their issuer
    /// (administrators: always); a live share link of the learner opens their submitted and accepted pieces.
    func visible(id: String, account: AccountRecord?, shareToken: String?) async throws -> (Piece, Viewer)? {
        guard id.count <= 64, let piece = try await self.piece(id: id) else { return nil }
        let item = piece.item
        if let a = account, a.erasedAt == nil {
            if a.role == .learner, a.id == item.learnerID { return (piece, .owner) }
            if a.role == .staff || a.role == .admin, item.status != .draft, Access.maySee(a, submittedTo: item.issuerID)
            {
                return (piece, .reviewer)
            }
        }
        if let token = shareToken, let link = try await shareLink(token: token), link.learnerID == item.learnerID,
            item.status == .submitted || item.status == .accepted
        {
            return (piece, .shareLink)
        }
        return nil
    }

    // MARK: - Share links

    /// Creates a share link; returns the token (shown in the link, stored hashed).
    func createShareLink(learnerID: String, label: String, now: Date = Date()) async throws -> String {
        let token = try SecureRandom.hex(byteCount: 32)
        try await db.createShareLink(tokenHash: Self.hash(token), learnerID: learnerID, label: label, now: now)
        return token
    }

    /// The live (not revoked) share link of a token.
    func shareLink(token: String) async throws -> ShareLinkRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await db.liveShareLink(tokenHash: Self.hash(token))
    }

    /// Revokes one of the learner's links.
    func revokeShareLink(tokenHash: String, learnerID: String, now: Date = Date()) async throws -> Bool {
        try await db.revokeShareLink(tokenHash: tokenHash, learnerID: learnerID, now: now)
    }

    // MARK: - Coverage

    /// What a learner's evidence says about one competency.
    enum CoverageState: String, Sendable { case accepted, submitted, none }

    /// One row of the coverage table.
    struct CoverageRow: Sendable {
        var competency: CompetencyRecord
        var state: CoverageState
        /// The top-level competency it belongs to (itself at the top).
        var domain: String
    }

    /// The learner's coverage of a framework's current competencies, in tree order.
    func coverage(learnerID: String, frameworkID: String) async throws -> [CoverageRow] {
        let items = try db.competencies(frameworkID: frameworkID, includeRetired: false)
        let states = try await db.evidenceCoverage(learnerID: learnerID, frameworkID: frameworkID)
        let parents = Dictionary(items.map { ($0.idNumber, $0.parentIDNumber) }, uniquingKeysWith: { a, _ in a })
        func top(_ code: String) -> String {
            var c = code
            var seen = 0
            while let p = parents[c] ?? nil, seen < 64 {
                c = p
                seen += 1
            }
            return c
        }
        return items.map { c in
            let state: CoverageState =
                switch states[c.idNumber] ?? "" {
                case "accepted": .accepted
                case "submitted": .submitted
                default: .none
                }
            return CoverageRow(competency: c, state: state, domain: top(c.idNumber))
        }
    }

    // MARK: - Badges

    /// The assertions awarded to the learner's email, newest first.
    func badges(of account: AccountRecord) async throws -> [(AssertionRecord, BadgeClassRecord?)] {
        guard let email = account.email, !email.isEmpty else { return [] }
        let normalized = EmailNormalization.normalize(email)
        return try await db.awardedBadges(recipientEmail: normalized)
    }

    // MARK: - Personal data (this feature's part)

    /// The portfolio's part of the personal-data export: its entries, and the audit subjects it names (the
    /// learner's pieces).
    struct PersonalDataPart: Sendable {
        /// `evidence.json` and the files, `invitations.json`, `evidence-publications.json`, `establishments.json`,
        /// `share-links.json`.
        var entries: [(String, [UInt8])]
        /// The ids of the learner's pieces (the audit names them).
        var auditSubjects: [String]
    }

    /// The learner's evidence and files, invitations, publication choices, enrolments and share links, as export
    /// entries. `records` is what the store read for the whole export.
    func personalData(_ account: AccountRecord, records more: LearnerPersonalRecords) async throws
        -> PersonalDataPart
    {
        let pieces = try await self.pieces(learnerID: account.id)
        let links = try await db.shareLinksForExport(learnerID: account.id)
        let iso = ISO8601DateFormatter()
        func date(_ d: Date?) -> Any { d.map { iso.string(from: $0) } ?? NSNull() }
        func json(_ v: Any) throws -> [UInt8] {
            [UInt8](
                try JSONSerialization.data(
                    withJSONObject: v, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
        }
        var entries: [(String, [UInt8])] = []
        func add(_ name: String, _ bytes: [UInt8]) { entries.append((name, bytes)) }
        var fileEntries: [String: String] = [:]
        var evidence: [[String: Any]] = []
        for p in pieces {
            let i = p.item
            var d: [String: Any] = [
                "id": i.id, "kind": i.kind.rawValue, "title": i.title, "status": i.status.rawValue,
                "narrative": i.narrative as Any, "linkURL": i.linkURL as Any, "genre": i.genre as Any,
                "description": i.description as Any, "reviewComment": i.reviewComment as Any,
                "reviewedAt": date(i.reviewedAt), "submittedAt": date(i.submittedAt), "createdAt": date(i.createdAt),
                "updatedAt": date(i.updatedAt), "url": urls.base + "/evidence/" + i.id,
                "tags": p.tags.map { ["framework": $0.frameworkID, "code": $0.competencyIDNumber] },
            ]
            if let blob = p.blob {
                let name = "files/\(i.id)-\(FileNames.safe(i.fileName ?? "fichier", mediaType: blob.mediaType))"
                fileEntries[blob.sha256] = fileEntries[blob.sha256] ?? name
                d["file"] =
                    [
                        "path": fileEntries[blob.sha256]!, "sha256": blob.sha256, "size": blob.size,
                        "mediaType": blob.mediaType,
                        "originalName": i.fileName as Any,
                    ] as [String: Any]
            }
            evidence.append(d)
        }
        entries.append(("evidence.json", try json(evidence)))
        for (sha, name) in fileEntries.sorted(by: { $0.value < $1.value }) {
            if let bytes = files.read(sha) { entries.append((name, bytes)) }
        }
        add(
            "invitations.json",
            try json(
                more.invitations.map { i -> [String: Any] in
                    [
                        "email": i.email, "displayName": i.displayName, "createdAt": date(i.createdAt),
                        "expiresAt": date(i.expiresAt), "acceptedAt": date(i.acceptedAt),
                    ]
                }))
        add(
            "evidence-publications.json",
            try json(
                more.publications.map { p -> [String: Any] in
                    [
                        "evidence": p.evidenceID, "badgeClass": p.badgeClassID, "since": date(p.createdAt),
                        "withdrawnAt": date(p.withdrawnAt),
                        "publicURL": p.withdrawnAt == nil ? urls.base + "/public-evidence/" + p.token : NSNull(),
                    ]
                }))
        add(
            "establishments.json",
            try json(more.enrolments.map { ["issuer": $0.issuerID, "since": date($0.createdAt)] as [String: Any] }))
        add(
            "share-links.json",
            try json(
                links.map { l -> [String: Any] in
                    ["label": l.label, "createdAt": date(l.createdAt), "revokedAt": date(l.revokedAt)]
                }))
        return PersonalDataPart(entries: entries, auditSubjects: pieces.map(\.item.id))
    }
}
