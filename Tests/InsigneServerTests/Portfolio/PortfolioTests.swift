import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import Testing

@testable import InsigneServer
@testable import InsigneStore

@Suite("Portfolio")
struct PortfolioTests {
    // MARK: - Invitations

    @Test func invitationIsSingleUseAndExpiredOnesAreRefused() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let token = try await trainer.invite(name: "Camille Martin", email: "Camille.Martin@example.org")
            let stored = try await h.services.db.writer.read { db in try InvitationRecord.fetchAll(db) }
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash == SHA256Digest.hexHash(Array(token.utf8)))
            #expect(abs(stored[0].expiresAt.timeIntervalSinceNow - 14 * 86400) < 60)

            let learner = WebBrowser(client: trainer.client)
            let short = try await learner.accept(token, password: "court")
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("au moins 10 caractères"))
            let ok = try await learner.accept(token)
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/portfolio?welcome=1")
            let home = try await learner.follow(ok)
            #expect(home.status == .ok)
            #expect(home.body.contains("Mon portfolio"))
            let account = try #require(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.role == "learner" }.fetchOne(db)
                })
            #expect(account.login == "camille.martin@example.org")
            #expect(account.email == "camille.martin@example.org")
            #expect(account.passwordHash?.hasPrefix("scrypt$") == true)

            // Single use: the same link is now dead, for anyone.
            let again = WebBrowser(client: trainer.client)
            #expect(try await again.get("/invitation/\(token)").status == .notFound)
            #expect(try await again.accept(token, password: "un autre mot de passe").status == .notFound)
            #expect(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.role == "learner" }.fetchCount(db)
                } == 1)

            // The learner signs in at /login and lands on the portfolio; trainer pages send them back there.
            let fresh = WebBrowser(client: trainer.client)
            let signIn = try await fresh.signIn("camille.martin@example.org", WebHarness.learnerPassword)
            #expect(signIn.location == "/portfolio")
            #expect(try await fresh.get("/trainer/learners").location == "/portfolio")

            // An expired invitation is refused.
            let old = try await Portfolio(services: h.services).invite(
                name: "Old", email: "old@example.org", by: "admin", now: Date().addingTimeInterval(-15 * 86400))
            let late = WebBrowser(client: trainer.client)
            #expect(try await late.get("/invitation/\(old)").status == .notFound)
            #expect(try await late.accept(old).status == .notFound)
        }
    }

    // MARK: - Uploads

    @Test func uploadsAreSniffedAndStoredOnceByContent() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(try await trainer.invite(name: "Léa", email: "lea@example.org"))

            // A PDF declared as HTML is stored as a PDF.
            let r = try await learner.upload(
                title: "Rapport", data: Samples.pdf, filename: "rapport.html", declared: "text/html",
                tags: ["dees-test|DC1.1"])
            #expect(r.status == .seeOther)
            let blobs = try await h.services.db.writer.read { db in try EvidenceBlobRecord.fetchAll(db) }
            #expect(blobs.count == 1)
            #expect(blobs[0].mediaType == "application/pdf")
            #expect(blobs[0].sha256 == SHA256Digest.hexHash(Samples.pdf))

            for (bytes, name) in [(Samples.elf, "a.pdf"), (Samples.html, "page.html"), (Samples.svg, "image.svg")] {
                let refused = try await learner.upload(
                    title: "X", data: bytes, filename: name, declared: "application/pdf")
                #expect(refused.status == .unsupportedMediaType, "\(name)")
                #expect(refused.body.contains("Type de fichier refusé"))
            }
            let big = [UInt8](repeating: 0x41, count: 5 * 1024 * 1024 + 1)
            #expect(try await learner.upload(title: "Gros", data: big, filename: "gros.txt").status == .contentTooLarge)
            #expect(try await h.pieces().count == 1)

            // Text is accepted; the same PDF twice is one blob and one file, 0600 in a 0700 directory.
            #expect(
                try await learner.upload(title: "Notes", data: Samples.text, filename: "notes.txt").status == .seeOther)
            #expect(try await learner.upload(title: "Rapport bis", data: Samples.pdf).status == .seeOther)
            let after = try await h.services.db.writer.read { db in try EvidenceBlobRecord.fetchAll(db) }
            #expect(after.count == 2)
            #expect(after.contains { $0.mediaType == "text/plain; charset=utf-8" })
            let path = h.files.path(blobs[0].sha256)
            let dir = (path as NSString).deletingLastPathComponent
            let listing = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(listing.contains(String(blobs[0].sha256.dropFirst(2))))
            #expect(!listing.contains { $0.hasPrefix(".tmp") })
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let dirAttrs = try FileManager.default.attributesOfItem(atPath: dir)
            #expect((dirAttrs[.posixPermissions] as? NSNumber)?.intValue == 0o700)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(Samples.pdf))
            #expect(try await h.pieces().filter { $0.blobSHA256 == blobs[0].sha256 }.count == 2)

            // Deleting one of the two keeps the shared file; deleting both removes it.
            for p in try await h.pieces() where p.blobSHA256 == blobs[0].sha256 {
                _ = try await learner.get("/portfolio")
                #expect(try await learner.post("/portfolio/evidence/\(p.id)/delete", []).status == .seeOther)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try await h.services.db.writer.read { db in try EvidenceBlobRecord.fetchCount(db) } == 1)
        }
    }

    @Test(
        arguments: [
            ("%PDF-1.7", "application/pdf"), ("GIF89a..", "image/gif"), ("<html>", nil), ("<?xml version", nil),
            ("#!/bin/sh\nrm -rf /", "text/plain; charset=utf-8"),
        ] as [(String, String?)])
    func sniffer(_ head: String, _ expected: String?) {
        #expect(MediaSniffer.mediaType(Array(head.utf8)) == expected)
    }

    // MARK: - Access

    @Test func evidenceAccessMatrix() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let owner = WebBrowser(client: trainer.client)
            try await owner.accept(try await trainer.invite(name: "Owner", email: "owner@example.org"))
            let other = WebBrowser(client: trainer.client)
            try await other.accept(try await trainer.invite(name: "Other", email: "other@example.org"))
            let anonymous = WebBrowser(client: trainer.client)
            #expect(try await owner.upload(title: "Attestation", data: Samples.pdf).status == .seeOther)
            let id = try #require(try await h.pieces().first?.id)
            let page = "/evidence/\(id)"
            let file = "/evidence/\(id)/file"

            // A draft is the owner's alone.
            #expect(try await owner.get(page).status == .ok)
            #expect(try await trainer.get(page).status == .notFound)
            try await owner.submitAll()

            // A share link, and a revoked one.
            _ = try await owner.get("/portfolio/share")
            let created = try await owner.post("/portfolio/share", [("label", "Jury")])
            let r = try #require(created.body.range(of: #"/share/[0-9a-f]{64}"#, options: .regularExpression))
            let share = String(created.body[r].dropFirst("/share/".count))
            _ = try await owner.get("/portfolio/share")
            let second = try await owner.post("/portfolio/share", [("label", "Ancien jury")])
            let r2 = try #require(second.body.range(of: #"/share/[0-9a-f]{64}"#, options: .regularExpression))
            let revoked = String(second.body[r2].dropFirst("/share/".count))
            let revokeID = SHA256Digest.hexHash(Array(revoked.utf8))
            #expect(try await owner.post("/portfolio/share/revoke", [("link", revokeID)]).status == .seeOther)

            let unknown = try await anonymous.get("/evidence/00000000-0000-0000-0000-000000000000")
            #expect(unknown.status == .notFound)
            for path in [page, file] {
                let anon = try await anonymous.get(path)
                #expect(anon.status == .notFound, "anonymous \(path)")
                #expect(
                    Self.withoutLangLink(anon.body) == Self.withoutLangLink(unknown.body),
                    "the same 404 as an unknown id")
                #expect(try await other.get(path).status == .notFound, "another learner \(path)")
                #expect(try await owner.get(path).status == .ok, "owner \(path)")
                #expect(try await trainer.get(path).status == .ok, "reviewer \(path)")
                #expect(try await anonymous.get(path + "?share=\(share)").status == .ok, "share link \(path)")
                #expect(try await anonymous.get(path + "?share=\(revoked)").status == .notFound, "revoked link \(path)")
                #expect(try await other.get(path + "?share=" + String(repeating: "a", count: 64)).status == .notFound)
            }
            #expect(try await anonymous.get("/share/\(share)").status == .ok)
            #expect(try await anonymous.get("/share/\(revoked)").status == .notFound)
            #expect(try await anonymous.get("/share/\(share)").body.contains("Attestation"))

            let served = try await owner.get(file)
            #expect(served.headers[.contentType] == "application/pdf")
            #expect(served.headers[.init("X-Content-Type-Options")!] == "nosniff")
            #expect(served.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'")
            #expect(served.headers[.cacheControl] == "private, no-store")
            #expect(served.headers[.contentDisposition]?.hasPrefix("inline") == true)
            #expect(Array(served.body.utf8) == Samples.pdf)
        }
    }

    // MARK: - Review and award

    @Test func reviewRequestChangesThenAcceptThenAward() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(try await trainer.invite(name: "Sam Dupuis", email: "sam@example.org"))
            let learnerID = try #require(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.role == "learner" }.fetchOne(db)?.id
                })
            #expect(
                try await learner.upload(
                    title: "Rapport de stage", data: Samples.pdf, tags: ["dees-test|DC1.1"],
                    genre: "Rapport d'activité"
                ).status == .seeOther)
            #expect(
                try await learner.addNarrative(title: "Récit", text: "J'ai accompagné M. B.", codes: "dees-test/DC1.2")
                    .status == .seeOther)
            #expect(
                try await learner.addNarrative(title: "Mauvais code", text: "x", codes: "ZZ9").status
                    == .unprocessableContent)
            // DC1.2 is in the test framework and in the seeded DEES 2007: a bare code must then be qualified.
            let ambiguous = try await learner.addNarrative(title: "Ambigu", text: "x", codes: "DC1.2")
            #expect(ambiguous.status == .unprocessableContent)
            #expect(ambiguous.body.contains("plusieurs référentiels"))
            try await learner.submitAll()
            let pieces = try await h.pieces()
            let report = try #require(pieces.first { $0.title == "Rapport de stage" })
            let story = try #require(pieces.first { $0.title == "Récit" })
            #expect(pieces.allSatisfy { $0.status == .submitted })

            let queue = try await trainer.get("/trainer/reviews")
            #expect(queue.body.contains("/trainer/learners/\(learnerID)"))
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            let empty = try await trainer.post(
                "/trainer/evidence/\(story.id)/review", [("decision", "changes"), ("comment", " ")])
            #expect(empty.status == .unprocessableContent)
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            let changes = try await trainer.post(
                "/trainer/evidence/\(story.id)/review",
                [("decision", "changes"), ("comment", "Précisez la date et le lieu.")])
            #expect(changes.status == .seeOther)
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            #expect(
                try await trainer.post("/trainer/evidence/\(report.id)/review", [("decision", "accept")]).status
                    == .seeOther)

            let home = try await learner.get("/portfolio")
            #expect(home.body.contains("Précisez la date et le lieu."))
            #expect(home.body.contains("À reprendre"))
            #expect(try await learner.get("/portfolio/evidence/\(story.id)/edit").status == .ok)
            #expect(try await learner.get("/portfolio/evidence/\(report.id)/edit").status == .conflict)

            // Coverage: DC1.1 accepted, DC1.2 asked for changes (no longer counted), others none.
            let coverage = try await learner.get("/portfolio/coverage/dees-test")
            #expect(coverage.status == .ok)
            #expect(coverage.body.components(separatedBy: #"data-state="accepted""#).count - 1 == 1)
            #expect(coverage.body.components(separatedBy: #"data-state="submitted""#).count - 1 == 0)
            #expect(coverage.body.components(separatedBy: #"data-state="none""#).count - 1 == 4)
            #expect(coverage.body.contains("1/2 (50 %)"))
            #expect(coverage.body.contains("0/1 (0 %)"))
            #expect(try await trainer.get("/portfolio/coverage/dees-test").status == .notFound)

            // Award: only accepted pieces may be attached.
            let page = try await trainer.get("/trainer/learners/\(learnerID)")
            #expect(page.body.contains(#"value="\#(report.id)""#))
            // The badge's alignment names each item once: the seeded names already start with their code.
            #expect(page.body.contains("Aligné sur :"))
            #expect(page.body.contains("DC1.5.2 Savoir"))
            #expect(!page.body.contains("DC1.5.2 DC1.5.2"))
            let nonce = try #require(
                page.body.range(of: #"name="nonce" value="[0-9a-f]+""#, options: .regularExpression))
            let nonceValue = String(page.body[nonce].split(separator: "\"")[3])
            let refused = try await trainer.post(
                "/trainer/learners/\(learnerID)/award",
                [
                    ("badge", "bientraitance"), ("evidence", report.id), ("evidence", story.id), ("nonce", nonceValue),
                ])
            #expect(refused.status == .unprocessableContent)
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            let awarded = try await trainer.post(
                "/trainer/learners/\(learnerID)/award",
                [
                    ("badge", "bientraitance"), ("evidence", report.id), ("narrative", "Stage validé."),
                    ("nonce", nonceValue), ("evidenceNote", "Preuves examinées."), ("confirm", "1"),
                ])
            #expect(awarded.status == .seeOther)
            let assertion = try #require(try await h.services.db.writer.read { db in try AssertionRecord.fetchOne(db) })
            #expect(assertion.recipientEmail == "sam@example.org")
            let payload = try Self.payload(assertion.jws)
            let evidence = try #require(payload["evidence"] as? [[String: Any]])
            // The learner did not publish the piece: only the trainer's neutral note goes into the badge.
            #expect(evidence.count == 1)
            #expect(evidence[0]["id"] == nil && evidence[0]["name"] == nil)
            #expect(evidence[0]["narrative"] as? String == "Preuves examinées.")
            let report2 = await h.services.verifier.verify(.text(assertion.jws), options: .init(now: Date()))
            #expect(report2.isValid)
            let audit = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter {
                    ["evidence.accept", "evidence.request-changes", "portfolio.award"].contains($0.action)
                }
                .fetchCount(db)
            }
            #expect(audit == 3)
            #expect(try await learner.get("/portfolio").body.contains("Bientraitance"))
        }
    }

    static func withoutLangLink(_ html: String) -> String {
        html.replacingOccurrences(of: #"href="[^"]*\?lang=(en|fr)""#, with: "", options: .regularExpression)
    }

    static func payload(_ jws: String) throws -> [String: Any] {
        var b64 = String(jws.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        let data = try #require(Data(base64Encoded: b64))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    // MARK: - RGPD

    @Test func exportIsAValidZIPWithEverything() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(try await trainer.invite(name: "Zoé Lefèvre", email: "zoe@example.org"))
            #expect(
                try await learner.upload(
                    title: "Photo d'atelier", data: Samples.pdf, filename: "été.pdf",
                    tags: ["dees-test|DC2.1"]
                ).status == .seeOther)
            #expect(try await learner.addNarrative(title: "Récit", text: "Texte du récit").status == .seeOther)
            _ = try await learner.get("/portfolio/share")
            _ = try await learner.post("/portfolio/share", [("label", "Jury")])
            _ = try await learner.get("/portfolio/data")
            let r = try await learner.post("/portfolio/data/export", [])
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/zip")
            let bytes = try await Self.bytes(learner, "/portfolio/data/export")
            let zip = try TestZIP(bytes)
            let names = zip.entries.map(\.name)
            for n in ["README.txt", "account.json", "evidence.json", "badges.json", "share-links.json", "audit.json"] {
                #expect(names.contains(n), "\(n) in \(names)")
            }
            let fileEntry = try #require(zip.entries.first { $0.name.hasPrefix("files/") })
            #expect(fileEntry.data == Samples.pdf)
            #expect(fileEntry.name.hasSuffix("-ete.pdf"))
            for e in zip.entries {
                #expect(CRC32.checksum(e.data) == e.crc, "CRC of \(e.name)")
                #expect(e.utf8Flag)
            }
            let account = try #require(
                try JSONSerialization.jsonObject(with: Data(zip["account.json"]!.data)) as? [String: Any])
            #expect(account["email"] as? String == "zoe@example.org")
            let evidence = try #require(
                try JSONSerialization.jsonObject(with: Data(zip["evidence.json"]!.data)) as? [[String: Any]])
            #expect(evidence.count == 2)
            let tagged = try #require(evidence.first { $0["title"] as? String == "Photo d'atelier" })
            #expect((tagged["tags"] as? [[String: String]])?.first?["code"] == "DC2.1")
            #expect(tagged["status"] as? String == "draft")
            #expect(String(decoding: zip["README.txt"]!.data, as: UTF8.self).contains("vos données personnelles"))

            // The official reader agrees.
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent(
                "insigne-export-\(UUID().uuidString).zip")
            try Data(bytes).write(to: tmp)
            defer { try? FileManager.default.removeItem(at: tmp) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            p.arguments = ["-m", "zipfile", "-t", tmp.path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            p.waitUntilExit()
            #expect(
                p.terminationStatus == 0,
                "\(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }
    }

    /// The raw bytes of a POST download (the test client's String body would mangle binary data).
    static func bytes(_ b: WebBrowser, _ uri: String) async throws -> [UInt8] {
        _ = try await b.get("/portfolio/data")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let s = b.cookie("insigne_session") { headers[.cookie] = "insigne_session=\(s)" }
        let r = try await b.client.executeRequest(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(b.csrf)"))
        return Array(r.body.readableBytesView)
    }

    @Test func erasureRemovesEverythingButKeepsBadgesVerifiable() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(try await trainer.invite(name: "Noé Garnier", email: "noe@example.org"))
            let learnerID = try #require(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.role == "learner" }.fetchOne(db)?.id
                })
            #expect(
                try await learner.upload(title: "Attestation", data: Samples.pdf, tags: ["dees-test|DC1.1"]).status
                    == .seeOther)
            try await learner.submitAll()
            let piece = try #require(try await h.pieces().first)
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            _ = try await trainer.post("/trainer/evidence/\(piece.id)/review", [("decision", "accept")])
            _ = try await trainer.get("/trainer/learners/\(learnerID)")
            _ = try await trainer.post(
                "/trainer/learners/\(learnerID)/award",
                [("badge", "bientraitance"), ("evidence", piece.id), ("confirm", "1")])
            _ = try await learner.get("/portfolio/share")
            _ = try await learner.post("/portfolio/share", [("label", "Jury")])
            let path = h.files.path(try #require(piece.blobSHA256))
            #expect(FileManager.default.fileExists(atPath: path))

            _ = try await learner.get("/portfolio/data")
            let wrong = try await learner.post(
                "/portfolio/data/erase", [("password", "pas le bon mot"), ("confirm", "1")])
            #expect(wrong.status == .unprocessableContent)
            #expect(try await h.pieces().count == 1)
            let erased = try await learner.post(
                "/portfolio/data/erase", [("password", WebHarness.learnerPassword), ("confirm", "1")])
            #expect(erased.status == .seeOther)
            #expect(erased.location?.hasPrefix("/login") == true)

            let (counts, account, assertion, audit) = try await h.services.db.writer.read { db in
                (
                    [
                        try EvidenceItemRecord.fetchCount(db), try EvidenceAlignmentRecord.fetchCount(db),
                        try EvidenceBlobRecord.fetchCount(db), try ShareLinkRecord.fetchCount(db),
                        try WebSessionRecord.filter { $0.accountID == learnerID }.fetchCount(db),
                    ],
                    try AccountRecord.fetchOne(db, key: learnerID),
                    try AssertionRecord.fetchOne(db),
                    try AuditEventRecord.filter { $0.action == "account.erase" }.fetchAll(db)
                )
            }
            #expect(counts == [0, 0, 0, 0, 0])
            #expect(!FileManager.default.fileExists(atPath: path))
            let tomb = try #require(account)
            #expect(tomb.login == "erased-\(learnerID)")
            #expect(tomb.displayName == "—")
            #expect(tomb.email == nil && tomb.passwordHash == nil && tomb.erasedAt != nil)
            let a = try #require(assertion)
            #expect(a.recipientEmail == "" && a.recipientName == nil)
            let report = await h.services.verifier.verify(.text(a.jws), options: .init(now: Date()))
            #expect(report.isValid)
            #expect(audit.count == 1)
            #expect(!(audit.first?.detail ?? "").contains("noe@") && !(audit.first?.detail ?? "").contains("Noé"))
            let invitations = try await h.services.db.writer.read { db in try InvitationRecord.fetchAll(db) }
            #expect(invitations.allSatisfy { $0.email.isEmpty && $0.displayName.isEmpty })
            let anywhere = try await h.services.db.writer.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM auditEvent WHERE subject LIKE '%noe@%' OR detail LIKE '%noe@%'")
            }
            #expect(anywhere == 0)

            // The session is gone, and the old credentials no longer work.
            #expect(try await learner.get("/portfolio").location?.hasPrefix("/login") == true)
            let again = try await WebBrowser(client: trainer.client).signIn(
                "noe@example.org", WebHarness.learnerPassword)
            #expect(again.status == .unauthorized)
            #expect(try await trainer.get("/trainer/learners/\(learnerID)").status == .notFound)
        }
    }
}
