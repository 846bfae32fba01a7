import Foundation
import Hummingbird
import InsigneServer
import InsigneStore
import OpenBadges
import TestSupport
import Testing

/// The running service on 127.0.0.1, checked by the official 1EdTech validator: baked PNG/SVG and hosted URL,
/// then a revocation seen by the validator and by Insigne's own verifier.
@Suite(.enabled(if: OfficialTools.isInstalled, "run `make deps` to install the official tools"), .serialized)
struct ServiceInteropTests {
    /// A live server on a free loopback port, with the demo data seeded.
    struct LiveServer {
        let services: ServerServices
        let base: String
        let task: Task<Void, Error>

        static func start() async throws -> LiveServer {
            let port = try OfficialTools.freePort()
            var config = ServerConfiguration()
            config.port = port
            config.publicURL = "http://127.0.0.1:\(port)"
            config.dataDirectory = try OfficialTools.temporaryDirectory().path
            config.allowPrivateNetwork = true
            let services = try ServerServices(configuration: config)
            _ = try await services.seedDemoData(adminToken: "test-token")
            let app = Application(
                router: buildRouter(services),
                configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "Insigne-test"))
            let task = Task { try await app.run() }
            // Wait until it answers.
            for _ in 0..<100 {
                if (try? await OfficialTools.httpGet("http://127.0.0.1:\(port)/health")) != nil { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return LiveServer(services: services, base: config.publicURL, task: task)
        }

        func stop() { task.cancel() }
    }

    func download(_ url: String, to dir: URL, name: String) async throws -> String {
        let bytes = try #require(try await OfficialTools.httpGet(url))
        let file = dir.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    func validator(_ args: [String]) async throws -> (valid: Bool, errors: Int, warnings: Int, messages: String) {
        OfficialTools.summary(try await OfficialTools.run(["validate"] + args))
    }

    @Test func validatorAcceptsIssuedBadgesThenSeesTheRevocation() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let (award, _) = try await server.services.issuing.award(
            AwardRequest(
                badgeClassID: "bientraitance", recipientEmail: "Marie.Dupont@example.org", recipientName: "Marie Dupont"
            ),
            actor: "test")
        let dir = try OfficialTools.temporaryDirectory()
        let png = try await download(server.services.urls.assertionPNG(award.id), to: dir, name: "badge.png")
        let svg = try await download(server.services.urls.assertionSVG(award.id), to: dir, name: "badge.svg")
        let hosted = server.services.urls.assertion(award.id)

        for input in [["--input", png, "--unbake"], ["--input", svg, "--unbake"], ["--input", hosted]] {
            let r = try await validator(input + ["--recipient", "marie.dupont@example.org"])
            #expect(r.valid, "\(input.last ?? ""): \(r.messages)")
            #expect(r.errors == 0, "\(r.messages)")
            #expect(r.warnings == 0, "\(r.messages)")
        }
        // The hosted document never carries the email.
        let hostedJSON = String(decoding: try #require(try await OfficialTools.httpGet(hosted)), as: UTF8.self)
        #expect(!hostedJSON.lowercased().contains("marie.dupont"))

        _ = try await server.services.issuing.revoke(
            assertionID: award.id, reason: "Attribué par erreur", actor: "test")
        // Signed form: the validator reads the revocation list and reports the reason.
        let signed = try await validator(["--input", png, "--unbake"])
        #expect(!signed.valid)
        #expect(
            signed.messages.contains("revoked") && signed.messages.contains("Attribué par erreur"), "\(signed.messages)"
        )
        // Hosted form: the validator ignores HTTP 410 and `revoked: true` (openbadges 1.1.2 never reads them);
        // it only rejects the 410 body as an incomplete assertion. Insigne reports the revocation itself (below).
        let hostedAfter = try await validator(["--input", hosted])
        #expect(!hostedAfter.valid, "\(hostedAfter.messages)")
        let report = await server.services.verifier.verify(
            .data([UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))), options: VerificationOptions(now: Date()))
        #expect(report.outcome == .revoked)
        #expect(report.assertion?.revocationReason == "Attribué par erreur")
        let hostedReport = await server.services.verifier.verify(
            .url(URL(string: hosted)!), options: VerificationOptions(now: Date()))
        #expect(hostedReport.outcome == .revoked)
        #expect(hostedReport.summary.fr.contains("Attribué par erreur"))
    }
}
