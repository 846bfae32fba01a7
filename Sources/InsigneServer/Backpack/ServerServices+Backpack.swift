import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One badge in a learner's backpack: issued here to one of their verified addresses, or stored (imported by the
/// learner or pushed by a Badge Connect client).
public struct BackpackEntry: Sendable {
    /// Where the badge comes from.
    public enum Origin: Sendable {
        /// Awarded by this service.
        case issuedHere(AssertionRecord)
        /// Imported or pushed, kept with its verification report.
        case stored(BackpackBadgeRecord)
    }
    /// The assertion UUID (issued here) or the backpack record id (stored).
    public var id: String
    /// The assertion's own id: the hosted URL for badges issued here, the document's `id` otherwise.
    public var assertionID: String
    public var badgeName: String
    public var issuerName: String
    public var issuedOn: String?
    /// The compact JWS, when the badge is signed (always for badges issued here).
    public var jws: String?
    /// The assertion document (hosted form for badges issued here).
    public var assertion: JSONValue
    /// `VerificationOutcome` raw value: current state for badges issued here, last verification otherwise.
    public var outcome: String
    /// Last change (award, revocation, import, re-verification).
    public var updatedAt: Date
    public var origin: Origin
    /// For a badge issued here that the learner also imported (or a client pushed back): that stored copy. The badge
    /// is listed once, in its live form.
    public var importedCopy: BackpackBadgeRecord? = nil
}

/// The result of an import: the stored record and the full report.
public struct BackpackImport: Sendable {
    /// The stored (created or updated) record.
    public var record: BackpackBadgeRecord
    /// True when the badge was already in the backpack (the record was updated).
    public var updated: Bool
    /// The verification report.
    public var report: VerificationReport
}

/// What verifying a badge for the backpack decided: kept (stored or updated), or refused with the verifier's
/// outcome and the reason to show; a verdict on the badge, not a failure of the service.
enum BackpackVerdict: Sendable {
    case kept(BackpackImport)
    case refused(outcome: String, reason: ServiceError)
}

extension ServiceError {
    /// An import refused because the badge was awarded to an address the learner has not confirmed (422; field
    /// `recipient`, which Badge Connect answers as `RECIPIENT_PROFILE_MISMATCH`).
    static var backpackRecipientMismatch: ServiceError {
        ServiceError(
            .unprocessable, field: "recipient",
            fr:
                "Ce badge a été attribué à une autre adresse que les vôtres (ajoutez et confirmez d'abord cette adresse).",
            en: "This badge was awarded to an address that is not one of yours (add and confirm that address first).")
    }

    /// An import refused because the badge does not verify (422).
    static func backpackInvalidBadge(_ report: VerificationReport) -> ServiceError {
        ServiceError(
            .unprocessable, fr: "Ce badge ne peut pas être vérifié : " + report.summary.fr,
            en: "This badge does not verify: " + report.summary.en)
    }
}

extension ServerServices {
    /// The learner's verified addresses, normalised: the primary (from the invitation) first.
    public func learnerEmails(accountID: String) async throws -> [String] {
        try await db.verifiedLearnerEmails(accountID: accountID)
    }

