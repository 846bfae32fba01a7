import Foundation
import OpenBadgesCrypto

/// Multibase base58btc (`z…`) and the multicodec public-key prefixes used by `did:key` and Multikey
/// (ed25519-pub `0xed01`, p256-pub `0x1200`). Untrusted input: sizes are bounded, nothing throws past the caller.
public enum Multibase {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Decodes base58 (Bitcoin alphabet) text of at most 512 characters; nil when invalid.
    public static func decodeBase58(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard !chars.isEmpty, chars.count <= 512 else { return nil }
        var zeros = 0
        while zeros < chars.count, chars[zeros] == UInt8(ascii: "1") { zeros += 1 }
        // Little-endian base-2^32 limbs, fed up to 5 digits at a time (58^5 < 2^32): a 64-byte signature in
        // about 18 passes over at most 16 limbs instead of 88 passes over 64 bytes.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(chars.count / 5 + 2)
        var i = zeros
        while i < chars.count {
            var chunk: UInt64 = 0
            var scale: UInt64 = 1
            var taken = 0
            while taken < 5, i < chars.count {
                let v = decodeTable[Int(chars[i])]
                guard v != 255 else { return nil }
                chunk = chunk * 58 + UInt64(v)
                scale *= 58
                taken += 1
                i += 1
            }
            var carry = chunk
            for k in limbs.indices {
                let x = UInt64(limbs[k]) * scale + carry
                limbs[k] = UInt32(truncatingIfNeeded: x)
                carry = x >> 32
            }
            while carry > 0 {
                limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
        }
        var out = [UInt8](repeating: 0, count: zeros)
        out.reserveCapacity(zeros + limbs.count * 4)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if byte == 0 && !started { continue }
                started = true
                out.append(byte)
            }
        }
        return out
    }

    /// Encodes bytes in base58 (Bitcoin alphabet).
    public static func encodeBase58(_ bytes: [UInt8]) -> String {
        var zeros = 0
        while zeros < bytes.count, bytes[zeros] == 0 { zeros += 1 }
        var digits: [UInt8] = []  // little-endian base-58 digits
        for b in bytes[zeros...] {
            var carry = Int(b)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes a multibase string: `z` (base58btc) or `u` (base64url without padding).
    public static func decode(_ text: String) -> [UInt8]? {
        guard let first = text.first else { return nil }
        let rest = text.dropFirst()
        switch first {
        case "z": return decodeBase58(rest)
        case "u": return rest.isEmpty ? nil : Base64URL.decode(rest)
        default: return nil
        }
    }

    /// The public key of a multicodec-prefixed Multikey value (`z6Mk…` Ed25519, `zDn…` P-256 compressed).
    /// A Multikey value always names the same key, and loading it through OpenSSL's decoder costs more than the
    /// Ed25519 verification itself: keys already loaded are reused (``MultikeyCache``, bounded).
    public static func publicKey(multikey text: String) throws(KeyResolutionError) -> PublicKey {
        if let key = MultikeyCache.shared.key(text) { return key }
        let key = try loadPublicKey(multikey: text)
        MultikeyCache.shared.store(key, for: text)
        return key
    }

    static func loadPublicKey(multikey text: String) throws(KeyResolutionError) -> PublicKey {
        guard let bytes = decode(text) else {
            throw KeyResolutionError(
                fr: "clé multibase illisible (base58btc « z… » attendu)",
                en: "unreadable multibase key (base58btc \"z…\" expected)")
        }
        if bytes.count == 34, bytes[0] == 0xED, bytes[1] == 0x01 {
            return try KeyMaterial.ed25519(Array(bytes[2...]))
        }
        if bytes.count == 35, bytes[0] == 0x80, bytes[1] == 0x24 {
            return try KeyMaterial.p256(compressed: Array(bytes[2...]))
        }
        throw KeyResolutionError(
            fr: "type de clé multicodec non pris en charge (Ed25519 ou P-256 attendu)",
            en: "unsupported multicodec key type (Ed25519 or P-256 expected)")
    }

    /// The Multikey value (`z…`) of an Ed25519 or P-256 public key.
    public static func multikey(_ key: PublicKey) -> String? {
        switch key.algorithm {
        case .ed25519:
            guard let x = key.jwk["x"].flatMap(Base64URL.decode), x.count == 32 else { return nil }
            return "z" + encodeBase58([0xED, 0x01] + x)
        case .p256:
            guard let x = key.jwk["x"].flatMap(Base64URL.decode), let y = key.jwk["y"].flatMap(Base64URL.decode),
                x.count == 32, y.count == 32
            else { return nil }
            return "z" + encodeBase58([0x80, 0x24, (y[31] & 1) == 0 ? 0x02 : 0x03] + x)
        case .rsa: return nil
        }
    }
}

/// Why a verification key could not be obtained or used.
public struct KeyResolutionError: Error, Sendable, Equatable {
    /// French message.
    public var fr: String
    /// English message.
    public var en: String
    /// True when trying again later could succeed (network, server): the verdict is then indeterminate.
    public var unreachable: Bool

    init(fr: String, en: String, unreachable: Bool = false) {
        self.fr = fr
        self.en = en
        self.unreachable = unreachable
    }
}

/// Public keys built from raw material: JWK members, raw Ed25519, P-256 points.
public enum KeyMaterial {
    static let ed25519Prefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    static let p256Algorithm: [UInt8] = [
        0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D,
        0x03, 0x01, 0x07,
    ]

    /// An Ed25519 key from its 32 raw bytes.
    static func ed25519(_ raw: [UInt8]) throws(KeyResolutionError) -> PublicKey {
        guard raw.count == 32 else { throw invalid }
        return try spki(ed25519Prefix + raw)
    }

    /// A P-256 key from a compressed (33 bytes) or uncompressed (65 bytes) point.
    static func p256(compressed point: [UInt8]) throws(KeyResolutionError) -> PublicKey {
        guard (point.count == 33 && (point[0] == 2 || point[0] == 3)) || (point.count == 65 && point[0] == 4) else {
            throw invalid
        }
        let bitString = [0x03, UInt8(point.count + 1), 0x00] + point
        let body = p256Algorithm + bitString
        let key = try spki([0x30, UInt8(body.count)] + body)
        guard point.count == 33 else { return key }
        // OpenSSL keeps the compressed form: re-encode uncompressed so that equal keys have equal SPKI.
        guard let x = key.jwk["x"].flatMap(Base64URL.decode), let y = key.jwk["y"].flatMap(Base64URL.decode) else {
            throw invalid
        }
        return try p256(compressed: [0x04] + x + y)
    }

    /// A key from JWK members: OKP/Ed25519, EC/P-256 or RSA. Private members are refused.
    public static func publicKey(jwk: JSONValue) throws(KeyResolutionError) -> PublicKey {
        guard case .object(let o) = jwk, let kty = o["kty"]?.stringValue else { throw invalid }
        if o["d"] != nil || o["p"] != nil {
            throw KeyResolutionError(
                fr: "la clé JWK contient une partie privée", en: "the JWK holds private key material")
        }
        func member(_ name: String) throws(KeyResolutionError) -> [UInt8] {
            guard let s = o[name]?.stringValue, s.utf8.count <= 2048, let b = Base64URL.decode(s), !b.isEmpty
            else { throw invalid }
            return b
        }
        switch (kty, o["crv"]?.stringValue) {
        case ("OKP", "Ed25519"): return try ed25519(try member("x"))
        case ("EC", "P-256"):
            let x = try member("x")
            let y = try member("y")
            guard x.count == 32, y.count == 32 else { throw invalid }
            return try p256(compressed: [0x04] + x + y)
        case ("RSA", _):
            let rsa = DER.sequence(DER.integer(try member("n")) + DER.integer(try member("e")))
            let algorithm = DER.sequence([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00])
            return try spki(DER.sequence(algorithm + DER.bitString(rsa)))
        default:
            throw KeyResolutionError(
                fr: "type de clé JWK non pris en charge (« \(kty) »)", en: "unsupported JWK key type (\"\(kty)\")")
        }
    }

    static func spki(_ der: [UInt8]) throws(KeyResolutionError) -> PublicKey {
        do { return try PublicKey(spkiDER: der) } catch { throw invalid }
    }

    static let invalid = KeyResolutionError(fr: "clé publique invalide", en: "invalid public key")
}

/// Minimal DER writer for an RSA SubjectPublicKeyInfo.
enum DER {
    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }
    static func tlv(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] { [tag] + length(body.count) + body }
    static func sequence(_ body: [UInt8]) -> [UInt8] { tlv(0x30, body) }
    static func bitString(_ body: [UInt8]) -> [UInt8] { tlv(0x03, [0] + body) }
    static func integer(_ unsigned: [UInt8]) -> [UInt8] {
        var v = Array(unsigned.drop { $0 == 0 })
        if v.isEmpty { v = [0] }
        if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
        return tlv(0x02, v)
    }
}

/// Public keys of Multikey values already loaded, shared by every verification; emptied when full. Only keys that
/// loaded are kept, under their exact text (a key value, not a place: what it names never changes).
final class MultikeyCache: @unchecked Sendable {
    static let shared = MultikeyCache()

    private let lock = NSLock()
    private var keys: [String: PublicKey] = [:]
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    func key(_ text: String) -> PublicKey? {
        lock.lock()
        defer { lock.unlock() }
        return keys[text]
    }

    func store(_ key: PublicKey, for text: String) {
        guard text.utf8.count <= 256 else { return }
        lock.lock()
        defer { lock.unlock() }
        if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
        keys[text] = key
    }
}
