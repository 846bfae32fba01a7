import CSVText
import Foundation
import OpenBadges

/// Moodle's competency framework CSV (`admin/tool/lpimportcsv`): one framework per file.
///
/// Reading: UTF-8 (a BOM is skipped), comma or semicolon delimiter (taken from the header line: the one that
/// gives 14 columns, comma when both or neither do), RFC 4180 quoting (quoted fields may span lines; a CRLF
/// inside a quoted field is read as LF), CRLF or LF line ends, blank lines skipped. The first non-blank record
/// must be a header of 14 columns whose first cell is "Parent id number" (trimmed, any case) or whose 13th
/// cell is neither empty nor a number (a data row has 0, 1 or nothing there). Its text is not otherwise
/// matched: columns are read by position, as Moodle does. Exactly one row has "Is framework" = 1.
/// Identifiers, numbers and comma-separated lists are trimmed; texts are kept verbatim.
/// On the framework row, the rule, cross-reference and exported-id columns are ignored (Moodle leaves them empty).
/// A cell that `CSVFormulaGuard` neutralised on export (`'=x`) is read back without the quote it added.
///
/// Writing: comma, LF, UTF-8 without BOM, a field quoted only when it holds a comma, a quote, CR or LF; a cell a
/// spreadsheet would run as a formula (`=HYPERLINK(…)`, `-1+2`) gets a leading `'` (plain numbers such as `-2`
/// are left alone), so an export opened in Excel or LibreOffice runs nothing.
public enum MoodleCompetencyCSV {
    /// Moodle's 14 column names, in order.
    public static let header: [String] = [
        "Parent id number", "Id number", "Shortname", "Description", "Description format", "Scale values",
        "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
        "Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy",
    ]
    /// Largest file accepted, in bytes (5 MiB).
    public static let maxBytes = 5 * 1024 * 1024
    /// Most data rows accepted: the framework row and `CompetencyFramework.maxCompetencies` competencies.
    public static let maxRows = CompetencyFramework.maxCompetencies + 1

    private enum Column {
        static let parent = 0, idNumber = 1, shortName = 2, description = 3, descriptionFormat = 4
        static let scaleValues = 5, scaleConfiguration = 6, ruleType = 7, ruleOutcome = 8, ruleConfig = 9
        static let related = 10, exportID = 11, isFramework = 12, taxonomy = 13
    }

    /// Reads a framework and checks it (`CompetencyFramework.validated()`); competencies come out in tree order.
    /// Errors carry the physical line (1-based) where the faulty record starts.
    public static func parse(_ data: Data) throws(ReferentialError) -> CompetencyFramework {
        let options = CSVReader.Options(
            delimiters: [UInt8(ascii: ",")], maxBytes: maxBytes, maxRecords: maxRows + 1,
            allowsQuotesInUnquotedFields: true, readsQuotedCRLFAsLF: true)
        let input = try reading { () throws(CSVReadError) in try CSVReader(data, options: options) }
        var reader = try headerReader(input)
        var frameworkRow: CSVRecord?
        var competencies: [Competency] = []
        var lines: [Int] = []
        while var record = try reading({ () throws(CSVReadError) in try reader.next() }) {
            if record.isBlank { continue }
            record.fields = record.fields.map(CSVFormulaGuard.restored)
            let fields = record.fields
            guard fields.count == header.count else {
                throw ReferentialError(
                    line: record.line,
                    fr: "\(fields.count) colonnes au lieu de \(header.count)",
                    en: "\(fields.count) columns instead of \(header.count)")
            }
            guard try isFramework(record) else {
                competencies.append(try competency(record))
                lines.append(record.line)
                continue
            }
            if let first = frameworkRow {
                throw ReferentialError(
                    line: record.line,
                    fr: "deuxième ligne de référentiel (Is framework = 1) ; la première est ligne \(first.line)",
                    en: "second framework row (Is framework = 1); the first is on line \(first.line)")
            }
            let parent = trimmed(fields[Column.parent])
            if !parent.isEmpty {
                throw ReferentialError(
                    line: record.line,
                    fr: "la ligne du référentiel (Is framework = 1) a un parent (« \(parent) ») ; il doit être vide",
                    en: "the framework row (Is framework = 1) has a parent (“\(parent)”); it must be empty")
            }
            frameworkRow = record
        }
        guard let row = frameworkRow else {
            throw ReferentialError(
                line: nil,
                fr: "aucune ligne de référentiel (Is framework = 1)",
                en: "no framework row (Is framework = 1)")
        }
        let f = row.fields
        let framework = CompetencyFramework(
            idNumber: trimmed(f[Column.idNumber]), shortName: f[Column.shortName], description: f[Column.description],
            descriptionFormat: try descriptionFormat(row, subject: ("référentiel", "framework")),
            scaleValues: list(f[Column.scaleValues]), scaleConfiguration: f[Column.scaleConfiguration],
            taxonomies: list(f[Column.taxonomy]), competencies: competencies)
        return try framework.validated(frameworkLine: row.line, competencyLines: lines)
    }

