import Foundation
import OpenBadges
import OpenBadgesCrypto

/// One e-mail as features write it: plain text, French first then English below (the renderer adds the HTML
/// part). Header values never contain CR or LF: `render` refuses them rather than let a header be injected.
struct MailMessage: Sendable, Equatable {
    var to: String
    var subject: String
    /// The plain-text body (paragraphs separated by blank lines; links on lines of their own become HTML links).
    var body: String

    /// Every subject the service writes: « [Insigne] » then the French, then the English.
    static func subject(_ fr: String, _ en: String) -> String { "[Insigne] \(fr) / \(en)" }

    /// Fails for a header value with a line break or another control character (header injection).
    static func checkHeaderValue(_ value: String, field: String) throws {
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ServiceError(
                .invalid, field: field,
                fr: "Le champ « \(field) » du message contient un saut de ligne ou un caractère de contrôle.",
                en: "The message's \(field) field contains a line break or a control character.")
        }
    }

    /// The message as RFC 5322 text with CRLF line ends: multipart/alternative (text/plain then a simple
    /// text/html), UTF-8 in quoted-printable, RFC 2047 subject when not ASCII, Date, Message-ID, From, To,
    /// MIME-Version and `Auto-Submitted: auto-generated`.
    func render(from: String, fromName: String = "Insigne", messageID: String, date: Date) throws -> String {
        try Self.checkHeaderValue(to, field: "to")
        try Self.checkHeaderValue(subject, field: "subject")
        try Self.checkHeaderValue(from, field: "from")
        try Self.checkHeaderValue(messageID, field: "message-id")
        guard Validation.isEmail(to) else {
            throw ServiceError(
                .invalid, field: "to", fr: "L'adresse du destinataire n'est pas valide.",
                en: "The recipient's address is not valid.")
        }
        let boundary = "=_insigne_" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(24)
        let headers = [
            "From: \(Self.encodedWord(fromName)) <\(from)>", "To: <\(to)>", "Subject: \(Self.encodedWord(subject))",
            "Date: \(WebDates.mailHeader(date))", "Message-ID: <\(messageID)>", "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        let parts = [
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable",
            "", Self.quotedPrintable(body), "--\(boundary)", "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable", "", Self.quotedPrintable(Self.html(body, title: subject)),
            "--\(boundary)--", "",
        ]
        return (headers + [""] + parts).joined(separator: "\r\n")
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words (at most 75 characters each) when `text` is not plain printable ASCII.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !text.contains("=?") {
            return text
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) of UTF-8 text: CRLF line ends, lines of at most 76 characters with soft breaks.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            var width = 0
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                let last = i == bytes.count - 1
                let plain = (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 32 || b == 9) && !last)
                let token = plain ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
                if width + token.count > 75 {
                    out += "=\r\n"
                    width = 0
                }
                out += token
                width += token.count
            }
            return out
        }.joined(separator: "\r\n")
    }

    /// `&`, `<`, `>` and `"` as entities.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A simple HTML version of the text: escaped paragraphs, lines that are only a URL become links.
    static func html(_ text: String, title: String) -> String {
        let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        let body = paragraphs.map { paragraph -> String in
            let trimmed = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed == "---" { return "<hr>" }
            let lines = paragraph.split(separator: "\n").map { line -> String in
                let l = line.trimmingCharacters(in: .whitespaces)
                if (l.hasPrefix("https://") || l.hasPrefix("http://")) && !l.contains(" ") {
                    return "<a href=\"\(Self.escape(l))\">\(Self.escape(l))</a>"
                }
                return Self.escape(String(line))
            }
            return "<p>" + lines.joined(separator: "<br>\n") + "</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8"><title>\(Self.escape(title))</title></head>
            <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
            \(body.joined(separator: "\n"))
            </body></html>
            """
    }
}
