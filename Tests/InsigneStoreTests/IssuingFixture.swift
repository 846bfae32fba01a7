import Foundation
import GRDB

@testable import InsigneStore

/// A small organisation for the store tests: the issuer `foyer` (with one key `foyer-k1`) and its establishment
/// `annexe` (key `annexe-k1`), a badge class for each, an administrator, a staff member of `foyer` and a learner.
enum IssuingFixture {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A fresh in-memory database holding the organisation.
    static func database() async throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        try await db.writer.write { db in
            try IssuerRecord(
                id: "foyer", name: "Foyer", url: "https://foyer.example", email: "f@example.org", createdAt: start
            ).insert(db)
            try IssuerRecord(
                id: "annexe", parentID: "foyer", name: "Annexe", url: "https://annexe.example", email: "a@example.org",
                createdAt: start
            ).insert(db)
            for issuer in ["foyer", "annexe"] {
                try key(issuer, "\(issuer)-k1", at: start).insert(db)
                try badge("\(issuer)-badge", issuer: issuer, name: "Badge \(issuer)").insert(db)
            }
            try AccountRecord(
                id: "admin", login: "Admin", displayName: "Administratrice", passwordHash: nil, role: .admin,
                issuerID: nil, createdAt: start
            ).insert(db)
            try AccountRecord(
                id: "staff", login: "staff", displayName: "Formateur", passwordHash: nil, role: .staff,
                issuerID: "foyer", createdAt: start
            ).insert(db)
            try AccountRecord(
                id: "lea", login: "lea", displayName: "Léa", passwordHash: nil, role: .learner, issuerID: nil,
                createdAt: start, email: "lea@example.org"
            ).insert(db)
        }
        return db
    }

    /// A signing key record.
    static func key(_ issuerID: String, _ id: String, at date: Date) -> SigningKeyRecord {
        SigningKeyRecord(
            id: id, issuerID: issuerID, algorithm: "RSA-2048", publicKeyPEM: "pem", privateKeyFile: "\(id).pem",
            createdAt: date)
    }

    /// A badge class record.
    static func badge(_ id: String, issuer: String, name: String) -> BadgeClassRecord {
        BadgeClassRecord(
            id: id, issuerID: issuer, name: name, description: "d", criteriaNarrative: "c", imageData: Data([0]),
            imageType: "png", createdAt: start)
    }

    /// An award record (not yet stored).
    static func award(
        _ id: String, badge: String = "foyer-badge", email: String = "lea@example.org", name: String? = nil,
        key: String = "foyer-k1", idempotencyKey: String? = nil, at date: Date = start
    ) -> AssertionRecord {
        AssertionRecord(
            id: id, badgeClassID: badge, signingKeyID: key, recipientEmail: email, recipientName: name,
            recipientSalt: "salt", recipientIdentity: "sha256$x", issuedOn: "2027-01-15T08:00:00Z", expires: nil,
            narrative: nil, evidence: [], jws: "jws", idempotencyKey: idempotencyKey ?? "award:\(id)",
            createdBy: "staff", createdAt: date)
    }

    /// The audit events with this action, oldest first.
    static func audit(_ db: AppDatabase, action: String) async throws -> [AuditEventRecord] {
        try await db.writer.read { db in
            try AuditEventRecord.filter { $0.action == action }.order(\.id).fetchAll(db)
        }
    }
}
