import Foundation
import OpenBadgesCrypto

/// A Verifiable Credential secured as a JWT (VC-JWT): the compact JWS, its registered claims and the credential,
/// read from the `vc` claim (VC 1.1 style) or from the payload itself (VC 2.0 / OB 3.0 `application/vc+jwt`).
/// Nothing is verified here.
public struct VCJWT: Sendable {
    /// The compact JWS.
    public let jws: CompactJWS
    /// The JWT claims set.
    public let claims: [String: JSONValue]
    /// The credential it carries.
    public let credential: JSONValue
    /// True when the credential came from the `vc` claim.
    public let usesVCClaim: Bool

    /// The algorithms accepted for OB 3.0, each pinned to a key family.
    public static let acceptedAlgorithms: [String: SignatureAlgorithm] = [
        "RS256": .rs256, "ES256": .es256, "EdDSA": .edDSA,
    ]

    /// Reads a compact JWS as a VC-JWT; nil when its payload is not a credential (e.g. an OB 2.0 assertion).
    public init?(_ jws: CompactJWS) {
        // Cheap test first: an OB 2.0 assertion payload is not parsed twice.
        guard Self.contains(jws.payload, Self.marker),
            let payload = try? JSONValue(parsing: jws.payload), case .object(let claims) = payload
        else {
            return nil
        }
        if let vc = claims["vc"], case .object = vc, OB3Credential.isVerifiableCredential(vc) {
            credential = vc
            usesVCClaim = true
        } else if OB3Credential.isVerifiableCredential(payload) {
            credential = payload
            usesVCClaim = false
        } else {
            return nil
        }
        self.jws = jws
        self.claims = claims
    }

    static let marker = Array("VerifiableCredential".utf8)

    /// True when `needle` occurs in `bytes` (memchr to each candidate first byte; Foundation's generic
    /// `firstRange(of:)` took a sixth of POST /verify's time).
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return needle.isEmpty }
        return bytes.withUnsafeBufferPointer { h in
            guard let base = h.baseAddress else { return false }
            let last = h.count - needle.count
            var i = 0
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return false }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if needle.indices.allSatisfy({ h[i + $0] == needle[$0] }) { return true }
                i += 1
            }
            return false
        }
    }

    /// Reads compact JWS text as a VC-JWT; nil when it is not a JWS or not a credential.
    public init?(text: String) {
        guard CompactJWS.looksLikeJWS(text), let jws = try? CompactJWS(text) else { return nil }
        self.init(jws)
    }

    /// A numeric date claim (`nbf`, `exp`, `iat`).
    public func dateClaim(_ name: String) -> Date? {
        claims[name]?.numberValue.map { Date(timeIntervalSince1970: $0) }
    }

    /// A string claim (`iss`, `sub`, `jti`).
    public func stringClaim(_ name: String) -> String? { claims[name]?.stringValue }

    /// Signs `claims` as a JWT with `key` (tests, tools). `header` members are added to `alg`/`typ`.
    public static func sign(
        claims: JSONValue, key: PrivateKey, algorithm: SignatureAlgorithm, header extra: [String: JSONValue] = [:]
    ) throws -> String {
        var header = extra
        header["alg"] = .string(algorithm.rawValue)
        if header["typ"] == nil { header["typ"] = "JWT" }
        let input = Base64URL.encode(JSONValue.object(header).encoded()) + "." + Base64URL.encode(claims.encoded())
        let signature = try key.signature(for: Array(input.utf8), algorithm: algorithm)
        return input + "." + Base64URL.encode(signature)
    }
}
