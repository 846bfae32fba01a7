import Foundation
import InsigneStore
import OpenBadges

/// Fills a fresh database with many awards in realistic proportions, fast (`insigne bench-scale`, and its
/// small-scale test through the same code). Issuers and badge classes are created through the issuing service
/// (real RSA keys); ONE award per badge class is signed for real, and every other award of that badge class is a
/// copy of it with its own id, recipient, dates and state: the copies carry the representative award's JWS and
/// recipient hash, so their signatures do not match their ids (nothing measured depends on signature validity).
/// Proportions: ~2 % revoked, ~10 % with an evidence reference, ~3 % renewals of the recipient's earlier award,
/// about four awards per recipient, every recipient in the roster of their issuer, ~30 % of the awards in the
/// backpack of a learner account. Rows go in by batches, each one write transaction (`AppDatabase.insertBulk`);
/// the next batch is generated while the previous one is written.
public struct ScaleFill: Sendable {
    /// What to fill.
    public struct Plan: Sendable {
        public var awards: Int
        public var issuers: Int
        public var badgeClasses: Int
        /// Rows per write transaction.
        public var batchSize: Int = 10_000
        /// The random generator's seed (the same plan fills the same rows).
        public var seed: UInt64 = 15

        /// Creates a plan; at least one issuer and as many badge classes.
        public init(awards: Int, issuers: Int, badgeClasses: Int) {
            self.awards = max(0, awards)
            self.issuers = max(1, issuers)
            self.badgeClasses = max(self.issuers, badgeClasses)
        }

        /// Distinct recipients (about four awards each).
        public var recipients: Int { max(1, awards / 4) }
    }

    /// What was filled.
    public struct Report: Sendable {
        /// Awards signed for real (one per badge class).
        public var signed: Int
        public var issuerIDs: [String]
        public var badgeClassIDs: [String]
        public var seconds: Double
    }

    /// One badge class's representative award, really signed.
    struct Template: Sendable {
        var badge: BadgeClassRecord
        var issuerName: String
        var keyID: String
        var jws: String
        var payload: String
        var salt: String
        var identity: String
    }

    let services: ServerServices

    /// A filler for these services (their database should be fresh).
    public init(services: ServerServices) { self.services = services }

