import OpenBadgesCrypto

/// Why a string is not a usable compact JWS.
public struct JWSError: BilingualError, Equatable {
    /// French message.
    public var messageFR: String
    /// English message.
    public var messageEN: String

    init(fr: String, en: String) {
        messageFR = fr
        messageEN = en
    }
}

/// A JWS in compact serialization: `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)`.
public struct CompactJWS: Sendable, Equatable {
    /// The whole compact string.
    public let compact: String
    /// The decoded protected header.
    public let header: [String: JSONValue]
    /// The decoded payload bytes (for OB 2.0, the assertion JSON).
    public let payload: [UInt8]
    /// The decoded signature bytes.
    public let signature: [UInt8]
    /// The ASCII bytes that were signed: `header_b64 "." payload_b64`.
    public let signingInput: [UInt8]

    /// The `alg` header parameter.
    public var algorithm: String? { header["alg"]?.stringValue }

    /// Splits and decodes a compact JWS. Nothing is verified here; the caller pins `alg` before any key lookup.
    public init(_ text: String) throws(JWSError) {
        let compact = text.trimmingASCIIWhitespace()
        let bytes = Array(compact.utf8)
        var dots: [Int] = []
        for (i, c) in bytes.enumerated() where c == UInt8(ascii: ".") {
            dots.append(i)
            if dots.count > 2 { break }
        }
        guard dots.count == 2 else {
            let parts = compact.split(separator: ".", omittingEmptySubsequences: false).count
            throw JWSError(
                fr: "un JWS compact a trois parties séparées par des points (\(parts) trouvées)",
                en: "a compact JWS has three dot-separated parts (found \(parts))")
        }
        let h = bytes[0..<dots[0]]
        let p = bytes[(dots[0] + 1)..<dots[1]]
        let s = bytes[(dots[1] + 1)...]
        guard !h.isEmpty, !p.isEmpty, !s.isEmpty else {
            throw JWSError(
                fr: "une partie du JWS est vide (signature absente ?)", en: "a JWS part is empty (missing signature?)")
        }
        guard let hd = Base64URL.decode(bytes: h), let pd = Base64URL.decode(bytes: p),
            let sd = Base64URL.decode(bytes: s)
        else {
            throw JWSError(fr: "le JWS n'est pas en base64url valide", en: "the JWS is not valid base64url")
        }
        guard let hv = try? JSONValue(parsing: hd), case .object(let header) = hv else {
            throw JWSError(fr: "l'en-tête du JWS n'est pas un objet JSON", en: "the JWS header is not a JSON object")
        }
        if header["crit"] != nil {
            throw JWSError(
                fr: "l'en-tête du JWS exige des extensions (« crit ») non prises en charge",
                en: "the JWS header requires unsupported extensions (\"crit\")")
        }
        self.compact = compact
        self.header = header
        self.payload = pd
        self.signature = sd
        self.signingInput = Array(bytes[0..<dots[1]])
    }

    /// True when `text` has the shape of a compact JWS (three base64url parts).
    public static func looksLikeJWS(_ text: String) -> Bool {
        var t = text.trimmingASCIIWhitespace()
        return t.withUTF8 { u in
            var dots = 0
            var partLength = 0
            return Base64URL.decodeTable.withUnsafeBufferPointer { table in
                for c in u {
                    if c == UInt8(ascii: ".") {
                        if partLength == 0 { return false }
                        dots += 1
                        partLength = 0
                    } else if table[Int(c)] == 255 {
                        return false
                    } else {
                        partLength += 1
                    }
                }
                return dots == 2 && partLength > 0
            }
        }
    }

    /// Signs `payload` with RS256 and returns the compact serialization. The header is exactly `{"alg":"RS256"}`.
    public static func signRS256(payload: [UInt8], key: PrivateKey) throws -> String {
        try signRS256(encodedHeader: rs256HeaderPart, payload: payload, key: key)
    }

    /// Signs `payload` with RS256 under an already base64url-encoded header: `header.payload` is written once into
    /// one buffer sized for the whole token, signed, then completed with the signature.
    static func signRS256(encodedHeader: [UInt8], payload: [UInt8], key: PrivateKey) throws -> String {
        var input = encodedHeader
        input.reserveCapacity(encodedHeader.count + payload.count * 4 / 3 + 350)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(payload, into: &input)
        let sig = try key.signature(for: input, algorithm: .rs256)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(sig, into: &input)
        return String(decoding: input, as: UTF8.self)
    }

    /// `BASE64URL({"alg":"RS256"})`.
    static let rs256HeaderPart = Array(Base64URL.encode(Array(#"{"alg":"RS256"}"#.utf8)).utf8)
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        func isSpace(_ c: UInt8?) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        if !isSpace(utf8.first) && !isSpace(utf8.last) { return self }
        let u = Array(utf8)
        var start = 0
        var end = u.count
        func ws(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        while start < end, ws(u[start]) { start += 1 }
        while end > start, ws(u[end - 1]) { end -= 1 }
        if start == 0, end == u.count { return self }
        return String(decoding: u[start..<end], as: UTF8.self)
    }
}
