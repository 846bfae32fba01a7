import Foundation
import Testing
import TestSupport

/// A real browser against a real server: `Tests/Browser/browser_test.py` drives headless Chromium (Selenium,
/// in `.venv-browser`) through sign-in, awarding, downloading the baked PNG and verifying it on `/verify`.
/// The screenshots of every step are kept in `artifacts/browser/` under the package root (git-ignored).
@Suite(.serialized)
struct BrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static var python: URL { TestPaths.packageRoot.appendingPathComponent(".venv-browser/bin/python") }
    static var script: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Browser/browser_test.py") }
    static var artifacts: URL { TestPaths.packageRoot.appendingPathComponent("artifacts/browser", isDirectory: true) }

    static var browserInstalled: Bool {
        let fm = FileManager.default
        return fm.isExecutableFile(atPath: chromium) && fm.isExecutableFile(atPath: chromedriver)
            && fm.isExecutableFile(atPath: python.path)
    }

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

    /// The admin password from the one-time block printed at first start, or nil while it has not appeared.
    static func password(in output: String) -> String? {
        for line in output.split(separator: "\n") where line.contains("mot de passe / password") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if let word = line[line.index(after: colon)...].split(separator: " ").first, !word.isEmpty { return String(word) }
        }
        return nil
    }

    @Test(
        .enabled(
            if: BrowserTests.browserInstalled,
            "needs /usr/bin/chromium, /usr/bin/chromedriver and .venv-browser (run `make deps`)"),
        .timeLimit(.minutes(5)))
    func trainerAwardsAndEmployerVerifiesInARealBrowser() async throws {
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
        // Whatever happens below, the server does not outlive the test.
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        let stdout = OutputCollector(out.fileHandleForReading)
        let stderr = OutputCollector(err.fileHandleForReading)

        // The password is printed once, at first start, before the server listens.
        var password: String?
        for _ in 0..<600 {
            password = Self.password(in: stdout.text)
            if password != nil || stdout.isFinished { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let pw = try #require(
            password, "no password line from `insigne serve`; stdout: \(stdout.text.suffix(2000)) stderr: \(stderr.text.suffix(2000))")
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
        for name in (try? fm.contentsOfDirectory(atPath: Self.artifacts.path)) ?? [] where !name.hasPrefix("portfolio-") && !name.hasPrefix("backpack-") {
            try? fm.removeItem(at: Self.artifacts.appendingPathComponent(name))
        }
        try fm.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)

        let result = try await OfficialTools.runProcess(
            Self.python, [Self.script.path, "--base", base, "--password", pw, "--out", Self.artifacts.path],
            cwd: TestPaths.packageRoot,
            environment: ["NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"])
        let report = "exit \(result.status)\nstdout: \(result.stdout.suffix(3000))\nstderr: \(result.stderr.suffix(3000))"
        #expect(result.status == 0, "browser test failed (screenshots in \(Self.artifacts.path)):\n\(report)")

        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let summary = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        #expect(summary?["ok"] as? Bool == true, "summary line: \(last)")
        let screenshots = summary?["screenshots"] as? [String] ?? []
        #expect(screenshots.count >= 10, "expected a screenshot per step, got \(screenshots)")
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for name in screenshots + ["badge-bientraitance.png"] {
            let url = Self.artifacts.appendingPathComponent(name)
            let bytes = (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? []
            #expect(bytes.count > 1000, "\(name) is missing or nearly empty (\(bytes.count) bytes)")
            #expect(bytes.prefix(8).elementsEqual(pngSignature), "\(name) is not a PNG file")
        }
    }
}
