import Foundation
import Testing

@testable import InsigneStore

/// Ed25519 keys of Data Integrity proofs: one active key per issuer, first use decided once, rotation audited.
@Suite("OB 3.0 keys store")
struct OB3KeysStoreTests {
    typealias F = IssuingFixture

    static func key(_ issuerID: String, _ id: String, at date: Date) -> DataIntegrityKeyRecord {
        DataIntegrityKeyRecord(
            id: id, issuerID: issuerID, publicKeyMultibase: "z6Mk\(id)", privateKeyFile: "\(id).pem", createdAt: date)
    }

    @Test func firstKeyOnceThenRotation() async throws {
        let db = try await F.database()
        #expect(try await db.issuersWithoutDataIntegrityKey() == ["annexe", "foyer"])
        #expect(
            try await db.addDataIntegrityKey(
                Self.key("foyer", "foyer-ed1", at: F.start), retiringOthers: false, actor: "a"))
        // A second first use (another request at the same time) writes nothing.
        #expect(
            !(try await db.addDataIntegrityKey(
                Self.key("foyer", "foyer-ed2", at: F.start), retiringOthers: false, actor: "a")))
        #expect(try await db.dataIntegrityKey(id: "foyer-ed2") == nil)
        #expect(
            !(try await db.addDataIntegrityKey(
                Self.key("nope", "nope-ed1", at: F.start), retiringOthers: true, actor: "a")))
        let later = F.start.addingTimeInterval(60)
        #expect(
            try await db.addDataIntegrityKey(
                Self.key("foyer", "foyer-ed3", at: later), retiringOthers: true, actor: "a"))
        #expect(try await db.activeDataIntegrityKey(issuerID: "foyer")?.id == "foyer-ed3")
        let all = try await db.dataIntegrityKeys(issuerID: "foyer")
        #expect(all.map(\.id) == ["foyer-ed1", "foyer-ed3"] && all[0].retiredAt == later)
        #expect(try await F.audit(db, action: "key.rotate").map(\.subject) == ["foyer-ed3"])
        #expect(try await db.issuersWithoutDataIntegrityKey() == ["annexe"])
    }
}
