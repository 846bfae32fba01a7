import COpenSSL

/// SHA-256 over OpenSSL's EVP one-shot digest.
public enum SHA256Digest {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        evpDigest(bytes, fetched ?? EVP_sha256(), size: 32, name: "SHA-256")
    }

    /// SHA-256 fetched once from the default provider: `EVP_sha256()` makes OpenSSL 3 look the implementation up
    /// again (lock + table) on every call. Immutable and thread-safe once fetched; never freed.
    nonisolated(unsafe) private static let fetched: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// The SHA-256 digest of `bytes` as 64 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) -> String {
        ByteEncoding.hex(hash(bytes))
    }
}

/// MD5, only for checking legacy `md5$…` recipient hashes that OB 2.0 still allows; never for signing.
public enum MD5Digest {
    /// The 16-byte MD5 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] { evpDigest(bytes, EVP_md5(), size: 16, name: "MD5") }
}

/// One-shot EVP digest; the built-in digests only fail on memory exhaustion.
private func evpDigest(_ bytes: [UInt8], _ md: OpaquePointer?, size: Int, name: String) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: size)
    var length: CUnsignedInt = 0
    let ok = bytes.withUnsafeBytes { input in
        digest.withUnsafeMutableBufferPointer { output in
            EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, md, nil)
        }
    }
    precondition(ok == 1 && Int(length) == size, "\(name) failed: \(OpenSSLErrorQueue.drain())")
    return digest
}

/// Cryptographically secure random bytes from OpenSSL's RAND_bytes.
public enum SecureRandom {
    /// `count` random bytes; throws `.random` if the CSPRNG fails or `count` is negative.
    public static func bytes(count: Int) throws -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else {
            throw CryptoError(code: .random, message: "invalid byte count \(count)")
        }
        if count == 0 { return [] }
        OpenSSLErrorQueue.clear()
        var buffer = [UInt8](repeating: 0, count: count)
        let ok = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw CryptoError.openSSL(.random, "RAND_bytes failed") }
        return buffer
    }

    /// `byteCount` random bytes rendered as lowercase hex (2 × byteCount characters).
    public static func hex(byteCount: Int) throws -> String {
        ByteEncoding.hex(try bytes(count: byteCount))
    }
}

/// SHA-384 over OpenSSL's EVP one-shot digest (RDFC-1.0 allows it as the canonicalization hash).
public enum SHA384Digest {
    /// The 48-byte SHA-384 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] { evpDigest(bytes, EVP_sha384(), size: 48, name: "SHA-384") }
}
