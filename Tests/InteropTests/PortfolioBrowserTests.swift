import Foundation
import InsigneStore
import TestSupport
import Testing

/// The portfolio in a real browser: `Tests/Browser/portfolio_browser_test.py` drives headless Chromium through an
/// invitation, an upload tagged to a framework item, review, award, and the learner seeing the badge. The server is
/// started as in `BrowserTests`; a small DEES-like framework is imported into its database first. Screenshots go to
/// `artifacts/browser/portfolio-*.png`. An extension of `BrowserTests`, so the two browser runs never overlap.
extension BrowserTests {
    @Test(.browserInstalled, .timeLimit(.minutes(5)))
    func learnerAndTrainerGoThroughThePortfolioInARealBrowser() async throws {
        try await Self.runBrowserScript(
            "portfolio_browser_test.py", name: "portfolio browser test", screenshotPrefix: "portfolio-",
            minScreenshots: 10
        ) { dataDir in
            // The framework the learner tags against, written into the running server's database (WAL: shared safely).
            let db = try AppDatabase.open(path: dataDir.appendingPathComponent("insigne.sqlite").path)
            _ = try db.importFramework(TestFrameworks.deesExtract, actor: "test")
        }
    }
}
