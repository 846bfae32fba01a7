/// A JSON syntax error with the byte offset where it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Byte offset in the input.
    public var offset: Int

    public var description: String { "JSON invalide à l'octet \(offset) / invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Parses strict RFC 8259 JSON (UTF-8). Duplicate member names are refused, nesting is limited.
    public init(parsing bytes: [UInt8], maxDepth: Int = 128) throws(JSONSyntaxError) {
        var parser = JSONParser(maxDepth: maxDepth)
        self = try bytes.withUnsafeBufferPointer { (buf) throws(JSONSyntaxError) -> JSONValue in
            try parser.parseDocument(buf)
        }
    }

    /// Parses strict JSON from a string.
    public init(parsing text: String) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8))
    }
}

struct JSONParser {
    let maxDepth: Int
    var depth = 0
    var i = 0
    // Members of the objects being parsed, as stacks shared by all nesting levels (no allocation per object).
    var keyStack: [String] = []
    var valueStack: [JSONValue] = []
    var offsetStack: [Int] = []

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
        // Room for the members of a typical document: one allocation per stack instead of one per doubling.
        keyStack.reserveCapacity(16)
        valueStack.reserveCapacity(16)
        offsetStack.reserveCapacity(16)
    }

    mutating func parseDocument(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        i = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipSpace(b)
        let v = try parseValue(b)
        skipSpace(b)
        if i != b.count { throw fail("unexpected data after the value") }
        return v
    }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(reason: reason, offset: i) }

    mutating func skipSpace(_ b: UnsafeBufferPointer<UInt8>) {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    mutating func parseValue(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): return try parseObject(b)
        case UInt8(ascii: "["): return try parseArray(b)
        case UInt8(ascii: "\""): return .string(try parseString(b))
        case UInt8(ascii: "t"):
            try literal(b, "true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal(b, "false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal(b, "null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber(b))
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input") }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth)") }
    }

    mutating func parseObject(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        skipSpace(b)
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object([:])
        }
        // Members are collected first so the dictionary is built once at its final size.
        let base = keyStack.count
        while true {
            skipSpace(b)
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let keyOffset = i
            let key = try parseString(b)
            skipSpace(b)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace(b)
            let value = try parseValue(b)  // nested objects use the stacks above `base` and restore them
            offsetStack.append(keyOffset)
            keyStack.append(key)
            valueStack.append(value)
            skipSpace(b)
            guard i < b.count else { throw fail("unexpected end of input") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                break
            }
            throw fail("expected ',' or '}'")
        }
        var o = [String: JSONValue](minimumCapacity: keyStack.count - base)
        for n in base..<keyStack.count where o.updateValue(valueStack[n], forKey: keyStack[n]) != nil {
            throw JSONSyntaxError(reason: "duplicate member \"\(keyStack[n])\"", offset: offsetStack[n])
        }
        let count = keyStack.count - base
        keyStack.removeLast(count)
        valueStack.removeLast(count)
        offsetStack.removeLast(count)
        depth -= 1
        return .object(o)
    }

    mutating func parseArray(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var a: [JSONValue] = []
        skipSpace(b)
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(a)
        }
        while true {
            skipSpace(b)
            a.append(try parseValue(b))
            skipSpace(b)
            guard i < b.count else { throw fail("unexpected end of input") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                break
            }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return .array(a)
    }

    mutating func parseNumber(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> Double {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { throw fail("invalid number") }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < b.count, isDigit(b[i]) { throw fail("leading zero in number") }
        } else {
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { throw fail("invalid fraction") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { throw fail("invalid exponent") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw JSONSyntaxError(reason: "number out of range", offset: start)
        }
        return d
    }

    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    mutating func parseString(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes; ASCII needs no UTF-8 validation.
        var high: UInt8 = 0
        while i < b.count {
            let c = b[i]
            high |= c
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: b[start..<i])
                i += 1
                if high < 0x80 { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw JSONSyntaxError(reason: "invalid UTF-8 in string", offset: start)
                }
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw JSONSyntaxError(reason: "invalid UTF-8 in string", offset: start)
                }
                return s
            }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(b)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate")
                    }
                    i += 2
                    let low = try hex4(b)
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape")
            }
        }
        throw JSONSyntaxError(reason: "unterminated string", offset: start - 1)
    }

    mutating func hex4(_ b: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
