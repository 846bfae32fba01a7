import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Every award also as an OB 3.0 `OpenBadgeCredential` (issue 13 points 1, 2, 4): built from the same records as
/// the OB 2.0 form (same salted identity hash), signed as VC-JWT RS256 with the issuer's active RSA key and as
/// JSON with an `eddsa-rdfc-2022` proof with its active Ed25519 key, outside any write transaction; stored once.
extension IssuingService {
    /// The OB 3.0 form of an award about to be stored (or already stored); nil when the award's issuer is gone.
    func ob3Form(of a: AssertionRecord, badge: BadgeClassRecord, now: Date = Date()) async throws
        -> OB3CredentialRecord?
    {
        guard let issuer = try await db.issuer(id: badge.issuerID) else { return nil }
        let signer = try await ob3Signer(issuerID: badge.issuerID)
        var parent: IssuerRecord?
        if let parentID = issuer.parentID { parent = try await db.issuer(id: parentID) }
        let status = try await ob3Status(issuerID: issuer.id, assertionID: a.id)
        do {
            let forms = try signer.sign(
                ob3Facts(a, badge: badge, issuer: issuer, parent: parent, status: status), created: now)
            return OB3CredentialRecord(assertionID: a.id, json: forms.json, jwt: forms.jwt, createdAt: now)
        } catch let e as IssuingError {
            throw ServiceError(.invalid, fr: e.messageFR, en: e.messageEN)
        }
    }

    /// The `credentialStatus` entry of a new credential: a random index reserved in the issuer's Bitstring
    /// revocation list.
    func ob3Status(issuerID: String, assertionID: String) async throws -> JSONValue? {
        try await statusLists.entry(issuerID: issuerID, assertionID: assertionID)
    }

    /// The award facts in OB 3.0 terms.
    func ob3Facts(
        _ a: AssertionRecord, badge: BadgeClassRecord, issuer: IssuerRecord, parent: IssuerRecord?, status: JSONValue?
    ) -> OB3AwardFacts {
        let u = documents.urls
        return OB3AwardFacts(
            credentialID: u.ob3Credential(a.id),
            issuer: OB3IssuerFacts(
                id: u.ob3Issuer(issuer.id), name: issuer.name, url: issuer.url, email: issuer.email,
                description: issuer.description, image: issuer.imageData == nil ? nil : u.issuerImage(issuer.id),
                parentOrg: parent.map { .object(documents.ob3ProfileSummary($0)) }),
            achievement: documents.ob3AchievementFacts(badge),
            recipientEmail: a.recipientEmail, salt: a.recipientSalt,
            issuedOn: DateTimeValue(a.issuedOn)?.date ?? a.createdAt,
            expires: a.expires.flatMap(DateTimeValue.init)?.date, narrative: a.narrative,
            evidence: a.evidence.map(DocumentFactory.evidence), credentialStatus: status)
    }

    /// The issuer's OB 3.0 signer: its active RSA key (VC-JWT) and Ed25519 key (Data Integrity).
    func ob3Signer(issuerID: String) async throws -> OB3CredentialSigner {
        let (rsaRecord, rsa) = try await activeKey(issuerID: issuerID)
        let (edRecord, edKey) = try await activeDataIntegrityKey(issuerID: issuerID)
        return try OB3CredentialSigner(
            rsaKey: rsa.key, rsaKeyID: documents.urls.ob3Key(rsaRecord.id), edKey: edKey,
            edKeyID: documents.urls.ob3Key(edRecord.id))
    }

    /// Makes and stores the OB 3.0 form of an existing award (API, backfill); idempotent: an award that has one
    /// keeps it (`created == false`).
    public func issueOB3(assertionID: String, actor: String) async throws
        -> (record: OB3CredentialRecord, created: Bool)
    {
        if let existing = try await db.ob3Credential(assertionID: assertionID) { return (existing, false) }
        guard let (a, badge) = try await db.awardWithBadgeClass(id: assertionID) else {
            throw ServiceError.notFound("Assertion", assertionID)
        }
        guard let form = try await ob3Form(of: a, badge: badge) else {
            throw ServiceError(
                .conflict, fr: "l'émetteur de cette attribution n'existe plus",
                en: "the issuer of this award no longer exists")
        }
        guard let stored = try await db.storeOB3Credential(form, actor: actor) else {
            throw ServiceError.notFound("Assertion", assertionID)
        }
        return stored
    }

    /// Gives every award without an OB 3.0 form one (oldest first); returns how many were made. Awards of
    /// awards whose issuer is gone are skipped (counted in `skipped`).
    public func backfillOB3(actor: String, batch: Int = 200) async throws -> (made: Int, skipped: Int) {
        var made = 0
        var skipped = Set<String>()
        while true {
            let ids = try await db.awardsWithoutOB3Credential(limit: batch + skipped.count).filter {
                !skipped.contains($0)
            }
            if ids.isEmpty { return (made, skipped.count) }
            for id in ids {
                do {
                    if try await issueOB3(assertionID: id, actor: actor).created { made += 1 }
                } catch let e as ServiceError where e.kind == .conflict {
                    skipped.insert(id)
                }
            }
        }
    }
}
