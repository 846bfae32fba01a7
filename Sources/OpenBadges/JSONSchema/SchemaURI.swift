import Foundation

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

    /// Resolves `ref` against `base` (RFC 3986 §5.2.2).
    static func resolve(_ ref: String, against base: String) -> String {
        let r = parse(ref)
        if base.isEmpty { return r.scheme != nil ? withDotsRemoved(r).string : ref }
        let b = parse(base)
        var t = Parts(scheme: nil, authority: nil, path: "", query: nil, fragment: r.fragment)
        if r.scheme != nil {
            t.scheme = r.scheme
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.authority != nil {
                t.authority = r.authority
                t.path = removeDotSegments(r.path)
                t.query = r.query
            } else {
                if r.path.isEmpty {
                    t.path = b.path
                    t.query = r.query ?? b.query
                } else {
                    if r.path.hasPrefix("/") {
                        t.path = removeDotSegments(r.path)
                    } else {
                        t.path = removeDotSegments(merge(b, r.path))
                    }
                    t.query = r.query
                }
                t.authority = b.authority
            }
            t.scheme = b.scheme
        }
        return t.string
    }

    static func withDotsRemoved(_ p: Parts) -> Parts {
        var p = p
        p.path = removeDotSegments(p.path)
        return p
    }

    static func merge(_ b: Parts, _ path: String) -> String {
        if b.authority != nil && b.path.isEmpty { return "/" + path }
        if let slash = b.path.lastIndex(of: "/") { return String(b.path[...slash]) + path }
        return path
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var out = ""
        func dropLastSegment() {
            if let i = out.lastIndex(of: "/") { out = String(out[..<i]) } else { out = "" }
        }
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                dropLastSegment()
            } else if input == "/.." {
                input = "/"
                dropLastSegment()
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let searchFrom = input.first == "/" ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchFrom...].firstIndex(of: "/") ?? input.endIndex
                out += input[..<end]
                input = input[end...]
            }
        }
        return out
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
