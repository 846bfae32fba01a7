import Foundation
import HTTPTypes
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// `insigne bench-scale`'s fill at a small scale: the proportions it promises, and the lists paged over it.
/// No timing here: the benchmark measures, the tests check.
@Suite("Scale fill")
struct ScaleFillTests {
    static let plan = ScaleFill.Plan(awards: 2_000, issuers: 3, badgeClasses: 12)

    static func filled() async throws -> (APIHarness, ScaleFill.Report) {
        let api = try await APIHarness.make()
        var plan = Self.plan
        plan.batchSize = 300  // several batches, renewals at their edges
        let report = try await ScaleFill(services: api.services).run(plan)
        return (api, report)
    }

    @Test func theFillHasTheAnnouncedProportions() async throws {
        let (api, report) = try await Self.filled()
        let c = try await api.services.db.bulkCounts()
        #expect(report.signed == 12)
        #expect(report.issuerIDs.count == 3 && report.badgeClassIDs.count == 12)
        #expect(c.assertions == 2_000)  // the demo seed awards nothing: every award is the fill's
        func share(_ n: Int) -> Double { Double(n) / Double(c.assertions) }
        #expect((0.008...0.035).contains(share(c.revoked)), "revoked \(c.revoked)")
        #expect((0.07...0.13).contains(share(c.withEvidence)), "evidence \(c.withEvidence)")
        #expect((0.015...0.05).contains(share(c.renewals)), "renewals \(c.renewals)")
        #expect((0.2...0.4).contains(share(c.backpack)), "backpack \(c.backpack)")
        #expect(c.people == Self.plan.recipients)
        #expect(c.audit >= c.assertions)
        // Every renewal points at a live, unrevoked earlier award of the same badge class and recipient.
        let broken = try await api.services.db.writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM assertion r LEFT JOIN assertion p ON p.id = r.renewalOf
                    WHERE r.renewalOf IS NOT NULL AND (p.id IS NULL OR p.renewedBy <> r.id OR p.revokedAt IS NOT NULL
                    OR p.badgeClassID <> r.badgeClassID OR p.recipientEmail <> r.recipientEmail)
                    """) ?? -1
        }
        #expect(broken == 0)
    }

    @Test func theListsAnswerPagedOverTheFill() async throws {
        let (api, report) = try await Self.filled()
        let db = api.services.db
        let all = try await db.trainerAwards(
            issuerIDs: report.issuerIDs, filter: .init(), page: 1, pageSize: 50)
        #expect(all.total == 2_000 && all.items.count == 50)
        #expect(zip(all.items, all.items.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
        let last = try await db.trainerAwards(issuerIDs: report.issuerIDs, filter: .init(), page: 40, pageSize: 50)
        #expect(last.items.count == 50)
        #expect(
            try await db.trainerAwards(issuerIDs: report.issuerIDs, filter: .init(), page: 41, pageSize: 50)
                .items.isEmpty)
        let revoked = try await db.trainerAwards(
            issuerIDs: report.issuerIDs, filter: .init(state: .revoked), page: 1, pageSize: 50)
        #expect(revoked.total == (try await db.bulkCounts()).revoked)
        let dashboard = try await db.trainerDashboard(issuerIDs: report.issuerIDs)
        #expect(dashboard.counts.values.map(\.total).reduce(0, +) == 2_000)
        #expect(dashboard.counts.values.map(\.revoked).reduce(0, +) == revoked.total)
        let people = try await db.people(
            issuerID: report.issuerIDs[0], search: nil, includeLeft: true, page: 2, perPage: 20)
        #expect(people.items.count == 20)
        try await api.run { client in
            let first = try await client.get("/api/v1/assertions?perPage=50&issuer=\(report.issuerIDs[1])")
            #expect(first.status == .ok)
            let deep = try await client.get("/api/v1/assertions?perPage=200&page=3")
            #expect(deep.status == .ok)
            let list = try await client.get("/issuers/\(report.issuerIDs[0])/revocations")
            #expect(list.status == .ok)
        }
        try await api.harness.run { browser in
            _ = try await browser.signIn()
            for path in [
                "/trainer", "/trainer/assertions?page=7", "/trainer/assertions?q=bernard",
                "/trainer/issuers/\(report.issuerIDs[0])/people?page=2",
                "/trainer/issuers/\(report.issuerIDs[0])/compliance?badge=\(report.badgeClassIDs[0])",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
            }
        }
    }
}
