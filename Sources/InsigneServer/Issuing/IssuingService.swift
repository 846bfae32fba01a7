import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG

/// What to award to one recipient.
public struct AwardRequest: Sendable {
    public var badgeClassID: String
    public var recipientEmail: String
    public var recipientName: String?
    public var narrative: String?
    public var evidence: [EvidenceRecord]
    public var expires: Date?
    /// Given by the client, or derived (batch rows); a second award with the same key returns the first.
    public var idempotencyKey: String?
    /// The earlier award this one renews (set by `renew`): linked both ways when stored.
    public var renewalOf: String?
    /// The issue date; nil: now (tests inject dates).
    public var issuedOn: Date?
    /// Bulk rows: when the recipient holds an award of this badge class that is expired or expires within the
    /// first reminder window (and was not renewed), this award renews it (`renewalOf`) instead of standing alone.
    public var renewExpiring = false

    /// Creates a request.
    public init(
        badgeClassID: String, recipientEmail: String, recipientName: String? = nil, narrative: String? = nil,
        evidence: [EvidenceRecord] = [], expires: Date? = nil, idempotencyKey: String? = nil
    ) {
        self.badgeClassID = badgeClassID
        self.recipientEmail = recipientEmail
        self.recipientName = recipientName
        self.narrative = narrative
        self.evidence = evidence
        self.expires = expires
        self.idempotencyKey = idempotencyKey
    }
}

/// Issuers, keys, badge classes, awards and revocations: the operations behind the API and the pages.
public final class IssuingService: Sendable {
    /// The database.
    public let db: AppDatabase
    /// Private keys.
    public let keystore: Keystore
    /// Public documents.
    public let documents: DocumentFactory
    let keys = KeyCache()
    /// OB 3.0 Bitstring status lists: the `credentialStatus` entry of each award, the signed lists.
    public let statusLists: StatusLists
    /// Makes the OB 3.0 forms of bulk awards in the background.
    let ob3Maker = OB3FormMaker()

    /// Creates the service.
    public init(db: AppDatabase, keystore: Keystore, documents: DocumentFactory) {
        self.db = db
        self.keystore = keystore
        self.documents = documents
        statusLists = StatusLists(db: db, urls: documents.urls)
    }

    // MARK: Issuers and keys

    /// Creates an issuer and its first RSA-2048 signing key.
    public func createIssuer(_ issuer: IssuerRecord, actor: String) async throws -> IssuerRecord {
        try Validation.issuer(issuer)
        let key = try PrivateKey.generate(.rsa2048)
        let keyID = "\(issuer.id)-\(try SecureRandom.hex(byteCount: 4))"
        let file = try keystore.store(key, name: keyID)
        do {
            let keyRecord = SigningKeyRecord(
                id: keyID, issuerID: issuer.id, algorithm: "RSA-2048", publicKeyPEM: key.publicKey.spkiPEM,
                privateKeyFile: file, createdAt: issuer.createdAt)
            guard try await db.createIssuer(issuer, key: keyRecord, actor: actor) else {
                throw ServiceError(
                    .conflict, field: "id", fr: "un émetteur « \(issuer.id) » existe déjà",
                    en: "an issuer \"\(issuer.id)\" already exists")
            }
        } catch {
            try? FileManager.default.removeItem(at: keystore.directory.appendingPathComponent(file))
            throw error
        }
        try await addDataIntegrityKey(issuerID: issuer.id, rotating: false, actor: actor)
        return issuer
    }

    /// Replaces the issuer's active keys (RSA for OB 2.0 and VC-JWT, Ed25519 for Data Integrity proofs) with new
    /// ones; the old keys stay published.
    public func rotateKey(issuerID: String, actor: String) async throws -> SigningKeyRecord {
        let key = try PrivateKey.generate(.rsa2048)
        let keyID = "\(issuerID)-\(try SecureRandom.hex(byteCount: 4))"
        let file = try keystore.store(key, name: keyID)
        let now = Date()
        let record = SigningKeyRecord(
            id: keyID, issuerID: issuerID, algorithm: "RSA-2048", publicKeyPEM: key.publicKey.spkiPEM,
            privateKeyFile: file, createdAt: now)
        guard try await db.rotateSigningKey(to: record, actor: actor) else {
            throw ServiceError.notFound("Émetteur / issuer", issuerID)
        }
        try await addDataIntegrityKey(issuerID: issuerID, rotating: true, actor: actor)
        keys.clearActive(issuerID)
        return record
    }

