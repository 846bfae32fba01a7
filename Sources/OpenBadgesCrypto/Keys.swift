import COpenSSL

/// The key types this module can generate.
public enum KeyType: String, CaseIterable, Sendable {
    /// RSA with a 2048-bit modulus (RS256).
    case rsa2048
    /// RSA with a 3072-bit modulus (RS256).
    case rsa3072
    /// ECDSA over NIST P-256 (ES256).
    case p256
    /// Ed25519 (EdDSA).
    case ed25519

    /// The algorithm family of keys of this type.
    public var algorithm: KeyAlgorithm {
        switch self {
        case .rsa2048: return .rsa(bits: 2048)
        case .rsa3072: return .rsa(bits: 3072)
        case .p256: return .p256
        case .ed25519: return .ed25519
        }
    }
}

/// The algorithm family (and size) of a loaded key.
public enum KeyAlgorithm: Equatable, Sendable, CustomStringConvertible {
    /// RSA with the given modulus size in bits (at least 2048).
    case rsa(bits: Int)
    /// ECDSA over NIST P-256.
    case p256
    /// Ed25519.
    case ed25519

    /// A short name such as "RSA-2048", "P-256" or "Ed25519".
    public var description: String {
        switch self {
        case .rsa(let bits): return "RSA-\(bits)"
        case .p256: return "P-256"
        case .ed25519: return "Ed25519"
        }
    }

    /// The JWS signature algorithm used with keys of this family.
    public var signatureAlgorithm: SignatureAlgorithm {
        switch self {
        case .rsa: return .rs256
        case .p256: return .es256
        case .ed25519: return .edDSA
        }
    }

    /// Whether keys of this family can produce/check signatures of `algorithm`.
    public func supports(_ algorithm: SignatureAlgorithm) -> Bool {
        switch (self, algorithm) {
        case (.rsa, .rs256), (.p256, .es256), (.ed25519, .edDSA): return true
        default: return false
        }
    }
}

/// JWS signature algorithms (RFC 7518 §3.1, RFC 8037 §3.1).
public enum SignatureAlgorithm: String, Sendable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// ECDSA P-256 with SHA-256, signature as raw R||S (64 bytes).
    case es256 = "ES256"
    /// Ed25519 (pure EdDSA).
    case edDSA = "EdDSA"
}

