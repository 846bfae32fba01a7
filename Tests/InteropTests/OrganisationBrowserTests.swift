import Foundation
import TestSupport
import Testing

/// Issue 11, point 7: the organisation scenario in a real browser, with real e-mail. A live `insigne serve` sends
/// through `INSIGNE_SMTP_URL` to a real SMTP server process (aiosmtpd, `Tests/Interop/smtp_server.py`, which writes
/// every message it accepts to a directory); `Tests/Browser/organisation_browser_test.py` drives headless Chromium
/// and follows the links of the messages it reads from that directory: the administrator invites a trainer, the
/// trainer chooses a password, meets the role rules, edits and awards the badge, the recipient opens the badge and
/// claims it into a new backpack, the trainer resets a forgotten password. Screenshots go to
/// `artifacts/browser/organisation-*.png`. An extension of `BrowserTests`, so the browser runs never overlap.
extension BrowserTests {
    @Test(
        .browserInstalled, .enabled(if: SMTPTestVenv.available, "needs .venv-smtp (run `make smtp-deps`)"),
        .timeLimit(.minutes(5)))
    func organisationInvitesAwardsAndResetsThroughRealMail() async throws {
        let maildir = try OfficialTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: maildir) }
        let port = try OfficialTools.freePort()
        let smtp = try SMTPInteropTests.SMTPServer(port: port, maildir: maildir)
        defer { smtp.stop() }
        try await smtp.waitUntilUp()
        try await Self.runBrowserScript(
            "organisation_browser_test.py", name: "organisation browser test", screenshotPrefix: "organisation-",
            minScreenshots: 12,
            serverEnvironment: [
                "INSIGNE_SMTP_URL": "smtp://127.0.0.1:\(port)", "INSIGNE_MAIL_FROM": "badges@mutuelle.example.org",
            ],
            scriptArguments: ["--mail", maildir.path])
    }
}
