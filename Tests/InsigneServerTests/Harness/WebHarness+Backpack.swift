import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Backpack fixtures: learners created through invitations, awards, the mail outbox, binary downloads.
extension WebHarness {
    /// A learner invited by the (signed-in) trainer, with their own browser.
    func learner(_ trainer: WebBrowser, name: String, email: String) async throws -> (WebBrowser, AccountRecord) {
        let browser = WebBrowser(client: trainer.client)
        try await browser.accept(try await trainer.invite(name: name, email: email))
        let account = try #require(
            try await services.db.writer.read { db in
                try AccountRecord.filter { $0.email == EmailNormalization.normalize(email) }.fetchOne(db)
            })
        return (browser, account)
    }

    /// Awards the demo badge class to an address.
    func award(_ email: String, expires: Date? = nil) async throws -> AssertionRecord {
        try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: email, expires: expires), actor: "admin"
        ).record
    }

    var outbox: URL { URL(fileURLWithPath: services.configuration.dataDirectory).appendingPathComponent("outbox") }

    /// The messages written to the outbox for an address, oldest first (quoted-printable soft line breaks joined,
    /// so that links read whole).
    func messages(to email: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []
        return try names.sorted().filter { $0.hasSuffix(".eml") }.compactMap { name in
            let text = try String(contentsOf: outbox.appendingPathComponent(name), encoding: .utf8)
            return text.contains("To: <\(email)>") ? text.replacingOccurrences(of: "=\r\n", with: "") : nil
        }
    }

    /// The confirmation token in the last message to an address.
    func confirmationToken(to email: String) throws -> String {
        let last = try #require(try messages(to: email).last, "no message to \(email) in the outbox")
        let r = try #require(last.range(of: #"/backpack/emails/confirm/[0-9a-f]{64}"#, options: .regularExpression))
        return String(last[r].suffix(64))
    }

    func storedBadges() async throws -> [BackpackBadgeRecord] {
        try await services.db.writer.read { db in try BackpackBadgeRecord.fetchAll(db) }
    }
}
