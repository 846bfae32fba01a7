import Foundation
import InsigneServer
import InsigneStore
import OpenBadges
import TestSupport
import Testing

/// qpdf, poppler-utils and zbar-tools are installed.
private let pdfToolsInstalled = ["qpdf", "pdftotext", "pdfdetach", "pdftoppm", "zbarimg"].allSatisfy {
    OfficialTools.tool($0) != nil
}

/// `insigne certificate` on the data directory of a live service: the PDF passes qpdf, shows the award in
/// pdftotext, carries `assertion.jws`, its QR code leads to the verification page, and `insigne verify` accepts it
/// (fetching the issuer's documents from the live service). Page 1 is kept as `artifacts/pdf/certificate-cli.png`.
@Suite(.enabled(if: pdfToolsInstalled, "run `make deps` (qpdf, poppler-utils, zbar-tools)"))
struct CertificateCLITests {
    func insigne(_ args: [String]) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, args)
    }

    func tool(_ name: String, _ args: [String]) async throws -> OfficialTools.ProcessResult {
        try await OfficialTools.runProcess(try #require(OfficialTools.tool(name)), args)
    }

    /// « 5 mars 2026 », « 1er mai 2026 » (Paris time), as printed on French certificates.
    static func frenchDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let months = [
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
            "octobre",
            "novembre", "décembre",
        ]
        return "\(c.day == 1 ? "1er" : String(c.day!)) \(months[c.month! - 1]) \(c.year!)"
    }

    @Test func writesAVerifiableCertificate() async throws {
        let server = try await ServiceInteropTests.LiveServer.start()
        defer { server.stop() }
        let (award, _) = try await server.services.issuing.award(
            AwardRequest(
                badgeClassID: "bientraitance", recipientEmail: "marie.dupont@example.org",
                recipientName: "Marie Dupont"),
            actor: "test")
        let data = server.services.configuration.dataDirectory
        let dir = try OfficialTools.temporaryDirectory()
        let pdf = dir.appendingPathComponent("attestation.pdf").path

        let written = try await insigne([
            "certificate", "--assertion", award.id, "--output", pdf, "--data-dir", data,
        ])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)).starts(with: Array("%PDF-".utf8)))

        let check = try await tool("qpdf", ["--check", pdf])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let text = try await tool("pdftotext", ["-enc", "UTF-8", pdf, "-"]).stdout
        #expect(text.contains("Marie Dupont"))
        #expect(!text.contains("marie.dupont@example.org"))
        #expect(text.contains("Bientraitance"))
        #expect(text.contains("Mutuelle Vivre Ensemble"))
        #expect(text.contains(award.id))
        let issued = try #require(DateTimeValue(award.issuedOn)).date
        #expect(text.contains("Délivrée le \(Self.frenchDate(issued))"), "\(text)")
        for code in ["DC1.5.2", "DC1.2.2", "DC1.2.3", "DC1.2.4", "DC1.1.3", "DC3.2.1"] {
            #expect(text.contains(code), "\(code) missing:\n\(text)")
        }

        let attachments = try await tool("pdfdetach", ["-list", pdf])
        #expect(attachments.stdout.contains("assertion.jws"), "\(attachments.stdout)")

        let prefix = dir.appendingPathComponent("page").path
        let rendered = try await tool(
            "pdftoppm", ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, prefix])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let png = URL(fileURLWithPath: prefix + ".png")
        let scan = try await tool("zbarimg", ["--raw", "-q", png.path])
        let hosted = server.services.urls.assertion(award.id)
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let expected =
            server.base + "/verify?url=" + hosted.addingPercentEncoding(
                withAllowedCharacters: unreserved)!
        #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        let artifacts = TestPaths.packageRoot.appendingPathComponent("artifacts/pdf", isDirectory: true)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let kept = artifacts.appendingPathComponent("certificate-cli.png")
        try? FileManager.default.removeItem(at: kept)
        try FileManager.default.copyItem(at: png, to: kept)

        let verified = try await insigne([
            "verify", pdf, "--allow-private-network", "--recipient", "marie.dupont@example.org",
        ])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        // Unknown and revoked awards: exit 1 with a message; nothing written.
        let unknown = try await insigne([
            "certificate", "--assertion", UUID().uuidString.lowercased(), "--output", pdf + ".x",
            "--data-dir", data,
        ])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("introuvable"))
        _ = try await server.services.issuing.revoke(
            assertionID: award.id, reason: "Attribué par erreur", actor: "test")
        let revoked = try await insigne([
            "certificate", "--assertion", award.id, "--output", pdf + ".y", "--data-dir", data,
        ])
        #expect(revoked.status == 1)
        #expect(
            revoked.stderr.contains("révoqué") && revoked.stderr.contains("Attribué par erreur"),
            "\(revoked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pdf + ".y"))
    }
}
