import Foundation
import OpenBadges
import OpenBadgesPDF
import TestSupport
import Testing

/// Renders certificates for a real signed assertion and checks them with qpdf, poppler and zbar.
@Suite(.enabled(if: CertificateSupport.toolsInstalled, "qpdf, poppler-utils or zbar-tools missing: run `make deps`"))
struct CertificateRendererTests {
    typealias S = CertificateSupport

    let signed: SignedAssertion
    let pdf: [UInt8]
    let directory: URL
    let file: URL

    init() throws {
        signed = try S.signed(try BadgeFixture())
        pdf = try CertificateRenderer.render(try S.content(jws: signed.jws))
        directory = try S.temporaryDirectory()
        file = directory.appendingPathComponent("certificate.pdf")
        try Data(pdf).write(to: file)
    }

    @Test func qpdfFindsNoError() async throws {
        let r = try await S.run("qpdf", ["--check", file.path])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("No syntax or stream encoding errors found"), "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func textHasNamesFrenchDatesAndCompetencies() async throws {
        let r = try await S.run("pdftotext", ["-enc", "UTF-8", file.path, "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = r.stdout
        for expected in [
            "Mutuelle Vivre Ensemble", "ATTESTATION DE RÉUSSITE", "décernée à", "Éloïse Lefèvre-Garçon",
            "pour l’obtention du badge", "Bientraitance : écoute et respect", "Délivrée le 23 novembre 2026",
            "valable jusqu’au 23 novembre 2029", "« Bientraitance »", "le cœur du métier", "Compétences visées — DEAES",
            "DC1.1.3 — Savoir développer une écoute attentive et bienveillante",
            "DC2.1.4 — Respecter l’intimité, la pudeur et le rythme de la personne",
            "DC2.3.2 — Adapter sa communication : « faire avec » plutôt que « faire pour »", "… et 3 autres",
            "Attestation n° 8C1F2D4E", "Fait à Lyon, le 23 novembre 2026", "Françoise Møller",
            "Directrice de la formation", "https://badges.example.org/verify",
        ] {
            #expect(text.contains(expected), "missing «\(expected)» in:\n\(text)")
        }
        #expect(!text.contains("DC4.2.3"), "only the first competencies are printed")
    }

    @Test func metadataIsUTF8AndCarriesTheJWS() async throws {
        let r = try await S.run("pdfinfo", ["-enc", "UTF-8", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("Attestation de réussite — Bientraitance : écoute et respect — Éloïse Lefèvre-Garçon"),
            "\(r.stdout)")
        #expect(r.stdout.contains("Mutuelle Vivre Ensemble"))
        #expect(r.stdout.contains("841.89 x 595.276 pts (A4)"), "\(r.stdout)")
        let extracted = try PDFAssertionExtractor.extract(from: pdf)
        #expect(extracted == PDFExtractedAssertion(jws: signed.jws, fromAttachment: true, fromInfo: true))
    }

    @Test func fontsAreEmbedded() async throws {
        let r = try await S.run("pdffonts", [file.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").filter { $0.contains("DejaVu") }
        #expect(lines.count == 2, "\(r.stdout)")
        for line in lines { #expect(line.contains(" yes "), "not embedded: \(line)") }
    }

    @Test func attachmentGivesBackTheJWS() async throws {
        let list = try await S.run("pdfdetach", ["-list", file.path])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("1 embedded files"), "\(list.stdout)")
        #expect(list.stdout.contains("1: assertion.jws"), "\(list.stdout)")
        let out = directory.appendingPathComponent("out.jws")
        let save = try await S.run("pdfdetach", ["-save", "1", "-o", out.path, file.path])
        #expect(save.status == 0, "\(save.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8) == signed.jws)
    }

    @Test(arguments: CertificateContent.Language.allCases)
    func qrCodeDecodesToTheVerificationURL(language: CertificateContent.Language) async throws {
        let pdf = try CertificateRenderer.render(try S.content(jws: signed.jws, language: language))
        let input = directory.appendingPathComponent("certificate-\(language).pdf")
        try Data(pdf).write(to: input)
        let prefix = directory.appendingPathComponent("page-\(language)").path
        let render = try await S.run(
            "pdftoppm", ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", input.path, prefix])
        #expect(render.status == 0, "\(render.stderr)")
        let png = URL(fileURLWithPath: prefix + ".png")
        try FileManager.default.createDirectory(at: S.artifacts, withIntermediateDirectories: true)
        let kept = S.artifacts.appendingPathComponent("certificate-\(language).png")
        try? FileManager.default.removeItem(at: kept)
        try FileManager.default.copyItem(at: png, to: kept)
        let scan = try await S.run("zbarimg", ["--raw", "-q", png.path])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == S.verificationURL)
    }

    @Test func englishCertificateReadsInEnglish() async throws {
        let pdf = try CertificateRenderer.render(try S.content(jws: signed.jws, language: .en))
        let input = directory.appendingPathComponent("certificate-en.pdf")
        try Data(pdf).write(to: input)
        let r = try await S.run("pdftotext", ["-enc", "UTF-8", input.path, "-"])
        for expected in [
            "CERTIFICATE OF ACHIEVEMENT", "awarded to", "Éloïse Lefèvre-Garçon", "Issued on 23 November 2026",
            "valid until 23 November 2029", "Aligned competencies — DEAES", "… and 3 more", "Certificate no. 8C1F2D4E",
            "Lyon, 23 November 2026",
        ] {
            #expect(r.stdout.contains(expected), "missing «\(expected)» in:\n\(r.stdout)")
        }
    }
}

/// Errors from the renderer are thrown with French and English messages.
struct CertificateErrorTests {
    @Test func unreadableImageIsRefused() throws {
        var content = try CertificateSupport.content(jws: "e30.e30.c2ln")
        content.badgeImagePNG = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        #expect {
            try CertificateRenderer.render(content)
        } throws: { error in
            guard let e = error as? CertificateError else { return false }
            return e.code == .invalidImage && e.messageFR.contains("libharu") && !e.messageEN.isEmpty
        }
    }

    @Test func emptyJWSIsRefused() throws {
        let content = try CertificateSupport.content(jws: "")
        #expect(throws: CertificateError.self) { try CertificateRenderer.render(content) }
    }

    @Test func noImageAndNoExpiryStillRender() throws {
        var content = try CertificateSupport.content(jws: "e30.e30.c2ln")
        content.badgeImagePNG = nil
        content.expires = nil
        content.competencies = []
        let pdf = try CertificateRenderer.render(content)
        #expect(PDFAssertionExtractor.looksLikePDF(pdf))
        #expect(try PDFAssertionExtractor.extract(from: pdf).jws == "e30.e30.c2ln")
    }
}
