/// A PDF object, as far as the assertion extractor needs it.
indirect enum PDFObject: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case name(String)
    case array([PDFObject])
    case dictionary([String: PDFObject])
    case reference(Int, Int)
    /// A stream: its dictionary, and the data found between `stream` and `endstream`.
    case stream([String: PDFObject], Range<Int>)

    var dictionary: [String: PDFObject]? {
        switch self {
        case .dictionary(let d), .stream(let d, _): d
        default: nil
        }
    }

    /// This number as an `Int` when it is whole, in `0...limit` (a stream length, an offset): nil for anything else,
    /// fractions, infinities and NaN included, so a value read from the file never traps when converted.
    func wholeNumber(atMost limit: Int) -> Int? {
        guard case .number(let value) = self, value.isFinite, value >= 0, value <= Double(limit),
            value == value.rounded(.towardZero)
        else { return nil }
        return Int(value)
    }
}

/// A tolerant reader of the objects of a classic PDF file (`N G obj … endobj`, `trailer << … >>`): enough to
/// follow the Info dictionary and the embedded files. Unknown bytes are skipped; nothing here traps on
/// malformed input, and depth, counts and sizes are bounded.
struct PDFObjectParser {
    let bytes: [UInt8]
    var position = 0
    /// The last definition of each object (later revisions win), by object number.
    private(set) var objects: [Int: PDFObject] = [:]
    /// The trailer dictionaries in file order (classic `trailer` keyword and cross-reference streams).
    private(set) var trailers: [[String: PDFObject]] = []

    static let maxDepth = 32
    static let maxObjects = 100_000

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads every object and trailer; throws when the file has too many objects.
    mutating func parseAll() throws(PDFParseError) {
        while true {
            skipWhitespaceAndComments()
            guard position < bytes.count else { return }
            let start = position
            if let (number, generation) = objectHeader() {
                _ = generation
                guard objects.count < Self.maxObjects else { throw .tooManyObjects }
                if let value = try? parseValue(depth: 0) {
                    var object = value
                    skipWhitespaceAndComments()
                    if case .dictionary(let d) = value, keyword("stream") { object = .stream(d, streamData(d)) }
                    objects[number] = object
                    if case .stream(let d, _) = object, d["Type"] == .name("XRef") { trailers.append(d) }
                }
            } else if keyword("trailer") {
                skipWhitespaceAndComments()
                if case .dictionary(let d)? = try? parseValue(depth: 0) { trailers.append(d) }
            } else {
                // xref tables, startxref, stray bytes: skip a token.
                skipToken()
            }
            if position == start { position += 1 }
        }
    }

    /// The object a value points to (following references, at most a few hops).
    func resolve(_ value: PDFObject?) -> PDFObject? {
        var current = value
        for _ in 0..<8 {
            guard case .reference(let n, _)? = current else { return current }
            current = objects[n]
        }
        return nil
    }

