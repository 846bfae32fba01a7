import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The application database: one SQLite file (WAL, foreign keys), versioned migrations, and the
/// intention-named operations the service needs. Every write is one transaction: nothing is half-written.
public struct AppDatabase: Sendable {
    /// The GRDB writer (a `DatabasePool` on disk, a `DatabaseQueue` in memory for tests). Internal: the other modules
    /// go through the intention-named methods of the `AppDatabase+<Feature>.swift` extensions; only
    /// tests (`@testable import InsigneStore`) read or plant rows with it directly.
    let writer: any DatabaseWriter

    /// Wraps a writer and migrates it to the current schema.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try AppDatabase.migrator.migrate(writer)
    }

    /// Opens (or creates) the database file at `path` in WAL mode. A new file is created owner-only (0600) before
    /// SQLite sees it; SQLite gives the `-wal` and `-shm` files the database file's mode.
    public static func open(path: String) throws -> AppDatabase {
        if !FileManager.default.fileExists(atPath: path) {
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 { close(fd) }
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: config)
        return try AppDatabase(pool)
    }

    /// A fresh in-memory database (tests).
    public static func inMemory() throws -> AppDatabase {
        var config = Configuration()
        config.foreignKeysEnabled = true
        return try AppDatabase(DatabaseQueue(configuration: config))
    }

    /// The schema, one migration per version; never edit a shipped migration.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: issuers, keys, badge classes, assertions, accounts, audit") { db in
            try db.create(table: "issuer") { t in
                t.primaryKey("id", .text)
                t.column("parentID", .text).references("issuer", onDelete: .restrict)
                t.column("name", .text).notNull()
                t.column("url", .text).notNull()
                t.column("email", .text).notNull()
                t.column("description", .text)
                t.column("imageData", .blob)
                t.column("imageType", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "signingKey") { t in
                t.primaryKey("id", .text)
                t.column("issuerID", .text).notNull().indexed().references("issuer", onDelete: .restrict)
                t.column("algorithm", .text).notNull()
                t.column("publicKeyPEM", .text).notNull()
                t.column("privateKeyFile", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("retiredAt", .datetime)
            }
            try db.create(table: "badgeClass") { t in
                t.primaryKey("id", .text)
                t.column("issuerID", .text).notNull().indexed().references("issuer", onDelete: .restrict)
                t.column("name", .text).notNull()
                t.column("description", .text).notNull()
                t.column("criteriaNarrative", .text).notNull()
                t.column("criteriaURL", .text)
                t.column("imageData", .blob).notNull()
                t.column("imageType", .text).notNull()
                t.column("tags", .jsonText).notNull()
                t.column("alignment", .jsonText).notNull()
                t.column("validityDays", .integer)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "assertion") { t in
                t.primaryKey("id", .text)  // the UUID shared by the signed (urn:uuid) and hosted (URL) forms
                t.column("badgeClassID", .text).notNull().indexed().references("badgeClass", onDelete: .restrict)
                t.column("signingKeyID", .text).notNull().references("signingKey", onDelete: .restrict)
                t.column("recipientEmail", .text).notNull().indexed()  // private: never in a public document
                t.column("recipientName", .text)
                t.column("recipientSalt", .text).notNull()
                t.column("recipientIdentity", .text).notNull()
                t.column("issuedOn", .text).notNull()
                t.column("expires", .text)
                t.column("narrative", .text)
                t.column("evidence", .jsonText).notNull()
                t.column("jws", .text).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("createdBy", .text)
                t.column("createdAt", .datetime).notNull().indexed()
                t.column("revokedAt", .datetime)
                t.column("revokedBy", .text)
                t.column("revocationReason", .text)
            }
            try db.create(table: "account") { t in
                t.primaryKey("id", .text)
                t.column("login", .text).notNull().unique(onConflict: .fail).collate(.nocase)
                t.column("displayName", .text).notNull()
                t.column("passwordHash", .text)
                t.column("role", .text).notNull()  // admin | staff
                t.column("issuerID", .text).references("issuer", onDelete: .restrict)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "apiToken") { t in
                t.primaryKey("tokenHash", .text)
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("label", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "webSession") { t in
                t.primaryKey("tokenHash", .text)
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("csrfToken", .text).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "auditEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("detail", .text)
            }
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        m.registerMigration("v2: referentials, learners, evidence portfolios") { db in
            try db.create(table: "framework") { t in
                t.primaryKey("id", .text)  // URL slug, stable across re-imports
                t.column("idNumber", .text).notNull().unique()
                t.column("shortName", .text).notNull()
                t.column("description", .text).notNull()
                t.column("descriptionFormat", .integer).notNull()
                t.column("scaleValues", .jsonText).notNull()
                t.column("scaleConfiguration", .text).notNull()
                t.column("taxonomies", .jsonText).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "competency") { t in
                t.column("frameworkID", .text).notNull().references("framework", onDelete: .restrict)
                t.column("idNumber", .text).notNull()
                t.column("parentIDNumber", .text)
                t.column("shortName", .text).notNull()
                t.column("description", .text).notNull()
                t.column("descriptionFormat", .integer).notNull()
                t.column("scaleValues", .jsonText).notNull()
                t.column("scaleConfiguration", .text).notNull()
                t.column("ruleType", .text).notNull()
                t.column("ruleOutcome", .integer).notNull()
                t.column("ruleConfig", .text).notNull()
                t.column("relatedIDNumbers", .jsonText).notNull()
                t.column("exportID", .text).notNull()
                t.column("position", .integer).notNull()  // tree order in the framework
                t.column("depth", .integer).notNull()
                t.column("retiredAt", .datetime)  // gone from the last import; kept so aligned badges keep their URL
                t.primaryKey(["frameworkID", "idNumber"])
            }
            try db.alter(table: "account") { t in
                t.add(column: "email", .text)  // learners: where their badges are sent
                t.add(column: "erasedAt", .datetime)
            }
            try db.create(table: "invitation") { t in
                t.primaryKey("tokenHash", .text)
                t.column("email", .text).notNull()
                t.column("displayName", .text).notNull()
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("acceptedAt", .datetime)
                t.column("accountID", .text).references("account", onDelete: .setNull)
            }
            try db.create(table: "evidenceBlob") { t in
                t.primaryKey("sha256", .text)  // content address; the bytes live in <data>/evidence/ab/cdef…
                t.column("size", .integer).notNull()
                t.column("mediaType", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "evidence") { t in
                t.primaryKey("id", .text)
                t.column("learnerID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("kind", .text).notNull()  // file | narrative | link
                t.column("title", .text).notNull()
                t.column("narrative", .text)
                t.column("linkURL", .text)
                t.column("blobSHA256", .text).indexed().references("evidenceBlob", onDelete: .restrict)
                t.column("fileName", .text)
                t.column("genre", .text)
                t.column("status", .text).notNull()  // draft | submitted | accepted | changesRequested
                t.column("reviewComment", .text)
                t.column("reviewedBy", .text)
                t.column("reviewedAt", .datetime)
                t.column("submittedAt", .datetime)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "evidenceAlignment") { t in
                t.column("evidenceID", .text).notNull().references("evidence", onDelete: .cascade)
                t.column("frameworkID", .text).notNull()
                t.column("competencyIDNumber", .text).notNull()
                t.primaryKey(["evidenceID", "frameworkID", "competencyIDNumber"])
                t.foreignKey(["frameworkID", "competencyIDNumber"], references: "competency", onDelete: .restrict)
            }
            try db.create(table: "shareLink") { t in
                t.primaryKey("tokenHash", .text)
                t.column("learnerID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("label", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
        }
        m.registerMigration("v3: evidence description") { db in
            try db.alter(table: "evidence") { t in t.add(column: "description", .text) }
        }
        m.registerMigration("v4: backpacks, learner emails, Badge Connect clients and tokens") { db in
            try db.create(table: "learnerEmail") { t in
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("email", .text).notNull().unique()  // normalised (EmailNormalization)
                t.column("verifiedAt", .datetime)
                t.column("verificationTokenHash", .text)
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["accountID", "email"])
            }
            try db.create(table: "backpackBadge") { t in
                t.primaryKey("id", .text)
                t.column("learnerID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("source", .text).notNull()  // file | url | jws | badgeConnect
                t.column("assertionID", .text).notNull()  // the assertion's own id (URL or urn:uuid)
                t.column("jws", .text)  // signed assertions
                t.column("assertionJSON", .text).notNull()  // the assertion as verified
                t.column("originalData", .blob)  // the baked file as received
                t.column("originalType", .text)
                t.column("badgeName", .text).notNull()
                t.column("issuerName", .text).notNull()
                t.column("issuedOn", .text)
                t.column("outcome", .text).notNull()  // VerificationOutcome raw value
                t.column("reportJSON", .text).notNull()
                t.column("verifiedAt", .datetime).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["learnerID", "assertionID"])
            }
            try db.create(table: "backpackSetting") { t in
                t.primaryKey("accountID", .text).references("account", onDelete: .cascade)
                t.column("publicSlug", .text).unique()  // opt-in public page /backpacks/<slug>; nil = private
                t.column("publicSince", .datetime)
            }
            try db.create(table: "oauthClient") { t in
                t.primaryKey("id", .text)
                t.column("secretHash", .text).notNull()
                t.column("metadataJSON", .text).notNull()  // the registration as accepted (RFC 7591)
                t.column("redirectURIs", .jsonText).notNull()
                t.column("scopes", .text).notNull()  // space-separated, as granted at registration
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "oauthCode") { t in
                t.primaryKey("codeHash", .text)
                t.column("clientID", .text).notNull().references("oauthClient", onDelete: .cascade)
                t.column("accountID", .text).notNull().references("account", onDelete: .cascade)
                t.column("redirectURI", .text).notNull()
                t.column("scopes", .text).notNull()
                t.column("codeChallenge", .text).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("usedAt", .datetime)
            }
            try db.create(table: "oauthToken") { t in
                t.primaryKey("tokenHash", .text)
                t.column("kind", .text).notNull()  // access | refresh
                t.column("clientID", .text).notNull().indexed().references("oauthClient", onDelete: .cascade)
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("scopes", .text).notNull()
                t.column("grantID", .text).notNull().indexed()  // tokens of one consent share it (revoked together)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
        }
        m.registerMigration("v5-privacy: evidence published with a badge only by the learner's choice") { db in
            try db.create(table: "evidencePublication") { t in
                t.column("evidenceID", .text).notNull().references("evidence", onDelete: .cascade)
                t.column("badgeClassID", .text).notNull().indexed().references("badgeClass", onDelete: .cascade)
                t.column("token", .text).notNull().unique()  // the unguessable public URL /public-evidence/<token>
                t.column("createdAt", .datetime).notNull()
                t.column("withdrawnAt", .datetime)  // the learner took it back: the URL answers 404 again
                t.primaryKey(["evidenceID", "badgeClassID"])
            }
        }
        m.registerMigration(
            "v5-access: learners enrolled per issuer, evidence submitted to an issuer, framework owners"
        ) {
            db in
            // Who sees a learner: one row per (learner, issuer) that invited them (see `LearnerIssuerRecord`).
            try db.create(table: "learnerIssuer") { t in
                t.column("learnerID", .text).notNull().references("account", onDelete: .cascade)
                t.column("issuerID", .text).notNull().indexed().references("issuer", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["learnerID", "issuerID"])
            }
            try db.alter(table: "invitation") { t in
                t.add(column: "issuerID", .text).references("issuer", onDelete: .setNull)  // nil: the site (admin)
            }
            try db.alter(table: "evidence") { t in
                t.add(column: "issuerID", .text).indexed().references("issuer", onDelete: .setNull)  // submitted to
            }
            try db.alter(table: "framework") { t in
                t.add(column: "ownerIssuerID", .text).references("issuer", onDelete: .setNull)  // nil: the site
            }
            // Existing rows: an invitation belongs to the issuer of the staff account that sent it (admin: the site);
            // a learner is enrolled with the issuers of their accepted invitations; a piece already submitted
            // belongs to the learner's first issuer; a framework to the issuer of the staff account that first
            // imported it (audit log), else to the site.
            try db.execute(
                sql: """
                    UPDATE invitation SET issuerID = (
                        SELECT a.issuerID FROM account a WHERE a.id = invitation.createdBy AND a.role = 'staff')
                    """)
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO learnerIssuer (learnerID, issuerID, createdAt)
                    SELECT accountID, issuerID, MIN(acceptedAt) FROM invitation
                    WHERE accountID IS NOT NULL AND issuerID IS NOT NULL AND acceptedAt IS NOT NULL
                    GROUP BY accountID, issuerID
                    """)
            try db.execute(
                sql: """
                    UPDATE evidence SET issuerID = (
                        SELECT l.issuerID FROM learnerIssuer l WHERE l.learnerID = evidence.learnerID
                        ORDER BY l.createdAt, l.issuerID LIMIT 1)
                    WHERE status <> 'draft'
                    """)
            try db.execute(
                sql: """
                    UPDATE framework SET ownerIssuerID = (
                        SELECT a.issuerID FROM auditEvent e JOIN account a ON a.id = e.actor
                        WHERE e.action = 'framework.import' AND e.subject = framework.id AND a.role = 'staff'
                        ORDER BY e.at LIMIT 1)
                    """)
        }
        m.registerMigration("v6-edit: badge classes can be archived (still verify, no new awards)") { db in
            try db.alter(table: "badgeClass") { t in
                t.add(column: "archivedAt", .datetime)  // nil: in use; set: archived, no new awards
            }
        }
        m.registerMigration("v6-mail: durable queue of outgoing e-mail") { db in
            try db.create(table: "mailMessage") { t in
                t.column("id", .text).primaryKey()
                t.column("sender", .text).notNull()
                t.column("recipient", .text).notNull().indexed()
                t.column("subject", .text).notNull()
                t.column("content", .text).notNull()
                t.column("status", .text).notNull()  // queued, sending, sent, failed
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .datetime).notNull()
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("claimedAt", .datetime)
                t.column("sentAt", .datetime)
                t.column("lastError", .text)
            }
            try db.create(index: "mailMessage_due", on: "mailMessage", columns: ["status", "nextAttemptAt"])
        }
        m.registerMigration("v6-roles: staff roles per issuer (manager, trainer, reviewer)") { db in
            try db.create(table: "membership") { t in
                t.column("id", .text).primaryKey()
                t.column("accountID", .text).notNull().references("account", onDelete: .cascade)
                t.column("issuerID", .text).notNull().indexed().references("issuer", onDelete: .cascade)
                t.column("role", .text).notNull()  // manager, trainer, reviewer
                t.column("createdAt", .datetime).notNull()
                t.column("createdBy", .text).notNull()
                t.uniqueKey(["accountID", "issuerID", "role"])
            }
            // The former one-issuer staff accounts could do everything within their issuer: they become its managers.
            try db.execute(
                sql: """
                    INSERT INTO membership (id, accountID, issuerID, role, createdAt, createdBy)
                    SELECT 'mem_' || lower(hex(randomblob(12))), id, issuerID, 'manager', createdAt, 'migration'
                    FROM account WHERE role = 'staff' AND issuerID IS NOT NULL AND erasedAt IS NULL
                    """)
        }
        m.registerMigration("v6-password-reset: single-use password reset links sent by e-mail") { db in
            try db.create(table: "passwordReset") { t in
                t.column("tokenHash", .text).primaryKey()  // SHA-256 of the link's token
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
        }
        m.registerMigration("v6-roster: people expected to hold badges, per establishment, with their addresses") {
            db in
            try db.create(table: "person") { t in
                t.column("id", .text).primaryKey()
                t.column("issuerID", .text).notNull().references("issuer", onDelete: .cascade)
                t.column("firstName", .text).notNull()
                t.column("lastName", .text).notNull()
                t.column("externalID", .text)
                t.column("joinedAt", .datetime).notNull()
                t.column("leftAt", .datetime)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(
                index: "person_roster", on: "person", columns: ["issuerID", "leftAt", "lastName", "firstName"])
            try db.create(table: "personEmail") { t in
                t.column("personID", .text).notNull().indexed().references("person", onDelete: .cascade)
                t.column("issuerID", .text).notNull().references("issuer", onDelete: .cascade)
                t.column("email", .text).notNull()  // normalised (EmailNormalization)
                t.column("position", .integer).notNull()
                t.primaryKey(["issuerID", "email"])
            }
            // The compliance view looks up each person's newest award of one badge class by address.
            try db.create(
                index: "assertion_recipient_badge", on: "assertion", columns: ["recipientEmail", "badgeClassID"])
        }
        m.registerMigration("v6-validity: badge class validity (ISO 8601 duration) and reminders, renewal links") {
            db in
            try db.alter(table: "badgeClass") { t in
                t.add(column: "validity", .text)  // ISO 8601 duration (P3Y); nil: awards do not expire
                t.add(column: "reminderDays", .jsonText).notNull().defaults(to: "[90,30,7]")  // JSON array of days
            }
            try db.execute(
                sql: "UPDATE badgeClass SET validity = 'P' || validityDays || 'D' WHERE validityDays IS NOT NULL")
            try db.alter(table: "badgeClass") { t in t.drop(column: "validityDays") }
            try db.alter(table: "assertion") { t in
                t.add(column: "renewalOf", .text).indexed()  // the earlier award this one renews
                t.add(column: "renewedBy", .text)  // the later award renewing this one
            }
        }
        m.registerMigration("v6-staff-invitations: links inviting staff to choose their password") { db in
            try db.create(table: "staffInvitation") { t in
                t.column("tokenHash", .text).primaryKey()
                t.column("accountID", .text).notNull().indexed().references("account", onDelete: .cascade)
                t.column("issuerID", .text).notNull().references("issuer", onDelete: .cascade)
                t.column("role", .text).notNull()  // manager, trainer, reviewer
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("acceptedAt", .datetime)
            }
        }
        m.registerMigration("v6-notify: claim links of award notifications") { db in
            try db.create(table: "claimToken") { t in
                t.column("tokenHash", .text).primaryKey()
                t.column("assertionID", .text).notNull().indexed().references("assertion", onDelete: .cascade)
                t.column("email", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("claimedAt", .datetime)
                t.column("claimedBy", .text)
            }
        }
        m.registerMigration("v7-reminders: expiry reminders and trainer digests, each sent at most once") { db in
            try db.create(table: "reminder") { t in
                t.column("assertionID", .text).notNull().references("assertion", onDelete: .cascade)
                t.column("threshold", .integer).notNull()  // days before the expiry
                t.column("day", .text).notNull().indexed()  // UTC day of the run, 2029-09-08
                t.column("skipped", .boolean).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["assertionID", "threshold"])
            }
            try db.create(table: "reminderDigest") { t in
                t.column("accountID", .text).notNull().references("account", onDelete: .cascade)
                t.column("day", .text).notNull()
                t.column("holders", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["accountID", "day"])
            }
        }
        m.registerMigration("v8-ob3keys: Ed25519 issuer keys for OB 3.0 Data Integrity proofs") { db in
            try db.create(table: "dataIntegrityKey") { t in
                t.column("id", .text).primaryKey()
                t.column("issuerID", .text).notNull().indexed().references("issuer", onDelete: .cascade)
                t.column("publicKeyMultibase", .text).notNull()
                t.column("privateKeyFile", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("retiredAt", .datetime)
            }
            // One active key per issuer: two requests creating the first key at once cannot both win.
            try db.execute(
                sql: "CREATE UNIQUE INDEX dataIntegrityKey_active ON dataIntegrityKey(issuerID) WHERE retiredAt IS NULL"
            )
        }
        m.registerMigration("v8-ob3status: Bitstring status lists of OB 3.0 credentials (random indices, bits)") { db in
            // No foreign key to the award: the index is reserved before the award row exists (the credential is
            // signed outside the award transaction); a failed award only burns its index.
            try db.create(table: "statusListEntry") { t in
                t.column("issuerID", .text).notNull().references("issuer", onDelete: .cascade)
                t.column("purpose", .text).notNull()  // revocation
                t.column("listIndex", .integer).notNull()
                t.column("assertionID", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["issuerID", "purpose", "listIndex"])
            }
            try db.create(table: "statusList") { t in
                t.column("issuerID", .text).notNull().references("issuer", onDelete: .cascade)
                t.column("purpose", .text).notNull()
                t.column("bits", .blob).notNull()  // 16,384 bytes; index 0 = most significant bit of byte 0
                t.column("updatedAt", .datetime).notNull()
                t.primaryKey(["issuerID", "purpose"])
            }
        }
        m.registerMigration("v8-ob3issue: OB 3.0 credentials of awards (signed JSON and VC-JWT, stored once)") { db in
            try db.create(table: "ob3Credential") { t in
                t.primaryKey("assertionID", .text).references("assertion", onDelete: .cascade)
                t.column("json", .text).notNull()
                t.column("jwt", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        m.registerMigration("v8-scale: indexes for the paged lists at a million awards") { db in
            // Trainers' list of some badge classes, newest first; award counts per badge class from the index alone.
            try db.create(
                index: "assertion_badge_created", on: "assertion", columns: ["badgeClassID", "createdAt"])
            // Revocation lists and revoked counts read only the revoked awards (about 2 %).
            try db.execute(
                sql: "CREATE INDEX assertion_revoked ON assertion(badgeClassID, createdAt) WHERE revokedAt IS NOT NULL")
        }
        m.registerMigration("v9-scale2: award search index (FTS5 trigram) and award counts per badge class") { db in
            try Self.createAwardSearch(db)
            try Self.createAwardCounts(db)
        }
        m.registerMigration("v9-batch: bulk awards whose OB 3.0 form is still to be made") { db in
            // Written in the bulk award's transaction, removed once the background maker has made the form.
            try db.create(table: "ob3Pending") { t in
                t.primaryKey("assertionID", .text).references("assertion", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
            }
        }
        m.registerMigration("v10-scale3: award indexes for pages read from a cursor and for the compliance view") {
            db in
            // (createdAt, id) orders every award list completely: a page after a cursor is one index range, with
            // no sort of the awards created at the same instant. They replace the indexes they extend.
            try db.create(index: "assertion_created_id", on: "assertion", columns: ["createdAt", "id"])
            try db.drop(index: "assertion_on_createdAt")
            try db.create(
                index: "assertion_badge_created_id", on: "assertion", columns: ["badgeClassID", "createdAt", "id"])
            try db.drop(index: "assertion_badge_created")
            // The compliance view reads an establishment's addresses, then the badge class's unrevoked awards to
            // each, from these two indexes alone (no row of either table).
            try db.create(
                index: "assertion_compliance", on: "assertion",
                columns: ["badgeClassID", "recipientEmail", "revokedAt", "issuedOn", "createdAt", "expires", "id"])
            try db.drop(index: "assertion_recipient_badge")
            try db.create(
                index: "personEmail_roster", on: "personEmail", columns: ["issuerID", "personID", "position", "email"])
        }
        return m
    }
}
