import Foundation
import InsigneStore
import OpenBadges

/// The demo roster of Foyers La Maison and Bientraitance awards in each compliance state, seeded once (also on
/// data directories seeded before it existed), so that the compliance page shows something at once.
extension DemoSeeder {
    /// The setting that records the step.
    static let rosterSeedKey = "seeded-roster"

    /// The demo people: first name, last name, address, and the award's age and remaining validity in days
    /// (nil: never obtained). The award expires at its issue date plus the badge class's validity (Bientraitance:
    /// three years, so the remaining days are those given, give or take a leap day); the given remaining days
    /// only serve a badge class without validity.
    static let rosterPeople: [(String, String, String, (issuedDaysAgo: Int, expiresInDays: Int)?)] = [
        ("Camille", "Bernard", "camille.bernard@foyers-la-maison.fr", (200, 895)),
        ("Lucas", "Dubois", "lucas.dubois@foyers-la-maison.fr", (400, 695)),
        ("Inès", "Moreau", "ines.moreau@foyers-la-maison.fr", (30, 1065)),
        ("Hugo", "Laurent", "hugo.laurent@foyers-la-maison.fr", (1050, 45)),
        ("Chloé", "Simon", "chloe.simon@foyers-la-maison.fr", (1080, 15)),
        ("Nathan", "Michel", "nathan.michel@foyers-la-maison.fr", (1200, -105)),
        ("Léa", "Lefèvre", "lea.lefevre@foyers-la-maison.fr", (1130, -35)),
        ("Yasmine", "Garcia", "yasmine.garcia@foyers-la-maison.fr", nil),
        ("Thomas", "Roux", "thomas.roux@foyers-la-maison.fr", nil),
        ("Manon", "Fournier", "manon.fournier@foyers-la-maison.fr", (500, 595)),
    ]

    /// Seeds the roster and its awards once, dated from `now`.
    func seedRosterIfNeeded(now: Date = Date()) async throws {
        let db = services.db
        let (done, badge) = try await db.seedStep(Self.rosterSeedKey, badgeClassID: Self.badgeID)
        guard !done, let badge, try await db.issuerExists(id: Self.establishmentID) else { return }
        let rows = Self.rosterPeople.enumerated().map { i, p in
            RosterImportRow(line: i + 2, firstName: p.0, lastName: p.1, emails: [p.2], externalID: nil)
        }
        _ = try await db.importPeople(issuerID: Self.establishmentID, rows: rows, now: now)
        let day = 86_400.0
        for p in Self.rosterPeople {
            guard let award = p.3 else { continue }
            // The badge class's validity (Bientraitance: P3Y) from the issue date, as a real award would get it.
            let issuedOn = now.addingTimeInterval(-Double(award.issuedDaysAgo) * day)
            let expires =
                (try? Validity.optional(badge.validity))?.expiry(from: issuedOn)
                ?? now.addingTimeInterval(Double(award.expiresInDays) * day)
            try await seedAward(
                badge: badge, email: p.2, name: "\(p.0) \(p.1)", issuedOn: issuedOn, expires: expires)
        }
        try await db.recordSetting(Self.rosterSeedKey, value: DateTimeValue(now).text)
    }

    /// An award signed and stored with past dates (the issuing service dates awards now and refuses a past
    /// expiry: the demo needs awards that already expired).
    private func seedAward(badge: BadgeClassRecord, email: String, name: String, issuedOn: Date, expires: Date)
        async throws
    {
        let issuing = services.issuing
        let (keyRecord, signer) = try await issuing.activeKey(issuerID: badge.issuerID)
        let signed = try signer.issue(
            AssertionRequest(
                badgeClassID: services.urls.badgeClass(badge.id), recipientEmail: email, issuedOn: issuedOn,
                expires: expires, narrative: "Formation Bientraitance (démonstration)."))
        let a = signed.assertion
        let uuid = String(a.id.dropFirst("urn:uuid:".count))
        let record = AssertionRecord(
            id: uuid, badgeClassID: badge.id, signingKeyID: keyRecord.id,
            recipientEmail: EmailNormalization.normalize(email), recipientName: name,
            recipientSalt: a.recipient.salt ?? "", recipientIdentity: a.recipient.identity, issuedOn: a.issuedOn.text,
            expires: a.expires?.text, narrative: a.narrative, evidence: [], jws: signed.jws,
            idempotencyKey: "demo-roster:\(email)", createdBy: "seed", createdAt: issuedOn)
        _ = try await services.db.storeAward(record, actor: "seed")
    }
}