    // MARK: Lexing

    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0
    }

    static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    static func isRegular(_ b: UInt8) -> Bool { !isWhitespace(b) && !isDelimiter(b) }

    mutating func skipWhitespaceAndComments() {
        while position < bytes.count {
            let b = bytes[position]
            if Self.isWhitespace(b) {
                position += 1
            } else if b == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    mutating func skipToken() {
        while position < bytes.count, Self.isRegular(bytes[position]) { position += 1 }
    }

    /// Consumes `word` when it is the next token.
    mutating func keyword(_ word: StaticString) -> Bool {
        // Called at nearly every token: compared in place, no allocation.
        let end = word.withUTF8Buffer { w -> Int? in
            guard position + w.count <= bytes.count, bytes[position..<position + w.count].elementsEqual(w) else {
                return nil
            }
            return position + w.count
        }
        guard let end, end == bytes.count || !Self.isRegular(bytes[end]) else { return false }
        position = end
        return true
    }

    /// An unsigned integer token.
    mutating func integer() -> Int? {
        let start = position
        var value = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39, position - start < 10 {
            value = value * 10 + Int(bytes[position] - 0x30)
            position += 1
        }
        guard position > start, position == bytes.count || !Self.isRegular(bytes[position]) else {
            position = start
            return nil
        }
        return value
    }

    /// `N G obj`, or nil (position unchanged).
    mutating func objectHeader() -> (Int, Int)? {
        let start = position
        if let n = integer() {
            skipWhitespaceAndComments()
            if let g = integer() {
                skipWhitespaceAndComments()
                if keyword("obj") { return (n, g) }
            }
        }
        position = start
        return nil
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(PDFParseError) -> PDFObject {
        guard depth < Self.maxDepth else { throw .tooDeep }
        skipWhitespaceAndComments()
        guard position < bytes.count else { throw .truncated }
        let b = bytes[position]
        switch b {
        case UInt8(ascii: "/"):
            return .name(parseName())
        case UInt8(ascii: "("):
            return .string(try parseLiteralString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                return .dictionary(try parseDictionary(depth: depth))
            }
            return .string(try parseHexString())
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFObject] = []
            while true {
                skipWhitespaceAndComments()
                guard position < bytes.count else { throw .truncated }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                items.append(try parseValue(depth: depth + 1))
            }
        default:
            if keyword("true") { return .bool(true) }
            if keyword("false") { return .bool(false) }
            if keyword("null") { return .null }
            if let n = integer() {
                // `N G R` is a reference.
                let afterNumber = position
                skipWhitespaceAndComments()
                if let g = integer() {
                    skipWhitespaceAndComments()
                    if keyword("R") { return .reference(n, g) }
                }
                position = afterNumber
                if position < bytes.count, bytes[position] == UInt8(ascii: ".") { return .number(parseReal(from: n)) }
                return .number(Double(n))
            }
            if b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") {
                let start = position
                skipToken()
                return .number(Double(String(decoding: bytes[start..<position], as: UTF8.self)) ?? 0)
            }
            throw .unexpected(position)
        }
    }

    mutating func parseReal(from integerPart: Int) -> Double {
        let start = position
        skipToken()
        return Double(integerPart) + (Double("0" + String(decoding: bytes[start..<position], as: UTF8.self)) ?? 0)
    }

    mutating func parseName() -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count, Self.isRegular(bytes[position]) {
            let b = bytes[position]
            if b == UInt8(ascii: "#"), position + 2 < bytes.count, let h = Self.hex(bytes[position + 1]),
                let l = Self.hex(bytes[position + 2])
            {
                out.append(h << 4 | l)
                position += 3
            } else {
                out.append(b)
                position += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func parseDictionary(depth: Int) throws(PDFParseError) -> [String: PDFObject] {
        position += 2
        var d: [String: PDFObject] = [:]
        while true {
            skipWhitespaceAndComments()
            guard position + 1 < bytes.count else { throw .truncated }
            if bytes[position] == UInt8(ascii: ">"), bytes[position + 1] == UInt8(ascii: ">") {
                position += 2
                return d
            }
            guard bytes[position] == UInt8(ascii: "/") else { throw .unexpected(position) }
            let key = parseName()
            d[key] = try parseValue(depth: depth + 1)
        }
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    mutating func parseHexString() throws(PDFParseError) -> [UInt8] {
        position += 1
        var out: [UInt8] = []
        var high: UInt8?
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            if b == UInt8(ascii: ">") {
                if let h = high { out.append(h << 4) }
                return out
            }
            if Self.isWhitespace(b) { continue }
            guard let v = Self.hex(b) else { throw .unexpected(position - 1) }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        throw .truncated
    }

    mutating func parseLiteralString() throws(PDFParseError) -> [UInt8] {
        position += 1
        var out: [UInt8] = []
        var nesting = 0
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            switch b {
            case UInt8(ascii: "("):
                nesting += 1
                out.append(b)
            case UInt8(ascii: ")"):
                if nesting == 0 { return out }
                nesting -= 1
                out.append(b)
            case 0x0D:
                // An end of line in a string reads as a line feed.
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                out.append(0x0A)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw .truncated }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case 0x0D:
                    if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A: break
                case 0x30...0x37:
                    var v = Int(e - 0x30)
                    for _ in 0..<2 {
                        guard position < bytes.count, (0x30...0x37).contains(bytes[position]) else { break }
                        v = v * 8 + Int(bytes[position] - 0x30)
                        position += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: v))
                default: out.append(e)  // \( \) \\ and unknown escapes: the character itself
                }
            default:
                out.append(b)
            }
        }
        throw .truncated
    }

    /// After the `stream` keyword: the data up to the declared direct `/Length`, else up to `endstream`.
    mutating func streamData(_ d: [String: PDFObject]) -> Range<Int> {
        if position < bytes.count, bytes[position] == 0x0D { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        let start = position
        if let length = d["Length"]?.wholeNumber(atMost: bytes.count - start) {
            let end = start + length
            var p = end
            while p < bytes.count, Self.isWhitespace(bytes[p]) { p += 1 }
            let marker = Array("endstream".utf8)
            if p + marker.count <= bytes.count, bytes[p..<p + marker.count].elementsEqual(marker) {
                position = p + marker.count
                return start..<end
            }
        }
        // Indirect or wrong length: search for the keyword.
        guard let found = Self.find(Array("endstream".utf8), in: bytes, from: start) else {
            position = bytes.count
            return start..<bytes.count
        }
        position = found + 9
        var end = found
        if end > start, bytes[end - 1] == 0x0A { end -= 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == first, haystack[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Why the object reader stopped.
enum PDFParseError: Error {
    case truncated, tooDeep, tooManyObjects
    case unexpected(Int)
}
