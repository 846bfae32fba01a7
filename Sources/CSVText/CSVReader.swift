import Foundation

/// One CSV record: its fields and the physical line (1-based) where it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The physical line (1-based, after any BOM) where the record starts.
    public var line: Int
    /// The fields, unquoted.
    public var fields: [String]
    /// Whether the record came from a line holding no character at all.
    public var isEmptyLine: Bool

    /// A record read from `line`; `isEmptyLine` only for a line with no character.
    public init(line: Int, fields: [String], isEmptyLine: Bool = false) {
        self.line = line
        self.fields = fields
        self.isEmptyLine = isEmptyLine
    }

    /// Whether every field is empty or spaces and tabs only.
    public var isBlank: Bool { fields.allSatisfy { $0.allSatisfy { $0 == " " || $0 == "\t" } } }
}

/// A CSV file refused: why, where (nil: the whole file), and the reason in French and English.
public struct CSVReadError: Error, Sendable, Equatable {
    /// The kinds of fault the reader finds.
    public enum Reason: Sendable, Equatable {
        /// More bytes than `Options.maxBytes`.
        case tooLarge(bytes: Int, limit: Int)
        /// Not UTF-8: the first bad byte and its offset in the file.
        case invalidUTF8(byte: UInt8, offset: Int)
        /// Windows-1252 asked (or guessed), but a byte it leaves undefined: the byte and its offset in the file.
        case invalidWindows1252(byte: UInt8, offset: Int)
        /// UTF-16 (by its byte-order mark) with a lone surrogate or an odd number of bytes, at this offset.
        case invalidUTF16(offset: Int)
        /// A quoted field still open at the end of the file (the line is that of its opening quote).
        case unterminatedQuote
        /// Something other than spaces, a delimiter or a line end after a closing quote.
        case textAfterClosingQuote
        /// A quote inside an unquoted field, when `Options.allowsQuotesInUnquotedFields` is false.
        case quoteInUnquotedField
        /// More non-blank records than `Options.maxRecords`.
        case tooManyRecords(limit: Int)
    }

    /// Why the file is refused.
    public var reason: Reason
    /// The physical line (1-based) of the fault; nil when it concerns the whole file.
    public var line: Int?
    /// The reason, in French.
    public var fr: String
    /// The reason, in English.
    public var en: String

    /// An error with its reason worded in both languages.
    public init(_ reason: Reason, line: Int?) {
        self.reason = reason
        self.line = line
        switch reason {
        case .tooLarge(let bytes, let limit):
            fr = "fichier trop gros (\(bytes) octets) : au plus \(limit) octets"
            en = "file too large (\(bytes) bytes): at most \(limit) bytes"
        case .invalidUTF8(let byte, let offset):
            let hex = "0x" + String(byte, radix: 16, uppercase: true)
            fr = "le fichier n'est pas en UTF-8 (octet \(hex) à la position \(offset)) ; l'enregistrer en UTF-8"
            en = "the file is not UTF-8 (byte \(hex) at offset \(offset)); save it as UTF-8"
        case .invalidWindows1252(let byte, let offset):
            let hex = "0x" + String(byte, radix: 16, uppercase: true)
            fr = "le fichier n'est pas en Windows-1252 (octet \(hex) à la position \(offset)) ; l'enregistrer en UTF-8"
            en = "the file is not Windows-1252 (byte \(hex) at offset \(offset)); save it as UTF-8"
        case .invalidUTF16(let offset):
            fr = "UTF-16 invalide à la position \(offset) ; l'enregistrer en UTF-8"
            en = "invalid UTF-16 at offset \(offset); save it as UTF-8"
        case .unterminatedQuote:
            fr = "guillemet ouvert jamais refermé (champ commencé ligne \(line ?? 0))"
            en = "unterminated quote (field opened on line \(line ?? 0))"
        case .textAfterClosingQuote:
            fr = "caractère inattendu après un guillemet fermant (doubler les guillemets dans un champ : \"\")"
            en = "unexpected character after a closing quote (double quotes inside a field: \"\")"
        case .quoteInUnquotedField:
            fr =
                "guillemet inattendu au milieu d'un champ (mettre le champ entre guillemets "
                + "et doubler les siens : \"\")"
            en = "unexpected quote inside a field (quote the field and double the quotes it holds: \"\")"
        case .tooManyRecords(let limit):
            fr = "trop de lignes (\(limit) au plus)"
            en = "too many rows (\(limit) at most)"
        }
    }
}

