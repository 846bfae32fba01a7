import Foundation
import OpenBadges
import OpenBadgesPNG
import TestSupport
import Testing

/// The pure PDF extractor and the verifier on certificate PDFs (Fixtures/pdf, written by
/// `INSIGNE_WRITE_FIXTURES=1 swift test --filter PDFFixtureWriterTests`), over the fixture issuer's documents.
struct PDFAssertionExtractorTests {
    typealias S = VerifierTestSupport

    let fixture: BadgeFixture
    /// 1 January 2027: after the fixtures' issue date, before their expiry.
    let now = Date(timeIntervalSince1970: 1_798_761_600)

    init() throws { fixture = try BadgeFixture() }

    static func pdf(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("pdf/\(name)")))
    }

    static var fixtureJWS: String {
        get throws {
            try String(contentsOf: TestPaths.fixtures.appendingPathComponent("pdf/certificate.jws"), encoding: .utf8)
        }
    }

    // MARK: Extraction

    @Test func extractsTheSameJWSFromAttachmentAndInfo() throws {
        let extracted = try PDFAssertionExtractor.extract(from: try Self.pdf("certificate.pdf"))
        #expect(extracted == PDFExtractedAssertion(jws: try Self.fixtureJWS, fromAttachment: true, fromInfo: true))
    }

    @Test func infoAloneIsEnough() throws {
        let extracted = try PDFAssertionExtractor.extract(from: try Self.pdf("certificate-info-only.pdf"))
        #expect(extracted == PDFExtractedAssertion(jws: try Self.fixtureJWS, fromAttachment: false, fromInfo: true))
    }

    @Test(arguments: [
        ("certificate-truncated.pdf", BakingError.Code.malformedImage),
        ("certificate-no-badge.pdf", .notBaked),
        ("certificate-attachment-info-disagree.pdf", .nonConformant),
    ])
    func refusesBrokenCertificates(name: String, code: BakingError.Code) throws {
        let pdf = try Self.pdf(name)
        #expect {
            try PDFAssertionExtractor.extract(from: pdf)
        } throws: { error in
            (error as? BakingError)?.code == code
        }
    }

    /// libharu writes `/Length n 0 R`: the parser then finds the data's end by searching `endstream`, and a
    /// compressed attachment whose last byte is CR (or LF) must still come out whole (about 1 certificate in 256).
    @Test func compressedAttachmentEndingWithACarriageReturnAndAnIndirectLength() throws {
        let base = try Self.fixtureJWS
        var found: (String, [UInt8])?
        for n in 0..<5000 where found == nil {
            let jws = base + String(repeating: "A", count: n % 64) + String(repeating: "w", count: n / 64)
            let compressed = try Zlib.deflate(Array(jws.utf8))
            if compressed.last == 0x0D { found = (jws, compressed) }
        }
        let (jws, compressed) = try #require(found)
        var pdf = Array(
            """
            %PDF-1.4
            1 0 obj << /Type /Filespec /F (assertion.jws) /EF << /F 2 0 R >> >> endobj
            2 0 obj << /Type /EmbeddedFile /Filter /FlateDecode /Length 3 0 R >>
            stream

            """.utf8)
        pdf += compressed
        pdf += Array("\nendstream\nendobj\n3 0 obj \(compressed.count) endobj\ntrailer << /Size 4 >>\n%%EOF\n".utf8)
        #expect(try PDFAssertionExtractor.extract(from: pdf).jws == jws)
    }

    @Test func readsHandWrittenStringsAndStreams() throws {
        let jws = try Self.fixtureJWS
        let hex = jws.utf8.map { String(format: "%02X", $0) }.joined()
        // Hex Info string and an uncompressed attachment with a direct length; the file name given as UTF-16BE.
        let ufName = "FEFF" + "assertion.jws".utf8.map { String(format: "00%02X", $0) }.joined()
        let pdf = """
            %PDF-1.7
            % comment (with a parenthesis
            1 0 obj << /Title (A \\(nested\\) \\351t\\351) /OpenBadgesAssertion <\(hex)> >> endobj
            2 0 obj << /Type /Filespec /UF <\(ufName)> /EF << /F 3 0 R >> >> endobj
            3 0 obj << /Type /EmbeddedFile /Length \(jws.utf8.count + 1) >>
            stream
            \(jws)

            endstream
            endobj
            trailer << /Size 4 /Info 1 0 R >>
            %%EOF
            """
        let extracted = try PDFAssertionExtractor.extract(from: Array(pdf.utf8))
        #expect(extracted == PDFExtractedAssertion(jws: jws, fromAttachment: true, fromInfo: true))
        // Literal string with a line continuation in the middle of the JWS.
        let split = jws.index(jws.startIndex, offsetBy: 40)
        let literal =
            "%PDF-1.4\n1 0 obj << /OpenBadgesAssertion (\(jws[..<split])\\\n\(jws[split...])) >> endobj\n"
            + "trailer << /Info 1 0 R >>\n%%EOF\n"
        #expect(try PDFAssertionExtractor.extract(from: Array(literal.utf8)).jws == jws)
    }

    @Test func neverCrashesOnMutatedFixtures() throws {
        let pdf = try Self.pdf("certificate.pdf")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var mutated = pdf
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let i = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[i] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? PDFAssertionExtractor.extract(from: mutated)
        }
        for cut in stride(from: 0, to: pdf.count, by: 2_999) {
            _ = try? PDFAssertionExtractor.extract(from: Array(pdf.prefix(cut)))
        }
        let deep = "%PDF-1.4\n1 0 obj " + String(repeating: "[", count: 10_000) + "\ntrailer << /Info 1 0 R >>\n%%EOF"
        #expect(throws: BakingError.self) { try PDFAssertionExtractor.extract(from: Array(deep.utf8)) }
    }

    // MARK: Verification

    @Test func verifiesTheCertificate() async throws {
        let report = await S.verify(
            .data(try Self.pdf("certificate.pdf")), loader: fixture.loader(), now: now,
            recipient: "marie.dupont@example.org")
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(report.inputFormat == "pdf")
        #expect(report.jws == (try Self.fixtureJWS))
        #expect(report.check("input.extract")?.status == .passed)
        #expect(report.check("signature")?.status == .passed)
        #expect(report.assertion?.badgeName == "Bientraitance")
    }

    @Test(arguments: [
        ("certificate-altered-jws.pdf", VerificationOutcome.forged),
        ("certificate-attachment-info-disagree.pdf", .malformed),
        ("certificate-truncated.pdf", .damaged),
        ("certificate-no-badge.pdf", .notABadge),
    ])
    func refusesBrokenCertificatesWithAVerdict(name: String, outcome: VerificationOutcome) async throws {
        let report = await S.verify(.data(try Self.pdf(name)), loader: fixture.loader(), now: now)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == outcome, "\(S.problems(report))")
        #expect(report.inputFormat == "pdf")
    }

    // MARK: Hostile lengths (found by fuzzing: Fixtures/malformed/pdf-length-*.pdf)

    /// Every `Fixtures/malformed/pdf-*.pdf`: inputs that once stopped the process.
    static let malformedPDFs: [String] = {
        let dir = TestPaths.fixtures.appendingPathComponent("malformed")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix("pdf-") && $0.hasSuffix(".pdf") }.sorted()
    }()

    @Test func theLengthRegressionFixturesExist() {
        #expect(
            Set(Self.malformedPDFs).isSuperset(of: [
                "pdf-length-1e300.pdf", "pdf-length-inf.pdf", "pdf-length-99999e99999.pdf", "pdf-length-dot-5e300.pdf",
            ]))
    }

    /// A stream `/Length` of `+1e300`, `+inf`, `+99999e99999` or `.5e300` was converted to `Int` unchecked: a trap that
    /// stopped `insigne serve` on an anonymous `POST /verify`. Such a length is now ignored (the data ends at
    /// `endstream`) and the verifier answers with a verdict.
    @Test(arguments: malformedPDFs)
    func absurdStreamLengthsAreIgnoredNotTrappedOn(name: String) async throws {
        let pdf = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)")))
        if name.hasPrefix("pdf-length-") {
            #expect(try PDFAssertionExtractor.extract(from: pdf).jws == "a.b.c")
        } else {
            _ = try? PDFAssertionExtractor.extract(from: pdf)
        }
        let report = await S.verify(.data(pdf), loader: fixture.loader(), now: now)
        #expect(report.verdict != .valid)
        #expect(report.check("input.format")?.status == .passed)
    }
}
