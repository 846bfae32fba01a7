import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Issue 9, point 12: the RGPD export holds everything about the learner and the erasure leaves nothing about them,
/// for every table of the schema. A table added later without RGPD handling makes this suite fail until it is
/// listed below, either as personal (with its export entry and its after-erasure check) or as not personal (with a
/// reason).
@Suite("PersonalDataCoverage")
struct PersonalDataCoverageTests {
    /// Tables that hold nothing about a learner, and why.
    static let notPersonal: [String: String] = [
        "issuer": "organisations (establishments), not people",
        "signingKey": "the issuers' keys",
        "dataIntegrityKey": "the issuers' Ed25519 keys (OB 3.0 Data Integrity proofs)",
        "statusListEntry":
            "the random OB 3.0 status list index reserved per award id (no address or name); kept after erasure so that an index is never given twice",
        "statusList": "the issuers' OB 3.0 revocation bitstrings (bits only)",
        "badgeClass": "badge definitions written by the issuer",
        "framework": "competency frameworks (public texts)",
        "competency": "competency frameworks (public texts)",
        "setting": "service-wide settings",
        "membership": "staff roles in establishments; learners never hold one (the learner erasure never meets it)",
        "staffInvitation":
            "links inviting staff to choose a password; they point at staff accounts only (a learner's address is refused)",
        "oauthClient":
            "applications registered by software and shared by every learner; what a learner granted lives in oauthCode and oauthToken (exported in badge-connect.json)",
        "reminder":
            "which expiry reminder thresholds went out for an award (award id, threshold, day): no address or name; deleted with the award",
        "reminderDigest": "the daily reminder digests sent to staff accounts; learners never get one",
        "ob3Credential":
            "the signed OB 3.0 forms of awards: like the assertion's JWS, only the salted hash of the address (no address or name), kept verifiable after erasure; deleted with the award",
        "awardCount": "how many awards and revoked awards each badge class has (numbers only)",
        "assertionSearch_data":
            "the storage of the assertionSearch index (its entries follow the awards: covered by assertionSearch)",
        "assertionSearch_idx": "the storage of the assertionSearch index (covered by assertionSearch)",
        "assertionSearch_docsize": "the token counts per award of the assertionSearch index (numbers only)",
        "assertionSearch_config": "the settings of the assertionSearch index",
        "ob3Pending":
            "bulk awards whose OB 3.0 form is still to be made (award id and time only, no address or name); deleted with the award",
    ]

    /// How a personal table is covered: the export entry and a text found there; a query counting the rows still
    /// about the learner (named arguments :id, :email, :extra, :piece, :sha), > 0 before and 0 after erasure.
    struct Coverage {
        var exportEntry: String?
        var exportMarker: String
        var stillAbout: String
    }