/// Owns one `EVP_PKEY` and frees it on deinit.
///
/// `@unchecked Sendable`: the wrapped EVP_PKEY is never mutated after construction, and OpenSSL 3
/// allows a shared EVP_PKEY to be used concurrently for sign/verify/encode as long as each
/// operation uses its own EVP_MD_CTX / EVP_PKEY_CTX (which every call site here does).
final class Backing: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer` (one reference).
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }
}

// MARK: - Private keys

/// A private signing key (RSA ≥ 2048, P-256 or Ed25519) backed by OpenSSL.
public struct PrivateKey: Sendable {
    let backing: Backing
    /// The key's algorithm family.
    public let algorithm: KeyAlgorithm
    /// The matching public key.
    public let publicKey: PublicKey
    /// The signing context prepared on first use and copied for each signature (shared by the copies of this value).
    let signingTemplate = SigningTemplate()

    init(backing: Backing) throws {
        self.backing = backing
        self.algorithm = try KeyInspection.algorithm(of: backing.pointer)
        let spki = try KeyInspection.spkiDER(of: backing.pointer)
        self.publicKey = try PublicKey(spkiDER: spki)
    }

    /// Generates a fresh key of the given type.
    public static func generate(_ type: KeyType) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let generated: OpaquePointer?
        switch type {
        case .rsa2048: generated = insigne_keygen_rsa(2048)
        case .rsa3072: generated = insigne_keygen_rsa(3072)
        case .p256: generated = insigne_keygen_ec("P-256")
        case .ed25519: generated = insigne_keygen_ed25519()
        }
        guard let generated else {
            throw CryptoError.openSSL(.keyGeneration, "could not generate a \(type.algorithm) key")
        }
        return try PrivateKey(backing: Backing(taking: generated))
    }

    /// Loads a PEM private key: PKCS#8 (plain or encrypted) or traditional RSA/EC; never prompts.
    public init(pem: String, passphrase: String? = nil) throws {
        OpenSSLErrorQueue.clear()
        let pemBytes = Array(pem.utf8)
        var passphraseBytes = Array((passphrase ?? "").utf8)
        defer { KeyInspection.wipe(&passphraseBytes) }

        var called: Int32 = 0
        let loaded: OpaquePointer? = pemBytes.withUnsafeBytes { pemBuffer in
            guard let bio = BIO_new_mem_buf(pemBuffer.baseAddress, Int32(pemBuffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return passphraseBytes.withUnsafeBufferPointer { pass in
                pass.withMemoryRebound(to: CChar.self) { passChars in
                    var ctx = insigne_passphrase_ctx(
                        passphrase: passChars.count > 0 ? passChars.baseAddress : nil,
                        length: Int32(passChars.count),
                        called: 0)
                    let key = insigne_read_private_key_pem(bio, &ctx)
                    called = ctx.called
                    return key
                }
            }
        }
        guard let loaded else {
            if called != 0 {
                let message =
                    passphrase == nil || passphrase == ""
                    ? "the private key is encrypted and no passphrase was given"
                    : "wrong passphrase for the encrypted private key"
                throw CryptoError.openSSL(.wrongPassphrase, message)
            }
            throw CryptoError.openSSL(.pemDecoding, "could not decode the private key PEM")
        }
        try self.init(backing: Backing(taking: loaded))
    }

    /// The key as PKCS#8 PEM: unencrypted, or AES-256-CBC (PBES2) encrypted when a non-empty passphrase is given.
    public func pkcs8PEM(passphrase: String? = nil) throws -> String {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw CryptoError.openSSL(.pemEncoding, "could not allocate a memory BIO")
        }
        defer { BIO_free(bio) }
        var passphraseBytes = Array((passphrase ?? "").utf8)
        defer { KeyInspection.wipe(&passphraseBytes) }
        let ok = passphraseBytes.withUnsafeBufferPointer { pass in
            pass.withMemoryRebound(to: CChar.self) { passChars in
                insigne_write_pkcs8_pem(
                    bio, backing.pointer, passChars.count > 0 ? passChars.baseAddress : nil, Int32(passChars.count))
            }
        }
        guard ok == 1 else {
            throw CryptoError.openSSL(.pemEncoding, "could not encode the private key as PKCS#8")
        }
        return try KeyInspection.string(from: bio)
    }
}

// MARK: - Public keys

/// A public verification key (RSA ≥ 2048, P-256 or Ed25519); equal when the SPKI DER is equal.
public struct PublicKey: Sendable, Equatable {
    let backing: Backing
    /// The DER SubjectPublicKeyInfo, as re-encoded by OpenSSL.
    public let spkiDER: [UInt8]
    /// The key's algorithm family.
    public let algorithm: KeyAlgorithm
    /// The JSON Web Key members (RSA: kty,n,e; P-256: kty,crv,x,y; Ed25519: kty,crv,x), base64url without padding.
    public let jwk: [String: String]
    /// Exact signature length in bytes for this key's algorithm (RSA modulus size, 64 for ES256/EdDSA).
    let signatureSize: Int

    init(backing: Backing) throws {
        self.backing = backing
        let algorithm = try KeyInspection.algorithm(of: backing.pointer)
        self.algorithm = algorithm
        self.spkiDER = try KeyInspection.spkiDER(of: backing.pointer)
        self.jwk = try KeyInspection.jwk(of: backing.pointer, algorithm: algorithm)
        switch algorithm {
        case .rsa: self.signatureSize = Int(EVP_PKEY_get_size(backing.pointer))
        case .p256, .ed25519: self.signatureSize = 64
        }
    }

    /// Loads a public key PEM: SPKI ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY").
    public init(pem: String) throws {
        OpenSSLErrorQueue.clear()
        if pem.contains("PRIVATE KEY-----") {
            throw CryptoError(code: .pemDecoding, message: "expected a public key PEM, found a private key")
        }
        let pemBytes = Array(pem.utf8)
        let decoded = withNonNullBytes(pemBytes) { base, count in
            insigne_decode_public_key_pem(base, count)
        }
        guard let decoded else {
            throw CryptoError.openSSL(.pemDecoding, "could not decode the public key PEM")
        }
        try self.init(backing: Backing(taking: decoded))
    }

    /// Loads a DER SubjectPublicKeyInfo; trailing bytes are rejected.
    public init(spkiDER: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        var trailingBytes = false
        let decoded: OpaquePointer? = spkiDER.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let key = d2i_PUBKEY(nil, &cursor, buffer.count) else { return nil }
            guard let end = cursor, end == base + buffer.count else {
                EVP_PKEY_free(key)
                trailingBytes = true
                return nil
            }
            return key
        }
        if trailingBytes {
            throw CryptoError(code: .pemDecoding, message: "trailing bytes after the SubjectPublicKeyInfo DER")
        }
        guard let decoded else {
            throw CryptoError.openSSL(.pemDecoding, "could not decode the SubjectPublicKeyInfo DER")
        }
        try self.init(backing: Backing(taking: decoded))
    }

    /// The SPKI as PEM: "-----BEGIN PUBLIC KEY-----", 64-column base64, "-----END PUBLIC KEY-----\n".
    public var spkiPEM: String {
        ByteEncoding.pem(label: "PUBLIC KEY", der: spkiDER)
    }

    /// Keys are equal when their DER SubjectPublicKeyInfo encodings are equal.
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.spkiDER == rhs.spkiDER
    }
}

// MARK: - Helpers

/// Inspection and encoding helpers over a raw EVP_PKEY.
enum KeyInspection {
    /// Classifies a key; throws `.unsupportedKey` for anything but RSA ≥ 2048, P-256 and Ed25519.
    static func algorithm(of pkey: OpaquePointer) throws -> KeyAlgorithm {
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            let bits = Int(EVP_PKEY_get_bits(pkey))
            guard bits >= 2048 else {
                throw CryptoError(code: .unsupportedKey, message: "RSA keys must be at least 2048 bits (got \(bits))")
            }
            return .rsa(bits: bits)
        }
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 80)
            var length = 0
            guard EVP_PKEY_get_utf8_string_param(pkey, "group", &name, name.count, &length) == 1 else {
                throw CryptoError.openSSL(.unsupportedKey, "could not read the EC group name")
            }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard group == "prime256v1" || group == "P-256" || group == "secp256r1" else {
                throw CryptoError(
                    code: .unsupportedKey,
                    message: "only the P-256 curve is supported (got \(group.isEmpty ? "unknown" : group))")
            }
            return .p256
        }
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            return .ed25519
        }
        let typeName = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
        throw CryptoError(code: .unsupportedKey, message: "unsupported key type \(typeName)")
    }

    /// DER SubjectPublicKeyInfo of a key.
    static func spkiDER(of pkey: OpaquePointer) throws -> [UInt8] {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else {
            throw CryptoError.openSSL(.pemEncoding, "could not encode the SubjectPublicKeyInfo")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.pemEncoding, "could not encode the SubjectPublicKeyInfo")
        }
        return der
    }

    /// JWK members for a classified public key.
    static func jwk(of pkey: OpaquePointer, algorithm: KeyAlgorithm) throws -> [String: String] {
        switch algorithm {
        case .rsa:
            let n = try bigNumberParameter(pkey, "n", width: nil)
            let e = try bigNumberParameter(pkey, "e", width: nil)
            return ["kty": "RSA", "n": ByteEncoding.base64URL(n), "e": ByteEncoding.base64URL(e)]
        case .p256:
            let x = try bigNumberParameter(pkey, "qx", width: 32)
            let y = try bigNumberParameter(pkey, "qy", width: 32)
            return ["kty": "EC", "crv": "P-256", "x": ByteEncoding.base64URL(x), "y": ByteEncoding.base64URL(y)]
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = raw.count
            guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == 32 else {
                throw CryptoError.openSSL(.pemEncoding, "could not read the Ed25519 public key")
            }
            return ["kty": "OKP", "crv": "Ed25519", "x": ByteEncoding.base64URL(raw)]
        }
    }

    /// A big-number key parameter as unsigned big-endian bytes (left-padded to `width` when given).
    private static func bigNumberParameter(_ pkey: OpaquePointer, _ name: String, width: Int?) throws -> [UInt8] {
        var bn: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn else {
            throw CryptoError.openSSL(.pemEncoding, "could not read key parameter \(name)")
        }
        defer { BN_free(bn) }
        let natural = Int((BN_num_bits(bn) + 7) / 8)
        let size = max(width ?? natural, 1)
        var bytes = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(bn, &bytes, Int32(size)) == Int32(size) else {
            throw CryptoError.openSSL(.pemEncoding, "key parameter \(name) is too large")
        }
        return bytes
    }

    /// Copies the contents of a memory BIO into a String.
    static func string(from bio: OpaquePointer) throws -> String {
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = insigne_bio_get_mem_data(bio, &data)
        guard length > 0, let data else {
            throw CryptoError.openSSL(.pemEncoding, "PEM output was empty")
        }
        let buffer = UnsafeRawBufferPointer(start: data, count: length)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Overwrites sensitive bytes before release.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
        }
    }
}