    /// The active key of an issuer and its private key (loaded once from the keystore).
    func activeKey(issuerID: String) async throws -> (SigningKeyRecord, BadgeSigner) {
        if let active = keys.active(issuerID) { return active }
        guard let record = try await db.activeSigningKey(issuerID: issuerID) else {
            throw ServiceError(.conflict, fr: "l'émetteur n'a pas de clé active", en: "the issuer has no active key")
        }
        let signer =
            try keys.get(record.id)
            ?? BadgeSigner(key: try keystore.load(record.privateKeyFile), keyID: documents.urls.key(record.id))
        keys.put(record.id, signer)
        keys.setActive(issuerID, (record, signer))
        return (record, signer)
    }

    /// A badge class by id, kept in memory (every edit goes through this service, which refreshes the copy).
    func badgeClass(_ id: String) async throws -> BadgeClassRecord? {
        if let b = keys.badge(id) { return b }
        guard let b = try await db.badgeClass(id: id) else { return nil }
        keys.setBadge(b)
        return b
    }

    // MARK: Badge classes

    /// Validates and stores a badge class. PNG images are decoded with libpng; SVG images are sanitised.
    public func createBadgeClass(_ badge: BadgeClassRecord, actor: String) async throws -> BadgeClassRecord {
        var b = badge
        b.validity = try Validity.optional(b.validity)?.description
        b.reminderDays = try ReminderDays.validated(b.reminderDays)
        try Validation.badgeClass(b)
        (b.imageData, b.imageType) = try Validation.badgeImage(b.imageData)
        switch try await db.createBadgeClass(b, actor: actor) {
        case .created: return b
        case .unknownIssuer: throw ServiceError.notFound("Émetteur / issuer", b.issuerID)
        case .idTaken:
            throw ServiceError(
                .conflict, field: "id",
                fr: "une classe de badge « \(b.id) » existe déjà : choisissez un autre nom ou un autre identifiant",
                en: "a badge class \"\(b.id)\" already exists: choose another name or another id")
        }
    }

    /// Replaces a badge class's alignment (audited).
    public func replaceAlignment(badgeID: String, _ alignment: [AlignmentRecord], actor: String) async throws
        -> BadgeClassRecord
    {
        let update = try await db.replaceAlignment(badgeID: badgeID, alignment, actor: actor) { b in
            try Validation.badgeClass(b)
        }
        guard case .updated(let b) = update else {
            throw ServiceError.notFound("Classe de badge / badge class", badgeID)
        }
        keys.setBadge(b)
        return b
    }

    // MARK: Awards

    /// Awards a badge: builds and signs the assertion (outside the write transaction), then stores it once.
    /// With an idempotency key already used, returns the earlier award and `created == false`.
    public func award(_ request: AwardRequest, actor: String) async throws -> (record: AssertionRecord, created: Bool) {
        var request = request
        if let key = request.idempotencyKey, let existing = try await assertion(idempotencyKey: key) {
            return (existing, false)
        }
        guard let badge = try await badgeClass(request.badgeClassID)
        else { throw ServiceError.notFound("Classe de badge / badge class", request.badgeClassID) }
        try Self.requireAwardable(badge)
        try Validation.award(request)
        let evidence = try await checkPortfolioCitations(request, badge: badge, actor: actor)
        let (keyRecord, signer) = try await activeKey(issuerID: badge.issuerID)
        let now = request.issuedOn ?? Date()
        if request.renewExpiring, request.renewalOf == nil {
            request.renewalOf = try await renewable(badge: badge, email: request.recipientEmail, now: now)?.id
        }
        let expires = try request.expires ?? Validity.optional(badge.validity)?.expiry(from: now)
        let signed: SignedAssertion
        do {
            signed = try signer.issue(
                AssertionRequest(
                    badgeClassID: documents.urls.badgeClass(badge.id), recipientEmail: request.recipientEmail,
                    issuedOn: now, expires: expires, evidence: evidence.map(DocumentFactory.evidence),
                    narrative: request.narrative))
        } catch let e as IssuingError {
            throw ServiceError(.invalid, fr: e.messageFR, en: e.messageEN)
        }
        request.issuedOn = now
        request.evidence = evidence
        let record = record(of: signed, request: request, badge: badge, key: keyRecord, actor: actor)
        let ob3 = try await ob3Form(of: record, badge: badge)  // the OB 3.0 form, signed here too
        // Stored and audited in one transaction; a concurrent request with the same idempotency key may have won
        // the race (the unique index decides): then its award comes back.
        do {
            return try await db.storeAward(record, ob3: ob3, actor: actor)
        } catch let e as AwardNotRenewable {
            throw try await notRenewable(e.previous, id: e.previousID)
        }
    }