    /// Every badge in the learner's backpack, once each, newest change first.
    public func backpackEntries(learnerID: String) async throws -> [BackpackEntry] {
        let documents = self.documents
        let sources = try await db.backpackSources(learnerID: learnerID)
        let (issued, badges, issuers, stored) = (sources.issued, sources.badgeClasses, sources.issuers, sources.stored)
        let badgeByID = Dictionary(uniqueKeysWithValues: badges.map { ($0.id, $0) })
        let issuerByID = Dictionary(uniqueKeysWithValues: issuers.map { ($0.id, $0) })
        let now = Date()
        var entries: [BackpackEntry] = issued.map { a in
            let badge = badgeByID[a.badgeClassID]
            let outcome: VerificationOutcome =
                a.isRevoked
                ? .revoked : (a.expires.flatMap(DateTimeValue.init).map { $0.date < now } ?? false) ? .expired : .valid
            return BackpackEntry(
                id: a.id, assertionID: documents.urls.assertion(a.id), badgeName: badge?.name ?? a.badgeClassID,
                issuerName: badge.flatMap { issuerByID[$0.issuerID]?.name } ?? "", issuedOn: a.issuedOn, jws: a.jws,
                assertion: documents.hostedAssertion(a).json, outcome: outcome.rawValue,
                updatedAt: a.revokedAt ?? a.createdAt, origin: .issuedHere(a))
        }
        var issuedIndex: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            issuedIndex[e.assertionID] = i
            issuedIndex["urn:uuid:" + e.id] = i
        }
        for r in stored.sorted(by: { $0.updatedAt < $1.updatedAt }) {
            if let i = issuedIndex[r.assertionID] {
                entries[i].importedCopy = r
                continue
            }
            entries.append(
                BackpackEntry(
                    id: r.id, assertionID: r.assertionID, badgeName: r.badgeName, issuerName: r.issuerName,
                    issuedOn: r.issuedOn, jws: r.jws,
                    assertion: (try? JSONValue(parsing: r.assertionJSON)) ?? .object([:]), outcome: r.outcome,
                    updatedAt: r.updatedAt, origin: .stored(r)))
        }
        return entries.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
    }

    /// Verifies a badge and keeps it in the learner's backpack. The recipient must be one of the learner's verified
    /// addresses and the badge must verify (revoked or expired badges are kept, with their state); otherwise a 422
    /// `ServiceError` (`backpackRecipientMismatch`, `backpackInvalidBadge`) and nothing is stored. A badge already
    /// there (same assertion id) is updated.
    public func importToBackpack(
        learnerID: String, input: VerificationInput, source: BackpackBadgeRecord.Source, originalData: Data? = nil,
        originalType: String? = nil, now: Date = Date()
    ) async throws -> BackpackImport {
        let verdict = try await keepInBackpack(
            learnerID: learnerID, input: input, source: source, originalData: originalData,
            originalType: originalType, now: now)
        switch verdict {
        case .kept(let imported): return imported
        case .refused(_, let reason): throw reason
        }
    }

    /// Verifies a badge for the learner's backpack and stores it when it may be kept (see `importToBackpack`).
    func keepInBackpack(
        learnerID: String, input: VerificationInput, source: BackpackBadgeRecord.Source, originalData: Data?,
        originalType: String?, now: Date
    ) async throws -> BackpackVerdict {
        let emails = try await learnerEmails(accountID: learnerID)
        let first = await verifier.verify(input, options: VerificationOptions(now: now))
        guard let document = first.assertionDocument, let (badgeID, recipients) = Self.identify(document) else {
            return Self.invalid(first)
        }
        // The same rule as every verifier surface: the address as stored, or its normalised form.
        let match = emails.first { email in recipients.contains { RecipientIdentifier(value: email).match($0) != nil } }
        guard let match else {
            return .refused(
                outcome: VerificationOutcome.recipientMismatch.rawValue, reason: .backpackRecipientMismatch)
        }
        let report = await verifier.verify(
            input, options: VerificationOptions(now: now, recipient: RecipientIdentifier(value: match)))
        let kept: Set<VerificationOutcome> = [.valid, .revoked, .suspended, .expired]
        guard kept.contains(report.outcome), let doc = report.assertionDocument else { return Self.invalid(report) }
        let summary = report.assertion
        let fresh = BackpackBadgeRecord(
            id: UUID().uuidString.lowercased(), learnerID: learnerID, source: source, assertionID: badgeID,
            jws: report.jws, assertionJSON: doc.encodedString(), originalData: originalData, originalType: originalType,
            badgeName: summary?.badgeName ?? "", issuerName: summary?.issuerName ?? "", issuedOn: summary?.issuedOn,
            outcome: report.outcome.rawValue, reportJSON: report.json.encodedString(), verifiedAt: now, createdAt: now,
            updatedAt: now)
        let record = try await db.keepBackpackBadge(fresh, now: now)
        return .kept(BackpackImport(record: record.0, updated: record.1, report: report))
    }

    /// Verifies a stored badge again (from its JWS, or its hosted URL) and records the new state.
    public func reverifyBackpackBadge(id: String, learnerID: String, now: Date = Date()) async throws
        -> BackpackBadgeRecord
    {
        guard let r = try await db.backpackBadge(id: id, learnerID: learnerID) else {
            throw ServiceError.notFound("Badge", id)
        }
        let input: VerificationInput
        if let jws = r.jws {
            input = .text(jws)
        } else if let url = URL(string: r.assertionID), url.scheme == "https" || url.scheme == "http" {
            input = .url(url)
        } else if let data = r.originalData {
            input = .data([UInt8](data))
        } else {
            input = .text(r.assertionJSON)
        }
        let verdict = try await keepInBackpack(
            learnerID: learnerID, input: input, source: r.source, originalData: nil, originalType: nil, now: now)
        switch verdict {
        case .kept(let imported): return imported.record
        case .refused(let outcome, _):
            // Keep the badge, with the new (failed) state.
            return try await db.recordBackpackBadgeState(r, outcome: outcome, now: now)
        }
    }

    /// The badge's id and recipient identities: an OB 2.0 assertion, or an OB 3.0 credential (its `id`, else a
    /// digest of the credential, so that importing it again updates it).
    static func identify(_ document: JSONValue) -> (id: String, recipients: [IdentityObject])? {
        if let assertion = try? Assertion(document: document) { return (assertion.id, [assertion.recipient]) }
        guard let credential = try? OB3Credential(document: document) else { return nil }
        let digest = SHA256Digest.hash(document.encoded()).map { String(format: "%02x", $0) }.joined()
        let id = credential.id ?? "urn:sha256:" + digest
        return (id, credential.identities)
    }

    /// The refusal of a badge that does not verify.
    static func invalid(_ report: VerificationReport) -> BackpackVerdict {
        .refused(outcome: report.outcome.rawValue, reason: .backpackInvalidBadge(report))
    }
}
