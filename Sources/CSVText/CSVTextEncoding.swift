/// The character encodings a CSV file may come in: what the reader is told, and what it found.
///
/// Spreadsheets save CSV in several ways: « CSV UTF-8 » (with a byte-order mark), plain « CSV » in the Windows code
/// page (Windows-1252 in France), « Texte Unicode » (UTF-16 little-endian with a byte-order mark, tab separated).
public enum CSVTextEncoding: String, Sendable, CaseIterable {
    /// A byte-order mark decides (UTF-8, UTF-16 LE or BE); without one, UTF-8 when the bytes are valid UTF-8,
    /// else Windows-1252; a zero byte (UTF-16 without byte-order mark) is refused.
    case automatic
    /// UTF-8 only (a UTF-8 byte-order mark is skipped; a UTF-16 one is still honoured).
    case utf8
    /// Windows-1252 (Excel's « CSV » in western Europe); a UTF-8 or UTF-16 byte-order mark still wins.
    case windows1252

    /// The encoding named by a form value or a `charset` parameter (`utf-8`, `windows-1252`, `cp1252`,
    /// `iso-8859-1`, `latin1`…); `automatic` for an empty or unknown name.
    public init(name: String) {
        let folded = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch folded {
        case "utf8": self = .utf8
        case "windows1252", "cp1252", "iso88591", "iso885915", "latin1", "latin9", "ansi", "excel": self = .windows1252
        default: self = .automatic
        }
    }
}

/// The encoding a CSV file was read in.
public enum CSVDetectedEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case utf16LittleEndian = "UTF-16 LE"
    case utf16BigEndian = "UTF-16 BE"
    case windows1252 = "Windows-1252"
}

/// Turns the bytes of a CSV file into UTF-8 without byte-order mark, by its byte-order mark or the encoding asked.
public enum CSVTextDecoder {
    /// The UTF-8 bytes of `input` and the encoding found. A UTF-8 byte-order mark is kept when `keepsUTF8BOM`
    /// (the reader's `stripsBOM` false); UTF-16 and Windows-1252 never produce one.
    public static func utf8(
        _ input: [UInt8], encoding: CSVTextEncoding, keepsUTF8BOM: Bool = false
    ) throws(CSVReadError) -> (bytes: [UInt8], encoding: CSVDetectedEncoding) {
        if input.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = keepsUTF8BOM ? input : Array(input.dropFirst(3))
            try checkUTF8(body, offsetInFile: keepsUTF8BOM ? 0 : 3)
            return (body, .utf8)
        }
        if input.starts(with: [0xFF, 0xFE]) { return (try utf16(input, bigEndian: false), .utf16LittleEndian) }
        if input.starts(with: [0xFE, 0xFF]) { return (try utf16(input, bigEndian: true), .utf16BigEndian) }
        switch encoding {
        case .utf8:
            try checkUTF8(input, offsetInFile: 0)
            return (input, .utf8)
        case .windows1252:
            return (try windows1252(input), .windows1252)
        case .automatic:
            // A zero byte is UTF-16 without a byte-order mark (or not text at all): neither UTF-8 nor Windows-1252.
            if let zero = input.firstIndex(of: 0) { throw invalidUTF8(input, at: zero, offsetInFile: 0) }
            guard let bad = firstInvalidUTF8(input) else { return (input, .utf8) }
            guard let text = try? windows1252(input) else { throw invalidUTF8(input, at: bad, offsetInFile: 0) }
            return (text, .windows1252)
        }
    }

    /// The five bytes Windows-1252 leaves undefined.
    private static let undefined1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// The characters of bytes 0x80…0x9F in Windows-1252 (0 where undefined); the other bytes are Latin-1.
    private static let high1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// Windows-1252 bytes as UTF-8; an undefined byte (0x81, 0x8D, 0x8F, 0x90, 0x9D) is an error.
    private static func windows1252(_ input: [UInt8]) throws(CSVReadError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 8)
        for (offset, b) in input.enumerated() {
            if b < 0x80 {
                out.append(b)
                continue
            }
            if undefined1252.contains(b) {
                let line = 1 + input[..<offset].count { $0 == 0x0A }
                throw CSVReadError(.invalidWindows1252(byte: b, offset: offset), line: line)
            }
            let value = b < 0xA0 ? high1252[Int(b) - 0x80] : UInt32(b)
            append(Unicode.Scalar(value)!, to: &out)
        }
        return out
    }

    /// UTF-16 bytes after their byte-order mark as UTF-8; an odd length or a lone surrogate is an error.
    private static func utf16(_ input: [UInt8], bigEndian: Bool) throws(CSVReadError) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(input.count / 2)
        var i = 2
        while i + 1 < input.count {
            let (a, b) = (UInt16(input[i]), UInt16(input[i + 1]))
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count * 2)
        var parser = Unicode.UTF16.ForwardParser()
        var iterator = units.makeIterator()
        var unitOffset = 0
        var line = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF16.decode(encoded)
                if scalar == "\n" { line += 1 }
                append(scalar, to: &out)
                unitOffset += encoded.count
            case .emptyInput:
                guard input.count % 2 == 0 else {
                    throw CSVReadError(.invalidUTF16(offset: input.count - 1), line: line)
                }
                return out
            case .error:
                throw CSVReadError(.invalidUTF16(offset: 2 + 2 * unitOffset), line: line)
            }
        }
    }

    /// Appends the UTF-8 bytes of `scalar`.
    private static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        out.append(contentsOf: Unicode.UTF8.encode(scalar)!)
    }

    /// Refuses bytes that are not UTF-8, with the line of the first bad byte.
    static func checkUTF8(_ bytes: [UInt8], offsetInFile: Int) throws(CSVReadError) {
        if let bad = firstInvalidUTF8(bytes) { throw invalidUTF8(bytes, at: bad, offsetInFile: offsetInFile) }
    }

    /// The error for the bad UTF-8 byte at `offset`, with its line.
    private static func invalidUTF8(_ bytes: [UInt8], at offset: Int, offsetInFile: Int) -> CSVReadError {
        let line = 1 + bytes[..<offset].count { $0 == 0x0A }
        return CSVReadError(.invalidUTF8(byte: bytes[offset], offset: offset + offsetInFile), line: line)
    }

    /// The offset of the first byte that is not part of valid UTF-8, nil when all are.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
