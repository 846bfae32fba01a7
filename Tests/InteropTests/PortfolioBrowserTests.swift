import CompetencyFrameworks
import Foundation
import InsigneStore
import Testing
import TestSupport

/// The portfolio in a real browser: `Tests/Browser/portfolio_browser_test.py` drives headless Chromium through an
/// invitation, an upload tagged to a framework item, review, award, and the learner seeing the badge. The server is
/// started as in `BrowserTests`; a small DEES-like framework is imported into its database first. Screenshots go to
/// `artifacts/browser/portfolio-*.png`. An extension of `BrowserTests`, so the two browser runs never overlap.
extension BrowserTests {
    static var portfolioScript: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Browser/portfolio_browser_test.py") }

    @Test(
        .enabled(
            if: BrowserTests.browserInstalled,
            "needs /usr/bin/chromium, /usr/bin/chromedriver and .venv-browser (run `make deps`)"),
        .timeLimit(.minutes(5)))
    func learnerAndTrainerGoThroughThePortfolioInARealBrowser() async throws {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        let dataDir = try OfficialTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let port = try OfficialTools.freePort()
        let base = "http://127.0.0.1:\(port)"

        let server = Process()
        server.executableURL = bin
        server.arguments = ["serve", "--data-dir", dataDir.path, "--port", String(port), "--public-url", base]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INSIGNE_ADMIN_TOKEN")
        server.environment = env
        let out = Pipe()
        let err = Pipe()
        server.standardOutput = out
        server.standardError = err
        try server.run()
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        let stdout = BrowserTests.OutputCollector(out.fileHandleForReading)
        let stderr = BrowserTests.OutputCollector(err.fileHandleForReading)

        var password: String?
        for _ in 0..<600 {
            password = BrowserTests.password(in: stdout.text)
            if password != nil || stdout.isFinished { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let pw = try #require(password, "no password line; stderr: \(stderr.text.suffix(2000))")
        var up = false
        for _ in 0..<400 {
            if try await OfficialTools.httpGet("\(base)/health") != nil {
                up = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(up, "server did not answer /health; stderr: \(stderr.text.suffix(2000))")

        // The framework the learner tags against, written into the running server's database (WAL: shared safely).
        let db = try AppDatabase.open(path: dataDir.appendingPathComponent("insigne.sqlite").path)
        _ = try db.importFramework(
            CompetencyFramework(
                idNumber: "DEES-TEST", shortName: "DEES (extrait de test)", scaleValues: ["Non acquis", "Acquis"],
                scaleConfiguration: "", competencies: [
                    Competency(idNumber: "DC1", shortName: "Accompagnement social et éducatif spécialisé"),
                    Competency(idNumber: "DC1.1", parentIDNumber: "DC1", shortName: "Relation éducative"),
                    Competency(idNumber: "DC1.2", parentIDNumber: "DC1", shortName: "Projet personnalisé"),
                    Competency(idNumber: "DC2", shortName: "Conception et conduite d'un projet éducatif"),
                    Competency(idNumber: "DC2.1", parentIDNumber: "DC2", shortName: "Diagnostic éducatif"),
                ]), actor: "test")

        let fm = FileManager.default
        try fm.createDirectory(at: BrowserTests.artifacts, withIntermediateDirectories: true)
        for name in (try? fm.contentsOfDirectory(atPath: BrowserTests.artifacts.path)) ?? [] where name.hasPrefix("portfolio-") {
            try? fm.removeItem(at: BrowserTests.artifacts.appendingPathComponent(name))
        }

        let result = try await OfficialTools.runProcess(
            BrowserTests.python, [Self.portfolioScript.path, "--base", base, "--password", pw, "--out", BrowserTests.artifacts.path],
            cwd: TestPaths.packageRoot,
            environment: ["NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"])
        let report = "exit \(result.status)\nstdout: \(result.stdout.suffix(3000))\nstderr: \(result.stderr.suffix(3000))"
        #expect(result.status == 0, "portfolio browser test failed (screenshots in \(BrowserTests.artifacts.path)):\n\(report)")

        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let summary = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        #expect(summary?["ok"] as? Bool == true, "summary line: \(last)")
        let screenshots = summary?["screenshots"] as? [String] ?? []
        #expect(screenshots.count >= 10, "expected a screenshot per step, got \(screenshots)")
        for name in screenshots {
            let bytes = (try? Data(contentsOf: BrowserTests.artifacts.appendingPathComponent(name))).map { [UInt8]($0) } ?? []
            #expect(bytes.count > 1000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a real PNG")
        }
    }
}
