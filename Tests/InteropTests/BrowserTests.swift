import Foundation
import TestSupport
import Testing

/// A real browser against a real server: `Tests/Browser/browser_test.py` drives headless Chromium (Selenium,
/// in `.venv-browser`) through sign-in, awarding, downloading the baked PNG and verifying it on `/verify`.
/// The screenshots of every step are kept in `artifacts/browser/` under the package root (git-ignored).
/// The server start and the script run shared with the other browser tests are in `BrowserHarness.swift`.
@Suite(.serialized)
struct BrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static var python: URL { TestPaths.packageRoot.appendingPathComponent(".venv-browser/bin/python") }
    static var artifacts: URL { TestPaths.packageRoot.appendingPathComponent("artifacts/browser", isDirectory: true) }

    static var browserInstalled: Bool {
        let fm = FileManager.default
        return fm.isExecutableFile(atPath: chromium) && fm.isExecutableFile(atPath: chromedriver)
            && fm.isExecutableFile(atPath: python.path)
    }

    @Test(.browserInstalled, .timeLimit(.minutes(5)))
    func trainerAwardsAndEmployerVerifiesInARealBrowser() async throws {
        // Its screenshots have no prefix; the downloaded badge is checked as a PNG too.
        try await Self.runBrowserScript(
            "browser_test.py", name: "browser test", screenshotPrefix: "", minScreenshots: 10,
            files: ["badge-bientraitance.png"])
    }
}