/// RFC 4180 record reader over UTF-8 bytes, counting physical lines (LF, CRLF or a lone CR end a line).
///
/// Quoted fields may span lines and hold doubled quotes; spaces and tabs are allowed before an opening quote
/// and after a closing one. No record follows a final line end; empty lines come out as `isEmptyLine` records.
public struct CSVReader: Sendable {
    /// What the reader accepts.
    public struct Options: Sendable {
        /// One delimiter to use, or several to choose from by the first record (most frequent; first on a tie).
        public var delimiters: [UInt8]
        /// Largest input accepted, in bytes (BOM included); nil: no limit.
        public var maxBytes: Int?
        /// Most non-blank records accepted (header included); nil: no limit.
        public var maxRecords: Int?
        /// Whether a leading UTF-8 byte-order mark is skipped (otherwise it belongs to the first field).
        public var stripsBOM: Bool
        /// Whether a quote inside an unquoted field is kept as text (otherwise it is an error).
        public var allowsQuotesInUnquotedFields: Bool
        /// Whether a CRLF inside a quoted field is read as LF (otherwise kept as is).
        public var readsQuotedCRLFAsLF: Bool
        /// The encoding of the input (a byte-order mark always wins: see `CSVTextDecoder`); UTF-8 by default.
        public var encoding: CSVTextEncoding

        /// Options; by default comma or semicolon (detected), BOM stripped, no limits, RFC 4180 strict quotes.
        public init(
            delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";")], maxBytes: Int? = nil,
            maxRecords: Int? = nil, stripsBOM: Bool = true, allowsQuotesInUnquotedFields: Bool = false,
            readsQuotedCRLFAsLF: Bool = false, encoding: CSVTextEncoding = .utf8
        ) {
            self.delimiters = delimiters
            self.maxBytes = maxBytes
            self.maxRecords = maxRecords
            self.stripsBOM = stripsBOM
            self.allowsQuotesInUnquotedFields = allowsQuotesInUnquotedFields
            self.readsQuotedCRLFAsLF = readsQuotedCRLFAsLF
            self.encoding = encoding
        }
    }

    /// The delimiter in use (given, or detected from the first record).
    public private(set) var delimiter: UInt8
    /// The encoding the input was read in.
    public let encoding: CSVDetectedEncoding
    private let bytes: [UInt8]
    private let options: Options
    private var i = 0
    private var line = 1
    private var nonBlank = 0

    private static let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
    private static let space = UInt8(ascii: " "), tab: UInt8 = 0x09

    /// Checks size, decodes the input (see `CSVTextDecoder`), skips a BOM and picks the delimiter; reading starts at the first record.
    public init(_ input: some Collection<UInt8>, options: Options = Options()) throws(CSVReadError) {
        if let limit = options.maxBytes, input.count > limit {
            throw CSVReadError(.tooLarge(bytes: input.count, limit: limit), line: nil)
        }
        let decoded = try CSVTextDecoder.utf8(
            [UInt8](input), encoding: options.encoding, keepsUTF8BOM: !options.stripsBOM)
        let bytes = decoded.bytes
        self.encoding = decoded.encoding
        self.bytes = bytes
        self.options = options
        self.delimiter = Self.detectDelimiter(bytes, among: options.delimiters)
    }

    /// Reads every record (empty lines included) with the delimiter used.
    public static func records(
        _ input: some Collection<UInt8>, options: Options = Options()
    ) throws(CSVReadError) -> (delimiter: UInt8, records: [CSVRecord]) {
        var reader = try CSVReader(input, options: options)
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        return (reader.delimiter, records)
    }

    /// The same input read again from its start with another delimiter.
    public func rereading(with delimiter: UInt8) -> CSVReader {
        var copy = self
        copy.delimiter = delimiter
        copy.i = 0
        copy.line = 1
        copy.nonBlank = 0
        return copy
    }

    /// The next record that is not blank, or nil at the end.
    public mutating func nextNonBlank() throws(CSVReadError) -> CSVRecord? {
        while let record = try next() {
            if !record.isBlank { return record }
        }
        return nil
    }

    /// The next record, or nil at the end of the input.
    public mutating func next() throws(CSVReadError) -> CSVRecord? {
        guard i < bytes.count else { return nil }
        let start = line
        let startIndex = i
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            var j = i
            while j < bytes.count && isPadding(bytes[j]) { j += 1 }
            if j < bytes.count && bytes[j] == Self.quote {
                i = j
                try readQuoted(into: &field)
            } else {
                try readUnquoted(into: &field)
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            guard i < bytes.count else { break }
            if bytes[i] == delimiter {
                i += 1
                continue
            }
            break
        }
        let record = CSVRecord(line: start, fields: fields, isEmptyLine: i == startIndex)
        if i < bytes.count { skipLineEnd() }
        if !record.isBlank {
            nonBlank += 1
            if let limit = options.maxRecords, nonBlank > limit {
                throw CSVReadError(.tooManyRecords(limit: limit), line: start)
            }
        }
        return record
    }

    /// Reads an unquoted field up to a delimiter, a line end or the end.
    private mutating func readUnquoted(into field: inout [UInt8]) throws(CSVReadError) {
        while i < bytes.count, bytes[i] != delimiter, bytes[i] != Self.cr, bytes[i] != Self.lf {
            if bytes[i] == Self.quote && !options.allowsQuotesInUnquotedFields {
                throw CSVReadError(.quoteInUnquotedField, line: line)
            }
            field.append(bytes[i])
            i += 1
        }
    }

    /// Reads a quoted field, `i` at its opening quote; leaves `i` after the closing quote (and any spaces).
    private mutating func readQuoted(into field: inout [UInt8]) throws(CSVReadError) {
        let opening = line
        i += 1
        while true {
            guard i < bytes.count else { throw CSVReadError(.unterminatedQuote, line: opening) }
            let b = bytes[i]
            if b == Self.quote {
                if i + 1 < bytes.count && bytes[i + 1] == Self.quote {
                    field.append(Self.quote)
                    i += 2
                    continue
                }
                i += 1
                break
            }
            if b == Self.cr || b == Self.lf {
                let crlf = b == Self.cr && i + 1 < bytes.count && bytes[i + 1] == Self.lf
                if crlf && !options.readsQuotedCRLFAsLF { field.append(Self.cr) }
                field.append(crlf ? Self.lf : b)
                skipLineEnd()
                continue
            }
            field.append(b)
            i += 1
        }
        while i < bytes.count && isPadding(bytes[i]) { i += 1 }
        if i < bytes.count && bytes[i] != delimiter && bytes[i] != Self.cr && bytes[i] != Self.lf {
            throw CSVReadError(.textAfterClosingQuote, line: line)
        }
    }

    /// A space or tab that is not the delimiter.
    private func isPadding(_ b: UInt8) -> Bool { (b == Self.space || b == Self.tab) && b != delimiter }

    /// Steps over CRLF, LF or CR at `i`, counting one line.
    private mutating func skipLineEnd() {
        if bytes[i] == Self.cr && i + 1 < bytes.count && bytes[i + 1] == Self.lf { i += 1 }
        i += 1
        line += 1
    }

    /// The candidate found most often outside quotes in the first record (the first candidate on a tie).
    private static func detectDelimiter(_ bytes: [UInt8], among candidates: [UInt8]) -> UInt8 {
        guard candidates.count > 1 else { return candidates.first ?? UInt8(ascii: ",") }
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in bytes {
            if b == quote {
                quoted.toggle()
            } else if !quoted {
                if b == cr || b == lf { break }
                if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
            }
        }
        var best = 0
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return candidates[best]
    }
}

