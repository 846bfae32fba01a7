import Foundation
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// A badge baked by the official `openbadges-bakery` imports into a learner's backpack, verified, with the file
/// kept as received.
@Suite(.enabled(if: OfficialTools.isInstalled, "run `make deps` to install the official tools"))
struct BackpackInteropTests {
    @Test(arguments: ["png", "svg"])
    func badgeBakedByTheOfficialBakeryImportsIntoTheBackpack(format: String) async throws {
        let dir = try OfficialTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = ServerConfiguration()
        config.dataDirectory = dir.appendingPathComponent("data").path
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        _ = try await DemoSeeder(services: services).seedIfNeeded(adminToken: "t")
        let learner = AccountRecord(
            id: "learner-1", login: "lea@example.org", displayName: "Léa", passwordHash: nil, role: .learner,
            issuerID: nil,
            createdAt: Date(), email: "lea@example.org")
        try await services.db.writer.write { db in try learner.insert(db) }
        let awarded = try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "Lea@Example.org"), actor: "admin"
        ).record

        // The bakery bakes Insigne's signed assertion into the badge class image (PNG) or a test SVG.
        let carrier: [UInt8] =
            format == "png"
            ? try #require(try await services.resolver.resolve(path: "/badges/bientraitance/image")?.body)
            : [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-badge.svg")))
        #expect(BadgeImageFormat.detect(carrier)?.rawValue == format)
        let unbaked = dir.appendingPathComponent("plain.\(format)")
        try Data(carrier).write(to: unbaked)
        let jws = dir.appendingPathComponent("badge.jws")
        try Data(awarded.jws.utf8).write(to: jws)
        let out = dir.appendingPathComponent("baked.\(format)")
        _ = try await OfficialTools.run(["bake", unbaked.path, jws.path, out.path])
        let baked = [UInt8](try Data(contentsOf: out))
        #expect(try BadgeBaker.extract(from: baked).text == awarded.jws)

        let imported = try await services.importToBackpack(
            learnerID: learner.id, input: .data(baked), source: .file, originalData: Data(baked),
            originalType: BadgeImageFormat.detect(baked)?.mimeType)
        #expect(imported.report.isValid, "\(imported.report.checks.filter { $0.status != .passed })")
        #expect(imported.record.outcome == "valid" && !imported.updated)
        #expect(imported.record.originalData.map { [UInt8]($0) } == baked)
        #expect(imported.record.badgeName == "Bientraitance")
        let entries = try await services.backpackEntries(learnerID: learner.id)
        // Issued here to the learner's address: listed once, the imported copy attached to the live entry.
        #expect(entries.filter { $0.id == awarded.id }.count == 1)
        #expect(entries.contains { $0.importedCopy?.id == imported.record.id })
    }
}
