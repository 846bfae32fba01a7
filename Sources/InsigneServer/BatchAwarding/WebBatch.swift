import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One CSV row of a bulk award, checked before anything is awarded.
struct WebBatchRow: Sendable {
    enum Outcome: Sendable {
        case pending
        case created(String)
        case existing(String)
        case failed(fr: String, en: String)
    }

    var line: Int
    var email: String
    var name: String
    var request: AwardRequest?
    /// Why the row cannot be awarded (checked at preview).
    var errorFR: String?
    var errorEN: String?
    var outcome: Outcome = .pending
}

/// A bulk award: previewed, then confirmed once, then run in the background.
struct WebBatch: Sendable {
    enum State: Sendable { case preview, running, done }
    var id: String
    var accountID: String
    var badgeID: String
    var createdAt: Date
    var rows: [WebBatchRow]
    var state: State = .preview
    var processed = 0

    var valid: Int { rows.filter { $0.request != nil }.count }
}

/// The in-memory batches (lost on restart: a re-upload awards nothing twice thanks to the derived keys).
actor WebBatchStore {
    private var batches: [String: WebBatch] = [:]

    func add(_ batch: WebBatch) {
        let now = Date()
        batches = batches.filter { now.timeIntervalSince($0.value.createdAt) < 6 * 3600 || $0.value.state == .running }
        batches[batch.id] = batch
    }

    func get(_ id: String) -> WebBatch? { batches[id] }

    /// Marks the batch running; false when it was already confirmed.
    func start(_ id: String) -> Bool {
        guard var b = batches[id], b.state == .preview else { return false }
        b.state = .running
        batches[id] = b
        return true
    }

    func record(_ id: String, row: Int, outcome: WebBatchRow.Outcome) {
        guard var b = batches[id], b.rows.indices.contains(row) else { return }
        b.rows[row].outcome = outcome
        b.processed += 1
        batches[id] = b
    }

    func finish(_ id: String) {
        batches[id]?.state = .done
    }
}

enum WebBatchBuilder {
    /// Column names (French aliases accepted).
    static let aliases: [String: String] = [
        "email": "email", "e-mail": "email", "courriel": "email", "mail": "email",
        "name": "name", "nom": "name",
        "narrative": "narrative", "récit": "narrative", "recit": "narrative", "commentaire": "narrative",
        "expires": "expires", "expiration": "expires", "expire": "expires",
        "evidence": "evidence", "preuve": "evidence", "preuves": "evidence",
    ]

    /// Builds the rows of a batch from CSV bytes; structural problems throw, row problems are kept per row.
    static func rows(csv: [UInt8], badgeID: String) throws -> [WebBatchRow] {
        let parsed = try WebCSV.parse(csv)
        guard let header = parsed.rows.first else {
            throw WebCSV.Failure(line: 1, fr: "le fichier est vide", en: "the file is empty")
        }
        var columns: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let key = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard let name = aliases[key] else {
                throw WebCSV.Failure(
                    line: 1, fr: "colonne inconnue « \(raw) » (attendu : email, name, narrative, expires, evidence)",
                    en: "unknown column \"\(raw)\" (expected: email, name, narrative, expires, evidence)")
            }
            guard columns[name] == nil else {
                throw WebCSV.Failure(line: 1, fr: "colonne « \(raw) » en double", en: "duplicate column \"\(raw)\"")
            }
            columns[name] = i
        }
        guard columns["email"] != nil else {
            throw WebCSV.Failure(
                line: 1, fr: "la colonne « email » est obligatoire", en: "the \"email\" column is required")
        }
        guard parsed.rows.count > 1 else {
            throw WebCSV.Failure(line: 2, fr: "aucune ligne après l'en-tête", en: "no rows after the header")
        }
        var seen: [String: Int] = [:]
        var out: [WebBatchRow] = []
        for r in parsed.rows.dropFirst() {
            func col(_ n: String) -> String {
                guard let i = columns[n], i < r.fields.count else { return "" }
                return r.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let email = col("email")
            let name = col("name")
            let narrative = col("narrative")
            let expires = col("expires")
            let evidence = col("evidence")
            var row = WebBatchRow(line: r.line, email: email, name: name)
            func fail(_ fr: String, _ en: String) {
                row.errorFR = fr.prefix(1).uppercased() + fr.dropFirst()
                row.errorEN = en.prefix(1).uppercased() + en.dropFirst()
            }
            if r.fields.count > header.fields.count {
                fail(
                    "trop de colonnes (\(r.fields.count) pour \(header.fields.count))",
                    "too many columns (\(r.fields.count) for \(header.fields.count))")
                out.append(row)
                continue
            }
            var expiry: Date?
            if !expires.isEmpty {
                expiry = WebDates.endOfDayParis(expires) ?? DateTimeValue(expires)?.date
                if expiry == nil {
                    fail(
                        "date d'expiration invalide « \(expires) » (AAAA-MM-JJ attendu)",
                        "invalid expiry date \"\(expires)\" (YYYY-MM-DD expected)")
                    out.append(row)
                    continue
                }
            }
            var evidenceRecords: [EvidenceRecord] = []
            if !evidence.isEmpty {
                let lower = evidence.lowercased()
                evidenceRecords = [
                    lower.hasPrefix("http://") || lower.hasPrefix("https://")
                        ? EvidenceRecord(id: evidence) : EvidenceRecord(narrative: evidence)
                ]
            }
            let normalized = EmailNormalization.normalize(email)
            // The same derivation as the API's batch endpoint: one CSV sent both ways never awards twice.
            let key = BatchAwarding.idempotencyKey(
                for: BatchRow(
                    line: r.line, email: email, name: name.isEmpty ? nil : name,
                    narrative: narrative.isEmpty ? nil : narrative,
                    expires: expires.isEmpty ? nil : expires, evidence: evidenceRecords),
                badgeID: badgeID)
            let request = AwardRequest(
                badgeClassID: badgeID, recipientEmail: email, recipientName: name.isEmpty ? nil : name,
                narrative: narrative.isEmpty ? nil : narrative, evidence: evidenceRecords, expires: expiry,
                idempotencyKey: key)
            do {
                if email.isEmpty {
                    throw ServiceError(.invalid, fr: "adresse électronique manquante", en: "missing email address")
                }
                try Validation.award(request)
                if let first = seen[normalized] {
                    fail("même adresse qu'à la ligne \(first)", "same address as line \(first)")
                } else {
                    seen[normalized] = r.line
                    row.request = request
                }
            } catch let e as ServiceError {
                fail(e.fieldMessage(english: false), e.fieldMessage(english: true))
            }
            out.append(row)
        }
        return out
    }
}