    /// Runs a reader step, its fault reworded as a `ReferentialError`.
    private static func reading<T>(_ step: () throws(CSVReadError) -> T) throws(ReferentialError) -> T {
        do {
            return try step()
        } catch {
            throw referentialError(error)
        }
    }

    /// The reader's faults in this format's words (size and row limits name what they stand for).
    private static func referentialError(_ error: CSVReadError) -> ReferentialError {
        switch error.reason {
        case .tooLarge(let bytes, _):
            return ReferentialError(
                line: nil,
                fr: "fichier trop gros (\(bytes) octets) : au plus 5 Mo (\(maxBytes) octets)",
                en: "file too large (\(bytes) bytes): at most 5 MiB (\(maxBytes) bytes)")
        case .tooManyRecords:
            return ReferentialError(
                line: error.line,
                fr: "trop de lignes : au plus \(maxRows.formatted(grouping: " ")) (le référentiel et "
                    + "\(CompetencyFramework.maxCompetencies.formatted(grouping: " ")) compétences)",
                en: "too many rows: at most \(maxRows.formatted(grouping: ",")) (the framework and "
                    + "\(CompetencyFramework.maxCompetencies.formatted(grouping: ",")) competencies)")
        default:
            return ReferentialError(line: error.line, fr: error.fr, en: error.en)
        }
    }

    /// Writes a framework: header, framework row, then competencies in tree order.
    /// A framework refused by `validated()` is written as well as possible but may not read back.
    public static func export(_ framework: CompetencyFramework) -> Data {
        var out = ""
        appendRow(header, to: &out)
        appendRow(
            [
                "", framework.idNumber, framework.shortName, framework.description, String(framework.descriptionFormat),
                framework.scaleValues.joined(separator: ","), framework.scaleConfiguration, "", "", "", "", "", "1",
                framework.taxonomies.joined(separator: ","),
            ], to: &out)
        for i in CompetencyFramework.treeOrder(framework.competencies) {
            let c = framework.competencies[i]
            appendRow(
                [
                    c.parentIDNumber ?? "", c.idNumber, c.shortName, c.description, String(c.descriptionFormat),
                    c.scaleValues.joined(separator: ","), c.scaleConfiguration, c.ruleType, String(c.ruleOutcome),
                    c.ruleConfig, c.relatedIDNumbers.joined(separator: ","), c.exportID, "", "",
                ], to: &out)
        }
        return Data(out.utf8)
    }

    // MARK: - Rows

    private static func appendRow(_ fields: [String], to out: inout String) {
        out += CSVWriter.record(fields)
    }

    private static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

