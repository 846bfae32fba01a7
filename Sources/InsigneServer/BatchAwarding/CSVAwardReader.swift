import CSVText
import Foundation
import InsigneStore
import OpenBadges

/// The one CSV award reader, shared by the trainers' bulk page and the API's batch endpoint: CSV text in, award
/// rows out, with one set of header names, one set of rules and one set of French and English messages. Only the
/// row limit differs per surface (`pageMaxRows`, `BatchAwarding.maxRows`).
///
/// The file: a header row naming the columns in French or English (`CSVAwardColumns`: `Prénom;Nom;Courriel`,
/// `email,name,narrative,expires,evidence[,idempotencyKey]`, Moodle's user export…; an address column mandatory),
/// comma, semicolon or tab separated (taken from the header), RFC 4180 quoting (doubled quotes, multi-line quoted
/// fields; a stray quote inside an unquoted field is kept as text), UTF-8 with or without BOM, UTF-16 with BOM or
/// Windows-1252 (detected or chosen: `CSVTextEncoding`), `maxBytes` at most. Blank lines and an Excel `sep=;`
/// first line are skipped. A malformed file throws a `Failure`; a malformed row is returned with its `problem`.
enum CSVAwardReader {
    /// Largest CSV accepted, by either surface.
    static let maxBytes = 4 * 1024 * 1024
    /// Most rows the trainers' page reads: it previews every row in one HTML table and keeps the batch in memory
    /// until it is confirmed, so a file stays one a person can read. Scripts send bigger ones to the API.
    static let pageMaxRows = 2000
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

    /// A file read: its rows, the encoding it was read in, its separator, and whether it is Moodle's user export.
    struct Reading: Sendable {
        var rows: [BatchRow]
        var encoding: CSVDetectedEncoding
        var delimiter: UInt8
        var isMoodleExport: Bool

        /// What was read, as the preview tells it: « Fichier lu en Windows-1252, séparateur point-virgule. ».
        var summary: (fr: String, en: String) {
            let (fr, en) =
                switch delimiter {
                case UInt8(ascii: ";"): ("point-virgule", "semicolon")
                case UInt8(ascii: "\t"): ("tabulation", "tab")
                default: ("virgule", "comma")
                }
            let moodle = isMoodleExport ? (" (export des utilisateurs de Moodle)", " (Moodle user export)") : ("", "")
            return (
                "Fichier lu en \(encoding.rawValue), séparateur \(fr)\(moodle.0).",
                "File read as \(encoding.rawValue), \(en) separated\(moodle.1)."
            )
        }
    }

    /// Reads the award rows of a CSV file, `maxRows` non-blank rows at most after the header.
    static func rows(
        _ input: [UInt8], maxRows: Int, encoding: CSVTextEncoding = .automatic
    ) throws(Failure) -> [BatchRow] {
        try read(input, maxRows: maxRows, encoding: encoding).rows
    }

    /// Reads a CSV file: its award rows (`maxRows` non-blank rows at most after the header) and how it was read.
    static func read(_ input: [UInt8], maxRows: Int, encoding: CSVTextEncoding = .automatic) throws(Failure) -> Reading
    {
        let (records, detected, delimiter) = try records(input, maxRows: maxRows, encoding: encoding)
        // Excel's `sep=;` first line (written by some exports to name the separator) is not the header.
        let content = records.filter { !$0.isBlank }
        let sepLine = content.first.map { $0.fields.count == 2 && $0.fields[0].lowercased() == "sep=" } ?? false
        guard let header = content.dropFirst(sepLine ? 1 : 0).first else {
            throw Failure(line: 0, fr: "fichier CSV vide", en: "empty CSV file")
        }
        let columns = try CSVAwardColumns(header: header)
        let width = header.fields.count
        var rows: [BatchRow] = []
        for record in records where record.line > header.line && !record.isBlank {
            rows.append(row(record, columns: columns, width: width))
        }
        return Reading(rows: rows, encoding: detected, delimiter: delimiter, isMoodleExport: columns.isMoodleExport)
    }

