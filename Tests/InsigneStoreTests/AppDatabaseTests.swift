import Foundation
import GRDB
import Testing

@testable import InsigneStore

/// The v5-access migration on a database written by v1–v4: existing rows get their issuer from what was recorded.
@Suite("Access migration")
struct AccessMigrationTests {
    @Test func existingRowsGetTheirIssuerFromWhatV4Recorded() throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: config)
        try AppDatabase.migrator.migrate(queue, upTo: "v4: backpacks, learner emails, Badge Connect clients and tokens")
        let t = "2026-01-01 10:00:00.000"
        try queue.write { db in
            for i in ["foyers", "tilleuls"] {
                try db.execute(
                    sql:
                        "INSERT INTO issuer (id, name, url, email, createdAt) VALUES (?, ?, 'https://x.example', 'a@x.example', ?)",
                    arguments: [i, i, t])
            }
            let accounts: [(String, String, String?)] = [
                ("admin", "admin", nil), ("staff-f", "staff", "foyers"), ("staff-t", "staff", "tilleuls"),
                ("learner-f", "learner", nil), ("learner-s", "learner", nil),
            ]
            for (id, role, issuer) in accounts {
                try db.execute(
                    sql:
                        "INSERT INTO account (id, login, displayName, role, issuerID, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [id, id, id, role, issuer, t])
            }
            // learner-f was invited by the Foyers' staff, learner-s by the administrator.
            for (hash, by, learner) in [("h1", "staff-f", "learner-f"), ("h2", "admin", "learner-s")] {
                try db.execute(
                    sql: """
                        INSERT INTO invitation (tokenHash, email, displayName, createdBy, createdAt, expiresAt, acceptedAt, accountID)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [hash, learner, learner, by, t, t, t, learner])
            }
            for (id, learner, status) in [
                ("e1", "learner-f", "submitted"), ("e2", "learner-f", "draft"), ("e3", "learner-s", "accepted"),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO evidence (id, learnerID, kind, title, status, createdAt, updatedAt)
                        VALUES (?, ?, 'narrative', 'x', ?, ?, ?)
                        """, arguments: [id, learner, status, t, t])
            }
            for (fw, by) in [("fw-t", "staff-t"), ("fw-site", "admin")] {
                try db.execute(
                    sql: """
                        INSERT INTO framework (id, idNumber, shortName, description, descriptionFormat, scaleValues,
                            scaleConfiguration, taxonomies, createdAt, updatedAt)
                        VALUES (?, ?, ?, '', 1, '[]', '', '[]', ?, ?)
                        """, arguments: [fw, fw, fw, t, t])
                try db.execute(
                    sql: "INSERT INTO auditEvent (at, actor, action, subject) VALUES (?, ?, 'framework.import', ?)",
                    arguments: [t, by, fw])
            }
            // A later re-import by another issuer's staff does not make it theirs.
            try db.execute(
                sql:
                    "INSERT INTO auditEvent (at, actor, action, subject) VALUES (?, 'staff-f', 'framework.reimport', 'fw-t')",
                arguments: ["2026-02-01 10:00:00.000"])
        }
        try AppDatabase.migrator.migrate(queue)
        try queue.read { db in
            #expect(
                try String?.fetchAll(db, sql: "SELECT issuerID FROM invitation ORDER BY tokenHash") == ["foyers", nil])
            #expect(
                try Row.fetchAll(db, sql: "SELECT learnerID, issuerID FROM learnerIssuer").map {
                    [$0[0] as String, $0[1] as String]
                } == [["learner-f", "foyers"]])
            let evidence = try Row.fetchAll(db, sql: "SELECT id, issuerID FROM evidence ORDER BY id").map {
                ($0[0] as String, $0[1] as String?)
            }
            #expect(evidence.map(\.1) == ["foyers", nil, nil])  // drafts stay unassigned; site learners: admin only
            #expect(try FrameworkRecord.fetchOne(db, key: "fw-t")?.ownerIssuerID == "tilleuls")
            #expect(try FrameworkRecord.fetchOne(db, key: "fw-site")?.ownerIssuerID == nil)
        }
    }
}
