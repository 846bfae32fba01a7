import Foundation
import OpenBadges
import OpenBadgesHTTP
import TestSupport
import Testing

/// The OB 3.0 references in `.venv-ob3` (`make ob3-deps`: openbadgeslib 4.6.3, PyLD 3.3.0), driven by
/// `Tests/Interop/ob3_reference.py`.
enum OB3Reference {
    static var python: URL { TestPaths.packageRoot.appendingPathComponent(".venv-ob3/bin/python") }
    static var script: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Interop/ob3_reference.py") }
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// One credential made by openbadgeslib, with the outcome it must get and openbadgeslib's own verdict.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        var format: String
        var proof: String
        /// `valid`, an outcome name (`expired`, `forged`…) or `indeterminate`.
        var expect: String
        /// openbadgeslib's verdict on the same case: `valid` or `refused: why`.
        var reference: String
        var id: String { "\(name).\(format)" }
        var description: String { id }
    }

    /// Every case of one run, the credentials' recipient and the issuer's documents served on 127.0.0.1.
    struct CaseSet: Sendable {
        var cases: [Case]
        var recipient: String
        var base: String

        func named(_ id: String) throws -> Case { try #require(cases.first { $0.id == id }, "no case \(id)") }
    }

    /// One Python process for the whole suite: it signs and bakes every case, then serves the status lists and
    /// key documents until the test process exits.
    static let shared = Task<CaseSet, any Error> { try await start() }

    nonisolated(unsafe) private static var server: Process?

    /// The reference script failed.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func start() async throws -> CaseSet {
        let port = try OfficialTools.freePort()
        let dir = try OfficialTools.temporaryDirectory()
        let base = "http://127.0.0.1:\(port)"
        let images = TestPaths.fixtures.appendingPathComponent("images")
        let process = Process()
        process.executableURL = python
        process.arguments = [
            script.path, "make", "--out", dir.path, "--base", base, "--png",
            images.appendingPathComponent("minimal-1x1-rgba.png").path, "--svg",
            images.appendingPathComponent("test-badge.svg").path, "--port", String(port),
        ]
        let log = dir.appendingPathComponent("reference.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        server = process
        let manifest = dir.appendingPathComponent("manifest.json")
        for _ in 0..<600 {
            if FileManager.default.fileExists(atPath: manifest.path),
                try await OfficialTools.httpGet(base + "/issuer") != nil
            {
                return try read(manifest, base: base)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(message: "ob3_reference.py did not start: \(stderr.suffix(2000))")
    }

    static func read(_ manifest: URL, base: String) throws -> CaseSet {
        let json = try TestPaths.loadJSON(manifest)
        let cases = (json["cases"]?.arrayValue ?? []).map { c in
            Case(
                name: c["name"]?.stringValue ?? "", file: c["file"]?.stringValue ?? "",
                format: c["format"]?.stringValue ?? "", proof: c["proof"]?.stringValue ?? "",
                expect: c["expect"]?.stringValue ?? "", reference: c["reference"]?.stringValue ?? "")
        }
        return CaseSet(cases: cases, recipient: json["recipient"]?.stringValue ?? "", base: base)
    }

    /// The verifier as `insigne verify --allow-private-network` builds it: HTTP loader, loopback allowed.
    static func verify(_ c: Case, recipient: String? = nil) async throws -> VerificationReport {
        var config = HTTPLoaderConfiguration()
        config.addressPolicy = .allowAll
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: c.file)))
        let input: VerificationInput = c.format == "jwt" ? .text(String(decoding: bytes, as: UTF8.self)) : .data(bytes)
        return await Verifier(loader: HTTPDocumentLoader(configuration: config)).verify(
            input,
            options: VerificationOptions(now: Date(), recipient: recipient.map { RecipientIdentifier(value: $0) }))
    }
}

/// ISSUE12 point 6: credentials signed and baked by openbadgeslib (VC-JWT RS256 / ES256 / EdDSA, `eddsa-rdfc-2022`
/// with `did:key`; PNG, SVG, compact JWT and JSON; Bitstring status lists published by openbadgeslib on 127.0.0.1),
/// and the verdict Insigne gives each one.
@Suite(.serialized, .enabled(if: OB3Reference.isInstalled, "needs .venv-ob3 (run `make ob3-deps`)"))
struct OB3InteropTests {
    /// Every case the reference script makes (name.format); none may go missing silently.
    static let caseIDs = [
        "jwt-eddsa-valid.png", "jwt-eddsa-valid.svg", "jwt-eddsa-valid-text.jwt", "jwt-es256-valid.png",
        "jwt-es256-valid.svg", "jwt-rs256-valid.png", "jwt-rs256-valid.svg", "jwt-eddsa-expired.png",
        "jwt-rs256-expired.svg", "jwt-es256-not-yet-valid.png", "jwt-eddsa-tampered.png", "jwt-rs256-tampered.svg",
        "jwt-eddsa-wrong-key.png", "jwt-rs256-wrong-key.svg", "jwt-eddsa-revoked.png", "jwt-eddsa-suspended.png",
        "jwt-eddsa-status-clear.png", "jwt-eddsa-status-unreachable.png", "jwt-rs256-header-key-only.png",
        "di-valid.png", "di-valid.svg", "di-valid.json", "di-expired.png", "di-not-yet-valid.svg", "di-tampered.png",
        "di-tampered.json", "di-wrong-key.svg", "di-rich.png", "di-endorsed.json", "di-revoked.png",
        "di-revoked-list-with-proof.svg", "di-status-clear-list-with-proof.svg", "di-suspended.json",
    ]