/// RFC 4180 writing: a field is quoted only when it holds the delimiter, a quote, CR or LF; records end with LF.
/// A field a spreadsheet would run as a formula is neutralised first (`CSVFormulaGuard`), unless told otherwise.
public enum CSVWriter {
    /// One record and its LF.
    public static func record(
        _ fields: [String], delimiter: Character = ",", neutralisingFormulas: Bool = true
    ) -> String {
        fields.map { field($0, delimiter: delimiter, neutralisingFormulas: neutralisingFormulas) }
            .joined(separator: String(delimiter)) + "\n"
    }

    /// One field, neutralised (see `CSVFormulaGuard`) then quoted (inner quotes doubled) only when needed.
    public static func field(_ text: String, delimiter: Character = ",", neutralisingFormulas: Bool = true) -> String {
        let text = neutralisingFormulas ? CSVFormulaGuard.neutralised(text) : text
        let special = text.unicodeScalars.contains {
            $0 == "\"" || $0 == "\r" || $0 == "\n" || Character($0) == delimiter
        }
        guard special else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Spreadsheet formula injection ("CSV injection", OWASP): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// CR may be run as a formula by Excel or LibreOffice (`=HYPERLINK(…)`). Such a cell is written with a leading
/// single quote, which spreadsheets show as text. Plain numbers (`-2`, `+3.5`, `-0,5`) are left alone: a
/// spreadsheet reads them as numbers, not formulas, and Moodle scale values and outcomes stay as they were.
///
/// The change is reversible: `restored(neutralised(x)) == x` for every `x`. A cell that already starts with
/// quotes followed by a trigger (`'=x`) gets one more quote, so a reader that calls `restored` gives back exactly
/// what was written, and a value that really starts with a quote survives the round trip.
public enum CSVFormulaGuard {
    /// The first characters that make a spreadsheet read a cell as a formula.
    public static let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` with a leading `'` when a spreadsheet could read it as a formula, else `text` unchanged.
    public static func neutralised(_ text: String) -> String {
        needsQuote(text) ? "'" + text : text
    }

    /// The inverse of `neutralised`: drops the quote it added, leaves every other text unchanged.
    public static func restored(_ text: String) -> String {
        guard text.hasPrefix("'") else { return text }
        let rest = String(text.dropFirst())
        return needsQuote(rest) ? rest : text
    }

    /// Whether `text`, after any leading quotes, starts with a trigger and is not a plain number.
    private static func needsQuote(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first(where: { $0 != "'" }), triggers.contains(first) else { return false }
        return scalars.first == "'" || !isPlainNumber(text)
    }

    /// An optional sign, digits, and at most one `.` or `,` followed by digits: `-2`, `+3.5`, `-0,25`.
    private static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        let whole = scalars.prefix(while: isDigit)
        guard !whole.isEmpty else { return false }
        scalars = scalars.dropFirst(whole.count)
        guard let separator = scalars.first else { return true }
        guard separator == "." || separator == "," else { return false }
        let fraction = scalars.dropFirst()
        return !fraction.isEmpty && fraction.allSatisfy(isDigit)
    }
}
