import Foundation
import Testing

@testable import OpenBadgesHTTP

/// The SMTP configuration URL and the data block, without a server (the live tests are in InteropTests).
@Suite("SMTP client")
struct SMTPClientTests {
    @Test("the three URL forms, default ports, options; the password never in the description")
    func urls() throws {
        let plain = try SMTPConfiguration(url: "smtp://relay.example.fr")
        #expect(plain.security == .plain && plain.port == 25 && plain.username == nil)
        let submission = try SMTPConfiguration(
            url: "smtp://insigne%40ifsi.fr:s%C3%A9cret@mail.ifsi.fr:587?starttls=required")
        #expect(submission.security == .startTLS && submission.port == 587)
        #expect(submission.username == "insigne@ifsi.fr" && submission.password == "sécret")
        #expect(!submission.description.contains("cret"))
        #expect(submission.description == "smtp://insigne@ifsi.fr:***@mail.ifsi.fr:587?starttls=required")
        let implicit = try SMTPConfiguration(url: "smtps://mail.example.fr?timeout=5&cafile=/etc/ca.pem")
        #expect(implicit.security == .implicitTLS && implicit.port == 465 && implicit.timeout == 5)
        #expect(implicit.trustedCertificatesFile == "/etc/ca.pem")
    }

    @Test("bad URLs are refused with a message that does not show the password")
    func badURLs() {
        for url in [
            "http://mail.example.fr", "smtp://", "smtps://h?starttls=required", "smtp://h?starttls=maybe",
            "smtp://h?timeout=0", "smtp://h?unknown=1", "smtp://user@h", "smtp://h:0",
        ] {
            #expect(throws: SMTPError.self, "\(url)") { try SMTPConfiguration(url: url) }
        }
        do {
            _ = try SMTPConfiguration(url: "smtp://u:topsecret@h?starttls=perhaps")
        } catch {
            #expect(!error.description.contains("topsecret"))
        }
    }

    @Test("data block: CRLF line ends, dot-stuffing, terminated by CRLF.CRLF")
    func dataBlock() {
        let block = SMTPClient.dataBlock("Subject: x\n\n.\n..deux\nfin\r\n")
        #expect(block == "Subject: x\r\n\r\n..\r\n...deux\r\nfin\r\n.\r\n")
        #expect(SMTPClient.dataBlock("a\rb") == "a\r\nb\r\n.\r\n")
    }

    @Test("addresses that could inject commands are refused")
    func addresses() throws {
        try SMTPClient.checkAddress("lea@example.org")
        for bad in ["lea@example.org>\r\nRCPT TO:<x@y", "a b@c", "nobody", "<a@b>", "a@b@c"] {
            #expect(throws: SMTPError.self) { try SMTPClient.checkAddress(bad) }
        }
    }

    @Test("nothing listening: a connection error, worth retrying")
    func refused() async throws {
        let client = SMTPClient(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:9?timeout=3"))
        do {
            try await client.send(SMTPEnvelope(from: "a@b.fr", recipients: ["c@d.fr"], message: "x"))
            Issue.record("sent to a closed port")
        } catch let error as SMTPError {
            #expect(!error.isPermanent)
            #expect(error.kind == .connection || error.kind == .timeout)
        }
    }
}
