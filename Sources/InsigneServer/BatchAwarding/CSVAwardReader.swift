import CSVText
import Foundation
import InsigneStore
import OpenBadges

/// The one CSV award reader, shared by the trainers' bulk page and the API's batch endpoint: CSV text in, award
/// rows out, with one set of header names, one set of rules and one set of French and English messages. Only the
/// row limit differs per surface (`pageMaxRows`, `BatchAwarding.maxRows`).
///
/// The file: a header row (`email,name,narrative,expires,evidence[,idempotencyKey]`, any order, French aliases,
/// `email` mandatory), comma or semicolon separated (taken from the header), RFC 4180 quoting (doubled quotes,
/// multi-line quoted fields; a stray quote inside an unquoted field is kept as text), UTF-8 with or without BOM,
/// `maxBytes` at most. Blank lines are skipped. A malformed file throws a `Failure`; a malformed row is returned
/// with its `problem`.
enum CSVAwardReader {
    /// Largest CSV accepted, by either surface.
    static let maxBytes = 4 * 1024 * 1024
    /// Most rows the trainers' page reads: it previews every row in one HTML table and keeps the batch in memory
    /// until it is confirmed, so a file stays one a person can read. Scripts send bigger ones to the API.
    static let pageMaxRows = 2000
    /// The columns, in the documented order.
    static let columns = ["email", "name", "narrative", "expires", "evidence", "idempotencyKey"]

    /// A whole-file problem: the line (0 when it concerns the whole file), the reason in French and English, and
    /// whether the file is refused for its size (413 in the API).
    struct Failure: Error, Equatable, Sendable {
        /// The 1-based line of the fault; 0 for the whole file.
        var line: Int
        /// The reason, in French.
        var fr: String
        /// The reason, in English.
        var en: String
        /// The file is too big (bytes or rows) rather than malformed.
        var tooLarge = false

        /// The failure as the API reports it: a `ServiceError` on the field `csv`, « CSV, ligne N : … ».
        var serviceError: ServiceError {
            let kind: ServiceError.Kind = tooLarge ? .tooLarge : .invalid
            guard line > 0 else { return ServiceError(kind, field: "csv", fr: fr, en: en) }
            return ServiceError(kind, field: "csv", fr: "CSV, ligne \(line) : \(fr)", en: "CSV, line \(line): \(en)")
        }
    }

    /// The canonical column for a header (`Courriel`, `E-mail`, `Récit`, `Date d'expiration`…), nil when unknown.
    static func column(forHeader header: String) -> String? {
        let folded = (BadgeClassIDs.slug(from: header) ?? "").replacingOccurrences(of: "-", with: "")
        switch folded {
        case "email", "mail", "courriel", "adresseelectronique", "adressemail", "recipientemail": return "email"
        case "name", "nom", "nomcomplet", "recipientname", "prenomnom": return "name"
        case "narrative", "recit", "commentaire": return "narrative"
        case "expires", "expire", "expiration", "dateexpiration", "datedexpiration": return "expires"
        case "evidence", "preuve", "preuves": return "evidence"
        case "idempotencykey", "cle", "cledidempotence": return "idempotencyKey"
        default: return nil
        }
    }

    /// Reads the award rows of a CSV file, `maxRows` non-blank rows at most after the header.
    static func rows(_ input: [UInt8], maxRows: Int) throws(Failure) -> [BatchRow] {
        let records = try records(input, maxRows: maxRows)
        guard let header = records.first else {
            throw Failure(line: 0, fr: "fichier CSV vide", en: "empty CSV file")
        }
        let mapping = try columns(of: header)
        let width = header.fields.count
        var rows: [BatchRow] = []
        for record in records.dropFirst() where !record.isBlank {
            rows.append(row(record, mapping: mapping, width: width))
        }
        return rows
    }

    /// The column of each header field (blank header fields are ignored).
    private static func columns(of header: CSVRecord) throws(Failure) -> [Int: String] {
        var mapping: [Int: String] = [:]
        for (i, h) in header.fields.enumerated() {
            let name = h.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { continue }
            guard let column = column(forHeader: name) else {
                if i == 0, name.contains("@") {
                    throw Failure(
                        line: header.line,
                        fr: "ligne d'en-tête manquante (colonnes : \(columns.joined(separator: ",")))",
                        en: "header row missing (columns: \(columns.joined(separator: ",")))")
                }
                throw Failure(
                    line: header.line,
                    fr: "colonne inconnue « \(name) » (colonnes admises : \(columns.joined(separator: ", ")))",
                    en: "unknown column \"\(name)\" (allowed columns: \(columns.joined(separator: ", ")))")
            }
            guard !mapping.values.contains(column) else {
                throw Failure(
                    line: header.line, fr: "colonne « \(column) » en double", en: "duplicate column \"\(column)\"")
            }
            mapping[i] = column
        }
        guard mapping.values.contains("email") else {
            throw Failure(
                line: header.line, fr: "la ligne d'en-tête doit contenir une colonne « email »",
                en: "the header row must contain an \"email\" column")
        }
        return mapping
    }

