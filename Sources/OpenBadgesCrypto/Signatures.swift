import COpenSSL

extension PrivateKey {
    /// Signs `message`: RS256 (PKCS#1 v1.5 + SHA-256), ES256 (raw 64-byte R||S) or EdDSA (Ed25519); throws `.algorithmMismatch` for the wrong key family.
    public func signature(for message: [UInt8], algorithm: SignatureAlgorithm) throws -> [UInt8] {
        guard self.algorithm.supports(algorithm) else {
            throw CryptoError(
                code: .algorithmMismatch,
                message: "\(algorithm.rawValue) cannot be used with a \(self.algorithm) key")
        }
        OpenSSLErrorQueue.clear()
        let pkey = backing.pointer
        let ctx = try signingTemplate.context(pkey: pkey, algorithm: algorithm) ?? Self.freshContext(pkey, algorithm)
        defer { EVP_MD_CTX_free(ctx) }
        var output = [UInt8](repeating: 0, count: Int(EVP_PKEY_get_size(pkey)))
        var outputLength = output.count
        let ok = withNonNullBytes(message) { messagePointer, messageCount in
            output.withUnsafeMutableBufferPointer { out in
                EVP_DigestSign(ctx, out.baseAddress, &outputLength, messagePointer, messageCount)
            }
        }
        guard ok == 1 else {
            throw CryptoError.openSSL(.signing, "\(algorithm.rawValue) signing failed")
        }
        output.removeSubrange(outputLength...)
        if algorithm == .es256 {
            return try ECDSASignatureCoding.rawFromDER(output)
        }
        return output
    }

    /// A context initialised for `algorithm` on its own (ES256, or when the template cannot be prepared).
    private static func freshContext(_ pkey: OpaquePointer, _ algorithm: SignatureAlgorithm) throws -> OpaquePointer {
        guard let ctx = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL(.signing, "could not allocate a digest context")
        }
        let md: OpaquePointer? = algorithm == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestSignInit(ctx, nil, md, nil, pkey) == 1 else {
            EVP_MD_CTX_free(ctx)
            throw CryptoError.openSSL(.signing, "could not initialise \(algorithm.rawValue) signing")
        }
        return ctx
    }
}

extension PublicKey {
    /// True only for a valid signature; false (never throws) on wrong key family, wrong length or garbage. Clears the OpenSSL error queue.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        guard self.algorithm.supports(algorithm), signature.count == signatureSize else { return false }
        defer { ERR_clear_error() }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        let md: OpaquePointer? = algorithm == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(ctx, nil, md, nil, backing.pointer) == 1 else { return false }
        if algorithm == .es256 {
            guard let der = ECDSASignatureCoding.derFromRaw(signature) else { return false }
            return Self.verify(ctx, der, message)
        }
        return Self.verify(ctx, signature, message)
    }

    @inline(__always)
    private static func verify(_ ctx: OpaquePointer, _ signature: [UInt8], _ message: [UInt8]) -> Bool {
        signature.withUnsafeBufferPointer { sig in
            withNonNullBytes(message) { messagePointer, messageCount in
                EVP_DigestVerify(ctx, sig.baseAddress, sig.count, messagePointer, messageCount) == 1
            }
        }
    }
}

/// Calls `body` with a non-null pointer even for an empty message (some providers reject NULL, 0).
@inline(__always)
func withNonNullBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress {
            return body(base, buffer.count)
        }
        var empty: UInt8 = 0
        return withUnsafePointer(to: &empty) { body($0, 0) }
    }
}

/// Conversion between DER ECDSA-Sig-Value and the fixed-width JWS R||S form (RFC 7518 §3.4).
enum ECDSASignatureCoding {
    static let componentSize = 32

    /// DER `SEQUENCE { r INTEGER, s INTEGER }` → 64-byte R||S.
    static func rawFromDER(_ der: [UInt8]) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw CryptoError.openSSL(.signing, "could not parse the ECDSA signature")
        }
        defer { ECDSA_SIG_free(parsed) }
        var raw = [UInt8](repeating: 0, count: componentSize * 2)
        let ok = raw.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return BN_bn2binpad(ECDSA_SIG_get0_r(parsed), base, Int32(componentSize)) == Int32(componentSize)
                && BN_bn2binpad(ECDSA_SIG_get0_s(parsed), base + componentSize, Int32(componentSize))
                    == Int32(componentSize)
        }
        guard ok else {
            throw CryptoError.openSSL(.signing, "ECDSA signature component too large")
        }
        return raw
    }

    /// 64-byte R||S → DER `SEQUENCE { r INTEGER, s INTEGER }`, built in Swift (no allocation in OpenSSL).
    static func derFromRaw(_ raw: [UInt8]) -> [UInt8]? {
        guard raw.count == componentSize * 2 else { return nil }
        var der: [UInt8] = []
        der.reserveCapacity(72)
        der.append(0x30)
        der.append(0)  // patched below; the body is at most 2 × 35 = 70 bytes, so short form
        appendInteger(raw[0..<componentSize], to: &der)
        appendInteger(raw[componentSize...], to: &der)
        der[1] = UInt8(der.count - 2)
        return der
    }

    private static func appendInteger(_ bytes: ArraySlice<UInt8>, to der: inout [UInt8]) {
        var start = bytes.startIndex
        while start < bytes.endIndex - 1 && bytes[start] == 0 { start += 1 }
        let magnitude = bytes[start...]
        let needsPad = magnitude.first! & 0x80 != 0
        der.append(0x02)
        der.append(UInt8(magnitude.count + (needsPad ? 1 : 0)))
        if needsPad { der.append(0) }
        der.append(contentsOf: magnitude)
    }
}