    /// Where openbadgeslib and Insigne differ on purpose.
    static let referenceDiffers: [String: String] = [
        // openbadgeslib's OB3Verifier trusts whatever key its caller hands it and never ties the JWT's own `jwk`
        // header to the issuer; Insigne has only the header, and a key anyone can make says nothing about who
        // issued the badge: indeterminate (the issuer must name its key by `kid`, or be the did:key of that key).
        "jwt-rs256-header-key-only.png": "valid",
        // openbadgeslib reads a status list secured by a JWT only, and refuses one secured by an embedded Data
        // Integrity proof (its own add_data_integrity_proof made it); Bitstring Status List allows either securing
        // mechanism, and Insigne checks both.
        "di-status-clear-list-with-proof.svg": "indeterminate",
    ]

    @Test func everyCaseIsMade() async throws {
        let set = try await OB3Reference.shared.value
        #expect(set.cases.map(\.id).sorted() == Self.caseIDs.sorted())
    }

    @Test(arguments: caseIDs)
    func insigneVerdictMatchesTheCase(_ id: String) async throws {
        let c = try await OB3Reference.shared.value.named(id)
        let report = try await OB3Reference.verify(c)
        let got = report.verdict == .indeterminate ? "indeterminate" : report.outcome.rawValue
        let notes = report.checks.filter { $0.status != .passed }.map { "\($0.id): \($0.message.en)" }
        #expect(got == c.expect, "\(id) (\(c.proof)): \(notes)")
        // The case is what it says: openbadgeslib itself accepts the valid ones and refuses the others.
        let referenceValid = c.reference == "valid"
        let expectReferenceValid = (Self.referenceDiffers[id] ?? c.expect) == "valid"
        #expect(referenceValid == expectReferenceValid, "openbadgeslib on \(id): \(c.reference)")
    }

    @Test(arguments: ["jwt-eddsa-valid.png", "jwt-es256-valid.svg", "jwt-rs256-valid.png", "di-valid.svg"])
    func validCredentialIsReadLikeABadge(_ id: String) async throws {
        let set = try await OB3Reference.shared.value
        let c = try set.named(id)
        let report = try await OB3Reference.verify(c, recipient: "Lea.Martin@Example.fr")
        #expect(report.verdict == .valid, "\(report.checks.filter { $0.status != .passed })")
        #expect(report.inputFormat == c.format)
        #expect(report.recipientMatch != nil)
        #expect(report.assertion?.specVersion == "3.0")
        #expect(report.assertion?.badgeName == "Sauveteur secouriste du travail")
        #expect(report.assertion?.issuerName == "Organisme de formation (openbadgeslib)")
        #expect(report.check("signature")?.status == .passed || report.check("proof")?.status == .passed)
        // The salted hash openbadgeslib computed is matched as people type the address.
        let other = try await OB3Reference.verify(c, recipient: "paul.durand@example.fr")
        #expect(other.outcome == .recipientMismatch)
    }

    /// `insigne verify` exit codes on openbadgeslib's files: 0 valid, 1 forged or revoked, 2 status unreachable.
    @Test func cliExitCodes() async throws {
        let set = try await OB3Reference.shared.value
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        for (id, status) in [
            ("di-valid.png", Int32(0)), ("jwt-rs256-valid.svg", 0), ("jwt-eddsa-tampered.png", 1),
            ("di-revoked.png", 1), ("jwt-es256-not-yet-valid.png", 1), ("jwt-eddsa-status-unreachable.png", 2),
        ] {
            let c = try set.named(id)
            let run = try await OfficialTools.runProcess(bin, ["verify", c.file, "--allow-private-network"])
            #expect(run.status == status, "\(id): \(run.stdout.prefix(1500)) \(run.stderr.prefix(500))")
        }
        // Without --allow-private-network the loopback status list is refused like any unreachable one.
        let guarded = try await OfficialTools.runProcess(bin, ["verify", try set.named("di-revoked.png").file])
        #expect(guarded.status == 2, "\(guarded.stdout.prefix(1500))")
    }
}
