import Foundation
import OpenBadges
import TestSupport
import Testing

/// The `insigne` command as a user runs it: exit codes, files written, JSON report.
struct CLITests {
    /// The `insigne` binary next to the test bundle (built by `swift build --build-tests`).
    static var binary: URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("insigne")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = TestPaths.packageRoot.appendingPathComponent(".build/debug/insigne")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }

    func run(_ args: [String]) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, args)
    }

    @Test func demoRoundTripThenVerifyExitCodes() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let demo = try await run(["demo", "--dir", dir.appendingPathComponent("demo").path])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("VALIDE"))
        let baked = dir.appendingPathComponent("demo/badge-baked.png").path
        let docs = dir.appendingPathComponent("demo/documents").path

        let valid = try await run([
            "verify", baked, "--documents", docs, "--recipient", "marie.dupont@example.org", "--json",
        ])
        #expect(valid.status == 0)
        let report = try JSONValue(parsing: valid.stdout)
        #expect(report["valid"] == .bool(true))
        #expect((report["checks"]?.arrayValue?.count ?? 0) > 5)
        let schema = try JSONSchemaValidator(
            schemaFile: TestPaths.schemas.appendingPathComponent("ob2/verification-report.schema.json"))
        #expect(schema.validate(report).isEmpty)

        let other = try await run(["verify", baked, "--documents", docs, "--recipient", "paul@example.org"])
        #expect(other.status == 1)
        #expect(other.stdout.contains("n'a pas été délivré"))

        // Documents unreachable (loopback refused by the SSRF guard): indeterminate → 2.
        let offline = try await run(["verify", baked])
        #expect(offline.status == 2)

        let unbaked = try await run(["unbake", dir.appendingPathComponent("demo/badge.png").path])
        #expect(unbaked.status == 1)
        #expect(unbaked.stderr.contains("aucun badge"))

        let missing = try await run(["verify", dir.appendingPathComponent("nope.png").path])
        #expect(missing.status == 2)
    }

    @Test func verifyWordsForPeople() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let demo = try await run(["demo", "--dir", dir.appendingPathComponent("demo").path])
        #expect(demo.status == 0, "\(demo.stderr)")
        let baked = dir.appendingPathComponent("demo/badge-baked.png")
        let docs = dir.appendingPathComponent("demo/documents").path

        // Capitals as on a CV: the normalised form matches, and the output says so; dates in words; counts of
        // the checks that ran.
        let typed = try await run([
            "verify", baked.path, "--documents", docs, "--recipient", "Marie.Dupont@Example.org",
        ])
        #expect(typed.status == 0, "\(typed.stdout)")
        #expect(typed.stdout.contains("forme normalisée"))
        #expect(typed.stdout.contains("contrôles réussis sur"))
        #expect(!typed.stdout.contains("Émis le : 20"), "\(typed.stdout)")
        let english = try await run(["verify", baked.path, "--documents", docs, "--lang", "en"])
        #expect(english.stdout.contains("checks passed (1 not run)"), "\(english.stdout)")

        // One byte changed inside the badge: damaged (invalid, exit 1), in plain words, details kept apart.
        var bytes = [UInt8](try Data(contentsOf: baked))
        bytes[33 + 8 + 40] ^= 0x01
        let damaged = dir.appendingPathComponent("damaged.png")
        try Data(bytes).write(to: damaged)
        let r = try await run(["verify", damaged.path, "--documents", docs])
        #expect(r.status == 1)
        let verdict = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(verdict.contains("endommagé ou modifié"), "\(r.stdout)")
        #expect(!verdict.contains("CRC") && !verdict.contains("iTXt"))
        #expect(r.stdout.contains("détail technique"))
    }

    @Test func keygenWritesAPrivateKeyReadableOnlyByItsOwner() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let out = dir.appendingPathComponent("keys").path
        let r = try await run(["keygen", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let attrs = try FileManager.default.attributesOfItem(atPath: out + "/private.pem")
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let again = try await run(["keygen", "--out", out])
        #expect(again.status == 2, "an existing key is never overwritten without --force")
    }

    @Test func signBakeUnbakeWithAFreshKey() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        _ = try await run(["demo", "--dir", dir.appendingPathComponent("demo").path])
        let jwsFile = dir.appendingPathComponent("badge.jws")
        let signed = try await run([
            "sign", "--key", dir.appendingPathComponent("demo/keys/private.pem").path, "--assertion",
            dir.appendingPathComponent("demo/assertion.json").path,
        ])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(CompactJWS.looksLikeJWS(signed.stdout))
        try Data(signed.stdout.utf8).write(to: jwsFile)
        for ext in ["png", "svg"] {
            let out = dir.appendingPathComponent("out.\(ext)").path
            let bake = try await run([
                "bake", "--image", dir.appendingPathComponent("demo/badge.\(ext)").path, "--assertion", jwsFile.path,
                "--output", out,
            ])
            #expect(bake.status == 0, "\(bake.stderr)")
            let unbake = try await run(["unbake", out])
            #expect(
                unbake.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // An assertion JSON that declares SignedBadge is baked as its JWS, never as bare JSON.
        let refused = try await run([
            "bake", "--image", dir.appendingPathComponent("demo/badge.png").path, "--assertion",
            dir.appendingPathComponent("demo/assertion.json").path, "--output",
            dir.appendingPathComponent("x.png").path,
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("signez-la"))
    }
}
