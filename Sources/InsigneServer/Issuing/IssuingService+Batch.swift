import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One award of a bulk group: the award and whether it was made now (false: its idempotency key was used before).
struct GroupedAward: Sendable {
    var record: AssertionRecord
    var created: Bool
}

/// A group of bulk awards of one badge class, checked and signed, ready to be stored in one transaction; the rows
/// already settled (refused, or awarded before with the same idempotency key) wait beside it.
struct PreparedAwardGroup: Sendable {
    /// One entry per request of the group, in order; nil: in `records`.
    var settled: [Result<GroupedAward, ServiceError>?]
    /// The positions in the group of the signed awards to store.
    var positions: [Int] = []
    /// The signed awards to store.
    var records: [AssertionRecord] = []
}

/// Bulk awarding (issue 15 point 1): what `award` does for one request, done for a group of requests at once. The
/// earlier awards are read with one query, the OB 2.0 assertions are signed in parallel on every core, and the group
/// is stored in ONE write transaction (whole awards only: a crash loses whole groups, never half an award), where the
/// unique idempotency key decides between rows. The OB 3.0 forms follow in the background (`OB3FormMaker`).
extension IssuingService {
    /// Checks and signs a group of requests of the badge class `badgeID` (each request's own problem settles its row).
    func prepareAwardGroup(_ requests: [AwardRequest], badgeID: String, actor: String) async -> PreparedAwardGroup {
        var group = PreparedAwardGroup(settled: Array(repeating: nil, count: requests.count))
        let badge: BadgeClassRecord
        let keyRecord: SigningKeyRecord
        let signer: BadgeSigner
        let existing: [String: AssertionRecord]
        let held: [String: [AssertionRecord]]
        do {
            guard let b = try await badgeClass(badgeID) else {
                throw ServiceError.notFound("Classe de badge / badge class", badgeID)
            }
            try Self.requireAwardable(b)
            badge = b
            (keyRecord, signer) = try await activeKey(issuerID: b.issuerID)
            existing = try await db.assertions(idempotencyKeys: requests.compactMap(\.idempotencyKey))
            held = try await db.unrevokedAwards(
                badgeClassID: b.id,
                recipientEmails: requests.filter(\.renewExpiring).map {
                    EmailNormalization.normalize($0.recipientEmail)
                })
        } catch {
            group.settled = requests.map { _ in .failure(Self.rowError(error)) }
            return group
        }
        var unsigned: [(position: Int, request: AwardRequest, assertion: AssertionRequest)] = []
        var renewed: Set<String> = []
        let now = Date()
        for (position, request) in requests.enumerated() {
            if let key = request.idempotencyKey, let earlier = existing[key] {
                group.settled[position] = .success(GroupedAward(record: earlier, created: false))
                continue
            }
            do {
                var request = request
                try Validation.award(request)
                let evidence = try await checkPortfolioCitations(request, badge: badge, actor: actor)
                let issued = request.issuedOn ?? now
                request.issuedOn = issued
                if request.renewExpiring, request.renewalOf == nil {
                    let email = EmailNormalization.normalize(request.recipientEmail)
                    // Two rows of one group for one recipient: the first renews, the next is a plain award.
                    let candidate = Self.renewalCandidate(held: held[email] ?? [], badge: badge, now: issued)
                    if let c = candidate, renewed.insert(c.id).inserted { request.renewalOf = c.id }
                }
                request.evidence = evidence
                unsigned.append(
                    (
                        position, request,
                        AssertionRequest(
                            badgeClassID: documents.urls.badgeClass(badge.id), recipientEmail: request.recipientEmail,
                            issuedOn: issued,
                            expires: try request.expires ?? Validity.optional(badge.validity)?.expiry(from: issued),
                            evidence: evidence.map(DocumentFactory.evidence), narrative: request.narrative)
                    ))
            } catch {
                group.settled[position] = .failure(Self.rowError(error))
            }
        }
        let signed = await Self.signInParallel(unsigned.map(\.assertion), signer: signer)
        for (item, result) in zip(unsigned, signed) {
            switch result {
            case .failure(let e): group.settled[item.position] = .failure(e)
            case .success(let s):
                group.positions.append(item.position)
                group.records.append(record(of: s, request: item.request, badge: badge, key: keyRecord, actor: actor))
            }
        }
        return group
    }

