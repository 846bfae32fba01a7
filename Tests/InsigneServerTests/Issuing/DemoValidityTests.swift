import Foundation
import GRDB
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The demo *Bientraitance* badge is a three-year refresher, on fresh and on older data directories, once.
@Suite("Demo: Bientraitance validity")
struct DemoValidityTests {
    @Test func setOnceAlsoOnOlderDataDirectories() async throws {
        let h = try await WebHarness.make()
        #expect(try await h.services.db.badgeClass(id: "bientraitance")?.validity == "P3Y")
        // A data directory seeded before validity existed: the badge has none and the step was never done.
        try await h.services.db.writer.write { db in
            try db.execute(sql: "UPDATE badgeClass SET validity = NULL WHERE id = 'bientraitance'")
            try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [DemoSeeder.validityKey])
        }
        _ = try await DemoSeeder(services: h.services).seedIfNeeded(adminToken: "t")
        #expect(try await h.services.db.badgeClass(id: "bientraitance")?.validity == "P3Y")
        // Once: a trainer's later choice is kept at the next start.
        var changes = BadgeClassChanges()
        changes.validity = .some(nil)
        _ = try await h.services.issuing.editBadgeClass(id: "bientraitance", changes, actor: "admin")
        _ = try await DemoSeeder(services: h.services).seedIfNeeded(adminToken: "t")
        #expect(try await h.services.db.badgeClass(id: "bientraitance")?.validity == nil)
    }
}
