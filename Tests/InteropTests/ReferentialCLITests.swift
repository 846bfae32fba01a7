import Foundation
import TestSupport
import Testing

/// `insigne referential import / export / list` against a temporary data directory.
struct ReferentialCLITests {
    func run(_ args: [String]) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, args)
    }

    @Test func importExportListRoundTrip() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let data = dir.appendingPathComponent("data").path
        let source = TestPaths.shared.appendingPathComponent("Referentials/dees-2007.csv")
        let imported = try await run(["referential", "import", source.path, "--data-dir", data])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Importé"))
        #expect(imported.stdout.contains("102 ajoutée(s)"))
        #expect(imported.stdout.contains("102 added"))
        let again = try await run(["referential", "import", source.path, "--data-dir", data])
        #expect(again.stdout.contains("102 unchanged"))

        let csv = dir.appendingPathComponent("out.csv")
        let exported = try await run(["referential", "export", "DEES-2007", "--output", csv.path, "--data-dir", data])
        #expect(exported.status == 0, "\(exported.stderr)")
        // The Moodle CSV written back is the shipped file, byte for byte.
        #expect(try Data(contentsOf: csv) == (try Data(contentsOf: source)))
        let json = try await run(["referential", "export", "dees-2007", "--format", "json", "--data-dir", data])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"idNumber\" : \"DEES-2007\""))
        // The JSON form imports too (sniffed), and changes nothing.
        let jsonFile = dir.appendingPathComponent("dees.json")
        try Data(json.stdout.utf8).write(to: jsonFile)
        let fromJSON = try await run(["referential", "import", jsonFile.path, "--data-dir", data])
        #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
        #expect(fromJSON.stdout.contains("102 unchanged"))

        let list = try await run(["referential", "list", "--data-dir", data])
        #expect(list.stdout.hasPrefix("dees-2007\tDEES-2007\t102\t"))

        let bad = dir.appendingPathComponent("bad.csv")
        var text = try String(contentsOf: source, encoding: .utf8)
        text = text.replacingOccurrences(of: ",DC1.1,Instaurer une relation,", with: ",DC1.1,Instaurer une relation")
        try Data(text.utf8).write(to: bad)
        let refused = try await run(["referential", "import", bad.path, "--data-dir", data])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Ligne 4 : 13 colonnes au lieu de 14"))
        #expect(refused.stderr.contains("Line 4: 13 columns instead of 14"))

        let missing = try await run([
            "referential", "import", dir.appendingPathComponent("nope.csv").path, "--data-dir", data,
        ])
        #expect(missing.status == 2)
        let unknown = try await run(["referential", "export", "nope", "--data-dir", data])
        #expect(unknown.status == 1)
    }
}
