import Foundation
import GRDB
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// The trainers' bulk page awards through the API's grouped path (groups of rows in one transaction each, signed
/// on every core): a file of a few hundred rows gives every row its own result, one audit row per award, and the
/// same file sent again awards nothing twice.
@Suite("Bulk award page: a few hundred rows on the grouped path")
struct BulkPageGroupedTests {
    static let bulk = "/trainer/badges/bientraitance/bulk"

    /// A CSV of `count` learners; line 101 (the 100th row) has a bad address.
    static func csv(count: Int) -> [UInt8] {
        var text = "email;name;narrative\r\n"
        for n in 1...count {
            text +=
                n == 100 ? "pas-une-adresse;Personne \(n);\r\n" : "stagiaire\(n)@example.fr;Stagiaire \(n);Session\r\n"
        }
        return Array(text.utf8)
    }

    func uploadAndConfirm(_ b: WebBrowser, _ data: [UInt8]) async throws -> WebBrowser.Page {
        _ = try await b.get(Self.bulk)
        let preview = try await b.postMultipart(
            Self.bulk, [], files: [.init(field: "csv", filename: "promotion.csv", contentType: "text/csv", data: data)])
        #expect(preview.status == .ok)
        let action = try #require(
            preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
        let started = try await b.post(String(preview.body[action]), [])
        let batchURL = try #require(started.location)
        for _ in 0..<1200 {
            let page = try await b.get(batchURL)
            if !page.body.contains(#"http-equiv="refresh""#) { return page }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("batch did not finish")
        return try await b.get(batchURL)
    }

    @Test func aFewHundredRowsAreAwardedOnceEach() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let done = try await uploadAndConfirm(b, Self.csv(count: 450))
            #expect(done.body.contains("Terminé"))
            #expect(done.body.contains("449 badge(s) attribué(s)"), "\(done.body.prefix(3000))")
            #expect(done.body.contains("Adresse électronique invalide"))
            #expect(try await h.assertionCount() == 449)
            let (emails, audited) = try await h.services.db.writer.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT recipientEmail FROM assertion"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditEvent WHERE action = 'assertion.award'") ?? 0
                )
            }
            #expect(Set(emails).count == 449)
            #expect(!emails.contains("pas-une-adresse"))
            #expect(audited == 449)

            let again = try await uploadAndConfirm(b, Self.csv(count: 450))
            #expect(again.body.contains("0 badge(s) attribué(s), 449 déjà attribué(s)"))
            #expect(try await h.assertionCount() == 449)
        }
    }
}
