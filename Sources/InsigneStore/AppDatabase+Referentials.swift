import CompetencyFrameworks
import Foundation
import GRDB

/// What an import changed.
public struct FrameworkImportSummary: Sendable, Equatable {
    /// The stored framework.
    public var framework: FrameworkRecord
    /// True when the id number was new.
    public var created: Bool
    /// Competencies added, changed, unchanged, and retired (in the store but no longer in the file).
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var retired: Int
}

extension AppDatabase {
    /// Imports (or re-imports) a validated framework in one transaction. A framework is matched by its id number;
    /// competencies by theirs. Competencies missing from the new file are retired, never deleted, so badge classes
    /// aligned to them keep working URLs.
    public func importFramework(
        _ framework: CompetencyFramework, actor: String, as importer: FrameworkImporter = .site, now: Date = Date()
    ) throws -> FrameworkImportSummary {
        let f = try framework.validated()
        try Self.checkTree(f)
        return try writer.write { db in
            var created = false
            var record: FrameworkRecord
            let existing = try FrameworkRecord.filter { $0.idNumber == f.idNumber }.fetchOne(db)
            if let existing {
                if case .issuer(let issuerID) = importer, existing.ownerIssuerID != issuerID {
                    let ownerName = try existing.ownerIssuerID.flatMap { try IssuerRecord.fetchOne(db, key: $0)?.name }
                    throw FrameworkOwnershipError(
                        frameworkID: existing.id, shortName: existing.shortName, ownerIssuerID: existing.ownerIssuerID,
                        ownerName: ownerName)
                }
                record = existing
            } else {
                created = true
                var owner: String?
                if case .issuer(let issuerID) = importer { owner = issuerID }
                record = FrameworkRecord(
                    id: try Self.freeFrameworkSlug(for: f.idNumber, db), idNumber: f.idNumber, shortName: "",
                    description: "", descriptionFormat: 1, scaleValues: [], scaleConfiguration: "", taxonomies: [],
                    createdAt: now, updatedAt: now, ownerIssuerID: owner)
            }
            record.shortName = f.shortName
            record.description = f.description
            record.descriptionFormat = f.descriptionFormat
            record.scaleValues = f.scaleValues
            record.scaleConfiguration = f.scaleConfiguration
            record.taxonomies = f.taxonomies
            record.updatedAt = now
            try record.save(db)

            var old = [String: CompetencyRecord]()
            let stored = try CompetencyRecord.filter { $0.frameworkID == record.id }.fetchAll(db)
            for c in stored {
                old[c.idNumber] = c
            }
            var added = 0
            var updated = 0
            var unchanged = 0
            var retired = 0
            let tail = f.competencies.count
            for (position, c) in f.competencies.enumerated() {
                let new = CompetencyRecord(
                    frameworkID: record.id, competency: c, position: position, depth: f.depth(of: c.idNumber))
                if let before = old.removeValue(forKey: c.idNumber) {
                    if before == new {
                        unchanged += 1
                        continue
                    }
                    updated += 1
                } else {
                    added += 1
                }
                try new.save(db)
            }
            for (offset, var gone) in old.values.sorted(by: { $0.position < $1.position }).enumerated() {
                if gone.retiredAt == nil {
                    retired += 1
                    gone.retiredAt = now
                }
                gone.position = tail + offset
                try gone.save(db)
            }
            var event = AuditEventRecord(
                at: now, actor: actor, action: created ? "framework.import" : "framework.reimport", subject: record.id,
                detail: "added \(added), updated \(updated), unchanged \(unchanged), retired \(retired)")
            try event.insert(db)
            return FrameworkImportSummary(
                framework: record, created: created, added: added, updated: updated, unchanged: unchanged,
                retired: retired)
        }
    }

    /// The store's own guard (whatever the validator let through): id numbers unique, parents present and earlier.
    static func checkTree(_ f: CompetencyFramework) throws(ReferentialError) {
        guard !f.idNumber.isEmpty else {
            throw ReferentialError(
                line: nil, fr: "le référentiel n'a pas d'identifiant", en: "the framework has no id number")
        }
        var seen = Set<String>()
        for c in f.competencies {
            if let p = c.parentIDNumber, !seen.contains(p) {
                throw ReferentialError(
                    line: nil, fr: "\(c.idNumber) : parent inconnu ou placé après lui (\(p))",
                    en: "\(c.idNumber): unknown parent, or placed after it (\(p))")
            }
            guard seen.insert(c.idNumber).inserted else {
                throw ReferentialError(
                    line: nil, fr: "identifiant en double : \(c.idNumber)", en: "duplicate id number: \(c.idNumber)")
            }
        }
    }

