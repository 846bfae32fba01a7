import CSVText
import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One CSV row of a bulk award, checked before anything is awarded.
struct WebBatchRow: Sendable {
    enum Outcome: Sendable {
        case pending
        case created(String)
        /// Awarded as the renewal of the recipient's expired or expiring award.
        case renewed(String)
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
    /// How the file was read (encoding, separator), in French and English; nil for pasted text.
    var source: (fr: String, en: String)? = nil
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

/// The rows of a trainers' bulk award, read by the one CSV award reader and checked as the API checks them.
enum WebBatchBuilder {
    /// Builds the rows of a batch from CSV bytes (`CSVAwardReader.pageMaxRows` at most): whole-file problems
    /// throw, row problems are kept per row. The page adds one rule of its own: an address given twice in the file
    /// is refused on its second line (a preview shows each person once).
    static func rows(
        csv: [UInt8], encoding: CSVTextEncoding = .automatic, badgeID: String
    ) throws -> [WebBatchRow] {
        try rows(
            CSVAwardReader.read(csv, maxRows: CSVAwardReader.pageMaxRows, encoding: encoding).rows, badgeID: badgeID)
    }

    /// The rows of a batch from the rows of a file read by `CSVAwardReader`.
    static func rows(_ rows: [BatchRow], badgeID: String) throws -> [WebBatchRow] {
        guard !rows.isEmpty else {
            throw CSVAwardReader.Failure(line: 2, fr: "aucune ligne après l'en-tête", en: "no rows after the header")
        }
        var seen: [String: Int] = [:]
        return rows.map { r in
            var row = WebBatchRow(line: r.line, email: r.email, name: r.name ?? "")
            do {
                // The same request and key as the API's batch endpoint: one CSV sent both ways never awards twice.
                let request = try BatchAwarding.awardRequest(r, badgeID: badgeID)
                let normalized = EmailNormalization.normalize(r.email)
                if let first = seen[normalized] {
                    row.errorFR = "Même adresse qu'à la ligne \(first)"
                    row.errorEN = "Same address as line \(first)"
                } else {
                    seen[normalized] = r.line
                    row.request = request
                }
            } catch let e as ServiceError {
                row.errorFR = e.fieldMessage(english: false)
                row.errorEN = e.fieldMessage(english: true)
            } catch {
                row.errorFR = "Ligne invalide"
                row.errorEN = "Invalid row"
            }
            return row
        }
    }
}
