import CLibHaru
import Foundation
import OpenBadges

/// Renders certificates of achievement as one-page PDFs (A4 landscape, DejaVu Sans embedded) carrying the
/// signed assertion as the attachment `assertion.jws` and in the document information (`/OpenBadgesAssertion`).
///
/// ```swift
/// let pdf = try CertificateRenderer.render(content)
/// try Data(pdf).write(to: URL(fileURLWithPath: "certificate.pdf"))
/// ```
public enum CertificateRenderer {
    /// The directory of the DejaVu fonts (Debian package fonts-dejavu-core).
    public static let fontDirectory = "/usr/share/fonts/truetype/dejavu"
    /// The name of the attached signed assertion.
    public static let attachmentName = "assertion.jws"
    /// The name of the attached OB 3.0 credential (VC-JWT).
    public static let credentialAttachmentName = "open-badge-credential.jwt"
    /// The document information key holding the signed assertion.
    public static let infoKey = "OpenBadgesAssertion"
    /// Competency lines printed at most (the rest are counted).
    public static let maxCompetencyLines = 6

    /// Renders the certificate and returns the PDF bytes.
    public static func render(_ c: CertificateContent) throws(CertificateError) -> [UInt8] {
        try render(c, attachedJWS: c.assertionJWS, infoJWS: c.assertionJWS)
    }

    /// Renders with the attachment and the Info copy of the JWS chosen separately (nil leaves one out) and the fonts
    /// optionally not embedded: the test fixtures use it to build small and inconsistent documents.
    static func render(
        _ c: CertificateContent, attachedJWS: String?, infoJWS: String?, embedFonts: Bool = true
    ) throws(CertificateError) -> [UInt8] {
        guard !c.assertionJWS.isEmpty, c.assertionJWS.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw CertificateError(
                .invalidContent, fr: "le badge signé (JWS) est vide ou contient des caractères non ASCII",
                en: "the signed badge (JWS) is empty or not printable ASCII")
        }
        let qr = try QRMatrix.encode(c.verificationURL)
        let doc = try HaruDocument()
        HPDF_SetCompressionMode(doc.raw, HPDF_UINT(HPDF_COMP_ALL))
        HPDF_UseUTFEncodings(doc.raw)
        HPDF_SetCurrentEncoder(doc.raw, "UTF-8")
        try doc.check("encodage UTF-8")
        let regular = try doc.trueTypeFont(path: fontDirectory + "/DejaVuSans.ttf", embed: embedFonts)
        let bold = try doc.trueTypeFont(path: fontDirectory + "/DejaVuSans-Bold.ttf", embed: embedFonts)
        let image = try c.badgeImagePNG.map { (bytes) throws(CertificateError) in try doc.pngImage(bytes) }

