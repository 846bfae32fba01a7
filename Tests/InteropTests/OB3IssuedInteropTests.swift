import Foundation
import LinkedData
import OpenBadges
import TestSupport
import Testing

/// ISSUE13 point 5: Insigne's OB 3.0 credentials, awarded and revoked through the Admin API of a live server on
/// 127.0.0.1, proved by others' software (`Tests/Interop/ob3_issued.py` in `.venv-ob3`): openbadgeslib 4.6.3 verifies
/// the VC-JWT and the `eddsa-rdfc-2022` credential with the issuer's PUBLISHED keys and reads the Bitstring status
/// list; PyLD 3.3.0's canonical bytes are the bytes Insigne signed. The official OB 3.0 JSON Schema judges what is
/// emitted, and Insigne's own verifier gives the same verdicts.
@Suite(.serialized, .enabled(if: OB3Reference.isInstalled, "needs .venv-ob3 (run `make ob3-deps`)"))
struct OB3IssuedInteropTests {
    static var script: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Interop/ob3_issued.py") }

    /// One run of the script; its stdout is one JSON object.
    static func run(_ args: [String]) async throws -> JSONValue {
        let run = try await OfficialTools.runProcess(OB3Reference.python, [script.path] + args)
        guard run.status == 0 else {
            throw OB3Reference.Failure(message: "ob3_issued.py \(args.first ?? ""): \(run.stderr.suffix(2000))")
        }
        return try JSONValue(parsing: Array(run.stdout.utf8))
    }

    /// `{url: file}` of the contexts bundled in `Sources/LinkedData/Contexts`, for PyLD's loader.
    static func contextMap(in dir: URL) throws -> String {
        let contexts = TestPaths.packageRoot.appendingPathComponent("Sources/LinkedData/Contexts")
        let map = JSONValue.object(
            BundledContexts.files.mapValues { JSONValue.string(contexts.appendingPathComponent($0).path) })
        let file = dir.appendingPathComponent("contexts.json")
        try Data(map.encoded()).write(to: file)
        return file.path
    }

    /// The schema violations of a document, readable.
    static func violations(_ doc: JSONValue?, _ schema: OB3Schema) -> [String] {
        guard let doc else { return ["missing"] }
        return OB3Schema.violations(of: doc, schema: schema).map { "\($0.instancePath) \($0.keyword): \($0.message)" }
    }

    /// Insigne's verdict on the JSON form (as downloaded before any revocation: once revoked, its id answers 410
    /// with the reason), the VC-JWT and the baked PNG, downloaded from the server.
    static func insigneOutcomes(_ server: ServiceInteropTests.LiveServer, links: JSONValue, json: [UInt8])
        async throws -> [String]
    {
        var outcomes: [String] = []
        for form in ["json", "jwt", "png"] {
            let url = try #require(links[form]?.stringValue)
            let fetched = form == "json" ? json : try await OfficialTools.httpGet(url)
            let bytes = try #require(fetched, "\(url)")
            let input: VerificationInput = form == "jwt" ? .text(String(decoding: bytes, as: UTF8.self)) : .data(bytes)
            let report = await server.services.verifier.verify(input, options: VerificationOptions(now: Date()))
            #expect(report.assertion?.specVersion == "3.0", "\(form)")
            outcomes.append(report.verdict == .indeterminate ? "indeterminate" : report.outcome.rawValue)
        }
        return outcomes
    }

    @Test func othersVerifyInsignesCredentialThenSeeTheRevocation() async throws {
        let server = try await ServiceInteropTests.LiveServer.start()
        defer { server.stop() }
        let dir = try OfficialTools.temporaryDirectory()
        let contexts = try Self.contextMap(in: dir)
        let award = try await Self.run([
            "award", "--base", server.base, "--token", "test-token", "--badge", "bientraitance", "--email",
            "Marie.Dupont@example.org",
        ])
        let id = try #require(award["id"]?.stringValue, "\(award)")
        let links = try #require(award["ob3"], "no ob3 links: \(award)")
        // The JSON form as a holder keeps it (its URL answers 410 with the reason once the award is revoked).
        let jsonURL = try #require(links["json"]?.stringValue)
        let json = try #require(try await OfficialTools.httpGet(jsonURL), "\(jsonURL)")
        let jsonFile = dir.appendingPathComponent("credential.json")
        try Data(json).write(to: jsonFile)
        let checkArgs = [
            "check", "--json", jsonFile.path, "--jwt",
            try #require(links["jwt"]?.stringValue), "--contexts", contexts,
        ]

        let before = try await Self.run(checkArgs)
        for part in ["jwt", "di", "status", "pyld"] {
            #expect(before[part]?.stringValue == "valid", "\(part): \(before[part] ?? .null)")
        }
        // The official OB 3.0 schema (strict binding) on every emitted credential: the JSON form and the JWT payload.
        #expect(Self.violations(before["credential"], .achievementCredential).isEmpty)
        #expect(Self.violations(before["jwt_payload"], .achievementCredential).isEmpty)
        // OB 3.0 has no schema for a BitstringStatusListCredential (nor does W3C publish one): what applies is the
        // Bitstring Status List data model, checked here, and the OB 3.0 `Profile` schema for the issuer it names.
        let list = try #require(before["status_list"], "no status list")
        #expect(list["type"]?.arrayValue?.contains("BitstringStatusListCredential") == true)
        #expect(list["credentialSubject"]?["type"]?.stringValue == "BitstringStatusList")
        #expect(list["credentialSubject"]?["statusPurpose"]?.stringValue == "revocation")
        #expect(list["credentialSubject"]?["encodedList"]?.stringValue?.hasPrefix("u") == true)
        let issuerID = try #require(list["issuer"]?.stringValue ?? list["issuer"]?["id"]?.stringValue)
        let profile = try JSONValue(parsing: try #require(try await OfficialTools.httpGet(issuerID)))
        #expect(Self.violations(profile, .profile).isEmpty)
        #expect(try await Self.insigneOutcomes(server, links: links, json: json) == ["valid", "valid", "valid"])

        _ = try await Self.run([
            "revoke", "--base", server.base, "--token", "test-token", "--id", id, "--reason", "Attribué par erreur",
        ])
        let after = try await Self.run(checkArgs)
        // The signatures still hold; the status list now says revoked.
        for part in ["jwt", "di", "pyld"] {
            #expect(after[part]?.stringValue == "valid", "\(part): \(after[part] ?? .null)")
        }
        let status = after["status"]?.stringValue ?? ""
        #expect(status.hasPrefix("refused") && status.contains("'revocation' is set"), "\(status)")
        #expect(try await Self.insigneOutcomes(server, links: links, json: json) == ["revoked", "revoked", "revoked"])
    }
}