    /// Stores a prepared group in one transaction; every row of the group gets its result.
    func storeAwardGroup(_ group: PreparedAwardGroup, actor: String) async -> [Result<GroupedAward, ServiceError>] {
        var results = group.settled
        do {
            let outcomes = try await db.storeAwardGroup(group.records, actor: actor, ob3Pending: true)
            for (position, outcome) in zip(group.positions, outcomes) {
                switch outcome {
                case .created(let r): results[position] = .success(GroupedAward(record: r, created: true))
                case .existing(let r): results[position] = .success(GroupedAward(record: r, created: false))
                case .notRenewable(let id, let previous):
                    do {
                        results[position] = .failure(try await notRenewable(previous, id: id))
                    } catch {
                        results[position] = .failure(Self.rowError(error))
                    }
                case .failed: results[position] = .failure(Self.rowError(nil))
                }
            }
        } catch {
            for position in group.positions { results[position] = .failure(Self.rowError(error)) }
        }
        return results.map { $0 ?? .failure(Self.rowError(nil)) }
    }

    /// The stored form of a signed award (one by one or in bulk): `request` carries the checked evidence and the
    /// issue time, which is also the row's creation time.
    func record(
        of signed: SignedAssertion, request: AwardRequest, badge: BadgeClassRecord, key: SigningKeyRecord, actor: String
    ) -> AssertionRecord {
        let a = signed.assertion
        let uuid = String(a.id.dropFirst("urn:uuid:".count))
        var record = AssertionRecord(
            id: uuid, badgeClassID: badge.id, signingKeyID: key.id,
            recipientEmail: EmailNormalization.normalize(request.recipientEmail), recipientName: request.recipientName,
            recipientSalt: a.recipient.salt ?? "", recipientIdentity: a.recipient.identity, issuedOn: a.issuedOn.text,
            expires: a.expires?.text, narrative: a.narrative, evidence: request.evidence, jws: signed.jws,
            idempotencyKey: request.idempotencyKey ?? "award:\(uuid)", createdBy: actor,
            createdAt: request.issuedOn ?? Date())
        record.renewalOf = request.renewalOf
        return record
    }

    /// Signs assertions on every core (slices of a few rows each, so other tasks still get their turn); results in
    /// the order of `requests`.
    static func signInParallel(_ requests: [AssertionRequest], signer: BadgeSigner) async
        -> [Result<SignedAssertion, ServiceError>]
    {
        let slice = 8
        return await withTaskGroup(of: (Int, [Result<SignedAssertion, ServiceError>]).self) { group in
            for start in stride(from: 0, to: requests.count, by: slice) {
                let part = Array(requests[start..<min(start + slice, requests.count)])
                group.addTask {
                    (
                        start,
                        part.map { r in
                            do {
                                return .success(try signer.issue(r))
                            } catch let e as IssuingError {
                                return .failure(ServiceError(.invalid, fr: e.messageFR, en: e.messageEN))
                            } catch {
                                return .failure(IssuingService.rowError(error))
                            }
                        }
                    )
                }
            }
            var results = [Result<SignedAssertion, ServiceError>?](repeating: nil, count: requests.count)
            for await (start, part) in group {
                for (offset, r) in part.enumerated() { results[start + offset] = r }
            }
            return results.map { $0 ?? .failure(IssuingService.rowError(nil)) }
        }
    }

    /// A row's error: a `ServiceError` as it is, anything else the internal error of a row (retry the batch).
    static func rowError(_ error: (any Error)?) -> ServiceError {
        if let e = error as? ServiceError { return e }
        return ServiceError(
            .serverError, fr: "erreur interne pour cette ligne ; réessayez le lot",
            en: "internal error for this row; retry the batch")
    }
}
