import Foundation
import OpenBadges
import OpenBadgesPDF
import TestSupport

/// A certificate for a real signed assertion of the test issuer, and the command-line PDF tools.
enum CertificateSupport {
    /// 23 November 2026, 10:00 Paris time.
    static let issuedOn = Date(timeIntervalSince1970: 1_795_424_400)
    /// 23 November 2029.
    static let expires = Date(timeIntervalSince1970: 1_890_118_800)
    static let verificationURL = "https://badges.example.org/verify?assertion=8c1f2d4e-5b6a-4c3d-9e8f-7a6b5c4d3e2f"

    /// Competencies with accents; more than the renderer prints.
    static let competencies: [CertificateContent.Competency] = [
        .init(code: "DC1.1.3", title: "Savoir développer une écoute attentive et bienveillante", framework: "DEAES"),
        .init(code: "DC1.2.1", title: "Repérer les situations à risque de maltraitance", framework: "DEAES"),
        .init(
            code: "DC2.1.4", title: "Respecter l’intimité, la pudeur et le rythme de la personne", framework: "DEAES"),
        .init(
            code: "DC2.3.2", title: "Adapter sa communication : « faire avec » plutôt que « faire pour »",
            framework: "DEAES"),
        .init(
            code: "DC3.1.1", title: "Transmettre les informations utiles à l’équipe pluriprofessionnelle",
            framework: "DEAES"),
        .init(
            code: "DC3.2.5",
            title: "Analyser sa pratique au regard des recommandations de bonnes pratiques professionnelles",
            framework: "DEAES"),
        .init(code: "DC4.1.2", title: "Contribuer au projet personnalisé", framework: "DEAES"),
        .init(code: "DC4.2.3", title: "Prévenir l’épuisement professionnel", framework: "DEAES"),
    ]

    /// The medal image of the demo badge (small, RGBA).
    static func image() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/demo-badge.png")))
    }

    /// A signed assertion of the test issuer, issued on `issuedOn`.
    static func signed(_ fixture: BadgeFixture) throws -> SignedAssertion {
        try fixture.signer.issue(fixture.request(issuedOn: issuedOn, expires: expires))
    }

    /// The certificate content for `jws`.
    static func content(jws: String, language: CertificateContent.Language = .fr) throws -> CertificateContent {
        CertificateContent(
            language: language, organisationName: "Mutuelle Vivre Ensemble",
            organisationURL: "https://www.mutuelle-vivre-ensemble.example", recipientName: "Éloïse Lefèvre-Garçon",
            badgeName: "Bientraitance : écoute et respect", badgeImagePNG: try image(), issuedOn: issuedOn,
            expires: expires,
            criteriaSummary: "Avoir suivi la formation « Bientraitance » (14 heures), réalisé l’étude de cas et "
                + "présenté une situation vécue : le cœur du métier, c’est la relation. Évaluation par un jury de "
                + "deux formateurs ; la réussite est constatée à l’issue d’un entretien individuel de trente minutes "
                + "portant sur l’analyse d’une pratique professionnelle et les axes d’amélioration retenus.",
            competencies: competencies, certificateNumber: "8C1F2D4E", verificationURL: verificationURL,
            signature: .init(name: "Françoise Møller", role: "Directrice de la formation", place: "Lyon"),
            assertionJWS: jws)
    }

    /// The path of a command-line tool, if installed.
    static func tool(_ name: String) -> URL? { OfficialTools.tool(name) }

    /// True when qpdf, poppler-utils and zbar-tools are installed (`make deps` installs them).
    static var toolsInstalled: Bool {
        ["qpdf", "pdftotext", "pdfdetach", "pdftoppm", "pdfinfo", "zbarimg"].allSatisfy { tool($0) != nil }
    }

    /// Runs a tool and returns what it printed.
    static func run(_ name: String, _ arguments: [String]) async throws -> OfficialTools.ProcessResult {
        guard let path = tool(name) else { throw ToolMissing(name: name) }
        return try await OfficialTools.runProcess(path, arguments)
    }

    struct ToolMissing: Error { var name: String }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "insigne-pdf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `<package root>/artifacts/pdf` (git-ignored).
    static var artifacts: URL { TestPaths.packageRoot.appendingPathComponent("artifacts/pdf", isDirectory: true) }
}
