import Foundation
import Testing

@testable import InsigneServer

/// Rendering of an e-mail: headers, multipart/alternative, quoted-printable UTF-8, RFC 2047 subject, no header
/// injection.
@Suite("Mail message")
struct MailMessageTests {
    static let message = MailMessage(
        to: "lea@example.org", subject: "Votre badge « Hygiène » / Your badge",
        body: "Bonjour Léa,\n\nVoici le lien :\nhttps://insigne.example.fr/b/" + String(repeating: "a", count: 64)
            + "\n\n---\n\nHello Léa, <b>&</b>\n.ligne avec point")

    /// Decodes quoted-printable (soft breaks and =XX).
    static func decodeQP(_ text: String) -> String {
        var bytes: [UInt8] = []
        let joined = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var i = 0
        while i < joined.count {
            if joined[i] == UInt8(ascii: "="), i + 2 < joined.count,
                let b = UInt8(String(decoding: joined[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(b)
                i += 3
            } else {
                bytes.append(joined[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("headers, two parts, lines of at most 78 characters, 7-bit on the wire")
    func render() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let text = try Self.message.render(
            from: "ne-pas-repondre@example.fr", messageID: "abc123@example.fr", date: date)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for header in [
            "From: Insigne <ne-pas-repondre@example.fr>", "To: <lea@example.org>", "Message-ID: <abc123@example.fr>",
            "MIME-Version: 1.0", "Auto-Submitted: auto-generated", "Date: Fri, 15 Jan 2027 08:00:00 +0000",
        ] {
            #expect(lines.contains(header), "\(header)")
        }
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary="))
        let plain = try #require(text.range(of: "Content-Type: text/plain; charset=utf-8"))
        let html = try #require(text.range(of: "Content-Type: text/html; charset=utf-8"))
        #expect(plain.lowerBound < html.lowerBound)
        let decoded = Self.decodeQP(text)
        #expect(decoded.contains("Bonjour Léa,"))
        #expect(decoded.contains("https://insigne.example.fr/b/" + String(repeating: "a", count: 64)))
        #expect(decoded.contains("<a href=\"https://insigne.example.fr/b/"))
        #expect(decoded.contains("Hello Léa, &lt;b&gt;&amp;&lt;/b&gt;"))
        #expect(decoded.range(of: "Bonjour")!.lowerBound < decoded.range(of: "Hello")!.lowerBound)
    }

    @Test("the subject decodes back from its RFC 2047 words")
    func subject() throws {
        let words = MailMessage.encodedWord(String(repeating: "Hygiène et sécurité ", count: 4))
        var decoded = ""
        for word in words.components(separatedBy: "\r\n ") {
            #expect(word.count <= 75)
            let b64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            decoded += String(decoding: try #require(Data(base64Encoded: String(b64))), as: UTF8.self)
        }
        #expect(decoded == String(repeating: "Hygiène et sécurité ", count: 4))
        #expect(MailMessage.encodedWord("Plain ASCII") == "Plain ASCII")
    }

    @Test("a line break in a header value is refused (no header injection)")
    func injection() {
        for m in [
            MailMessage(to: "lea@example.org", subject: "x\r\nBcc: victim@example.org", body: "b"),
            MailMessage(to: "lea@example.org\nBcc: v@example.org", subject: "x", body: "b"),
            MailMessage(to: "not an address", subject: "x", body: "b"),
        ] {
            #expect(throws: ServiceError.self) {
                try m.render(from: "a@example.fr", messageID: "1@example.fr", date: Date())
            }
        }
        #expect(throws: ServiceError.self) {
            try Self.message.render(from: "a@example.fr\r\nBcc: x@y.fr", messageID: "1@example.fr", date: Date())
        }
    }
}
