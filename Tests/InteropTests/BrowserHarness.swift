import Foundation
import TestSupport
import Testing

/// What the real-browser tests share: a live `insigne serve` on a fresh data directory, one run of a
/// `Tests/Browser/*.py` script against it (support code in `Tests/Browser/browser_support.py`), and the checks of its
/// exit status, JSON summary line and screenshots in `artifacts/browser/`.
extension BrowserTests {
    /// The screenshot-name prefixes of the scripts other than `browser_test.py`, whose own screenshots have none.
    static let screenshotPrefixes = ["portfolio-", "backpack-", "compliance-", "organisation-"]

    /// What a running process writes, read on its own thread (never on Swift's cooperative pool).
    final class OutputCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var finished = false

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    lock.lock()
                    if chunk.isEmpty { finished = true } else { data.append(chunk) }
                    lock.unlock()
                    if chunk.isEmpty { return }
                }
            }
            thread.start()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }

        var isFinished: Bool {
            lock.lock()
            defer { lock.unlock() }
            return finished
        }
    }

    /// The admin password from the first-start block (written to `first-start-credentials.txt` in the data
    /// directory, never to the log), or nil while it has not appeared.
    static func password(in output: String) -> String? {
        for line in output.split(separator: "\n") where line.contains("mot de passe / password") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if let word = line[line.index(after: colon)...].split(separator: " ").first, !word.isEmpty {
                return String(word)
            }
        }
        return nil
    }

    /// Whether a file in `artifacts/browser/` belongs to the script whose screenshots start with `prefix` (an empty
    /// prefix: `browser_test.py`, which owns everything the other scripts do not).
    static func owns(_ name: String, prefix: String) -> Bool {
        prefix.isEmpty ? !screenshotPrefixes.contains(where: name.hasPrefix) : name.hasPrefix(prefix)
    }

    /// Starts `insigne serve` on a free port and a fresh data directory, waits for the admin password and `/health`,
    /// hands the data directory to `seed` (the server is running), removes the previous run's files of this script
    /// from `artifacts/browser/` (never another script's), runs `Tests/Browser/<script>` with `--base`, `--password`
    /// and `--out`, and checks that it exits 0, that its last stdout line is a JSON summary with `"ok": true` and at
    /// least `minScreenshots` screenshots, and that every screenshot and every file in `files` is a real PNG.
    /// `name` names the script in failure messages; `serverEnvironment` is added to the server's environment and
    /// `scriptArguments` to the script's command line. Returns the summary.
    @discardableResult
    static func runBrowserScript(
        _ script: String, name: String, screenshotPrefix: String, minScreenshots: Int, files: [String] = [],
        serverEnvironment: [String: String] = [:], scriptArguments: [String] = [],
        seed: (_ dataDir: URL) throws -> Void = { _ in }, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any]? {
        let bin = try #require(CLITests.binary, "build the insigne executable first", sourceLocation: sourceLocation)
        let dataDir = try OfficialTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let port = try OfficialTools.freePort()
        let base = "http://127.0.0.1:\(port)"

        let server = Process()
        server.executableURL = bin
        server.arguments = ["serve", "--data-dir", dataDir.path, "--port", String(port), "--public-url", base]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INSIGNE_ADMIN_TOKEN")
        env.merge(serverEnvironment) { _, new in new }
        server.environment = env
        let out = Pipe()
        let err = Pipe()
        server.standardOutput = out
        server.standardError = err
        try server.run()
        // Whatever happens below, the server does not outlive the test.
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        let stdout = OutputCollector(out.fileHandleForReading)
        let stderr = OutputCollector(err.fileHandleForReading)

        // The password is written once, at first start, before the server listens, to an owner-only file (stdout
        // is not a terminal here, so it is not printed).
        let credentials = dataDir.appendingPathComponent("first-start-credentials.txt")
        var password: String?
        for _ in 0..<600 {
            password = Self.password(in: (try? String(contentsOf: credentials, encoding: .utf8)) ?? "")
            if password != nil || stdout.isFinished { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let pw = try #require(
            password,
            "no password in \(credentials.path) from `insigne serve`; stdout: \(stdout.text.suffix(2000)) stderr: \(stderr.text.suffix(2000))",
            sourceLocation: sourceLocation)
        var up = false
        for _ in 0..<400 {
            if try await OfficialTools.httpGet("\(base)/health") != nil {
                up = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(
            up, "server did not answer /health; stderr: \(stderr.text.suffix(2000))", sourceLocation: sourceLocation)

        try seed(dataDir)

        let fm = FileManager.default
        try fm.createDirectory(at: artifacts, withIntermediateDirectories: true)
        for file in (try? fm.contentsOfDirectory(atPath: artifacts.path)) ?? []
        where owns(file, prefix: screenshotPrefix) {
            try? fm.removeItem(at: artifacts.appendingPathComponent(file))
        }

        let scriptURL = TestPaths.packageRoot.appendingPathComponent("Tests/Browser/\(script)")
        let result = try await OfficialTools.runProcess(
            python, [scriptURL.path, "--base", base, "--password", pw, "--out", artifacts.path] + scriptArguments,
            cwd: TestPaths.packageRoot,
            environment: [
                "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1",
            ])
        let report =
            "exit \(result.status)\nstdout: \(result.stdout.suffix(3000))\nstderr: \(result.stderr.suffix(3000))"
        #expect(
            result.status == 0, "\(name) failed (screenshots in \(artifacts.path)):\n\(report)",
            sourceLocation: sourceLocation)

        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let summary = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        #expect(summary?["ok"] as? Bool == true, "summary line: \(last)", sourceLocation: sourceLocation)
        let screenshots = summary?["screenshots"] as? [String] ?? []
        #expect(
            screenshots.count >= minScreenshots, "expected a screenshot per step, got \(screenshots)",
            sourceLocation: sourceLocation)
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for file in screenshots + files {
            let bytes = (try? Data(contentsOf: artifacts.appendingPathComponent(file))).map { [UInt8]($0) } ?? []
            #expect(
                bytes.count > 1000, "\(file) is missing or nearly empty (\(bytes.count) bytes)",
                sourceLocation: sourceLocation)
            #expect(
                bytes.prefix(8).elementsEqual(pngSignature), "\(file) is not a PNG file", sourceLocation: sourceLocation
            )
        }
        return summary
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a browser test only where Chromium, chromedriver and `.venv-browser` are installed.
    static var browserInstalled: Self {
        .enabled(
            if: BrowserTests.browserInstalled,
            "needs /usr/bin/chromium, /usr/bin/chromedriver and .venv-browser (run `make deps`)")
    }
}