    /// A comma-separated list, items trimmed, empty items dropped.
    private static func list(_ s: String) -> [String] {
        s.split(separator: ",").map { trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    private static func isFramework(_ record: CSVRecord) throws(ReferentialError) -> Bool {
        switch trimmed(record.fields[Column.isFramework]) {
        case "", "0": return false
        case "1": return true
        case let value:
            throw ReferentialError(
                line: record.line,
                fr: "Is framework « \(value) » invalide (vide, 0 ou 1 attendu)",
                en: "invalid Is framework “\(value)” (empty, 0 or 1 expected)")
        }
    }

    /// The description format; empty means 1 (HTML). Values other than 0, 1, 2, 4 are refused by validation.
    private static func descriptionFormat(
        _ record: CSVRecord, subject: (fr: String, en: String)
    ) throws(ReferentialError) -> Int {
        let value = trimmed(record.fields[Column.descriptionFormat])
        if value.isEmpty { return 1 }
        guard let format = Int(value) else {
            throw ReferentialError.badDescriptionFormat(line: record.line, subject: subject, value: value)
        }
        return format
    }

    private static func competency(_ record: CSVRecord) throws(ReferentialError) -> Competency {
        let f = record.fields
        let id = trimmed(f[Column.idNumber])
        let subject = id.isEmpty ? ("compétence", "competency") : ("compétence « \(id) »", "competency “\(id)”")
        let outcomeText = trimmed(f[Column.ruleOutcome])
        guard let outcome = outcomeText.isEmpty ? 0 : Int(outcomeText) else {
            throw ReferentialError.badRuleOutcome(line: record.line, subject: subject, value: outcomeText)
        }
        let parent = trimmed(f[Column.parent])
        return Competency(
            idNumber: id, parentIDNumber: parent.isEmpty ? nil : parent, shortName: f[Column.shortName],
            description: f[Column.description], descriptionFormat: try descriptionFormat(record, subject: subject),
            scaleValues: list(f[Column.scaleValues]), scaleConfiguration: f[Column.scaleConfiguration],
            ruleType: f[Column.ruleType], ruleOutcome: outcome, ruleConfig: f[Column.ruleConfig],
            relatedIDNumbers: list(f[Column.related]), exportID: f[Column.exportID])
    }

    // MARK: - Header

    /// Reads the header (choosing the delimiter) and returns the reader positioned after it.
    private static func headerReader(_ reader: CSVReader) throws(ReferentialError) -> CSVReader {
        var comma = reader
        var semicolon = reader.rereading(with: UInt8(ascii: ";"))
        let byComma: CSVRecord?
        do {
            byComma = try comma.nextNonBlank()
        } catch {
            // A quote left open by the comma reading may still close with semicolons; report comma's error.
            if let header = try? semicolon.nextNonBlank(), header.fields.count == self.header.count {
                try checkHeader(header)
                return semicolon
            }
            throw referentialError(error)
        }
        guard let byComma else {
            throw ReferentialError(line: nil, fr: "fichier vide", en: "empty file")
        }
        var reader = comma
        var header = byComma
        if byComma.fields.count != self.header.count,
            let bySemicolon = try? semicolon.nextNonBlank(),
            bySemicolon.fields.count == self.header.count || bySemicolon.fields.count > byComma.fields.count
        {
            reader = semicolon
            header = bySemicolon
        }
        try checkHeader(header)
        return reader
    }

    private static func checkHeader(_ record: CSVRecord) throws(ReferentialError) {
        let first = trimmed(record.fields[0]).lowercased()
        let expected = "en-tête attendu : \(header.joined(separator: ","))"
        let expectedEN = "header expected: \(header.joined(separator: ","))"
        guard record.fields.count == header.count else {
            throw ReferentialError(
                line: record.line,
                fr: "en-tête absent ou incomplet : \(record.fields.count) colonnes au lieu de \(header.count) ; "
                    + expected,
                en: "missing or short header: \(record.fields.count) columns instead of \(header.count); " + expectedEN)
        }
        let thirteenth = trimmed(record.fields[Column.isFramework])
        guard first == "parent id number" || (!thirteenth.isEmpty && Int(thirteenth) == nil) else {
            throw ReferentialError(
                line: record.line,
                fr: "en-tête absent : la première ligne ressemble à une ligne de données ; " + expected,
                en: "missing header: the first line looks like a data row; " + expectedEN)
        }
    }
}
