/// Base64url (RFC 4648 §5) without padding, as JWS uses it.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0–63 for base64url characters, 255 otherwise.
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Encodes without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the unpadded encoding of `bytes` to `out`.
    public static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (bytes.count * 4 + 2) / 3)
        var i = 0
        let n = bytes.count
        while i + 3 <= n {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        if n - i == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
        } else if n - i == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
        }
    }

    /// Encodes a UTF-8 string without padding.
    public static func encode(_ text: String) -> String { encode(Array(text.utf8)) }

    /// Decodes strict unpadded base64url; nil on any other character (padding included), an impossible
    /// length, or non-zero trailing bits.
    public static func decode<C: Collection<UInt8>>(bytes text: C) -> [UInt8]? {
        if let r = text.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return r }
        return Array(text).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    static func decode(buffer b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let n = b.count
        if n % 4 == 1 { return nil }
        let full = n / 4
        let rest = n % 4
        let outCount = full * 3 + (rest == 0 ? 0 : rest - 1)
        return decodeTable.withUnsafeBufferPointer { t -> [UInt8]? in
            var ok = true
            let out = [UInt8](unsafeUninitializedCapacity: outCount) { o, initialized in
                var i = 0
                var j = 0
                for _ in 0..<full {
                    let a = t[Int(b[i])]
                    let c = t[Int(b[i + 1])]
                    let d = t[Int(b[i + 2])]
                    let e = t[Int(b[i + 3])]
                    if (a | c | d | e) & 0xC0 != 0 {
                        ok = false
                        break
                    }
                    let v = UInt32(a) << 18 | UInt32(c) << 12 | UInt32(d) << 6 | UInt32(e)
                    o[j] = UInt8(truncatingIfNeeded: v >> 16)
                    o[j + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    o[j + 2] = UInt8(truncatingIfNeeded: v)
                    i += 4
                    j += 3
                }
                if ok, rest > 0 {
                    var v: UInt32 = 0
                    for k in 0..<rest {
                        let x = t[Int(b[i + k])]
                        if x == 255 { ok = false }
                        v = v << 6 | UInt32(x & 63)
                    }
                    if ok {
                        if rest == 2 {
                            if v & 0xF != 0 { ok = false }  // non-canonical trailing bits
                            o[j] = UInt8(truncatingIfNeeded: v >> 4)
                        } else {
                            if v & 0x3 != 0 { ok = false }
                            o[j] = UInt8(truncatingIfNeeded: v >> 10)
                            o[j + 1] = UInt8(truncatingIfNeeded: v >> 2)
                        }
                    }
                }
                if !ok {
                    for k in 0..<outCount { o[k] = 0 }
                }
                initialized = outCount
            }
            return ok ? out : nil
        }
    }

    /// Decodes a string or substring.
    public static func decode(_ text: Substring) -> [UInt8]? { decode(bytes: text.utf8) }

    /// Decodes a string.
    public static func decode(_ text: String) -> [UInt8]? { decode(bytes: text.utf8) }
}
