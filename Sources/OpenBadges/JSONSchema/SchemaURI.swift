import Foundation
import LinkedData

// MARK: - URI references (RFC 3986 §5)

enum SchemaURI {
    struct Parts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var fragment: String?

        var string: String {
            var s = ""
            if let scheme { s += scheme + ":" }
            if let authority { s += "//" + authority }
            s += path
            if let query { s += "?" + query }
            if let fragment { s += "#" + fragment }
            return s
        }
    }

    static func parse(_ s: String) -> Parts {
        var rest = Substring(s)
        var fragment: String?
        if let h = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: h)...])
            rest = rest[..<h]
        }
        var query: String?
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var scheme: String?
        if let c = rest.firstIndex(of: ":"), isScheme(rest[..<c]) {
            scheme = String(rest[..<c])
            rest = rest[rest.index(after: c)...]
        }
        var authority: String?
        if rest.hasPrefix("//") {
            let after = rest.dropFirst(2)
            let end = after.firstIndex(of: "/") ?? after.endIndex
            authority = String(after[..<end])
            rest = after[end...]
        }
        return Parts(scheme: scheme, authority: authority, path: String(rest), query: query, fragment: fragment)
    }

    static func isScheme(_ s: Substring) -> Bool {
        guard let f = s.unicodeScalars.first, f.isASCII, f.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "+" || c == "-" || c == ".")
        }
    }

    static func hasScheme(_ s: String) -> Bool { parse(s).scheme != nil }

    /// Resolves `ref` against `base` (RFC 3986 §5.2.2, LinkedData's resolver); a relative `ref` stays as it is
    /// when there is no base yet.
    static func resolve(_ ref: String, against base: String) -> String {
        if base.isEmpty && !IRIReference.isAbsolute(ref) { return ref }
        return IRIReference.resolve(ref, against: base)
    }

    /// The URI without its fragment.
    static func stripFragment(_ s: String) -> String {
        if let h = s.firstIndex(of: "#") { return String(s[..<h]) }
        return s
    }

    /// The fragment (without '#'), or "" when there is none.
    static func fragment(_ s: String) -> String {
        if let h = s.firstIndex(of: "#") { return String(s[s.index(after: h)...]) }
        return ""
    }

    /// The last path segment, e.g. "other.json".
    static func fileName(_ s: String) -> String {
        let path = parse(stripFragment(s)).path
        if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
        return path
    }

    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        return s.removingPercentEncoding ?? s
    }
}