    @Test func everyTableIsExportedAndErasedOrDeclaredNotPersonal() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let (lea, account) = try await h.learner(trainer, name: "Léa Roux", email: "lea@example.org")
            #expect(
                try await lea.upload(title: "Attestation", data: Samples.pdf, tags: ["dees-test|DC1.1"]).status
                    == .seeOther)
            try await lea.submitAll()
            let piece = try #require(try await h.pieces().first)
            _ = try await trainer.get("/trainer/learners/\(account.id)")
            _ = try await trainer.post("/trainer/evidence/\(piece.id)/review", [("decision", "accept")])
            _ = try await lea.get("/evidence/\(piece.id)")
            _ = try await lea.post("/portfolio/evidence/\(piece.id)/publication", [("badge", "bientraitance")])
            _ = try await trainer.get("/trainer/learners/\(account.id)")
            let awarded = try await trainer.post(
                "/trainer/learners/\(account.id)/award",
                [("badge", "bientraitance"), ("evidence", piece.id), ("confirm", "1")])
            #expect(awarded.status == .seeOther)
            _ = try await lea.get("/portfolio/share")
            _ = try await lea.post("/portfolio/share", [("label", "Jury VAE")])
            try await lea.addAndConfirm("lea.roux@example.net", in: h)
            // An address added but never confirmed: its confirmation message waits in the outbox too.
            _ = try await lea.get("/backpack/emails")
            #expect(try await lea.post("/backpack/emails", [("email", "Lea.Attente@Example.com")]).status == .seeOther)
            // Someone else's message, which the erasure must leave alone.
            try MailOutbox(dataDirectory: h.services.configuration.dataDirectory).send(
                .init(to: "autre@example.org", subject: "x", body: "y"), from: "localhost")
            let extra = try await h.award("lea.roux@example.net")
            let (_, _, png) = try await lea.bytes("/assertions/\(extra.id)/badge.png")
            #expect(try await lea.importBadge(file: png).status == .seeOther)
            _ = try await lea.get("/backpack")
            _ = try await lea.post("/backpack/public", [("public", "1")])
            let now = Date()
            try await h.services.db.writer.write { db in
                try OAuthClientRecord(
                    id: "client-appli", secretHash: String(repeating: "c", count: 64),
                    metadataJSON: #"{"client_name":"Appli Carnet"}"#, redirectURIs: ["https://carnet.example/cb"],
                    scopes: "openid", createdAt: now
                ).insert(db)
                try OAuthCodeRecord(
                    codeHash: String(repeating: "d", count: 64), clientID: "client-appli", accountID: account.id,
                    redirectURI: "https://carnet.example/cb", scopes: "assertion.readonly", codeChallenge: "x",
                    expiresAt: now, usedAt: now
                ).insert(db)
                try OAuthTokenRecord(
                    tokenHash: String(repeating: "e", count: 64), kind: .refresh, clientID: "client-appli",
                    accountID: account.id, scopes: "assertion.readonly offline_access",
                    grantID: String(repeating: "d", count: 64), createdAt: now, expiresAt: now.addingTimeInterval(3600)
                ).insert(db)
                // Enrolled with the establishment (an administrator's invitation enrols with none).
                try LearnerIssuerRecord(learnerID: account.id, issuerID: DemoSeeder.establishmentID, createdAt: now)
                    .insert(db, onConflict: .ignore)
                try APITokenRecord(
                    tokenHash: String(repeating: "f", count: 64), accountID: account.id, label: "x", createdAt: now
                ).insert(db)
                try PasswordResetRecord(
                    tokenHash: String(repeating: "a", count: 64), accountID: account.id, createdAt: now,
                    expiresAt: now.addingTimeInterval(3600)
                ).insert(db)
                // A message waiting in the SMTP queue (the harness has no SMTP: written here as the Mailer would).
                try MailMessageRecord(
                    id: "mail-lea", sender: "ne-pas-repondre@localhost", recipient: "lea.roux@example.net",
                    subject: "x", content: "To: <lea.roux@example.net>\r\n\r\nBonjour Léa\r\n", createdAt: now
                ).insert(db)
                // On an establishment's roster under both addresses (someone else's entry must stay).
                try PersonRecord(
                    id: "per_lea", issuerID: DemoSeeder.establishmentID, firstName: "Léa", lastName: "Roux",
                    externalID: "lroux", joinedAt: now, updatedAt: now
                ).insert(db)
                try PersonEmailRecord(
                    personID: "per_lea", issuerID: DemoSeeder.establishmentID, email: "lea@example.org", position: 0
                ).insert(db)
                try PersonEmailRecord(
                    personID: "per_lea", issuerID: DemoSeeder.establishmentID, email: "lea.roux@example.net",
                    position: 1
                ).insert(db)
                var failed = AuditEventRecord(
                    at: now, actor: "web", action: "session.signin-failed", subject: "Lea@Example.org")
                try failed.insert(db)
            }
            let sha = try #require(piece.blobSHA256)

            // One entry per personal table. A new table with personal data is added here (or to `notPersonal`).
            let personal: [String: Coverage] = [
                "account": .init(
                    exportEntry: "account.json", exportMarker: account.id,
                    stillAbout:
                        "SELECT COUNT(*) FROM account WHERE id = :id AND (email IS NOT NULL OR passwordHash IS NOT NULL OR displayName <> '—')"
                ),
                "invitation": .init(
                    exportEntry: "invitations.json", exportMarker: "Léa Roux",
                    stillAbout:
                        "SELECT COUNT(*) FROM invitation WHERE email IN (:email, :extra) OR displayName = 'Léa Roux'"),
                "evidence": .init(
                    exportEntry: "evidence.json", exportMarker: piece.id,
                    stillAbout: "SELECT COUNT(*) FROM evidence WHERE learnerID = :id"),
                "evidenceAlignment": .init(
                    exportEntry: "evidence.json", exportMarker: "DC1.1",
                    stillAbout: "SELECT COUNT(*) FROM evidenceAlignment WHERE evidenceID = :piece"),
                "evidenceBlob": .init(
                    exportEntry: "evidence.json", exportMarker: sha,
                    stillAbout: "SELECT COUNT(*) FROM evidenceBlob WHERE sha256 = :sha"),
                "evidencePublication": .init(
                    exportEntry: "evidence-publications.json", exportMarker: "/public-evidence/",
                    stillAbout: "SELECT COUNT(*) FROM evidencePublication WHERE evidenceID = :piece"),
                "learnerIssuer": .init(
                    exportEntry: "establishments.json", exportMarker: DemoSeeder.establishmentID,
                    stillAbout: "SELECT COUNT(*) FROM learnerIssuer WHERE learnerID = :id"),
                "shareLink": .init(
                    exportEntry: "share-links.json", exportMarker: "Jury VAE",
                    stillAbout: "SELECT COUNT(*) FROM shareLink WHERE learnerID = :id"),
                "assertion": .init(
                    exportEntry: "badges.json", exportMarker: extra.id,
                    stillAbout:
                        "SELECT COUNT(*) FROM assertion WHERE recipientEmail IN (:email, :extra) OR recipientName = 'Léa Roux'"
                ),
                // The search index of the awards' recipients (contentless: no readable copy; an erased address
                // must not be found any more). Not exported: the awards themselves are, in badges.json.
                "assertionSearch": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout:
                        "SELECT COUNT(*) FROM assertionSearch WHERE assertionSearch MATCH '{email name} : \"lea.roux@example.net\" OR {email name} : \"lea@example.org\" OR {email name} : \"Léa Roux\"'"
                ),
                "learnerEmail": .init(
                    exportEntry: "backpack.json", exportMarker: "lea.roux@example.net",
                    stillAbout: "SELECT COUNT(*) FROM learnerEmail WHERE accountID = :id OR email = :extra"),
                "backpackBadge": .init(
                    exportEntry: "backpack.json", exportMarker: "importedBadges",
                    stillAbout: "SELECT COUNT(*) FROM backpackBadge WHERE learnerID = :id"),
                "backpackSetting": .init(
                    exportEntry: "backpack.json", exportMarker: "publicPage",
                    stillAbout: "SELECT COUNT(*) FROM backpackSetting WHERE accountID = :id"),
                "oauthCode": .init(
                    exportEntry: "badge-connect.json", exportMarker: "https://carnet.example/cb",
                    stillAbout: "SELECT COUNT(*) FROM oauthCode WHERE accountID = :id"),
                "oauthToken": .init(
                    exportEntry: "badge-connect.json", exportMarker: "offline_access",
                    stillAbout: "SELECT COUNT(*) FROM oauthToken WHERE accountID = :id"),
                "auditEvent": .init(
                    exportEntry: "audit.json", exportMarker: "learner.accept",
                    stillAbout:
                        "SELECT COUNT(*) FROM auditEvent WHERE lower(subject) IN (:email, :extra) OR detail LIKE '%lea@%' OR detail LIKE '%lea.roux@%' OR detail LIKE '%Léa%'"
                ),
                "person": .init(
                    exportEntry: "rosters.json", exportMarker: "lroux",
                    stillAbout: "SELECT COUNT(*) FROM person WHERE id = 'per_lea' OR lastName = 'Roux'"),
                "personEmail": .init(
                    exportEntry: "rosters.json", exportMarker: "lea.roux@example.net",
                    stillAbout: "SELECT COUNT(*) FROM personEmail WHERE email IN (:email, :extra)"),
                // Copies of messages sent to the learner's addresses: deleted, not exported (they received them).
                "mailMessage": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout: "SELECT COUNT(*) FROM mailMessage WHERE recipient IN (:email, :extra)"),
                // Claim links of award notifications (hashes and the address they were sent to): deleted, not exported.
                "claimToken": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout: "SELECT COUNT(*) FROM claimToken WHERE email IN (:email, :extra) OR claimedBy = :id"),
                // Secrets only (hashes of cookies and bearer tokens): deleted, never exported.
                "webSession": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout: "SELECT COUNT(*) FROM webSession WHERE accountID = :id"),
                "apiToken": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout: "SELECT COUNT(*) FROM apiToken WHERE accountID = :id"),
                "passwordReset": .init(
                    exportEntry: nil, exportMarker: "",
                    stillAbout: "SELECT COUNT(*) FROM passwordReset WHERE accountID = :id"),
            ]

            // Every table of the schema is listed exactly once.
            let tables = try await h.services.db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT name FROM sqlite_master WHERE type = 'table'
                        AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
                        """)
            }
            for t in tables {
                #expect(
                    (personal[t] != nil) != (Self.notPersonal[t] != nil),
                    "table \(t): add it to `personal` (export and erasure) or to `notPersonal` with a reason")
            }
            for t in Array(personal.keys) + Array(Self.notPersonal.keys) {
                #expect(tables.contains(t), "listed table \(t) is not in the schema")
            }

            let arguments: StatementArguments = [
                "id": account.id, "email": "lea@example.org", "extra": "lea.roux@example.net", "piece": piece.id,
                "sha": sha,
            ]
            func stillAbout() async throws -> [String: Int] {
                try await h.services.db.writer.read { db in
                    var out: [String: Int] = [:]
                    for (t, c) in personal {
                        out[t] = try Int.fetchOne(db, sql: c.stillAbout, arguments: arguments) ?? -1
                    }
                    return out
                }
            }
            for (t, n) in try await stillAbout() { #expect(n > 0, "the test put no row about the learner in \(t)") }
            let outboxAddresses = ["lea.roux@example.net", "lea.attente@example.com"]
            for a in outboxAddresses { #expect(try !h.messages(to: a).isEmpty, "no outbox message to \(a)") }

            // The export holds each table's part, and no secret.
            let zip = try TestZIP(try await PortfolioTests.bytes(lea, "/portfolio/data/export"))
            for (t, c) in personal {
                guard let entry = c.exportEntry else { continue }
                let text = try #require(zip[entry], "\(entry) missing from the export (table \(t))").data
                #expect(
                    String(decoding: text, as: UTF8.self).contains(c.exportMarker),
                    "\(entry) lacks \(c.exportMarker) (table \(t))")
            }
            let everything = zip.entries.map { String(decoding: $0.data, as: UTF8.self) }.joined()
            for secret in ["a", "c", "d", "e", "f"].map({ String(repeating: $0, count: 64) }) {
                #expect(!everything.contains(secret), "a secret hash is exported")
            }
            let badgesEntry = try #require(zip["badges.json"])
            let badges = try #require(
                try JSONSerialization.jsonObject(with: Data(badgesEntry.data)) as? [[String: Any]])
            #expect(badges.count == 2, "badges under both confirmed addresses")

            // The erasure leaves nothing about them, and their badges stay verifiable.
            _ = try await lea.get("/portfolio/data")
            let erased = try await lea.post(
                "/portfolio/data/erase", [("password", WebHarness.learnerPassword), ("confirm", "1")])
            #expect(erased.status == .seeOther)
            for (t, n) in try await stillAbout() { #expect(n == 0, "\(n) row(s) about the learner left in \(t)") }
            // The mail outbox (files on disk) keeps nothing addressed to them either.
            let outboxFiles = (try? FileManager.default.contentsOfDirectory(atPath: h.outbox.path)) ?? []
            let outboxText = try outboxFiles.map {
                try String(contentsOf: h.outbox.appendingPathComponent($0), encoding: .utf8)
            }.joined()
            for a in outboxAddresses + ["lea@example.org"] {
                #expect(!outboxText.lowercased().contains(a), "the outbox still mentions \(a)")
            }
            #expect(try h.messages(to: "autre@example.org").count == 1, "someone else's message was deleted")
            let (assertions, publicEvidence) = try await h.services.db.writer.read { db in
                (try AssertionRecord.fetchAll(db), try EvidencePublicationRecord.fetchCount(db))
            }
            #expect(publicEvidence == 0)
            for a in assertions {
                #expect(await h.services.verifier.verify(.text(a.jws), options: .init(now: Date())).isValid)
            }
        }
    }
}
