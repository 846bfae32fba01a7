import CSVText
import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// One award to make in a batch, as read from a CSV line or a JSON array element.
struct BatchRow: Sendable, Equatable {
    /// CSV: the line where the record starts (the header is line 1). JSON: the 1-based position in the array.
    var line: Int
    var email: String
    var name: String?
    var narrative: String?
    /// ISO 8601 with a time zone, as written (CSV: or a day, `YYYY-MM-DD`).
    var expires: String?
    /// CSV only: the instant of an `expires` cell written as a day, the last second of that day in Paris.
    var expiresEndOfDay: Date?
    var evidence: [EvidenceRecord] = []
    /// Given by the client (`idempotencyKey` column or field); otherwise derived from the row's content.
    var idempotencyKey: String?
    /// A problem found while reading the row (wrong type, extra field): the row is reported as an error.
    var problem: ServiceError?
    /// JSON `"notify": false`: no award e-mail for this row.
    var notify = true
}

/// What happened to one row.
struct BatchRowResult: Sendable, Equatable {
    enum Status: String, Sendable { case created, skipped, error }
    var line: Int
    var status: Status
    var email: String?
    var id: String?
    var url: String?
    /// The recipient's expired or expiring award this row renewed (« renouvelé »), if any.
    var renewalOf: String?
    var error: ServiceError?

    var json: JSONValue {
        var o: [String: JSONValue] = ["line": .number(Double(line)), "status": .string(status.rawValue)]
        if let email { o["email"] = .string(email) }
        if let renewalOf { o["renewalOf"] = .string(renewalOf) }
        if let id { o["id"] = .string(id) }
        if let url { o["url"] = .string(url) }
        if let e = error {
            var err: [String: JSONValue] = ["fr": .string(e.messageFR), "en": .string(e.messageEN)]
            if let f = e.field { err["field"] = .string(f) }
            o["error"] = .object(err)
        }
        return .object(o)
    }
}

/// Bulk awarding, shared by the API (`POST /api/v1/badges/{id}/assertions/batch`) and the trainers' CSV pages:
/// CSV and JSON reading, row validation, idempotency keys, and the run itself. Rows are independent: a bad row
/// is reported and the others go on; awards are stored by whole groups (one transaction each, so a crash leaves
/// whole awards only); a retried batch never awards twice; their OB 3.0 forms follow in the background.
struct BatchAwarding: Sendable {
    let issuing: IssuingService
    let urls: PublicURLs

    /// Most rows in one API batch (JSON or CSV): scripts send whole promotions at once, rows are awarded in the
    /// background beyond 100 and reported in pages; the trainers' page reads fewer (`CSVAwardReader.pageMaxRows`).
    static let maxRows = 20_000

    // MARK: Reading

    /// Reads the API's CSV with the one reader (`CSVAwardReader`) and the API's row limit, in the encoding named
    /// by the `charset` of `contentType` (`utf-8`, `windows-1252`…; detected when absent); a malformed file is a
    /// `ServiceError` on the field `csv` (« CSV, ligne N : … »), a malformed row is returned with its `problem`.
    static func parseCSV(_ input: [UInt8], contentType: String? = nil) throws -> [BatchRow] {
        do {
            return try CSVAwardReader.rows(input, maxRows: maxRows, encoding: csvEncoding(contentType: contentType))
        } catch {
            throw error.serviceError
        }
    }