    /// Fills; `progress` hears how many awards are stored after each batch.
    public func run(_ plan: Plan, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Report {
        let start = Date()
        let now = Date()
        let (issuerIDs, badges) = try await createReferentials(plan, now: now)
        let templates = try await signTemplates(badges, now: now)
        var rng = SplitMix64(seed: plan.seed)
        try await insertPeople(plan, now: now, rng: &rng)
        var pending: Task<Void, any Error>?
        var next = 0
        var gen = AwardGenerator(plan: plan, templates: templates, urls: services.urls)
        let db = services.db
        while next < plan.awards {
            let rows = gen.batch(from: next, count: min(plan.batchSize, plan.awards - next), rng: &rng)
            try await pending?.value
            progress?(next)
            next += rows.assertions.count
            pending = Task { try await db.insertBulk(rows) }
        }
        try await pending?.value
        progress?(next)
        return Report(
            signed: templates.count, issuerIDs: issuerIDs, badgeClassIDs: badges.map(\.id),
            seconds: Date().timeIntervalSince(start))
    }

    /// A signed-in administrator's session cookie (`insigne_session=…`) for measuring the trainers' pages.
    public func adminSessionCookie() async throws -> String {
        let (token, _) = try await WebSessionStore(db: services.db).create(accountID: "admin")
        return "\(WebSessionStore.cookieName)=\(token)"
    }

    /// Issuers (each with its RSA key) and their badge classes, half of them valid three years.
    private func createReferentials(_ plan: Plan, now: Date) async throws -> ([String], [BadgeClassRecord]) {
        let image = Data(try DemoBadgeArt.png(size: 64))
        var issuerIDs: [String] = []
        var badges: [BadgeClassRecord] = []
        for i in 0..<plan.issuers {
            let id = String(format: "etablissement-%03d", i + 1)
            _ = try await services.issuing.createIssuer(
                IssuerRecord(
                    id: id, name: "Établissement \(i + 1)", url: "https://etablissement-\(i + 1).example.org",
                    email: "formation@etablissement-\(i + 1).example.org", createdAt: now), actor: "bench-scale")
            issuerIDs.append(id)
        }
        for b in 0..<plan.badgeClasses {
            let issuerID = issuerIDs[b % issuerIDs.count]
            let badge = try await services.issuing.createBadgeClass(
                BadgeClassRecord(
                    id: String(format: "formation-%04d", b + 1), issuerID: issuerID,
                    name: "\(Self.topics[b % Self.topics.count]) \(b + 1)",
                    description: "Formation \(b + 1) des équipes.", criteriaNarrative: "Avoir suivi la formation.",
                    imageData: image, imageType: "png", tags: ["formation"], validity: b % 2 == 0 ? "P3Y" : nil,
                    createdAt: now), actor: "bench-scale")
            badges.append(badge)
        }
        return (issuerIDs, badges)
    }

    /// One award per badge class signed for real with its issuer's key.
    private func signTemplates(_ badges: [BadgeClassRecord], now: Date) async throws -> [Template] {
        var templates: [Template] = []
        for badge in badges {
            let (key, signer) = try await services.issuing.activeKey(issuerID: badge.issuerID)
            let signed = try signer.issue(
                AssertionRequest(
                    badgeClassID: services.urls.badgeClass(badge.id), recipientEmail: "modele@example.org",
                    issuedOn: now, expires: nil, narrative: "Formation suivie."))
            let payload = signed.jws.split(separator: ".").dropFirst().first.flatMap { Self.base64URLDecoded($0) }
            templates.append(
                Template(
                    badge: badge, issuerName: "Établissement \(Int(badge.issuerID.suffix(3)) ?? 0)", keyID: key.id,
                    jws: signed.jws,
                    payload: payload ?? "{}", salt: signed.assertion.recipient.salt ?? "",
                    identity: signed.assertion.recipient.identity))
        }
        return templates
    }

    /// Every recipient in the roster of their issuer (one address each); three in ten with a learner account.
    private func insertPeople(_ plan: Plan, now: Date, rng: inout SplitMix64) async throws {
        var rows = BulkRows()
        for r in 0..<plan.recipients {
            let p = AwardGenerator.recipient(r, issuers: plan.issuers)
            let issuerID = String(format: "etablissement-%03d", p.issuer + 1)
            let id = "per_scale_\(r)"
            rows.people.append(
                PersonRecord(
                    id: id, issuerID: issuerID, firstName: p.first, lastName: p.last, externalID: "M\(r)",
                    joinedAt: now.addingTimeInterval(-Double(rng.next() % 2000) * 86_400),
                    leftAt: rng.next() % 20 == 0 ? now : nil, updatedAt: now))
            rows.personEmails.append(PersonEmailRecord(personID: id, issuerID: issuerID, email: p.email, position: 0))
            if AwardGenerator.hasBackpack(r) {
                rows.accounts.append(
                    AccountRecord(
                        id: "acc_scale_\(r)", login: p.email, displayName: "\(p.first) \(p.last)", passwordHash: nil,
                        role: .learner, issuerID: nil, createdAt: now, email: p.email))
            }
            if rows.count >= plan.batchSize * 2 {
                try await services.db.insertBulk(rows)
                rows = BulkRows()
            }
        }
        try await services.db.insertBulk(rows)
    }

    static let topics = [
        "Bientraitance", "Gestes et postures", "Sécurité incendie", "Hygiène des mains", "Premiers secours",
        "Prévention des chutes", "Accompagnement de fin de vie", "Troubles du comportement",
    ]

    static func base64URLDecoded(_ s: Substring) -> String? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A small, fast, seeded random generator (SplitMix64): the same seed fills the same rows.
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// True with probability `percent` / 100.
    mutating func percent(_ percent: UInt64) -> Bool { next() % 100 < percent }
}
