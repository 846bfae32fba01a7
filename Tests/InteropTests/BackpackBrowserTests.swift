import Foundation
import Testing
import TestSupport

/// The backpack in a real browser: `Tests/Browser/backpack_browser_test.py` drives headless Chromium through an
/// invitation and two awards, the learner's "Mes badges" page, the ZIP download, the LinkedIn link, a badge file
/// import and the public page. The server is started as in `BrowserTests`. Screenshots go to
/// `artifacts/browser/backpack-*.png`. An extension of `BrowserTests`, so the browser runs never overlap.
extension BrowserTests {
    static var backpackScript: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Browser/backpack_browser_test.py") }

    @Test(
        .enabled(
            if: BrowserTests.browserInstalled,
            "needs /usr/bin/chromium, /usr/bin/chromedriver and .venv-browser (run `make deps`)"),
        .timeLimit(.minutes(5)))
    func learnerUsesTheBackpackInARealBrowser() async throws {
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

        let fm = FileManager.default
        try fm.createDirectory(at: BrowserTests.artifacts, withIntermediateDirectories: true)
        for name in (try? fm.contentsOfDirectory(atPath: BrowserTests.artifacts.path)) ?? [] where name.hasPrefix("backpack-") {
            try? fm.removeItem(at: BrowserTests.artifacts.appendingPathComponent(name))
        }

        let result = try await OfficialTools.runProcess(
            BrowserTests.python, [Self.backpackScript.path, "--base", base, "--password", pw, "--out", BrowserTests.artifacts.path],
            cwd: TestPaths.packageRoot,
            environment: ["NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"])
        let report = "exit \(result.status)\nstdout: \(result.stdout.suffix(3000))\nstderr: \(result.stderr.suffix(3000))"
        #expect(result.status == 0, "backpack browser test failed (screenshots in \(BrowserTests.artifacts.path)):\n\(report)")

        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let summary = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        #expect(summary?["ok"] as? Bool == true, "summary line: \(last)")
        let screenshots = summary?["screenshots"] as? [String] ?? []
        #expect(screenshots.count >= 6, "expected a screenshot per step, got \(screenshots)")
        for name in screenshots {
            let bytes = (try? Data(contentsOf: BrowserTests.artifacts.appendingPathComponent(name))).map { [UInt8]($0) } ?? []
            #expect(bytes.count > 1000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a real PNG")
        }
    }
}
