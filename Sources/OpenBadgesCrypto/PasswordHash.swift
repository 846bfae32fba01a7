import COpenSSL

/// Password hashing with scrypt (memory-hard, RFC 7914) from OpenSSL.
/// Format: `scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>`.
public enum PasswordHash {
    /// Default cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds).
    public static let defaultLogN = 15

    /// Hashes `password` with a fresh 16-byte salt.
    public static func hash(_ password: String, logN: Int = defaultLogN) throws -> String {
        let salt = try SecureRandom.bytes(count: 16)
        let derived = try scrypt(Array(password.utf8), salt: salt, logN: logN, r: 8, p: 1, length: 32)
        return "scrypt$\(logN)$8$1$\(ByteEncoding.hex(salt))$\(ByteEncoding.hex(derived))"
    }

    /// True if `password` matches `encoded` (constant-time comparison); false for any malformed hash.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]),
            let p = Int(parts[3]), (10...20).contains(logN), (1...16).contains(r), (1...4).contains(p),
            let salt = hexDecode(parts[4]),
            let expected = hexDecode(parts[5]), expected.count >= 16
        else { return false }
        guard
            let derived = try? scrypt(Array(password.utf8), salt: salt, logN: logN, r: r, p: p, length: expected.count)
        else { return false }
        return derived.withUnsafeBytes { a in
            expected.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }

    static func hexDecode(_ text: Substring) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0, !u.isEmpty else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = v(u[i]), let lo = v(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func scrypt(_ password: [UInt8], salt: [UInt8], logN: Int, r: Int, p: Int, length: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let n = UInt64(1) << UInt64(logN)
        let maxMemory = UInt64(128) * UInt64(r) * (n + UInt64(p) + 2) + 1024 * 1024
        // A non-null pointer even for an empty password.
        let pass: [CChar] = password.map { CChar(bitPattern: $0) } + [0]
        let ok = pass.withUnsafeBufferPointer { pw in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    EVP_PBE_scrypt(
                        pw.baseAddress, password.count, s.baseAddress, s.count, n, UInt64(r), UInt64(p), maxMemory,
                        o.baseAddress, o.count)
                }
            }
        }
        guard ok == 1 else { throw CryptoError.openSSL(.digest, "scrypt failed") }
        return out
    }
}
