import Foundation
import TestSupport
import Testing

/// The backpack in a real browser: `Tests/Browser/backpack_browser_test.py` drives headless Chromium through an
/// invitation and two awards, the learner's "Mes badges" page, the ZIP download, the LinkedIn link, a badge file
/// import and the public page. The server is started as in `BrowserTests`. Screenshots go to
/// `artifacts/browser/backpack-*.png`. An extension of `BrowserTests`, so the browser runs never overlap.
extension BrowserTests {
    @Test(.browserInstalled, .timeLimit(.minutes(5)))
    func learnerUsesTheBackpackInARealBrowser() async throws {
        try await Self.runBrowserScript(
            "backpack_browser_test.py", name: "backpack browser test", screenshotPrefix: "backpack-", minScreenshots: 6)
    }
}
