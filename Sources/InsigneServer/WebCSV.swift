import Foundation

/// Minimal CSV reading for bulk awards: header row, comma or semicolon (guessed from the header), RFC 4180 quoted
/// fields (doubled quotes, line breaks inside quotes), CRLF or LF, optional UTF-8 BOM.
enum WebCSV {
    struct Row: Sendable, Equatable {
        /// 1-based line where the record starts (the header is line 1).
        var line: Int
        var fields: [String]
    }

    struct Failure: Error, Equatable {
        var line: Int
        var fr: String
        var en: String
    }

    static let maxRows = 2000

    /// Parses `text` into records (header included, empty lines skipped).
    static func parse(_ data: [UInt8]) throws -> (delimiter: Character, rows: [Row]) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(line: 0, fr: "le fichier n'est pas en UTF-8", en: "the file is not UTF-8")
        }
        let scalars = Array(text.unicodeScalars)
        // Delimiter: whichever of ';' and ',' occurs more often outside quotes on the first line.
        var commas = 0, semis = 0, inQ = false
        for s in scalars {
            if s == "\"" { inQ.toggle() } else if !inQ, s == "\n" || s == "\r" { break } else if !inQ, s == "," { commas += 1 } else if !inQ, s == ";" { semis += 1 }
        }
        let delim: Unicode.Scalar = semis > commas ? ";" : ","
        var rows: [Row] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var rowLine = 1
        var i = 0
        var quoted = false
        var afterQuote = false
        var rowHasContent = false
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
        }
        func endRow() throws {
            endField()
            if rowHasContent || fields.count > 1 || !(fields.first ?? "").isEmpty {
                rows.append(Row(line: rowLine, fields: fields))
                if rows.count > maxRows + 1 {
                    throw Failure(line: rowLine, fr: "trop de lignes (\(maxRows) au plus)", en: "too many rows (\(maxRows) at most)")
                }
            }
            fields = []
            rowHasContent = false
        }
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" {
                guard field.isEmpty, !afterQuote else {
                    throw Failure(
                        line: line, fr: "guillemet inattendu au milieu d'un champ", en: "unexpected quote inside a field")
                }
                quoted = true
                rowHasContent = true
            } else if c == delim {
                endField()
                rowHasContent = true
            } else if c == "\r" || c == "\n" {
                if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                try endRow()
                line += 1
                rowLine = line
            } else {
                guard !afterQuote else {
                    throw Failure(line: line, fr: "texte après un guillemet fermant", en: "text after a closing quote")
                }
                field.append(c)
            }
            i += 1
        }
        if quoted { throw Failure(line: rowLine, fr: "guillemet non fermé", en: "unterminated quote") }
        try endRow()
        return (Character(delim), rows)
    }
}
