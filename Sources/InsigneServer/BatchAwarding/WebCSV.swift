import CSVText
import Foundation

/// CSV reading for the trainers' bulk awards, over `CSVReader`: header row, comma or semicolon (guessed from the
/// header), RFC 4180 quoting (no bare quote inside an unquoted field), CRLF or LF, optional UTF-8 BOM.
enum WebCSV {
    /// One record and the line where it starts (the header is line 1).
    struct Row: Sendable, Equatable {
        /// 1-based line where the record starts (the header is line 1).
        var line: Int
        /// The fields, unquoted.
        var fields: [String]
    }

    /// A whole-file problem: the line (0: none) and the reason in French and English.
    struct Failure: Error, Equatable {
        var line: Int
        var fr: String
        var en: String
    }

    /// Most rows after the header (the trainers' page; the API allows `BatchAwarding.maxRows`).
    static let maxRows = 2000

    /// Parses `data` into records (header included, empty lines skipped).
    static func parse(_ data: [UInt8]) throws -> (delimiter: Character, rows: [Row]) {
        let read: (delimiter: UInt8, records: [CSVRecord])
        do {
            read = try CSVReader.records(data, options: CSVReader.Options(maxRecords: maxRows + 1))
        } catch {
            switch error.reason {
            case .invalidUTF8:
                throw Failure(line: 0, fr: "le fichier n'est pas en UTF-8", en: "the file is not UTF-8")
            case .tooManyRecords:
                throw Failure(
                    line: error.line ?? 0, fr: "trop de lignes (\(maxRows) au plus)",
                    en: "too many rows (\(maxRows) at most)")
            default:
                throw Failure(line: error.line ?? 0, fr: error.fr, en: error.en)
            }
        }
        let rows = read.records.filter { !$0.isEmptyLine }.map { Row(line: $0.line, fields: $0.fields) }
        return (Character(Unicode.Scalar(read.delimiter)), rows)
    }
}
