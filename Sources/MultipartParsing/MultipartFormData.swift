import Foundation

/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable, Equatable {
    /// The form field name.
    public var name: String
    /// The file name, for a file field.
    public var filename: String?
    /// The part's `Content-Type`, if given.
    public var contentType: String?
    /// The part's bytes.
    public var body: [UInt8]

    /// Creates a part.
    public init(name: String, filename: String? = nil, contentType: String? = nil, body: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.body = body
    }
}

/// A strict `multipart/form-data` parser (RFC 7578): CRLF line endings, a `Content-Disposition: form-data` header
/// with a name on every part, a closing delimiter, bounded header size and part count.
public enum MultipartFormData {
    /// Why a body was refused.
    public struct Malformed: Error, Equatable {
        /// What is wrong (English, for logs and messages).
        public var reason: String
    }

    /// Most parts in one body.
    public static let maxParts = 64
    /// Largest header block of one part.
    public static let maxHeaderBytes = 8 * 1024

    /// The boundary parameter of a `multipart/form-data` content type.
    public static func boundary(contentType: String) -> String? {
        // Printable ASCII and tabs (nearly always): each byte is one Character and `trimmed` never needs
        // Foundation, so the byte steps below are exactly the Character steps of `boundaryCharacters`.
        let bytes = Array(contentType.utf8)
        if bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) { return asciiBoundary(bytes) }
        return boundaryCharacters(contentType)
    }

    /// `boundary(contentType:)` of any text, Character by Character.
    static func boundaryCharacters(_ contentType: String) -> String? {
        let params = contentType.split(separator: ";").map { trimmed($0) }
        guard params.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in params.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            guard trimmed(p[..<eq]).lowercased() == "boundary" else { continue }
            var value = trimmed(p[p.index(after: eq)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F || $0 == 0x20 }),
                !value.hasSuffix(" ")
            else { return nil }
            return value
        }
        return nil
    }

    /// `boundary(contentType:)` of printable ASCII and tabs: the same steps on bytes.
    static func asciiBoundary(_ b: [UInt8]) -> String? {
        func isBlank(_ x: UInt8) -> Bool { x == 0x20 || x == 0x09 }
        func trim(_ r: Range<Int>) -> Range<Int> {
            var lo = r.lowerBound
            var hi = r.upperBound
            while lo < hi, isBlank(b[lo]) { lo += 1 }
            while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
            return lo..<hi
        }
        func isLowercased(_ r: Range<Int>, _ word: StaticString) -> Bool {
            guard r.count == word.utf8CodeUnitCount else { return false }
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for (i, x) in zip(r, w) where (b[i] >= 0x41 && b[i] <= 0x5A ? b[i] | 0x20 : b[i]) != x { return false }
            return true
        }
        // Fields between semicolons, the empty ones dropped as `split` drops them.
        var fields: [Range<Int>] = []
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == 0x3B {
            if i > start { fields.append(start..<i) }
            start = i + 1
        }
        guard let first = fields.first, isLowercased(trim(first), "multipart/form-data") else { return nil }
        for field in fields.dropFirst() {
            let p = trim(field)
            guard let eq = b[p].firstIndex(of: 0x3D), isLowercased(trim(p.lowerBound..<eq), "boundary") else {
                continue
            }
            var v = trim((eq + 1)..<p.upperBound)
            if v.count >= 2, b[v.lowerBound] == 0x22, b[v.upperBound - 1] == 0x22 {
                v = (v.lowerBound + 1)..<(v.upperBound - 1)
            }
            guard (1...70).contains(v.count), b[v].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), b[v.upperBound - 1] != 0x20
            else { return nil }
            return String(decoding: b[v], as: UTF8.self)
        }
        return nil
    }

    /// Parses `body` delimited by `boundary`.
    public static func parse(_ body: [UInt8], boundary: String) throws(Malformed) -> [MultipartPart] {
        try body.withUnsafeBufferPointer { (b) throws(Malformed) in try parse(bytes: b, boundary: boundary) }
    }

    /// Parses the bytes of a body delimited by `boundary` (a request body read in place: only the parts' bytes
    /// are copied).
    public static func parse(bytes body: UnsafeBufferPointer<UInt8>, boundary: String) throws(Malformed)
        -> [MultipartPart]
    {
        let dash: [UInt8] = Array("--".utf8) + Array(boundary.utf8)
        let delimiter: [UInt8] = [13, 10] + dash
        // The first delimiter may be preceded by a preamble (ignored), which then ends with CRLF.
        var pos: Int
        if body.starts(with: dash) {
            pos = dash.count
        } else if let i = find(delimiter, in: body, from: 0) {
            pos = i + delimiter.count
        } else {
            throw Malformed(reason: "no opening boundary")
        }
        var parts: [MultipartPart] = []
        while true {
            // After a delimiter: "--" closes the body, CRLF starts a part (transport padding tolerated).
            if body.count >= pos + 2, body[pos] == 0x2D, body[pos + 1] == 0x2D { return parts }
            while pos < body.count, body[pos] == 0x20 || body[pos] == 0x09 { pos += 1 }
            guard body.count >= pos + 2, body[pos] == 13, body[pos + 1] == 10 else {
                throw Malformed(reason: "bad delimiter line")
            }
            pos += 2
            guard parts.count < maxParts else { throw Malformed(reason: "too many parts") }
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: pos, limit: maxHeaderBytes) else {
                // A part with no header at all is invalid too: form-data requires Content-Disposition.
                throw Malformed(reason: "part headers not terminated")
            }
            let headers = try parseHeaders(Array(UnsafeBufferPointer(rebasing: body[pos..<headerEnd]))[...])
            let start = headerEnd + 4
            guard let end = find(delimiter, in: body, from: start) else {
                throw Malformed(reason: "no closing boundary")
            }
            guard let disposition = headers["content-disposition"] else {
                throw Malformed(reason: "missing Content-Disposition")
            }
            let (kind, params) = parseParameters(disposition)
            guard kind.lowercased() == "form-data", let name = params["name"] else {
                throw Malformed(reason: "Content-Disposition must be form-data with a name")
            }
            parts.append(
                MultipartPart(
                    name: name, filename: params["filename"], contentType: headers["content-type"],
                    body: Array(UnsafeBufferPointer(rebasing: body[start..<end]))))
            pos = end + delimiter.count
        }
    }

    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> [String: String] {
        // Nearly always ASCII: then each byte is one Character except CR LF, so splitting the bytes at CR LF and
        // reading them is exactly the String path below, without its grapheme breaking.
        if bytes.allSatisfy({ $0 < 0x80 }) { return try parseASCIIHeaders(bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Malformed(reason: "part headers are not UTF-8")
        }
        return try parseHeaderLines(text)
    }

    /// `parseHeaders` of any UTF-8 header block, Character by Character.
    static func parseHeaderLines(_ text: String) throws(Malformed) -> [String: String] {
        var headers: [String: String] = [:]
        // CR LF is always one Character, so this splits exactly where the bytes CR LF are.
        for line in text.split(separator: "\r\n" as Character) {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw Malformed(reason: "bad header line")
            }
            let name = line[..<colon].lowercased()
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw Malformed(reason: "bad header name")
            }
            headers[name] = trimmed(line[line.index(after: colon)...])
        }
        return headers
    }

    /// `parseHeaders` of an ASCII header block: lines split at CR LF (empty lines skipped), `name: value`.
    static func parseASCIIHeaders(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> [String: String] {
        var headers: [String: String] = [:]
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            var lineEnd = lineStart
            while lineEnd < bytes.endIndex,
                !(bytes[lineEnd] == 13 && lineEnd + 1 < bytes.endIndex && bytes[lineEnd + 1] == 10)
            {
                lineEnd += 1
            }
            defer { lineStart = lineEnd + 2 }
            if lineEnd == lineStart { continue }
            let line = bytes[lineStart..<lineEnd]
            guard let colon = line.firstIndex(of: 0x3A), colon != line.startIndex else {
                throw Malformed(reason: "bad header line")
            }
            var name = [UInt8]()
            name.reserveCapacity(colon - line.startIndex)
            for b in line[..<colon] {
                switch b {
                case 0x41...0x5A: name.append(b + 0x20)
                case 0x61...0x7A, 0x30...0x39, 0x2D: name.append(b)
                default: throw Malformed(reason: "bad header name")
                }
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            headers[String(decoding: name, as: UTF8.self)] = trimmed(value[...])
        }
        return headers
    }

    /// `form-data; name="file"; filename="a b.png"` → ("form-data", [name: file, filename: a b.png]).
    static func parseParameters(_ value: String) -> (String, [String: String]) {
        if value.utf8.allSatisfy({ $0 < 0x80 && $0 != 13 }) { return parseASCIIParameters(Array(value.utf8)) }
        return parseParameterCharacters(value)
    }

    /// `parseParameters` of any text, Character by Character.
    static func parseParameterCharacters(_ value: String) -> (String, [String: String]) {
        var chars = Substring(value)
        func skipSpaces() { while let c = chars.first, c == " " || c == "\t" { chars.removeFirst() } }
        var kind = ""
        while let c = chars.first, c != ";" {
            kind.append(c)
            chars.removeFirst()
        }
        var params: [String: String] = [:]
        while chars.first == ";" {
            chars.removeFirst()
            skipSpaces()
            var key = ""
            while let c = chars.first, c != "=", c != ";" {
                key.append(c)
                chars.removeFirst()
            }
            guard chars.first == "=" else { continue }
            chars.removeFirst()
            var v = ""
            if chars.first == "\"" {
                chars.removeFirst()
                while let c = chars.first, c != "\"" {
                    chars.removeFirst()
                    if c == "\\", let next = chars.first {
                        v.append(next)
                        chars.removeFirst()
                    } else {
                        v.append(c)
                    }
                }
                if chars.first == "\"" { chars.removeFirst() }
                while let c = chars.first, c != ";" { chars.removeFirst() }
            } else {
                while let c = chars.first, c != ";" {
                    v.append(c)
                    chars.removeFirst()
                }
                v = trimmed(v[...])
            }
            let k = trimmed(key[...]).lowercased()
            if params[k] == nil { params[k] = v }
        }
        return (trimmed(kind[...]), params)
    }

    /// `parseParameters` of ASCII text without CR (each byte is then one Character): the same steps on bytes.
    static func parseASCIIParameters(_ b: [UInt8]) -> (String, [String: String]) {
        var i = 0
        func text(_ from: Int, _ to: Int) -> String { String(decoding: b[from..<to], as: UTF8.self) }
        while i < b.count, b[i] != 0x3B { i += 1 }
        let kind = text(0, i)
        var params: [String: String] = [:]
        while i < b.count, b[i] == 0x3B {
            i += 1
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let keyStart = i
            while i < b.count, b[i] != 0x3D, b[i] != 0x3B { i += 1 }
            let key = text(keyStart, i)
            guard i < b.count, b[i] == 0x3D else { continue }
            i += 1
            var v: String
            if i < b.count, b[i] == 0x22 {
                i += 1
                var bytes: [UInt8] = []
                while i < b.count, b[i] != 0x22 {
                    if b[i] == 0x5C, i + 1 < b.count {
                        bytes.append(b[i + 1])
                        i += 2
                    } else {
                        bytes.append(b[i])
                        i += 1
                    }
                }
                v = String(decoding: bytes, as: UTF8.self)
                while i < b.count, b[i] != 0x3B { i += 1 }
            } else {
                let valueStart = i
                while i < b.count, b[i] != 0x3B { i += 1 }
                v = trimmed(text(valueStart, i)[...])
            }
            let k = trimmed(key[...]).lowercased()
            if params[k] == nil { params[k] = v }
        }
        return (trimmed(kind[...]), params)
    }

    /// `s.trimmingCharacters(in: .whitespaces)`, without Foundation's slow path when, once ASCII spaces and tabs
    /// are dropped from both ends, both ends are printable ASCII (never white space), which is nearly always.
    public static func trimmed(_ s: Substring) -> String {
        let u = s.utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
        while start < end {
            let before = u.index(before: end)
            guard u[before] == 0x20 || u[before] == 0x09 else { break }
            end = before
        }
        if start == end { return "" }
        guard (0x21..<0x7F).contains(u[start]), (0x21..<0x7F).contains(u[u.index(before: end)]) else {
            return s.trimmingCharacters(in: .whitespaces)
        }
        return String(Substring(u[start..<end]))
    }

    /// The first index of `needle` in `haystack` at or after `from` (and starting before `from + limit`).
    static func find(_ needle: [UInt8], in h: UnsafeBufferPointer<UInt8>, from: Int, limit: Int = .max) -> Int? {
        guard let first = needle.first, h.count >= needle.count else { return nil }
        let last = min(h.count - needle.count, from > Int.max - limit ? Int.max : from + limit)
        guard from <= last else { return nil }
        return needle.withUnsafeBufferPointer { n -> Int? in
            // memchr finds each candidate first byte (a file part is mostly bytes that are not CR).
            guard let base = h.baseAddress else { return nil }
            var i = from
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var j = 1
                while j < n.count, h[i + j] == n[j] { j += 1 }
                if j == n.count { return i }
                i += 1
            }
            return nil
        }
    }
}
