import COpenSSL

/// SHA-256 over OpenSSL's EVP one-shot digest.
public enum SHA256Digest {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: CUnsignedInt = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with the built-in SHA-256 only fails on memory exhaustion.
        precondition(ok == 1 && length == 32, "SHA-256 failed: \(OpenSSLErrorQueue.drain())")
        return digest
    }

    /// The SHA-256 digest of `bytes` as 64 lowercase hex characters.
    public static func hexHash(_ bytes: [UInt8]) -> String {
        ByteEncoding.hex(hash(bytes))
    }
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
