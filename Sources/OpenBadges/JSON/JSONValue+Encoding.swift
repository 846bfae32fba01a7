extension JSONValue {
    /// Member names written first, in this order; the others follow in code-point order.
    static let leadingKeys = ["@context", "id", "type"]

    /// Deterministic compact UTF-8 encoding: `@context`, `id`, `type` first, other keys sorted,
    /// no insignificant whitespace, `/` not escaped, integers without a fraction.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// The same encoding as a string.
    public func encodedString() -> String { String(decoding: encoded(), as: UTF8.self) }

    /// Deterministic pretty-printed encoding (two-space indentation), for people.
    public func prettyString() -> String {
        var out: [UInt8] = []
        write(to: &out, indent: 2, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// The members in encoding order: `@context`, `id`, `type`, then the others in code-point order (one sort of
    /// the pairs, no second lookup per key).
    static func orderedMembers(_ o: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        var members = Array(o)
        members.sort { a, b in
            let ra = leadingRank(a.key)
            let rb = leadingRank(b.key)
            if ra != rb { return ra < rb }
            return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        return members
    }

    /// 0, 1, 2 for `@context`, `id`, `type`; 3 for any other key.
    static func leadingRank(_ key: String) -> Int {
        switch key.utf8.first {
        case UInt8(ascii: "@"): key == "@context" ? 0 : 3
        case UInt8(ascii: "i"): key == "id" ? 1 : 3
        case UInt8(ascii: "t"): key == "type" ? 2 : 3
        default: 3
        }
    }

    func write(to out: inout [UInt8], indent: Int?, level: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): JSONValue.writeNumber(n, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (n, v) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent, level + 1)
                v.write(to: &out, indent: indent, level: level + 1)
            }
            if !a.isEmpty { JSONValue.newline(&out, indent, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (n, member) in JSONValue.orderedMembers(o).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent, level + 1)
                JSONValue.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(to: &out, indent: indent, level: level + 1)
            }
            if !o.isEmpty { JSONValue.newline(&out, indent, level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int?, _ level: Int) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    static func writeNumber(_ n: Double, to out: inout [UInt8]) {
        guard n.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            out.append(contentsOf: "\(n)".utf8)
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: their bytes are copied at once.
        let copied =
            s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                for c in bytes where c < 0x20 || c == 0x22 || c == 0x5C { return false }
                out.append(contentsOf: bytes)
                return true
            } ?? false
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(c >> 4)], hexDigits[Int(c & 15)],
                ])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
