import Foundation

/// Base64url (RFC 4648 §5) without padding, as JWS uses it.
public enum Base64URL {
    /// Encodes without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var s = Data(bytes).base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// Encodes a UTF-8 string without padding.
    public static func encode(_ text: String) -> String { encode(Array(text.utf8)) }

    /// Decodes strict unpadded base64url; returns nil on any other character or an impossible length.
    public static func decode(_ text: Substring) -> [UInt8]? {
        let u = text.utf8
        if u.count % 4 == 1 { return nil }
        var s = ""
        s.reserveCapacity(u.count + 3)
        for c in u {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                s.unicodeScalars.append(Unicode.Scalar(c))
            case UInt8(ascii: "-"): s.append("+")
            case UInt8(ascii: "_"): s.append("/")
            default: return nil
            }
        }
        while s.utf8.count % 4 != 0 { s.append("=") }
        guard let d = Data(base64Encoded: s) else { return nil }
        return [UInt8](d)
    }

    /// Decodes a string.
    public static func decode(_ text: String) -> [UInt8]? { decode(text[...]) }
}
