import Foundation
import GRDB
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The learners' portfolios in the database and on disk: invitations, evidence and its tags, access rules, share
/// links, review, coverage, and the RGPD export and erasure. Every change is one transaction.
struct Portfolio: Sendable {
    let db: AppDatabase
    let files: EvidenceFiles
    let urls: PublicURLs
    let outbox: MailOutbox

    init(services: ServerServices) {
        db = services.db
        files = EvidenceFiles(dataDirectory: services.configuration.dataDirectory)
        outbox = MailOutbox(dataDirectory: services.configuration.dataDirectory)
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
        try await db.writer.write { db in
            try record.insert(db)
            var e = AuditEventRecord(
                at: now, actor: actor, action: "learner.invite", subject: String(record.tokenHash.prefix(16)))
            try e.insert(db)
        }
        return token
    }

    /// The invitation of a token if it can still be accepted.
    func openInvitation(_ token: String, now: Date = Date()) async throws -> InvitationRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await db.writer.read { db in
            guard let i = try InvitationRecord.fetchOne(db, key: Self.hash(token)), i.acceptedAt == nil,
                i.expiresAt > now, !i.email.isEmpty
            else { return nil }
            return i
        }
    }

    /// Accepts an invitation once: creates the learner account (login = email). Nil when already used, expired,
    /// unknown, or when the email is already a login.
    func accept(_ token: String, passwordHash: String, now: Date = Date()) async throws -> AccountRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        let hash = Self.hash(token)
        return try await db.writer.write { db -> AccountRecord? in
            guard let inv = try InvitationRecord.fetchOne(db, key: hash), inv.acceptedAt == nil, inv.expiresAt > now,
                !inv.email.isEmpty
            else { return nil }
            if try AccountRecord.filter(sql: "login = ? COLLATE NOCASE", arguments: [inv.email]).fetchCount(db) > 0 {
                return nil
            }
            let account = AccountRecord(
                id: UUID().uuidString.lowercased(), login: inv.email, displayName: inv.displayName,
                passwordHash: passwordHash, role: .learner, issuerID: nil, createdAt: now, email: inv.email)
            try account.insert(db)
            try db.execute(
                sql: "UPDATE invitation SET acceptedAt = ?, accountID = ? WHERE tokenHash = ? AND acceptedAt IS NULL",
                arguments: [now, account.id, hash])
            guard db.changesCount == 1 else { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT) }
            if let issuerID = inv.issuerID {
                try LearnerIssuerRecord(learnerID: account.id, issuerID: issuerID, createdAt: now).insert(db)
            }
            var e = AuditEventRecord(at: now, actor: account.id, action: "learner.accept", subject: account.id)
            try e.insert(db)
            return account
        }
    }

    /// The live learner account an invitation's address already belongs to (a second issuer's invitation is
    /// accepted by signing in with that account's password).
    func existingLearner(for invitation: InvitationRecord) async throws -> AccountRecord? {
        try await db.writer.read { db in
            try AccountRecord.filter(sql: "login = ? COLLATE NOCASE", arguments: [invitation.email]).fetchOne(db)
        }.flatMap { $0.role == .learner && $0.erasedAt == nil ? $0 : nil }
    }

    /// Accepts an invitation once for an existing learner account: enrols it with the invitation's issuer. Nil
    /// when already used, expired, unknown, or not addressed to this account.
    func join(_ token: String, account: AccountRecord, now: Date = Date()) async throws -> AccountRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit), account.role == .learner else { return nil }
        let hash = Self.hash(token)
        return try await db.writer.write { db -> AccountRecord? in
            guard let inv = try InvitationRecord.fetchOne(db, key: hash), inv.acceptedAt == nil, inv.expiresAt > now,
                !inv.email.isEmpty, inv.email.lowercased() == account.login.lowercased()
            else { return nil }
            try db.execute(
                sql: "UPDATE invitation SET acceptedAt = ?, accountID = ? WHERE tokenHash = ? AND acceptedAt IS NULL",
                arguments: [now, account.id, hash])
            guard db.changesCount == 1 else { return nil }
            if let issuerID = inv.issuerID {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO learnerIssuer (learnerID, issuerID, createdAt) VALUES (?, ?, ?)",
                    arguments: [account.id, issuerID, now])
            }
            var e = AuditEventRecord(at: now, actor: account.id, action: "learner.join", subject: account.id)
            e.detail = inv.issuerID.map { "issuer \($0)" }
            try e.insert(db)
            return account
        }
    }

    // MARK: - Enrolments

    /// The issuers a learner is enrolled with, oldest enrolment first.
    func issuers(ofLearner learnerID: String) async throws -> [IssuerRecord] {
        try await db.writer.read { db in
            try IssuerRecord.fetchAll(
                db,
                sql: """
                    SELECT i.* FROM issuer i JOIN learnerIssuer l ON l.issuerID = i.id WHERE l.learnerID = ?
                    ORDER BY l.createdAt, i.id
                    """, arguments: [learnerID])
        }
    }

    /// True when this account may see this learner: administrators always; staff when the learner is enrolled
    /// with their issuer.
    func maySeeLearner(_ account: AccountRecord, learnerID: String) async throws -> Bool {
        guard account.erasedAt == nil else { return false }
        if account.role == .admin { return true }
        guard account.role == .staff, let mine = account.issuerID else { return false }
        return try await db.writer.read { db in
            try LearnerIssuerRecord.filter(Column("learnerID") == learnerID && Column("issuerID") == mine).fetchCount(
                db)
                > 0
        }
    }

    // MARK: - Evidence

    /// A piece with its tags.
    struct Piece: Sendable {
        var item: EvidenceItemRecord
        var tags: [EvidenceAlignmentRecord]
        var blob: EvidenceBlobRecord?
    }

    /// A learner's pieces, newest first, with tags and blobs.
    func pieces(learnerID: String, statuses: [EvidenceItemRecord.Status]? = nil) async throws -> [Piece] {
        try await db.writer.read { db in
            var q = EvidenceItemRecord.filter(Column("learnerID") == learnerID)
            if let statuses { q = q.filter(statuses.map(\.rawValue).contains(Column("status"))) }
            let items = try q.order(Column("createdAt").desc).fetchAll(db)
            return try items.map { try Self.piece($0, db) }
        }
    }

    static func piece(_ item: EvidenceItemRecord, _ db: Database) throws -> Piece {
        let tags = try EvidenceAlignmentRecord.filter(Column("evidenceID") == item.id)
            .order(Column("frameworkID"), Column("competencyIDNumber")).fetchAll(db)
        let blob = try item.blobSHA256.flatMap { try EvidenceBlobRecord.fetchOne(db, key: $0) }
        return Piece(item: item, tags: tags, blob: blob)
    }

    /// One piece by id.
    func piece(id: String) async throws -> Piece? {
        try await db.writer.read { db in try EvidenceItemRecord.fetchOne(db, key: id).map { try Self.piece($0, db) } }
    }

    /// A new file to attach: its bytes are already on disk under their digest.
    struct StoredFile: Sendable {
        var sha256: String
        var size: Int
        var mediaType: String
        var fileName: String
    }

    /// Creates or updates a piece and its tags in one transaction; blobs left unreferenced are deleted.
    func save(_ item: EvidenceItemRecord, tags: [EvidenceAlignmentRecord], file: StoredFile?) async throws {
        let orphans = try await db.writer.write { db -> [String] in
            var item = item
            var candidates: [String] = []
            if let old = try EvidenceItemRecord.fetchOne(db, key: item.id), let sha = old.blobSHA256 {
                candidates.append(sha)
            }
            if let file {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO evidenceBlob (sha256, size, mediaType, createdAt) VALUES (?, ?, ?, ?)",
                    arguments: [file.sha256, file.size, file.mediaType, Date()])
                item.blobSHA256 = file.sha256
                item.fileName = file.fileName
            }
            try item.save(db)
            try EvidenceAlignmentRecord.filter(Column("evidenceID") == item.id).deleteAll(db)
            let mine = tags.map {
                EvidenceAlignmentRecord(
                    evidenceID: item.id, frameworkID: $0.frameworkID, competencyIDNumber: $0.competencyIDNumber)
            }
            for t in Set(mine) { try t.insert(db) }
            return try AppDatabase.deleteOrphanBlobs(candidates, db)
        }
        orphans.forEach(files.remove)
    }

    /// Deletes a piece (tags follow); its file goes when no other piece uses it.
    func delete(_ item: EvidenceItemRecord) async throws {
        let orphans = try await db.writer.write { db -> [String] in
            _ = try EvidenceItemRecord.deleteOne(db, key: item.id)
            return try AppDatabase.deleteOrphanBlobs(item.blobSHA256.map { [$0] } ?? [], db)
        }
        orphans.forEach(files.remove)
    }

    /// Moves the learner's draft and changes-requested pieces to submitted, to `issuerID` (nil: the site); a piece
    /// sent back for changes returns to the issuer that examined it. Returns how many moved.
    func submitAll(learnerID: String, to issuerID: String?, now: Date = Date()) async throws -> Int {
        try await db.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE evidence SET status = 'submitted', submittedAt = ?, updatedAt = ?,
                        issuerID = CASE WHEN status = 'changesRequested' AND issuerID IS NOT NULL THEN issuerID ELSE ? END
                    WHERE learnerID = ? AND status IN ('draft', 'changesRequested')
                    """, arguments: [now, now, issuerID, learnerID])
            let n = db.changesCount
            if n > 0 {
                var e = AuditEventRecord(
                    at: now, actor: learnerID, action: "evidence.submit", subject: learnerID, detail: "\(n) piece(s)")
                try e.insert(db)
            }
            return n
        }
    }

    /// Accepts a submitted piece, or asks for changes (comment required by the caller). False when not submitted.
    func review(id: String, accept: Bool, comment: String?, reviewer: String, now: Date = Date()) async throws -> Bool {
        try await db.writer.write { db in
            guard var item = try EvidenceItemRecord.fetchOne(db, key: id), item.status == .submitted else {
                return false
            }
            item.status = accept ? .accepted : .changesRequested
            item.reviewComment = comment
            item.reviewedBy = reviewer
            item.reviewedAt = now
            item.updatedAt = now
            try item.update(db)
            var e = AuditEventRecord(
                at: now, actor: reviewer, action: accept ? "evidence.accept" : "evidence.request-changes", subject: id,
                detail: "learner \(item.learnerID)")
            try e.insert(db)
            return true
        }
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
        try await db.writer.write { db in
            try ShareLinkRecord(tokenHash: Self.hash(token), learnerID: learnerID, label: label, createdAt: now).insert(
                db)
            var e = AuditEventRecord(at: now, actor: learnerID, action: "share.create", subject: learnerID)
            try e.insert(db)
        }
        return token
    }

    /// The live (not revoked) share link of a token.
    func shareLink(token: String) async throws -> ShareLinkRecord? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await db.writer.read { db in
            guard let l = try ShareLinkRecord.fetchOne(db, key: Self.hash(token)), l.revokedAt == nil else {
                return nil
            }
            guard let a = try AccountRecord.fetchOne(db, key: l.learnerID), a.erasedAt == nil else { return nil }
            return l
        }
    }

    /// Revokes one of the learner's links.
    func revokeShareLink(tokenHash: String, learnerID: String, now: Date = Date()) async throws -> Bool {
        try await db.writer.write { db in
            try db.execute(
                sql: "UPDATE shareLink SET revokedAt = ? WHERE tokenHash = ? AND learnerID = ? AND revokedAt IS NULL",
                arguments: [now, tokenHash, learnerID])
            guard db.changesCount == 1 else { return false }
            var e = AuditEventRecord(at: now, actor: learnerID, action: "share.revoke", subject: learnerID)
            try e.insert(db)
            return true
        }
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
        let states = try await db.writer.read { db -> [String: String] in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.competencyIDNumber, e.status FROM evidenceAlignment a JOIN evidence e ON e.id = a.evidenceID
                    WHERE e.learnerID = ? AND a.frameworkID = ? AND e.status IN ('accepted', 'submitted')
                    """, arguments: [learnerID, frameworkID])
            var out: [String: String] = [:]
            for r in rows {
                let code: String = r[0]
                let status: String = r[1]
                if out[code] != "accepted" { out[code] = status }
            }
            return out
        }
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
        return try await db.writer.read { db in
            try AssertionRecord.filter(Column("recipientEmail") == normalized).order(Column("createdAt").desc).fetchAll(
                db
            )
            .map { ($0, try BadgeClassRecord.fetchOne(db, key: $0.badgeClassID)) }
        }
    }

    // MARK: - RGPD

    /// Everything stored about a learner, as a ZIP archive.
    func export(_ account: AccountRecord, now: Date = Date()) async throws -> [UInt8] {
        let pieces = try await self.pieces(learnerID: account.id)
        let more = try await db.learnerPersonalRecords(accountID: account.id, primaryEmail: account.email)
        let badges = more.assertions.map { ($0, more.badgeClasses[$0.badgeClassID]) }
        let (links, audit) = try await db.writer.read { db -> ([ShareLinkRecord], [AuditEventRecord]) in
            let links = try ShareLinkRecord.filter(Column("learnerID") == account.id).order(Column("createdAt"))
                .fetchAll(db)
            var subjects = [account.id] + pieces.map(\.item.id) + badges.map(\.0.id) + more.confirmedEmails
            if let e = account.email { subjects.append(e) }
            let audit = try AuditEventRecord.filter(
                subjects.contains(Column("subject")) || Column("actor") == account.id
            )
            .order(Column("at")).fetchAll(db)
            return (links, audit)
        }
        let iso = ISO8601DateFormatter()
        func date(_ d: Date?) -> Any { d.map { iso.string(from: $0) } ?? NSNull() }
        func json(_ v: Any) throws -> [UInt8] {
            [UInt8](
                try JSONSerialization.data(
                    withJSONObject: v, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
        }
        var zip = ZIPWriter(date: now)
        zip.add("README.txt", Array(Self.exportReadme(account, now: iso.string(from: now)).utf8))
        zip.add(
            "account.json",
            try json(
                [
                    "id": account.id, "login": account.login, "displayName": account.displayName,
                    "email": account.email as Any,
                    "role": account.role.rawValue, "createdAt": date(account.createdAt),
                ] as [String: Any]))
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
                let name = "files/\(i.id)-\(Self.safeFileName(i.fileName ?? "fichier", mediaType: blob.mediaType))"
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
        zip.add("evidence.json", try json(evidence))
        for (sha, name) in fileEntries.sorted(by: { $0.value < $1.value }) {
            if let bytes = files.read(sha) { zip.add(name, bytes) }
        }
        zip.add(
            "badges.json",
            try json(
                badges.map { a, b -> [String: Any] in
                    [
                        "id": a.id, "badge": b?.name ?? a.badgeClassID, "hostedURL": urls.assertion(a.id),
                        "issuedOn": a.issuedOn, "recipientEmail": a.recipientEmail,
                        "expires": a.expires as Any, "revoked": a.isRevoked, "jws": a.jws,
                    ]
                }))
        zip.add(
            "invitations.json",
            try json(
                more.invitations.map { i -> [String: Any] in
                    [
                        "email": i.email, "displayName": i.displayName, "createdAt": date(i.createdAt),
                        "expiresAt": date(i.expiresAt), "acceptedAt": date(i.acceptedAt),
                    ]
                }))
        zip.add(
            "evidence-publications.json",
            try json(
                more.publications.map { p -> [String: Any] in
                    [
                        "evidence": p.evidenceID, "badgeClass": p.badgeClassID, "since": date(p.createdAt),
                        "withdrawnAt": date(p.withdrawnAt),
                        "publicURL": p.withdrawnAt == nil ? urls.base + "/public-evidence/" + p.token : NSNull(),
                    ]
                }))
        zip.add("badge-connect.json", try json(Self.badgeConnectData(more, date: date)))
        zip.add(
            "establishments.json",
            try json(more.enrolments.map { ["issuer": $0.issuerID, "since": date($0.createdAt)] as [String: Any] }))
        zip.add(
            "share-links.json",
            try json(
                links.map { l -> [String: Any] in
                    ["label": l.label, "createdAt": date(l.createdAt), "revokedAt": date(l.revokedAt)]
                }))
        zip.add(
            "audit.json",
            try json(
                audit.map { e -> [String: Any] in
                    [
                        "at": date(e.at), "actor": e.actor, "action": e.action, "subject": e.subject,
                        "detail": e.detail as Any,
                    ]
                }))
        // The backpack's part (extra addresses, imported badges and their files, public page): Backpack.swift.
        for (name, bytes) in try await Backpack.personalData(accountID: account.id, db: db) { zip.add(name, bytes) }
        return zip.finish()
    }

    /// The Badge Connect part of the export: the applications granted access, and the metadata of each code and
    /// token (never a secret nor its hash).
    static func badgeConnectData(_ r: LearnerPersonalRecords, date: (Date?) -> Any) -> [String: Any] {
        [
            "applications": r.oauthClients.map { c -> [String: Any] in
                let meta = (try? JSONSerialization.jsonObject(with: Data(c.metadataJSON.utf8))) as? [String: Any]
                return [
                    "clientId": c.id, "name": meta?["client_name"] ?? NSNull(), "uri": meta?["client_uri"] ?? NSNull(),
                    "redirectURIs": c.redirectURIs, "registeredAt": date(c.createdAt),
                ]
            },
            "authorizationCodes": r.oauthCodes.map { c -> [String: Any] in
                [
                    "clientId": c.clientID, "scopes": c.scopes, "redirectURI": c.redirectURI,
                    "expiresAt": date(c.expiresAt), "usedAt": date(c.usedAt),
                ]
            },
            "tokens": r.oauthTokens.map { t -> [String: Any] in
                [
                    "clientId": t.clientID, "kind": t.kind.rawValue, "scopes": t.scopes, "createdAt": date(t.createdAt),
                    "expiresAt": date(t.expiresAt), "revokedAt": date(t.revokedAt),
                ]
            },
        ]
    }

    static func exportReadme(_ account: AccountRecord, now: String) -> String {
        """
        Insigne — vos données personnelles / your personal data
        Exporté le / exported on: \(now)

        FRANÇAIS
        Cette archive contient tout ce qu'Insigne conserve à votre sujet :
          account.json      votre compte (nom, identifiant, courriel, date de création) ;
          evidence.json     vos preuves, leurs rattachements au référentiel et l'état de leur examen ;
          files/            les fichiers que vous avez déposés ;
          badges.json       les badges qui vous ont été attribués, à toutes vos adresses confirmées (le JWS est
                            la version signée, vérifiable) ;
          invitations.json  les invitations reçues ;
          evidence-publications.json  les preuves que vous avez choisi de publier avec un badge ;
          badge-connect.json  les applications autorisées par Badge Connect et leurs jetons (sans les secrets) ;
          establishments.json  les établissements qui vous ont invité(e) (vos inscriptions) ;
          share-links.json  les liens de partage que vous avez créés (les liens eux-mêmes ne sont pas conservés) ;
          audit.json        le journal des actions qui vous concernent ;
          backpack.json     vos adresses supplémentaires, les badges importés (backpack/ : les fichiers reçus)
                            et l'état de votre page publique.
        Vous pouvez effacer ces données depuis « Mes données ». Les badges déjà attribués restent vérifiables :
        ils ne contiennent qu'une empreinte salée de votre adresse.

        ENGLISH
        This archive holds everything Insigne keeps about you: your account, your evidence with its tags and review
        state, your uploaded files, the badges awarded to you at every confirmed address (the JWS is the signed,
        verifiable form), your invitations, the evidence you chose to publish with a badge, the applications you
        allowed through Badge Connect and their tokens (without secrets), the establishments you are enrolled with, the share links you created (the links themselves are not kept), the log of actions about you, and backpack.json (your
        extra addresses, the badges you imported, with their files in backpack/, and your public page's state).
        You can erase this data from "My data". Badges already awarded stay verifiable: they hold only a salted hash
        of your address.

        """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// A file name safe in an archive: letters, digits, dot, dash, underscore; the sniffed extension.
    static func safeFileName(_ name: String, mediaType: String) -> String {
        var base = ""
        for ch in (name as NSString).deletingPathExtension.folding(options: .diacriticInsensitive, locale: nil) {
            if ch.isASCII, ch.isLetter || ch.isNumber || ch == "-" || ch == "_" {
                base.append(ch)
            } else if !base.hasSuffix("_") {
                base.append("_")
            }
        }
        base = String(base.prefix(60))
        if base.isEmpty || base == "_" { base = "fichier" }
        return base + "." + MediaSniffer.fileExtension(mediaType)
    }

    /// Erases a learner: every row about them goes or is blanked in one transaction
    /// (`AppDatabase.eraseLearner`), then the evidence files no longer referenced are removed from disk.
    func erase(_ account: AccountRecord, now: Date = Date()) async throws -> LearnerErasure {
        let erasure = try await db.eraseLearner(accountID: account.id, primaryEmail: account.email, now: now)
        erasure.orphanBlobs.forEach(files.remove)
        outbox.removeMessages(to: erasure.addresses)
        return erasure
    }
}
