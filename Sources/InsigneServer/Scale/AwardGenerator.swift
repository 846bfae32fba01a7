import Foundation
import InsigneStore
import OpenBadges

/// Generates the awards of `ScaleFill` batch by batch, spread evenly over six years up to now (oldest first, as
/// they would have been created), each a copy of its badge class's really signed representative award.
struct AwardGenerator {
    let plan: ScaleFill.Plan
    /// The templates of each issuer's badge classes, by issuer index.
    let byIssuer: [[ScaleFill.Template]]
    let urls: PublicURLs
    let start: Date
    let step: TimeInterval
    static let report =
        #"{"outcome":"valid","checks":[{"id":"signature","passed":true},{"id":"revocation","passed":true}]}"#

    init(plan: ScaleFill.Plan, templates: [ScaleFill.Template], urls: PublicURLs, now: Date = Date()) {
        self.plan = plan
        var byIssuer = Array(repeating: [ScaleFill.Template](), count: plan.issuers)
        for (b, t) in templates.enumerated() { byIssuer[b % plan.issuers].append(t) }
        self.byIssuer = byIssuer
        self.urls = urls
        let span = 6 * 365.25 * 86_400
        start = now.addingTimeInterval(-span)
        step = span / Double(max(1, plan.awards))
    }

    static let firstNames = [
        "Camille", "Lucas", "Ines", "Hugo", "Chloe", "Nathan", "Lea", "Yasmine", "Thomas", "Manon", "Jade", "Louis",
        "Emma", "Gabriel", "Alice", "Arthur",
    ]
    static let lastNames = [
        "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefevre", "Garcia", "Roux", "Fournier",
        "Martin", "Petit", "Durand", "Leroy", "Girard", "Bonnet", "Mercier", "Blanc",
    ]

    /// Recipient `r`: their issuer (index), names and normalised address.
    static func recipient(_ r: Int, issuers: Int) -> (issuer: Int, first: String, last: String, email: String) {
        let first = firstNames[r % firstNames.count]
        let last = lastNames[(r / firstNames.count) % lastNames.count]
        let issuer = r % issuers
        let email = "\(first.lowercased()).\(last.lowercased()).\(r)@etablissement-\(issuer + 1).example.org"
        return (issuer, first, last, email)
    }

    /// Three recipients in ten have a learner account whose backpack holds all their awards.
    static func hasBackpack(_ r: Int) -> Bool { r % 10 < 3 }

    /// Awards `from..<from+count` (a renewal always follows the award it renews, in the same batch).
    mutating func batch(from: Int, count: Int, rng: inout SplitMix64) -> BulkRows {
        var rows = BulkRows()
        var renew: (index: Int, recipient: Int, template: ScaleFill.Template)?
        for i in from..<(from + count) {
            let r: Int
            let t: ScaleFill.Template
            if let previous = renew {
                (r, t) = (previous.recipient, previous.template)
            } else {
                r = Int(rng.next() % UInt64(plan.recipients))
                let choices = byIssuer[r % plan.issuers]
                t = choices[Int(rng.next() % UInt64(choices.count))]
            }
            var a = award(i, recipient: r, template: t, rng: &rng)
            if let previous = renew {
                a.renewalOf = rows.assertions[previous.index].id
                rows.assertions[previous.index].renewedBy = a.id
                a.revokedAt = nil
                a.revokedBy = nil
                a.revocationReason = nil
                renew = nil
            } else if a.revokedAt == nil, i + 1 < from + count, rng.percent(3) {
                renew = (rows.assertions.count, r, t)
            }
            rows.assertions.append(a)
            if Self.hasBackpack(r) { rows.backpack.append(backpackEntry(a, recipient: r, template: t)) }
        }
        return rows
    }

    /// Award `i` to recipient `r`: ~2 % revoked, ~10 % citing an evidence page.
    private func award(_ i: Int, recipient r: Int, template t: ScaleFill.Template, rng: inout SplitMix64)
        -> AssertionRecord
    {
        let p = Self.recipient(r, issuers: plan.issuers)
        let created = start.addingTimeInterval(Double(i) * step)
        var bytes = [UInt8](repeating: 0, count: 16)
        for k in 0..<2 {
            let v = rng.next()
            for j in 0..<8 { bytes[k * 8 + j] = UInt8(truncatingIfNeeded: v >> (8 * j)) }
        }
        let evidence =
            rng.percent(10)
            ? [EvidenceRecord(id: "https://formation.example.org/preuves/\(i)", name: "Étude de cas")] : []
        var a = AssertionRecord(
            id: Self.uuid(bytes), badgeClassID: t.badge.id, signingKeyID: t.keyID, recipientEmail: p.email,
            recipientName: "\(p.first) \(p.last)", recipientSalt: t.salt, recipientIdentity: t.identity,
            issuedOn: DateTimeValue(created).text,
            expires: t.badge.validity == nil
                ? nil : DateTimeValue(created.addingTimeInterval(3 * 365.25 * 86_400)).text,
            narrative: "Formation suivie.", evidence: evidence, jws: t.jws, idempotencyKey: "scale:\(i)",
            createdBy: "bench-scale", createdAt: created)
        if rng.percent(2) {
            a.revokedAt = created.addingTimeInterval(7 * 86_400)
            a.revokedBy = "admin"
            a.revocationReason = "Erreur de saisie"
        }
        return a
    }

    private func backpackEntry(_ a: AssertionRecord, recipient r: Int, template t: ScaleFill.Template)
        -> BackpackBadgeRecord
    {
        BackpackBadgeRecord(
            id: "bp_\(a.id)", learnerID: "acc_scale_\(r)", source: .jws, assertionID: urls.assertion(a.id), jws: t.jws,
            assertionJSON: t.payload, originalData: nil, originalType: nil, badgeName: t.badge.name,
            issuerName: t.issuerName, issuedOn: a.issuedOn, outcome: "valid", reportJSON: Self.report,
            verifiedAt: a.createdAt, createdAt: a.createdAt, updatedAt: a.createdAt)
    }

    /// A version 4 UUID from 16 random bytes.
    static func uuid(_ bytes: [UInt8]) -> String {
        var b = bytes
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var h: [UInt8] = []
        h.reserveCapacity(32)
        for x in b { h += [digits[Int(x >> 4)], digits[Int(x & 15)]] }
        func part(_ r: Range<Int>) -> String { String(decoding: h[r], as: UTF8.self) }
        return "\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
    }
}