        guard let page = HPDF_AddPage(doc.raw) else {
            try doc.check("page")
            throw CertificateError(.pdfLibrary, fr: "page impossible", en: "cannot add a page")
        }
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE)
        let canvas = PageCanvas(page: page, regular: regular, bold: bold)
        draw(c, on: canvas, qr: qr, image: image)
        try doc.check("mise en page")

        let text = CertificateText(language: c.language)
        try doc.setInfo(HPDF_INFO_TITLE, "\(text.documentTitle) — \(c.badgeName) — \(c.recipientName)")
        try doc.setInfo(HPDF_INFO_SUBJECT, c.badgeName)
        try doc.setInfo(HPDF_INFO_AUTHOR, c.organisationName)
        try doc.setInfo(HPDF_INFO_CREATOR, "Insigne (Open Badges 2.0)")
        let ob3 = c.credentialJWT.map { !$0.isEmpty && $0.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) } ?? false
        try doc.setInfo(
            HPDF_INFO_KEYWORDS,
            "Open Badges 2.0; \(attachmentName)" + (ob3 ? "; Open Badges 3.0; \(credentialAttachmentName)" : ""))
        // libharu strings stop at 65,535 bytes: a longer JWS is only attached.
        if let infoJWS, infoJWS.utf8.count <= Int(HPDF_LIMIT_MAX_STRING_LEN) {
            try doc.setCustomInfo(key: infoKey, ascii: infoJWS)
        }
        if let attachedJWS {
            try doc.attach(
                name: attachmentName, description: text.attachmentDescription, bytes: Array(attachedJWS.utf8))
        }
        if ob3, let jwt = c.credentialJWT {
            try doc.attach(
                name: credentialAttachmentName, description: text.credentialAttachmentDescription,
                bytes: Array(jwt.utf8))
        }
        return try doc.save()
    }

    // MARK: Layout (A4 landscape: 842 × 595 pt)

    static func draw(_ c: CertificateContent, on p: PageCanvas, qr: QRMatrix, image: HPDF_Image?) {
        let t = CertificateText(language: c.language)
        let (w, h) = (p.width, p.height)
        let center = w / 2
        let left: Float = 64
        let right = w - 64

        p.frame(x: 20, y: 20, width: w - 40, height: h - 40, lineWidth: 1.6, color: .accent)
        p.frame(x: 26, y: 26, width: w - 52, height: h - 52, lineWidth: 0.5, color: .rule)

        // Header: organisation, title, recipient, badge.
        let headerWidth: Float = 520
        let org = p.truncated(c.organisationName, font: p.bold, size: 13, maxWidth: headerWidth)
        p.text(org, x: center, y: 536, font: p.bold, size: 13, color: .accent, align: .center)
        let site = p.truncated(c.organisationURL, font: p.regular, size: 8.5, maxWidth: headerWidth)
        p.text(site, x: center, y: 522, font: p.regular, size: 8.5, color: .muted, align: .center)
        if let image { p.image(image, x: left, y: 420, box: 104) }

        p.text(t.title.uppercased(), x: center, y: 474, font: p.bold, size: 24, color: .ink, align: .center)
        p.text(t.awardedTo, x: center, y: 448, font: p.regular, size: 12, color: .muted, align: .center)
        let nameSize = p.fittedSize(c.recipientName, font: p.bold, size: 28, minimum: 16, maxWidth: headerWidth)
        let name = p.truncated(c.recipientName, font: p.bold, size: nameSize, maxWidth: headerWidth)
        p.text(name, x: center, y: 414, font: p.bold, size: nameSize, color: .accent, align: .center)
        p.text(t.forBadge, x: center, y: 390, font: p.regular, size: 11, color: .muted, align: .center)
        let badgeSize = p.fittedSize(c.badgeName, font: p.bold, size: 17, minimum: 11, maxWidth: headerWidth + 100)
        let badge = p.truncated(c.badgeName, font: p.bold, size: badgeSize, maxWidth: headerWidth + 100)
        p.text(badge, x: center, y: 368, font: p.bold, size: badgeSize, color: .ink, align: .center)
        p.line(from: (left, 350), to: (right, 350), width: 0.6, color: .rule)

        // Left column: dates, criteria, competencies.
        let columnWidth: Float = 500
        var y: Float = 328
        p.text(t.dates(issued: c.issuedOn, expires: c.expires), x: left, y: y, font: p.bold, size: 10, color: .ink)
        y -= 24
        let criteria = c.criteriaSummary.trimmingCharacters(in: .whitespacesAndNewlines)
        if !criteria.isEmpty {
            p.text(t.criteria, x: left, y: y, font: p.bold, size: 10, color: .accent)
            y -= 14
            for line in p.wrapped(criteria, font: p.regular, size: 9, maxWidth: columnWidth, maxLines: 3) {
                p.text(line, x: left, y: y, font: p.regular, size: 9)
                y -= 12
            }
            y -= 10
        }
        if !c.competencies.isEmpty {
            var frameworks: [String] = []
            for f in c.competencies.compactMap(\.framework) where !frameworks.contains(f) { frameworks.append(f) }
            let heading = ([t.competencies] + frameworks).joined(separator: " — ")
            p.text(
                p.truncated(heading, font: p.bold, size: 10, maxWidth: columnWidth), x: left, y: y, font: p.bold,
                size: 10, color: .accent)
            y -= 14
            let shown = c.competencies.count <= maxCompetencyLines ? c.competencies.count : maxCompetencyLines - 1
            for competency in c.competencies.prefix(shown) {
                let line = "\(competency.code) — \(competency.title)"
                p.text(
                    p.truncated(line, font: p.regular, size: 9, maxWidth: columnWidth), x: left, y: y, font: p.regular,
                    size: 9)
                y -= 12
            }
            if shown < c.competencies.count {
                p.text(t.more(c.competencies.count - shown), x: left, y: y, font: p.regular, size: 9, color: .muted)
            }
        }

        // Right column: the QR code and its URL.
        let qrSide: Float = 128
        let qrX = right - qrSide + 12  // the quiet zone is white: align the visible code with the margin
        p.qrCode(qr, x: qrX, y: 184, side: qrSide)
        let qrCenter = qrX + qrSide / 2
        p.text(t.scanToVerify, x: qrCenter, y: 318, font: p.bold, size: 9, color: .accent, align: .center)
        let urlLines = characterLines(c.verificationURL, canvas: p, size: 6.5, maxWidth: 128, maxLines: 4)
        for (i, line) in urlLines.enumerated() {
            p.text(
                line, x: qrCenter, y: 180 - Float(i) * 8.5, font: p.regular, size: 6.5, color: .muted, align: .center)
        }

        // Bottom: signature (right), certificate number and attachment note (left).
        let signatureX = right
        p.text(
            t.signedAt(place: c.signature.place, on: c.issuedOn), x: signatureX, y: 124, font: p.regular, size: 9.5,
            align: .right)
        p.line(from: (signatureX - 190, 82), to: (signatureX, 82), width: 0.5, color: .rule)
        let signer = p.truncated(c.signature.name, font: p.bold, size: 11, maxWidth: 260)
        p.text(signer, x: signatureX, y: 68, font: p.bold, size: 11, align: .right)
        let role = p.truncated(c.signature.role, font: p.regular, size: 9, maxWidth: 260)
        p.text(role, x: signatureX, y: 55, font: p.regular, size: 9, color: .muted, align: .right)

        let number = t.certificateNumber(c.certificateNumber)
        p.text(number, x: left, y: 68, font: p.bold, size: 9.5)
        if let reference = c.reference {
            let x = left + p.textWidth(number, font: p.bold, size: 9.5) + 8
            let shown = p.truncated(reference, font: p.regular, size: 7.5, maxWidth: signatureX - 200 - x)
            p.text(shown, x: x, y: 68, font: p.regular, size: 7.5, color: .muted)
        }
        p.text(t.embeddedNote, x: left, y: 55, font: p.regular, size: 7.5, color: .muted)
        _ = h
    }

    /// A URL broken anywhere into lines of `maxWidth`, the last one shortened with "…" if needed.
    static func characterLines(_ text: String, canvas p: PageCanvas, size: Float, maxWidth: Float, maxLines: Int)
        -> [String]
    {
        var lines: [String] = []
        var current = ""
        for ch in text {
            if p.textWidth(current + String(ch), font: p.regular, size: size) > maxWidth, !current.isEmpty {
                lines.append(current)
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            let last = lines[maxLines - 1] + lines[maxLines...].joined()
            lines =
                Array(lines.prefix(maxLines - 1)) + [p.truncated(last, font: p.regular, size: size, maxWidth: maxWidth)]
        }
        return lines
    }
}
