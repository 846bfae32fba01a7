import Foundation
import InsigneServer
import InsigneStore
import OpenBadges
import TestSupport
import Testing

/// A badge aligned to referential items and awarded with evidence, checked by the official validator on the
/// live service: 0 errors, 0 warnings; every alignment `targetUrl` answers.
@Suite(.enabled(if: OfficialTools.isInstalled, "run `make deps` to install the official tools"), .serialized)
struct AlignedBadgeInteropTests {
    @Test func validatorAcceptsAnAlignedBadgeWithEvidence() async throws {
        let server = try await ServiceInteropTests.LiveServer.start()
        defer { server.stop() }
        let badgeJSON = try JSONValue(
            parsing: try #require(try await OfficialTools.httpGet(server.services.urls.badgeClass("bientraitance"))))
        let alignment = try #require(badgeJSON["alignment"]?.arrayValue)
        #expect(!alignment.isEmpty, "the demo badge is aligned to DEES items")
        for a in alignment {
            let url = try #require(a["targetUrl"]?.stringValue)
            #expect(url.hasPrefix(server.base + "/referentials/"), "\(url)")
            let page = try await OfficialTools.httpGet(url)
            #expect(page != nil, "\(url) answers")
            #expect(a["targetCode"]?.stringValue?.hasPrefix("DC") == true)
            #expect(a["targetFramework"]?.stringValue?.contains("DEES") == true)
        }
        let evidence = [
            EvidenceRecord(
                // Evidence the trainer gives by address (a portfolio piece can only be cited once accepted, and
                // is then published under /public-evidence/ or not at all: EvidencePrivacyTests).
                id: "https://formation.example.org/stages/journal-2026", name: "Journal de stage",
                narrative: "Observation et écoute des résidents pendant six semaines.", description: "Rapport de stage",
                genre: "Rapport d'activité"),
            EvidenceRecord(narrative: "Étude de cas finale validée par la formatrice."),
        ]
        let (award, _) = try await server.services.issuing.award(
            AwardRequest(
                badgeClassID: "bientraitance", recipientEmail: "camille.martin@example.org",
                recipientName: "Camille Martin",
                evidence: evidence),
            actor: "test")
        let dir = try OfficialTools.temporaryDirectory()
        let pngBytes = try #require(try await OfficialTools.httpGet(server.services.urls.assertionPNG(award.id)))
        let png = dir.appendingPathComponent("aligned.png")
        try Data(pngBytes).write(to: png)
        for input in [["--input", png.path, "--unbake"], ["--input", server.services.urls.assertion(award.id)]] {
            let r = OfficialTools.summary(
                try await OfficialTools.run(["validate"] + input + ["--recipient", "camille.martin@example.org"]))
            #expect(r.valid, "\(input): \(r.messages)")
            #expect(r.errors == 0, "\(r.messages)")
            #expect(r.warnings == 0, "\(r.messages)")
        }
        // The signed assertion carries the evidence as given.
        let report = await server.services.verifier.verify(.data(pngBytes), options: VerificationOptions(now: Date()))
        #expect(report.outcome == .valid)
        let hosted = try JSONValue(
            parsing: try #require(try await OfficialTools.httpGet(server.services.urls.assertion(award.id))))
        let ev = try #require(hosted["evidence"]?.arrayValue)
        #expect(ev.count == 2)
        #expect(ev.first?["genre"]?.stringValue == "Rapport d'activité")
    }
}
