import Foundation

/// An `application/x-www-form-urlencoded` body or a query string, decoded leniently: malformed percent escapes
/// are kept as text and invalid UTF-8 is replaced, so garbage input gives a validation message, never a crash.
struct WebForm: Sendable {
    private(set) var values: [String: [String]] = [:]
    /// Uploaded files (multipart forms only).
    var files: [String: MultipartPart] = [:]

    init() {}

    init(urlEncoded bytes: [UInt8]) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            add(name, value)
        }
    }

    mutating func add(_ name: String, _ value: String) {
        guard values.count < 200 || values[name] != nil else { return }
        values[name, default: []].append(value)
    }

    /// The first value of a field, or "".
    subscript(_ name: String) -> String { values[name]?.first ?? "" }

    /// The first value, trimmed; nil when empty.
    func optional(_ name: String) -> String? {
        let v = self[name].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    static func decode<S: Collection>(_ part: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(part.count)
        var i = part.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        while i != part.endIndex {
            let c = part[i]
            if c == UInt8(ascii: "+") {
                out.append(0x20)
            } else if c == UInt8(ascii: "%"), let a = part.index(i, offsetBy: 1, limitedBy: part.endIndex),
                a != part.endIndex,
                let b = part.index(a, offsetBy: 1, limitedBy: part.endIndex), b != part.endIndex,
                let h = hex(part[a]), let l = hex(part[b])
            {
                out.append(h << 4 | l)
                i = b
            } else {
                out.append(c)
            }
            i = part.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes a query value.
    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension [UInt8] {
    /// True when the bytes are only spaces, tabs and line breaks (an empty uploaded file or field).
    var trimmingWhitespaceIsEmpty: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
}