    /// The award with this idempotency key, if any.
    public func assertion(idempotencyKey: String) async throws -> AssertionRecord? {
        try await db.assertion(idempotencyKey: idempotencyKey)
    }

    /// Revokes an award (reason required); audited with who and when. Revoking twice keeps the first reason.
    public func revoke(assertionID: String, reason: String, actor: String) async throws -> AssertionRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw ServiceError(
                .invalid, field: "reason", fr: "le motif de révocation est obligatoire (500 caractères au plus)",
                en: "a revocation reason is required (500 characters at most)")
        }
        guard let a = try await db.revokeAward(id: assertionID, reason: reason, actor: actor) else {
            throw ServiceError.notFound("Assertion", assertionID)
        }
        return a
    }
}

/// Loaded signers by key id, the active key of each issuer, and badge classes (refreshed by every edit).
final class KeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var signers: [String: BadgeSigner] = [:]
    private var activeKeys: [String: (SigningKeyRecord, BadgeSigner)] = [:]
    private var badges: [String: BadgeClassRecord] = [:]
    private var dataIntegrityKeys: [String: (DataIntegrityKeyRecord, PrivateKey)] = [:]

    func get(_ id: String) -> BadgeSigner? { lock.withLock { signers[id] } }
    func put(_ id: String, _ signer: BadgeSigner) { lock.withLock { signers[id] = signer } }
    func active(_ issuerID: String) -> (SigningKeyRecord, BadgeSigner)? { lock.withLock { activeKeys[issuerID] } }
    func setActive(_ issuerID: String, _ value: (SigningKeyRecord, BadgeSigner)) {
        lock.withLock { activeKeys[issuerID] = value }
    }
    func clearActive(_ issuerID: String) {
        lock.withLock {
            activeKeys[issuerID] = nil
            dataIntegrityKeys[issuerID] = nil
        }
    }
    func activeDataIntegrity(_ issuerID: String) -> (DataIntegrityKeyRecord, PrivateKey)? {
        lock.withLock { dataIntegrityKeys[issuerID] }
    }
    func setActiveDataIntegrity(_ issuerID: String, _ value: (DataIntegrityKeyRecord, PrivateKey)) {
        lock.withLock { dataIntegrityKeys[issuerID] = value }
    }
    func badge(_ id: String) -> BadgeClassRecord? { lock.withLock { badges[id] } }
    func removeBadge(_ id: String) { lock.withLock { badges[id] = nil } }

    func setBadge(_ b: BadgeClassRecord) {
        lock.withLock {
            if badges.count > 1000 { badges.removeAll() }
            badges[b.id] = b
        }
    }
}

// MARK: Queries (API and pages)

/// Filters and paging for listing awards.
public struct AssertionQuery: Sendable {
    public var badgeClassID: String?
    public var issuerID: String?
    /// Only the awards of these issuers (nil: no such limit; empty: none).
    public var issuerIDs: [String]?
    /// Matched against the stored normalised email.
    public var recipientEmail: String?
    public var revoked: Bool?
    /// 1-based.
    public var page: Int = 1
    public var perPage: Int = 50

    /// Creates a query.
    public init() {}
}

extension IssuingService {
    /// Every issuer, by id.
    public func issuers() async throws -> [IssuerRecord] {
        try await db.issuersByID()
    }

    /// One issuer.
    public func issuer(id: String) async throws -> IssuerRecord? {
        try await db.issuer(id: id)
    }

    /// The keys of an issuer (active and retired), oldest first.
    public func keys(issuerID: String) async throws -> [SigningKeyRecord] {
        try await db.signingKeys(issuerID: issuerID)
    }

    /// Badge classes, optionally of one issuer, by id.
    public func badgeClasses(issuerID: String?) async throws -> [BadgeClassRecord] {
        try await db.badgeClasses(issuerID: issuerID)
    }

    /// One badge class.
    public func badgeClass(id: String) async throws -> BadgeClassRecord? {
        try await db.badgeClass(id: id)
    }

    /// One award.
    public func assertion(id: String) async throws -> AssertionRecord? {
        try await db.assertion(id: id)
    }

    /// A page of awards, newest first, with the total count for the filters.
    public func assertions(_ q: AssertionQuery) async throws -> (items: [AssertionRecord], total: Int) {
        try await db.awards(
            badgeClassID: q.badgeClassID, issuerID: q.issuerID, recipientEmail: q.recipientEmail, revoked: q.revoked,
            page: q.page, perPage: q.perPage, issuerIDs: q.issuerIDs)
    }
}
