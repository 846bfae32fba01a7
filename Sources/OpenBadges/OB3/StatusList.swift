import Foundation
import OpenBadgesPNG

/// A `credentialStatus` entry of type `BitstringStatusListEntry` (W3C Bitstring Status List v1.0, §2.1).
/// Untrusted input: read, not verified.
public struct BitstringStatusListEntry: Sendable, Equatable {
    /// `statusPurpose`: `revocation` and `suspension` are checked; others (`message`, `refresh`) are not.
    public let statusPurpose: String
    /// `statusListIndex` (a base-10 string; a JSON integer is accepted too, as peers write it).
    public let statusListIndex: Int
    /// `statusListCredential`: the URL of the status list credential.
    public let statusListCredential: String
    /// `statusSize` in bits (1 when absent).
    public let statusSize: Int

    /// True for the entry types this reader handles.
    public static func isEntry(_ json: JSONValue) -> Bool {
        (json["type"]?.oneOrMany ?? []).compactMap(\.stringValue).contains("BitstringStatusListEntry")
    }

    /// Reads an entry; throws with a French and English reason when a required member is missing or wrong.
    public init(_ json: JSONValue) throws(OB3FormatError) {
        guard let purpose = json["statusPurpose"]?.stringValue, !purpose.isEmpty else {
            throw OB3FormatError(fr: "« statusPurpose » absent", en: "\"statusPurpose\" missing")
        }
        let index: Int?
        switch json["statusListIndex"] {
        case .string(let s)?: index = s.allSatisfy(\.isASCII) ? Int(s) : nil
        case let v?: index = Self.integer(v)
        case nil: index = nil
        }
        guard let index, index >= 0 else {
            throw OB3FormatError(
                fr: "« statusListIndex » absent ou n'est pas un entier positif",
                en: "\"statusListIndex\" missing or not a non-negative integer")
        }
        guard let url = json["statusListCredential"]?.stringValue, !url.isEmpty else {
            throw OB3FormatError(fr: "« statusListCredential » absent", en: "\"statusListCredential\" missing")
        }
        var size = 1
        if let v = json["statusSize"] {
            guard let n = Self.integer(v) ?? v.stringValue.flatMap({ Int($0) }), n > 0 else {
                throw OB3FormatError(
                    fr: "« statusSize » doit être un entier strictement positif",
                    en: "\"statusSize\" must be a positive integer")
            }
            size = n
        }
        statusPurpose = purpose
        statusListIndex = index
        statusListCredential = url
        statusSize = size
    }

    /// A JSON number that is a whole number in `Int` range.
    static func integer(_ v: JSONValue) -> Int? {
        guard let d = v.numberValue, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }
}

/// The decoded bitstring of a `BitstringStatusList` (`encodedList`: multibase base64url of GZIP data).
public struct BitstringStatusList: Sendable, Equatable {
    /// The spec's minimum length: 131,072 bits (16 KiB).
    public static let minimumBits = 131_072
    /// Largest inflated list accepted (a zip bomb stops here): 16 MiB.
    public static let maximumBytes = 16 * 1024 * 1024

    /// The bitstring; index 0 is the left-most (most significant) bit of the first byte.
    public let bytes: [UInt8]

    /// Number of bits.
    public var bitCount: Int { bytes.count * 8 }

    /// Decodes `encodedList`; throws when it is not `u` + base64url, not GZIP, too large or too short.
    public init(encodedList: String) throws(OB3FormatError) {
        guard encodedList.first == "u", let compressed = Multibase.decode(encodedList) else {
            throw OB3FormatError(
                fr: "« encodedList » n'est pas du base64url multibase (« u… »)",
                en: "\"encodedList\" is not multibase base64url (\"u…\")")
        }
        let bits: [UInt8]
        do {
            bits = try Zlib.gunzip(compressed, maxBytes: Self.maximumBytes)
        } catch {
            if error.code == .tooLarge {
                throw OB3FormatError(
                    fr: "liste de statut trop grande (plus de 16 Mo une fois décompressée)",
                    en: "status list too large (more than 16 MiB once inflated)")
            }
            throw OB3FormatError(
                fr: "« encodedList » n'est pas une donnée GZIP lisible", en: "\"encodedList\" is not readable GZIP data"
            )
        }
        guard bits.count * 8 >= Self.minimumBits else {
            throw OB3FormatError(
                fr: "liste de statut trop courte (\(bits.count * 8) bits, au moins \(Self.minimumBits) attendus)",
                en: "status list too short (\(bits.count * 8) bits, at least \(Self.minimumBits) expected)")
        }
        bytes = bits
    }

    /// The bit at `index` (left-most bit of the first byte = 0), nil beyond the end.
    public func bit(at index: Int) -> Bool? {
        guard index >= 0, index < bitCount else { return nil }
        return bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// Encodes a bitstring as `encodedList` (GZIP, then multibase base64url): for issuers and tests.
    public static func encode(_ bytes: [UInt8]) throws(PNGError) -> String {
        "u" + Base64URL.encode(try Zlib.gzip(bytes))
    }
}

/// A `1EdTechRevocationList` document (OB 3.0 §10.2.1): `revokedCredentials`, each an object with the revoked
/// credential's `id` (and an optional `revocationReason`), or a plain id string.
public struct RevocationListDocument: Sendable, Equatable {
    /// Revoked credential ids, with their reasons when given.
    public let revoked: [String: String?]

    /// Reads the document; throws when `revokedCredentials` is missing.
    public init(document json: JSONValue) throws(OB3FormatError) {
        guard let list = json["revokedCredentials"]?.arrayValue else {
            throw OB3FormatError(
                fr: "la liste de révocation n'a pas de « revokedCredentials »",
                en: "the revocation list has no \"revokedCredentials\"")
        }
        var revoked: [String: String?] = [:]
        for item in list {
            if let id = item.stringValue ?? item["id"]?.stringValue {
                revoked[id] = item["revocationReason"]?.stringValue
            }
        }
        self.revoked = revoked
    }
}
