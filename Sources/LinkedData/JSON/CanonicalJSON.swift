import Foundation

/// RFC 8785 JSON Canonicalization Scheme (JCS), used for `@json` literals; and the number forms JSON-LD needs.
enum CanonicalJSON {
    /// The JCS text of `value`: members sorted by UTF-16 code units, no whitespace, ECMAScript numbers.
    static func serialize(_ value: LDJSON) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    static func write(_ value: LDJSON, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += ecmaScriptString(n)
        case .string(let s): writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (n, v) in a.enumerated() {
                if n > 0 { out += "," }
                write(v, to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            let keys = o.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
            for (n, k) in keys.enumerated() {
                if n > 0 { out += "," }
                writeString(k, to: &out)
                out += ":"
                write(o[k]!, to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// Shortest round-trip decimal digits and exponent `n` such that value = 0.d1d2… × 10^n.
    static func shortestDigits(_ value: Double) -> (digits: [Character], exponent: Int) {
        let text = "\(abs(value))"
        var mantissa = text
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exp = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = Array(parts[0])
        let fracPart = parts.count > 1 ? Array(parts[1]) : []
        var digits = intPart + fracPart
        var point = intPart.count + exp
        while let first = digits.first, first == "0", digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == "0", digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }

    /// ECMAScript `Number.prototype.toString()` of a finite double (RFC 8785 §3.2.2.3).
    static func ecmaScriptString(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let (d, n) = shortestDigits(value)
        let k = d.count
        let s = String(d)
        if k <= n && n <= 21 { return sign + s + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return sign + String(d[0..<n]) + "." + String(d[n...]) }
        if -6 < n && n <= 0 { return sign + "0." + String(repeating: "0", count: -n) + s }
        let e = n - 1
        let mantissa = k == 1 ? s : String(d[0]) + "." + String(d[1...])
        return sign + mantissa + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
    }

    /// The canonical `xsd:double` lexical form JSON-LD uses (`toExponential(15)`, trailing zeros dropped: `1.1E0`).
    static func xsdDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "INF" : "-INF" }
        let text = String(format: "%.15E", value)
        guard let e = text.firstIndex(of: "E") else { return text }
        var mantissa = String(text[..<e])
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        while mantissa.hasSuffix("0") { mantissa.removeLast() }
        if mantissa.hasSuffix(".") { mantissa += "0" }
        return mantissa + "E" + String(exponent)
    }

    /// The `xsd:integer` lexical form of an integral double.
    static func xsdInteger(_ value: Double) -> String {
        if abs(value) < 9.0e18 { return String(Int64(value)) }
        return String(format: "%.0f", value)
    }
}
