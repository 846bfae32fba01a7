import Foundation
import InsigneStore

/// The demo *Bientraitance* badge is a mandatory refresher: three years of validity.
extension DemoSeeder {
    /// Setting key: the demo badge got its validity once.
    static let validityKey = "seed.bientraitance-validity"
    /// The demo badge's validity.
    static let demoValidity = "P3Y"

    /// Gives *Bientraitance* a validity of three years once (also on data directories seeded before), unless
    /// someone already set one.
    func giveDemoBadgeValidityIfNeeded() async throws {
        let db = services.db
        let (done, badge) = try await db.seedStep(Self.validityKey, badgeClassID: Self.badgeID)
        guard !done, let badge else { return }
        if badge.validity == nil {
            var changes = BadgeClassChanges()
            changes.validity = .some(Self.demoValidity)
            _ = try await services.issuing.editBadgeClass(id: badge.id, changes, actor: "seed")
        }
        try await db.recordSetting(Self.validityKey, value: ISO8601DateFormatter().string(from: Date()))
    }
}
