import Foundation

// MARK: - SchemaFormats

enum SchemaFormats {
    /// nil when the format is unknown (ignored), else whether the string conforms.
    static func check(_ format: String, _ s: String) -> Bool? {
        switch format {
        case "date-time": return isDateTime(s)
        case "date": return isDate(Substring(s))
        case "time": return isTime(Substring(s))
        case "uri": return isURI(s, requireScheme: true)
        case "uri-reference": return isURI(s, requireScheme: false)
        case "email": return isEmail(s)
        case "uuid": return isUUID(s)
        default: return nil
        }
    }

    static func digits(_ s: Substring, _ n: Int) -> Int? {
        guard s.count == n, s.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(s)
    }

    /// RFC 3339 `full-date`.
    static func isDate(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = digits(parts[0], 4), let m = digits(parts[1], 2), let d = digits(parts[2], 2)
        else {
            return false
        }
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    /// RFC 3339 `full-time` (the time-zone offset is mandatory).
    static func isTime(_ s: Substring) -> Bool {
        var rest = s
        var offsetOK = false
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest = rest.dropLast()
            offsetOK = true
        } else if rest.count > 6 {
            let off = rest.suffix(6)
            let sign = off.first
            if sign == "+" || sign == "-" {
                let hm = off.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
                if hm.count == 2, let h = digits(hm[0], 2), let m = digits(hm[1], 2), h <= 23, m <= 59 {
                    offsetOK = true
                    rest = rest.dropLast(6)
                }
            }
        }
        guard offsetOK else { return false }
        var frac: Substring = ""
        if let dot = rest.firstIndex(of: ".") {
            frac = rest[rest.index(after: dot)...]
            rest = rest[..<dot]
            guard !frac.isEmpty, frac.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        }
        let hms = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, let h = digits(hms[0], 2), let m = digits(hms[1], 2), let sec = digits(hms[2], 2) else {
            return false
        }
        return h <= 23 && m <= 59 && sec <= 60
    }

    /// RFC 3339 `date-time`: full-date "T" full-time, with a mandatory time zone.
    static func isDateTime(_ s: String) -> Bool {
        var copy = s
        if let ascii = copy.withUTF8({ u in u.allSatisfy { $0 < 0x80 } ? isASCIIDateTime(u) : nil }) {
            return ascii
        }
        return isDateTimeByCharacters(s)
    }

    /// `isDateTime` over characters: the general path (non-ASCII strings, which it refuses), and the reference of
    /// `isASCIIDateTime` in the tests.
    static func isDateTimeByCharacters(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(s[..<t]) && isTime(s[s.index(after: t)...])
    }

    /// `isDateTime` of an ASCII string, byte by byte: `yyyy-MM-dd` `T`|`t` `HH:mm:ss` (`.` digits)? then `Z`|`z`
    /// or `+HH:mm`|`-HH:mm`, with the same range checks (`SchemaFormatsTests` compares both).
    static func isASCIIDateTime(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        func number(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= u.count else { return nil }
            var v = 0
            for k in at..<(at + n) {
                let c = u[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        func byte(_ at: Int) -> UInt8 { at < u.count ? u[at] : 0 }
        guard let y = number(0, 4), byte(4) == UInt8(ascii: "-"), let m = number(5, 2), byte(7) == UInt8(ascii: "-"),
            let d = number(8, 2), byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"),
            let h = number(11, 2), byte(13) == UInt8(ascii: ":"), let mi = number(14, 2), byte(16) == UInt8(ascii: ":"),
            let sec = number(17, 2)
        else { return false }
        guard (1...12).contains(m), d >= 1, h <= 23, mi <= 59, sec <= 60 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return false }
        var i = 19
        if byte(i) == UInt8(ascii: ".") {
            let start = i + 1
            i = start
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        if i + 1 == u.count, u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") { return true }
        guard i + 6 == u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"),
            let oh = number(i + 1, 2), u[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2)
        else { return false }
        return oh <= 23 && om <= 59
    }

    static let uriChars: Set<Unicode.Scalar> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".unicodeScalars)

    /// RFC 3986 URI (absolute, with a scheme) or URI reference; ASCII only, valid percent-escapes,
    /// at most one '#'.
    static func isURI(_ s: String, requireScheme: Bool) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard uriChars.contains(c) else { return false }
            if c == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].properties.isASCIIHexDigit,
                    scalars[i + 2].properties.isASCIIHexDigit
                else {
                    return false
                }
                i += 2
            }
            i += 1
        }
        if s.filter({ $0 == "#" }).count > 1 { return false }
        let parts = SchemaURI.parse(s)
        if requireScheme && parts.scheme == nil { return false }
        if let auth = parts.authority, parts.scheme != nil, auth.isEmpty, parts.scheme?.lowercased() != "file" {
            return false
        }
        return true
    }

    /// A pragmatic e-mail address check (RFC 5321 dot-atom local part, host name domain).
    static func isEmail(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at]
        let domain = s[s.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, !domain.isEmpty, domain.count <= 253 else { return false }
        let atext = Set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)
        for part in local.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.unicodeScalars.allSatisfy({ atext.contains($0) }) else { return false }
        }
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-",
                label.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                })
            else { return false }
        }
        return true
    }

    static func isUUID(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }
    }
}