    /// One award row: fields trimmed, blank ones absent; a row with more fields than the header, or without an
    /// address, carries its problem.
    private static func row(_ record: CSVRecord, mapping: [Int: String], width: Int) -> BatchRow {
        var values: [String: String] = [:]
        for (i, f) in record.fields.enumerated() {
            if let c = mapping[i] {
                let t = f.trimmingCharacters(in: .whitespacesAndNewlines)
                if !t.isEmpty { values[c] = t }
            }
        }
        var row = BatchRow(
            line: record.line, email: values["email"] ?? "", name: values["name"], narrative: values["narrative"],
            expires: values["expires"], evidence: values["evidence"].map(evidence) ?? [],
            idempotencyKey: values["idempotencyKey"])
        if record.fields.count > width,
            record.fields[width...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        {
            row.problem = ServiceError(
                .invalid, field: "csv",
                fr:
                    "\(record.fields.count) champs pour \(width) colonnes (un séparateur ou un guillemet manque-t-il ?)",
                en: "\(record.fields.count) fields for \(width) columns (a missing quote or separator?)")
        } else if row.email.isEmpty {
            row.problem = Validation.invalid("email", fr: "adresse manquante", en: "address missing")
        } else if let text = row.expires {
            row.expiresEndOfDay = WebDates.endOfDayParis(text)
            if row.expiresEndOfDay == nil, DateTimeValue(text) == nil { row.problem = invalidExpiry(text) }
        }
        return row
    }

    /// An `expires` cell that is neither a day (`YYYY-MM-DD`, spreadsheets' dates) nor an ISO 8601 date-time with
    /// a time zone.
    static func invalidExpiry(_ text: String) -> ServiceError {
        Validation.invalid(
            "expires",
            fr: "date d'expiration invalide « \(text) » (AAAA-MM-JJ ou date ISO 8601 avec fuseau horaire, "
                + "par exemple 2027-06-30 ou 2027-06-30T23:59:59+02:00)",
            en: "invalid expiry date \"\(text)\" (YYYY-MM-DD or an ISO 8601 date-time with a time zone, "
                + "e.g. 2027-06-30 or 2027-06-30T23:59:59+02:00)")
    }

    /// The evidence of an `evidence` cell: a cell starting with `http://` or `https://` holds links separated by
    /// spaces or `|` (each checked later as a web address); any other cell is one written piece of evidence.
    static func evidence(_ cell: String) -> [EvidenceRecord] {
        let lower = cell.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return [EvidenceRecord(narrative: cell)]
        }
        return cell.split(whereSeparator: { $0.isWhitespace || $0 == "|" }).map { EvidenceRecord(id: String($0)) }
    }

    /// Splits CSV bytes into records (empty lines included) with `CSVReader`: `maxBytes` at most and a header
    /// plus `maxRows` non-blank rows.
    private static func records(_ input: [UInt8], maxRows: Int) throws(Failure) -> [CSVRecord] {
        let options = CSVReader.Options(
            maxBytes: maxBytes, maxRecords: maxRows + 1, allowsQuotesInUnquotedFields: true)
        do {
            return try CSVReader.records(input, options: options).records
        } catch {
            switch error.reason {
            case .tooLarge:
                throw Failure(
                    line: 0, fr: "fichier CSV trop volumineux (4 Mo au plus)", en: "CSV file too large (4 MiB at most)",
                    tooLarge: true)
            case .invalidUTF8:
                throw Failure(
                    line: 0, fr: "le fichier n'est pas en UTF-8 : enregistrez-le au format « CSV UTF-8 »",
                    en: "the file is not UTF-8: save it as \"CSV UTF-8\"")
            case .tooManyRecords:
                throw Failure(
                    line: 0, fr: "trop de lignes (\(maxRows) au plus par lot)",
                    en: "too many rows (\(maxRows) at most per batch)", tooLarge: true)
            default:
                throw Failure(line: error.line ?? 0, fr: error.fr, en: error.en)
            }
        }
    }
}
