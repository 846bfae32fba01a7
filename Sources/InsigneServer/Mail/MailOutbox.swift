import Foundation
import OpenBadges
import OpenBadgesCrypto

/// Outgoing mail without a mail server: each message is one RFC 5322 file `<data>/outbox/<time>-<random>.eml`
/// (directory 0700, file 0600, written whole then renamed) that the operator reads or hands to a mail relay.
struct MailOutbox: Sendable {
    /// `<data>/outbox`.
    let directory: URL

    init(dataDirectory: String) {
        directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("outbox", isDirectory: true)
    }

    /// One plain-text message.
    struct Message: Sendable {
        var to: String
        var subject: String
        var body: String
    }

    /// Writes the message; returns the file's path.
    @discardableResult
    func send(_ message: Message, from host: String, now: Date = Date()) throws -> String {
        guard Validation.isEmail(message.to) else {
            throw EvidenceFiles.failure("address", EINVAL)
        }
        try EvidenceFiles.makePrivateDirectory(directory.path)
        let stamp = WebDates.fileStamp(now)
        let name = stamp + "-" + (try SecureRandom.hex(byteCount: 6)) + ".eml"
        let path = directory.appendingPathComponent(name).path
        try EvidenceFiles.writePrivateFile(
            Array(Self.render(message, from: host, now: now).utf8), to: path, directory: directory.path)
        return path
    }

    /// Deletes the messages addressed to any of `addresses` (compared normalised), e.g. after an RGPD erasure.
    /// Returns how many were deleted; files it cannot read are left alone.
    @discardableResult
    func removeMessages(to addresses: [String]) -> Int {
        let wanted = Set(addresses.map(EmailNormalization.normalize))
        guard !wanted.isEmpty,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return 0 }
        var removed = 0
        for name in names where name.hasSuffix(".eml") {
            let path = directory.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path),
                let to = Self.recipient(String(decoding: data, as: UTF8.self)),
                wanted.contains(EmailNormalization.normalize(to))
            else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// The address of the `To: <…>` header written by `render`.
    static func recipient(_ text: String) -> String? {
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }
            if line.hasPrefix("To: <"), line.hasSuffix(">") { return String(line.dropFirst(5).dropLast()) }
        }
        return nil
    }

    /// The message as RFC 5322 text with CRLF line ends (UTF-8 body, RFC 2047 subject).
    static func render(_ m: Message, from host: String, now: Date) -> String {
        let subject = "=?UTF-8?B?" + Data(m.subject.utf8).base64EncodedString() + "?="
        let id = (try? SecureRandom.hex(byteCount: 12)) ?? UUID().uuidString
        let headers = [
            "From: Insigne <ne-pas-repondre@\(host)>", "To: <\(m.to)>", "Subject: \(subject)",
            "Date: \(WebDates.mailHeader(now))", "Message-ID: <\(id)@\(host)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
        ]
        let body = m.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
    }
}
