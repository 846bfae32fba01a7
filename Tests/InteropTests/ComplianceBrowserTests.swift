import Foundation
import TestSupport
import Testing

/// The compliance view in a real browser (issue 14 point 6): `Tests/Browser/compliance_browser_test.py` drives
/// headless Chromium on the demo data of a fresh `insigne serve` (so the demo roster seeded at start by the CLI's
/// path is checked too): the compliance page of Foyers La Maison for Bientraitance with its four states, the
/// « expiré » filter, the CSV download, and a CSV import on the roster page. Screenshots go to
/// `artifacts/browser/compliance-*.png`, the downloaded export to `compliance-export.csv`. An extension of
/// `BrowserTests`, so the browser runs never overlap.
extension BrowserTests {
    @Test(.browserInstalled, .timeLimit(.minutes(5)))
    func trainerReadsComplianceAndImportsTheRosterInARealBrowser() async throws {
        try await Self.runBrowserScript(
            "compliance_browser_test.py", name: "compliance browser test", screenshotPrefix: "compliance-",
            minScreenshots: 6)
    }
}