    /// The encoding a `charset` parameter names (`text/csv; charset=windows-1252`); automatic without one.
    static func csvEncoding(contentType: String?) -> CSVTextEncoding {
        for parameter in (contentType ?? "").split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"")))
            }
            if pair.count == 2, pair[0].lowercased() == "charset" { return CSVTextEncoding(name: pair[1]) }
        }
        return .automatic
    }

    /// Reads one award object `{recipient: {email, name?}, narrative?, evidence?, expires?, idempotencyKey?}`.
    /// Throws a 400 naming the field when the shape or a type is wrong.
    static func row(fromJSON value: JSONValue, line: Int, allowKey: Bool) throws -> BatchRow {
        let o = try JSONFields(value, field: allowKey ? "[\(line - 1)]" : "")
        try o.allowOnly(
            allowKey
                ? ["recipient", "narrative", "evidence", "expires", "idempotencyKey", "notify"]
                : ["recipient", "narrative", "evidence", "expires", "notify"])
        guard let r = try o.nested("recipient") else { throw JSONFields.missing(o.name("recipient")) }
        try r.allowOnly(["email", "name"])
        let key: String? = try allowKey ? o.optionalString("idempotencyKey") : nil
        var row = BatchRow(
            line: line, email: try r.requiredString("email"), name: try r.optionalString("name"),
            narrative: try o.optionalString("narrative"), expires: try o.optionalString("expires"), idempotencyKey: key)
        row.notify = try o.bool("notify") ?? true
        if let items = try o.array("evidence") {
            row.evidence = try items.enumerated().map { i, item in
                if case .string(let url) = item { return EvidenceRecord(id: url) }
                let e = try JSONFields(item, field: "\(o.name("evidence"))[\(i)]")
                try e.allowOnly(["id", "name", "narrative", "description", "genre"])
                return EvidenceRecord(
                    id: try e.optionalString("id"), name: try e.optionalString("name"),
                    narrative: try e.optionalString("narrative"), description: try e.optionalString("description"),
                    genre: try e.optionalString("genre"))
            }
        }
        return row
    }

    /// Reads a JSON batch: an array of award objects (or `{"rows": [...]}`). A malformed element becomes a row
    /// with its problem; a body of the wrong shape throws.
    static func rows(fromJSON value: JSONValue) throws -> [BatchRow] {
        var items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o) where o.keys.count == 1 && o["rows"]?.arrayValue != nil: items = o["rows"]!.arrayValue!
        default:
            throw JSONFields.wrongType("body", expected: "array", got: value.typeName)
        }
        guard items.count <= maxRows else {
            throw ServiceError(
                .tooLarge, field: "body", fr: "trop de lignes (\(maxRows) au plus par lot)",
                en: "too many rows (\(maxRows) at most per batch)")
        }
        return items.enumerated().map { i, item in
            do {
                return try row(fromJSON: item, line: i + 1, allowKey: true)
            } catch let e as ServiceError {
                let email = item["recipient"]?["email"]?.stringValue ?? ""
                return BatchRow(line: i + 1, email: email, problem: e)
            } catch {
                return BatchRow(
                    line: i + 1, email: "",
                    problem: ServiceError(.invalid, fr: "élément invalide", en: "invalid element"))
            }
        }
    }

    // MARK: Validation and keys

    /// The stored idempotency key of a row: `key:<badge>:<given key>` when the client gave one, else
    /// `row:` + SHA-256 of badge id, normalised email, narrative, expiry instant and evidence.
    static func idempotencyKey(for row: BatchRow, badgeID: String) -> String {
        if let k = row.idempotencyKey { return explicitKey(k, badgeID: badgeID) }
        let expires =
            row.expires.flatMap { DateTimeValue($0.trimmingCharacters(in: .whitespaces)) }.map {
                DateTimeValue($0.date).text
            }
            ?? row.expires ?? ""
        let evidence = row.evidence.map {
            [$0.id, $0.name, $0.narrative, $0.description, $0.genre].map { $0 ?? "" }.joined(separator: "\u{1E}")
        }
        .joined(separator: "\u{1D}")
        let parts = [
            badgeID, EmailNormalization.normalize(row.email),
            (row.narrative ?? "").trimmingCharacters(in: .whitespacesAndNewlines), expires, evidence,
        ]
        return "row:" + SHA256Digest.hexHash(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// The stored form of a client-given idempotency key (scoped to the badge class).
    static func explicitKey(_ key: String, badgeID: String) -> String { "key:\(badgeID):\(key)" }

    /// The validated award request for a row (400 `ServiceError` when invalid).
    static func awardRequest(_ row: BatchRow, badgeID: String) throws -> AwardRequest {
        if let p = row.problem { throw p }
        let expires = try row.expiresEndOfDay ?? row.expires.map { try Validation.dateTime($0, field: "expires") }
        if let k = row.idempotencyKey {
            try Validation.text(k, field: "idempotencyKey", max: 200)
        }
        var request = AwardRequest(
            badgeClassID: badgeID, recipientEmail: row.email, recipientName: row.name, narrative: row.narrative,
            evidence: row.evidence, expires: expires, idempotencyKey: idempotencyKey(for: row, badgeID: badgeID))
        request.renewExpiring = true
        try Validation.award(request)
        return request
    }

    // MARK: Running

    /// Awards every row (or, with `dryRun`, only checks them: `created` then means "would be created").
    /// `progress` is called after each row.
    func run(
        rows: [BatchRow], badgeID: String, dryRun: Bool, actor: String,
        progress: (@Sendable (BatchRowResult) async -> Void)? = nil
    ) async -> [BatchRowResult] {
        if dryRun {
            var results: [BatchRowResult] = []
            results.reserveCapacity(rows.count)
            var seen: Set<String> = []
            for row in rows {
                let result = await check(row, badgeID: badgeID, seen: &seen)
                results.append(result)
                await progress?(result)
            }
            return results
        }
        return await award(rows: rows, badgeID: badgeID, actor: actor, progress: progress)
    }

    /// Rows stored in one transaction: enough to make a transaction's cost small per award, few enough that a
    /// group is signed in a few tens of milliseconds (a crash loses at most the groups not yet committed).
    static let groupSize = 200

    /// The awarding run: rows checked, then awarded group by group (`IssuingService.prepareAwardGroup`, signed on
    /// every core); a group is stored while the next one is signed. Results keep the file's order; two rows with
    /// the same idempotency key never both award (the unique key decides, the other is skipped).
    func award(
        rows: [BatchRow], badgeID: String, actor: String, progress: (@Sendable (BatchRowResult) async -> Void)?
    ) async -> [BatchRowResult] {
        var results = rows.map { row in
            BatchRowResult(line: row.line, status: .error, email: row.email.isEmpty ? nil : normalized(row.email))
        }
        var requests: [(index: Int, request: AwardRequest)] = []
        for (index, row) in rows.enumerated() {
            do {
                requests.append((index, try Self.awardRequest(row, badgeID: badgeID)))
            } catch {
                results[index].error = IssuingService.rowError(error)
                await progress?(results[index])
            }
        }
        await award(requests: requests, badgeID: badgeID, actor: actor) { index, outcome in
            switch outcome {
            case .success(let award):
                results[index].status = award.created ? .created : .skipped
                if award.created { results[index].renewalOf = award.record.renewalOf }
                results[index].id = award.record.id
                results[index].url = urls.assertion(award.record.id)
            case .failure(let e): results[index].error = e
            }
            await progress?(results[index])
        }
        return results
    }

    /// Awards checked requests of the badge class `badgeID` group by group (`IssuingService.prepareAwardGroup`,
    /// signed on every core), a group stored while the next one is signed; `deliver` gets each request's index and
    /// outcome, in order. Shared by the API's batches and the trainers' CSV page. The OB 3.0 forms of the new awards
    /// follow in the background.
    func award(
        requests: [(index: Int, request: AwardRequest)], badgeID: String, actor: String,
        deliver: (Int, Result<GroupedAward, ServiceError>) async -> Void
    ) async {
        var storing: (indices: [Int], task: Task<[Result<GroupedAward, ServiceError>], Never>)?
        for start in stride(from: 0, to: requests.count, by: Self.groupSize) {
            let part = requests[start..<min(start + Self.groupSize, requests.count)]
            let prepared = await issuing.prepareAwardGroup(part.map(\.request), badgeID: badgeID, actor: actor)
            if let (indices, task) = storing {
                for (index, outcome) in zip(indices, await task.value) { await deliver(index, outcome) }
            }
            let issuing = issuing
            storing = (part.map(\.index), Task { await issuing.storeAwardGroup(prepared, actor: actor) })
        }
        if let (indices, task) = storing {
            for (index, outcome) in zip(indices, await task.value) { await deliver(index, outcome) }
        }
        issuing.resumeOB3Forms()  // the OB 3.0 forms of the new awards, in the background
    }

    private func normalized(_ email: String) -> String { EmailNormalization.normalize(email) }

    /// A dry run's row: would it be awarded (`created`), was it already (`skipped`), or is it refused?
    private func check(_ row: BatchRow, badgeID: String, seen: inout Set<String>) async -> BatchRowResult {
        let email = row.email.isEmpty ? nil : EmailNormalization.normalize(row.email)
        var result = BatchRowResult(line: row.line, status: .error, email: email)
        do {
            let key = Self.idempotencyKey(for: row, badgeID: badgeID)
            if let existing = try await issuing.assertion(idempotencyKey: key) {
                result.status = .skipped
                result.id = existing.id
                result.url = urls.assertion(existing.id)
                return result
            }
            _ = try Self.awardRequest(row, badgeID: badgeID)
            result.status = seen.insert(key).inserted ? .created : .skipped
            if result.status == .created { result.renewalOf = try await renewable(row, badgeID: badgeID)?.id }
        } catch {
            result.error = IssuingService.rowError(error)
        }
        return result
    }
}

extension BatchAwarding {
    /// The award a row renews instead of a plain award: the recipient's current award of the badge class when it is
    /// expired or expires within the badge class's first reminder window (see `IssuingService.renewable`).
    func renewable(_ row: BatchRow, badgeID: String) async throws -> AssertionRecord? {
        guard !row.email.isEmpty, let badge = try await issuing.badgeClass(badgeID) else { return nil }
        return try await issuing.renewable(badge: badge, email: row.email)
    }
}

/// Progress of the batches run in the background (more than 100 rows), kept in memory: the awards themselves are
/// durable, and a retried batch skips what was already awarded.
actor BatchRegistry {
    struct State: Sendable {
        var id: String
        var accountID: String
        var badgeID: String
        var total: Int
        var processed = 0
        var created = 0
        var skipped = 0
        var errors = 0
        var done = false
        var rows: [BatchRowResult] = []
        var startedAt: Date
        var finishedAt: Date?
    }

    private var batches: [String: State] = [:]
    /// Most batches remembered; the oldest finished ones are forgotten first.
    private let capacity = 200

    func start(accountID: String, badgeID: String, total: Int) -> State {
        if batches.count >= capacity {
            let finished = batches.values.filter(\.done).sorted { $0.startedAt < $1.startedAt }
            for s in finished.prefix(batches.count - capacity + 1) { batches[s.id] = nil }
        }
        let s = State(
            id: UUID().uuidString.lowercased(), accountID: accountID, badgeID: badgeID, total: total, startedAt: Date())
        batches[s.id] = s
        return s
    }

    func record(_ id: String, _ r: BatchRowResult) {
        guard var s = batches[id] else { return }
        s.processed += 1
        switch r.status {
        case .created: s.created += 1
        case .skipped: s.skipped += 1
        case .error: s.errors += 1
        }
        s.rows.append(r)
        batches[id] = s
    }

    func finish(_ id: String) {
        batches[id]?.done = true
        batches[id]?.finishedAt = Date()
    }

    func state(_ id: String) -> State? { batches[id] }
}

extension ServerServices {
    /// Awards every row of a CSV the way the API's batch endpoint does; returns the counts (benchmarks, scripts).
    public func awardBatch(csv: [UInt8], badgeID: String, actor: String) async throws -> (
        created: Int, skipped: Int, errors: Int
    ) {
        let rows = try BatchAwarding.parseCSV(csv)
        let results = await BatchAwarding(issuing: issuing, urls: urls).run(
            rows: rows, badgeID: badgeID, dryRun: false, actor: actor)
        return (
            results.count { $0.status == .created }, results.count { $0.status == .skipped },
            results.count { $0.status == .error }
        )
    }
}
