// MARK: - Hand matchers for the bundled schemas' patterns

/// The `pattern`s of the bundled OB 3.0 schemas, matched by hand over UTF-8 instead of NSRegularExpression (a regex
/// call cost more than the rest of a string check). Each gives exactly the answer of its pattern as `ECMARegex`
/// translates it for ICU (`$` → `\z`, `\d` → `[0-9]`): every class is ASCII, so a non-ASCII byte never matches one.
/// Other patterns keep the regex (`SchemaPatternsTests` compares both on generated strings).
enum KnownPattern: Sendable {
    /// `(ext:)[a-z|A-Z|0-9|.|-|_]+`, unanchored. In the class, `|-|` is the range `|`…`|`: the class is
    /// letters, digits, `|`, `.` and `_` (no `-`).
    case extensionName
    /// `^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$`: a compact JWS.
    case compactJWS
    /// `^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`: a language tag.
    case languageTag
    /// `^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$`: an OB 3.0 context URL.
    case ob3Context

    init?(source: String) {
        switch source {
        case #"(ext:)[a-z|A-Z|0-9|.|-|_]+"#: self = .extensionName
        case #"^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$"#: self = .compactJWS
        case #"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"#: self = .languageTag
        case #"^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$"#: self = .ob3Context
        default: return nil
        }
    }

    /// Whether `s` matches the pattern.
    func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            switch self {
            case .extensionName: Self.extensionName(u)
            case .compactJWS: Self.compactJWS(u)
            case .languageTag: Self.languageTag(u)
            case .ob3Context: Self.ob3Context(u)
            }
        }
    }

    private static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func extensionName(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count >= 5 else { return false }
        for i in 0...(u.count - 5)
        where u[i] == UInt8(ascii: "e") && u[i + 1] == UInt8(ascii: "x") && u[i + 2] == UInt8(ascii: "t")
            && u[i + 3] == UInt8(ascii: ":")
        {
            let c = u[i + 4]
            if isLower(c) || isUpper(c) || isDigit(c) || c == UInt8(ascii: "|") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "_")
            {
                return true
            }
        }
        return false
    }

    private static func compactJWS(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = [0, 0, 0]
        var part = 0
        for c in u {
            if c == UInt8(ascii: ".") {
                part += 1
                if part > 2 { return false }
            } else if isLower(c) || isUpper(c) || isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") {
                parts[part] += 1
            } else {
                return false
            }
        }
        return part == 2 && parts[0] > 0 && parts[2] > 0
    }

    private static func languageTag(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < u.count, isLower(u[i]) { i += 1 }
        guard (2...4).contains(i) else { return false }
        // `(-[A-Z][a-z]{3})?` then `(-([A-Z]{2}|[0-9]{3}))?`, then the end. After `-` an upper case letter followed
        // by a lower case one can only be the script; two upper case letters or three digits only the region.
        func script(_ at: Int) -> Bool {
            at + 5 <= u.count && u[at] == UInt8(ascii: "-") && isUpper(u[at + 1]) && isLower(u[at + 2])
                && isLower(u[at + 3]) && isLower(u[at + 4])
        }
        func region(_ at: Int) -> Int? {
            guard at < u.count, u[at] == UInt8(ascii: "-") else { return nil }
            if at + 3 <= u.count, isUpper(u[at + 1]), isUpper(u[at + 2]) { return at + 3 }
            if at + 4 <= u.count, isDigit(u[at + 1]), isDigit(u[at + 2]), isDigit(u[at + 3]) { return at + 4 }
            return nil
        }
        if i == u.count { return true }
        if script(i) {
            let j = i + 5
            if j == u.count { return true }
            if let end = region(j), end == u.count { return true }
        }
        if let end = region(i), end == u.count { return true }
        return false
    }

    private static let contextHead = Array("https://purl.imsglobal.org/spec/ob/v3p0/context".utf8)

    private static func ob3Context(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = contextHead
        guard u.count >= head.count + 5 else { return false }
        for k in 0..<head.count where u[k] != head[k] { return false }
        var i = head.count
        // `(-3\.\d\.\d)*`: groups of six bytes.
        while i + 6 <= u.count, u[i] == UInt8(ascii: "-"), u[i + 1] == UInt8(ascii: "3"),
            u[i + 2] == UInt8(ascii: "."), isDigit(u[i + 3]), u[i + 4] == UInt8(ascii: "."), isDigit(u[i + 5])
        {
            i += 6
        }
        return u.count - i == 5 && u[i] == UInt8(ascii: ".") && u[i + 1] == UInt8(ascii: "j")
            && u[i + 2] == UInt8(ascii: "s") && u[i + 3] == UInt8(ascii: "o") && u[i + 4] == UInt8(ascii: "n")
    }
}
