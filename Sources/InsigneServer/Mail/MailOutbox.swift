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

    /// One message (kept for the callers that write to the outbox directly).
    typealias Message = MailMessage

    /// Renders and writes one message from `ne-pas-repondre@<host>`; returns the file's path.
    @discardableResult
    func send(_ message: Message, from host: String, now: Date = Date()) throws -> String {
        let id = try SecureRandom.hex(byteCount: 12)
        return try write(
            message.render(from: "ne-pas-repondre@\(host)", messageID: "\(id)@\(host)", date: now), now: now)
    }

    /// Writes an already rendered message; returns the file's path.
    func write(_ text: String, now: Date = Date()) throws -> String {
        guard let to = Self.recipient(text), Validation.isEmail(to) else {
            throw EvidenceFiles.failure("address", EINVAL)
        }
        try EvidenceFiles.makePrivateDirectory(directory.path)
        let stamp = WebDates.fileStamp(now)
        let name = stamp + "-" + (try SecureRandom.hex(byteCount: 6)) + ".eml"
        let path = directory.appendingPathComponent(name).path
        try EvidenceFiles.writePrivateFile(Array(text.utf8), to: path, directory: directory.path)
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
}
