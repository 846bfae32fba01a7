import CompetencyFrameworks
import Foundation
import InsigneStore

/// The shipped referentials (bundle copies of `shared/Referentials/*.csv`) and the demo badge's alignment.
extension DemoSeeder {
    /// Setting key: the shipped frameworks were imported once.
    static let referentialsKey = "seed.referentials"
    /// Setting key: the demo badge was aligned once.
    static let alignmentKey = "seed.bientraitance-alignment"
    /// The shipped files, in import order.
    static let shippedReferentials = ["dees-2007", "c2i2", "pix", "digcomp-2.2"]

    /// The demo *Bientraitance* training, read against the DEES 2007 table (arrêté du 20 juin 2007, annexe I):
    /// DC1.5.2 preventing and spotting mistreatment is its core; DC1.2.2 and DC1.2.3 respect of the person, of
    /// their impairments, rights and wishes (privacy, consent); DC1.2.4 an ethical stance; DC1.1.3 attentive
    /// listening; DC3.2.1 passing on information while protecting privacy (reporting by the procedure).
    static let bientraitanceCodes = ["DC1.5.2", "DC1.2.2", "DC1.2.3", "DC1.2.4", "DC1.1.3", "DC3.2.1"]

    /// The bundled CSV of a shipped referential.
    static func shippedReferential(_ name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Seed/referentials")
    }

    /// Seeds the four shipped frameworks once (own setting key, also on data directories seeded before), then
    /// aligns the demo badge when it exists.
    func seedReferentialsIfNeeded() async throws {
        let db = services.db
        if !(try await db.hasSetting(Self.referentialsKey)) {
            for name in Self.shippedReferentials {
                guard let url = Self.shippedReferential(name) else { continue }
                _ = try db.importFramework(try MoodleCompetencyCSV.parse(try Data(contentsOf: url)), actor: "seed")
            }
            try await db.recordSetting(Self.referentialsKey, value: ISO8601DateFormatter().string(from: Date()))
        }
        try await alignDemoBadgeIfNeeded()
    }

    /// Aligns *Bientraitance* to the DEES items above once, unless someone already gave it an alignment.
    func alignDemoBadgeIfNeeded() async throws {
        let db = services.db
        let (done, badge) = try await db.seedStep(Self.alignmentKey, badgeClassID: Self.badgeID)
        guard !done, let badge else { return }
        if badge.alignment.isEmpty, try db.framework(id: "dees-2007") != nil {
            let alignment = try ReferentialAlignment(services: services)
                .resolve(Self.bientraitanceCodes.map { .reference(framework: "dees-2007", code: $0) })
            _ = try await services.issuing.replaceAlignment(badgeID: badge.id, alignment, actor: "seed")
        }
        try await db.recordSetting(Self.alignmentKey, value: ISO8601DateFormatter().string(from: Date()))
    }
}
