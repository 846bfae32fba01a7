import Foundation

/// Small security primitives shared by pages and API: token comparison, cookies, safe redirects.
enum WebSecurity {
    /// Constant-time comparison of two tokens (the length is not secret).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// A `Set-Cookie` value.
    static func cookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool, httpOnly: Bool = true) -> String {
        var c = "\(name)=\(value); Path=/; SameSite=Lax"
        if let maxAge { c += "; Max-Age=\(maxAge)" }
        if httpOnly { c += "; HttpOnly" }
        if secure { c += "; Secure" }
        return c
    }

    /// A safe local redirect target (trainer pages, or a Badge Connect consent request), or `/trainer`.
    static func localNext(_ next: String) -> String {
        guard next.hasPrefix("/trainer") || next.hasPrefix("/oauth/authorize?") || next.hasPrefix("/claim/"),
            !next.contains("//"),
            !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/trainer" }
        return next
    }
}
