import Foundation
import OpenBadges
import TestSupport
import Testing

@testable import OpenBadgesPDF

/// Renders Fixtures/pdf/*.pdf, a valid certificate and one file per way it can be wrong, read by the pure-core tests
/// (OpenBadgesTests/PDFAssertionExtractorTests), and checks each freshly rendered case reads as its committed file
/// does (signatures are random, so bytes differ). With INSIGNE_WRITE_FIXTURES=1 it also writes them (commit the files).
struct PDFFixtureWriterTests {
    /// What the extractor makes of a file: where it found the assertion, or its error code.
    static func outcome(_ bytes: [UInt8]) -> String {
        do {
            let e = try PDFAssertionExtractor.extract(from: bytes)
            return "attachment: \(e.fromAttachment), info: \(e.fromInfo)"
        } catch {
            return "\(error.code)"
        }
    }

    @Test func rendersTheCommittedFixtureCases() throws {
        let fixture = try BadgeFixture()
        let signed = try CertificateSupport.signed(fixture)
        var content = try CertificateSupport.content(jws: signed.jws)
        content.badgeImagePNG = nil
        let other = try CertificateSupport.signed(fixture).jws
        let altered = try Self.alteringPayload(of: signed.jws)
        let dir = TestPaths.fixtures.appendingPathComponent("pdf", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Fonts not embedded, no image: small files with the renderer's structure.
        func render(attached: String?, info: String?) throws -> [UInt8] {
            try CertificateRenderer.render(content, attachedJWS: attached, infoJWS: info, embedFonts: false)
        }
        let writing = ProcessInfo.processInfo.environment["INSIGNE_WRITE_FIXTURES"] == "1"
        func write(_ name: String, _ bytes: [UInt8]) throws {
            let committed = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
            #expect(Self.outcome(bytes) == Self.outcome(committed), "\(name)")
            if writing { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        }
        let valid = try render(attached: signed.jws, info: signed.jws)
        try write("certificate.pdf", valid)
        try write("certificate-truncated.pdf", Array(valid.prefix(valid.count * 3 / 5)))
        try write("certificate-info-only.pdf", try render(attached: nil, info: signed.jws))
        try write("certificate-no-badge.pdf", try render(attached: nil, info: nil))
        try write("certificate-altered-jws.pdf", try render(attached: altered, info: altered))
        try write(
            "certificate-attachment-info-disagree.pdf",
            try render(attached: signed.jws, info: other))
        #expect(try PDFAssertionExtractor.extract(from: valid).jws == signed.jws)
        #expect(
            try PDFAssertionExtractor.extract(
                from: [UInt8](Data(contentsOf: dir.appendingPathComponent("certificate.pdf")))
            )
            .jws == String(decoding: try Data(contentsOf: dir.appendingPathComponent("certificate.jws")), as: UTF8.self)
        )
        if writing { try Data(signed.jws.utf8).write(to: dir.appendingPathComponent("certificate.jws")) }
    }

    /// The same JWS with one claim of its payload changed (the signature no longer matches).
    static func alteringPayload(of jws: String) throws -> String {
        let parts = jws.split(separator: ".").map(String.init)
        let payload = try #require(Base64URL.decode(parts[1]))
        let text = String(decoding: payload, as: UTF8.self)
        let changed = text.replacingOccurrences(of: "2026-11-23", with: "2025-11-23")
        #expect(changed != text)
        return [parts[0], Base64URL.encode(Array(changed.utf8)), parts[2]].joined(separator: ".")
    }
}