    /// A slug for a new framework: lowercase letters, digits and dashes, unique.
    static func freeFrameworkSlug(for idNumber: String, _ db: Database) throws -> String {
        var slug = ""
        for ch in idNumber.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                slug.append(ch)
            } else if !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
        if slug.isEmpty { slug = "referentiel" }
        var candidate = slug
        var n = 2
        while try FrameworkRecord.exists(db, key: candidate) {
            candidate = "\(slug)-\(n)"
            n += 1
        }
        return candidate
    }

    /// Every framework, by title.
    public func frameworks() throws -> [FrameworkRecord] {
        try writer.read { db in
            try FrameworkRecord.order { $0.shortName.collating(.localizedCaseInsensitiveCompare) }.fetchAll(db)
        }
    }

    /// One framework by slug.
    public func framework(id: String) throws -> FrameworkRecord? {
        try writer.read { db in try FrameworkRecord.fetchOne(db, key: id) }
    }

    /// A framework's competencies in tree order (retired ones last unless excluded).
    public func competencies(frameworkID: String, includeRetired: Bool = true) throws -> [CompetencyRecord] {
        try writer.read { db in
            var q = CompetencyRecord.filter { $0.frameworkID == frameworkID }
            if !includeRetired { q = q.filter { $0.retiredAt == nil } }
            return try q.order(\.position).fetchAll(db)
        }
    }

    /// One competency.
    public func competency(frameworkID: String, idNumber: String) throws -> CompetencyRecord? {
        try writer.read { db in
            try CompetencyRecord.fetchOne(db, key: ["frameworkID": frameworkID, "idNumber": idNumber])
        }
    }

    /// The current (unretired) competencies of every framework with this code, compared without regard to case.
    public func currentCompetencies(code: String) throws -> [CompetencyRecord] {
        try writer.read { db in
            try CompetencyRecord.filter(sql: "idNumber = ? COLLATE NOCASE AND retiredAt IS NULL", arguments: [code])
                .fetchAll(db)
        }
    }

    /// The framework as a core value (current competencies only): what export writes.
    public func coreFramework(id: String) throws -> CompetencyFramework? {
        guard let f = try framework(id: id) else { return nil }
        let items = try competencies(frameworkID: id, includeRetired: false).map(\.competency)
        return CompetencyFramework(
            idNumber: f.idNumber, shortName: f.shortName, description: f.description,
            descriptionFormat: f.descriptionFormat, scaleValues: f.scaleValues,
            scaleConfiguration: f.scaleConfiguration,
            taxonomies: f.taxonomies, competencies: items)
    }

    /// Current competencies whose code or words match `query` (every word must appear), at most `limit`.
    public func searchCompetencies(_ query: String, frameworkID: String? = nil, limit: Int = 50) throws
        -> [CompetencyRecord]
    {
        let words = query.split(whereSeparator: { $0.isWhitespace }).map(String.init).prefix(8)
        return try writer.read { db in
            var q = CompetencyRecord.filter { $0.retiredAt == nil }
            if let frameworkID { q = q.filter { $0.frameworkID == frameworkID } }
            for w in words {
                let pattern =
                    "%"
                    + w.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                q = q.filter(
                    sql:
                        "(idNumber LIKE ? ESCAPE '\\' OR shortName LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')",
                    arguments: [pattern, pattern, pattern])
            }
            return try q.order { [$0.frameworkID, $0.position] }.limit(limit).fetchAll(db)
        }
    }
}

/// How many competencies a framework holds.
public struct FrameworkCounts: Sendable, Equatable {
    /// Current (in the last import).
    public var current: Int = 0
    /// Retired (kept for aligned badges).
    public var retired: Int = 0
    /// Current competencies per depth (index 0: top level).
    public var byDepth: [Int] = []

    /// Creates counts.
    public init(current: Int = 0, retired: Int = 0, byDepth: [Int] = []) {
        self.current = current
        self.retired = retired
        self.byDepth = byDepth
    }
}

extension AppDatabase {
    /// Competency counts of every framework, by framework id.
    public func frameworkCounts() throws -> [String: FrameworkCounts] {
        try writer.read { db in
            var out: [String: FrameworkCounts] = [:]
            let sql = "SELECT frameworkID, depth, retiredAt IS NOT NULL, COUNT(*) FROM competency GROUP BY 1, 2, 3"
            for row in try Row.fetchAll(db, sql: sql) {
                let id: String = row[0]
                let depth: Int = row[1]
                let retired: Bool = row[2]
                let n: Int = row[3]
                var c = out[id] ?? FrameworkCounts()
                if retired {
                    c.retired += n
                } else {
                    c.current += n
                    while c.byDepth.count <= depth { c.byDepth.append(0) }
                    c.byDepth[depth] += n
                }
                out[id] = c
            }
            return out
        }
    }

    /// A framework by slug or, failing that, by id number (case-insensitive): what references and URLs name.
    public func framework(reference: String) throws -> FrameworkRecord? {
        try writer.read { db in
            if let f = try FrameworkRecord.fetchOne(db, key: reference) { return f }
            return try FrameworkRecord.filter(
                sql: "idNumber = ? COLLATE NOCASE OR id = ? COLLATE NOCASE",
                arguments: [reference, reference]
            ).fetchOne(db)
        }
    }
}

/// Who imports a framework: the site (an administrator, the CLI, the demo) may create and re-import any framework,
/// and what it creates belongs to the site; an issuer's staff create frameworks owned by that issuer and may
/// re-import only those.
public enum FrameworkImporter: Sendable, Equatable {
    case site
    case issuer(String)
}

/// A re-import refused because the framework belongs to someone else; nothing was changed.
public struct FrameworkOwnershipError: Error, Sendable {
    public let frameworkID: String
    public let shortName: String
    /// The owner issuer; nil: the site (administrators).
    public let ownerIssuerID: String?
    /// The owner issuer's name, when there is one.
    public let ownerName: String?

    /// French message naming the owner.
    public var messageFR: String {
        let owner = ownerName.map { "à l'émetteur « \($0) »" } ?? "au site (administrateurs)"
        return
            "le référentiel « \(shortName) » appartient \(owner) : seul son propriétaire peut le réimporter ou le modifier ; vous pouvez l'utiliser et y aligner vos badges"
    }

    /// English message naming the owner.
    public var messageEN: String {
        let owner = ownerName.map { "the issuer \"\($0)\"" } ?? "the site (administrators)"
        return
            "the framework \"\(shortName)\" belongs to \(owner): only its owner may re-import or change it; you may use it and align your badges to it"
    }
}