    /// One award row: fields trimmed, blank ones absent; a row with more fields than the header, or without an
    /// address, carries its problem.
    private static func row(_ record: CSVRecord, columns: CSVAwardColumns, width: Int) -> BatchRow {
        var values: [CSVAwardColumns.Column: String] = [:]
        for (i, f) in record.fields.enumerated() {
            if let c = columns.byIndex[i] {
                let t = f.trimmingCharacters(in: .whitespacesAndNewlines)
                if !t.isEmpty { values[c] = t }
            }
        }
        // Prénom + Nom make the name, unless a full name is given.
        let parts = [values[.firstName], values[.lastName]].compactMap { $0 }
        let name = values[.name] ?? (parts.isEmpty ? nil : parts.joined(separator: " "))
        let expires = values[.expires].map(isoDay)
        var row = BatchRow(
            line: record.line, email: values[.email] ?? "", name: name, narrative: values[.narrative],
            expires: expires, evidence: values[.evidence].map(evidence) ?? [],
            idempotencyKey: values[.idempotencyKey])
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
            if row.expiresEndOfDay == nil, DateTimeValue(text) == nil {
                row.problem = invalidExpiry(values[.expires] ?? text)
            }
        }
        return row
    }

    /// A day written the French way (`30/06/2027`, `30.06.2027`, `30-06-2027`: what French spreadsheets save) as
    /// `2027-06-30`; any other text unchanged.
    static func isoDay(_ text: String) -> String {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
        guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return text }
        let pad = { (s: Substring) in s.count == 1 ? "0" + s : String(s) }
        return "\(parts[2])-\(pad(parts[1]))-\(pad(parts[0]))"
    }

    /// An `expires` cell that is neither a day (`YYYY-MM-DD` or `DD/MM/YYYY`, spreadsheets' dates) nor an ISO 8601
    /// date-time with a time zone.
    static func invalidExpiry(_ text: String) -> ServiceError {
        Validation.invalid(
            "expires",
            fr: "date d'expiration invalide « \(text) » (JJ/MM/AAAA, AAAA-MM-JJ ou date ISO 8601 avec fuseau "
                + "horaire, par exemple 30/06/2027, 2027-06-30 ou 2027-06-30T23:59:59+02:00)",
            en: "invalid expiry date \"\(text)\" (DD/MM/YYYY, YYYY-MM-DD or an ISO 8601 date-time with a time zone, "
                + "e.g. 30/06/2027, 2027-06-30 or 2027-06-30T23:59:59+02:00)")
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
    /// plus `maxRows` non-blank rows, in the encoding given or detected. Also the roster import's reader.
    static func records(
        _ input: [UInt8], maxRows: Int, encoding: CSVTextEncoding
    ) throws(Failure) -> ([CSVRecord], CSVDetectedEncoding, UInt8) {
        let options = CSVReader.Options(
            delimiters: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")], maxBytes: maxBytes,
            maxRecords: maxRows + 1, allowsQuotesInUnquotedFields: true, encoding: encoding)
        do {
            var reader = try CSVReader(input, options: options)
            var records: [CSVRecord] = []
            while let record = try reader.next() { records.append(record) }
            return (records, reader.encoding, reader.delimiter)
        } catch {
            throw failure(error, maxRows: maxRows, encoding: encoding)
        }
    }

    /// The award reader's wording of a reader error: what was found and what to do.
    private static func failure(_ error: CSVReadError, maxRows: Int, encoding: CSVTextEncoding) -> Failure {
        switch error.reason {
        case .tooLarge:
            return Failure(
                line: 0, fr: "fichier CSV trop volumineux (4 Mo au plus)", en: "CSV file too large (4 MiB at most)",
                tooLarge: true)
        case .invalidUTF8 where encoding == .utf8:
            return Failure(
                line: 0,
                fr: "le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 » dans Excel "
                    + "ou choisissez l'encodage Windows-1252",
                en: "the file is not UTF-8: save it as \"CSV UTF-8\" in Excel or choose the Windows-1252 encoding")
        case .invalidUTF8(let byte, let offset):
            return Failure(
                line: 0,
                fr: "le fichier n'est ni en UTF-8 ni en Windows-1252 (octet \(hex(byte)) à la position \(offset)) : "
                    + "enregistrez-le en « CSV UTF-8 » dans Excel (Fichier > Enregistrer sous)",
                en: "the file is neither UTF-8 nor Windows-1252 (byte \(hex(byte)) at offset \(offset)): "
                    + "save it as \"CSV UTF-8\" in Excel (File > Save As)")
        case .invalidWindows1252(let byte, let offset):
            return Failure(
                line: 0,
                fr: "le fichier n'est pas en Windows-1252 (octet \(hex(byte)) à la position \(offset)) : choisissez "
                    + "l'encodage automatique ou enregistrez-le en « CSV UTF-8 » dans Excel",
                en: "the file is not Windows-1252 (byte \(hex(byte)) at offset \(offset)): choose the automatic "
                    + "encoding or save it as \"CSV UTF-8\" in Excel")
        case .invalidUTF16(let offset):
            return Failure(
                line: 0,
                fr: "le fichier UTF-16 est abîmé (position \(offset)) : enregistrez-le en « CSV UTF-8 » dans Excel",
                en: "the UTF-16 file is damaged (offset \(offset)): save it as \"CSV UTF-8\" in Excel")
        case .tooManyRecords:
            return Failure(
                line: 0, fr: "trop de lignes (\(maxRows) au plus par lot)",
                en: "too many rows (\(maxRows) at most per batch)", tooLarge: true)
        default:
            return Failure(line: error.line ?? 0, fr: error.fr, en: error.en)
        }
    }

    /// A byte as `0x81`.
    private static func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16, uppercase: true) }
}
