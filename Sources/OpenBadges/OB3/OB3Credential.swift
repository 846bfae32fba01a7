import Foundation

/// Why a document is not a readable OB 3.0 credential.
public struct OB3FormatError: Error, Sendable, Equatable {
    /// French message.
    public var fr: String
    /// English message.
    public var en: String
}

/// An Open Badges 3.0 credential (`OpenBadgeCredential` / `AchievementCredential`), VC 1.1 or 2.0 shape, read
/// leniently: what a verifier needs, the rest kept in `document`. Untrusted input; nothing here is verified.
public struct OB3Credential: Sendable, Equatable {
    /// The credential as read.
    public let document: JSONValue
    /// `id`, when present.
    public let id: String?
    /// `type` values.
    public let types: [String]
    /// True for the VC 2.0 context (`https://www.w3.org/ns/credentials/v2`) in first position.
    public let isVC2: Bool
    /// `issuer` (a string or a profile object).
    public let issuerID: String?
    /// `issuer.name`.
    public let issuerName: String?
    /// `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1).
    public let validFrom: DateTimeValue?
    /// `validUntil` (VC 2.0) or `expirationDate` (VC 1.1).
    public let validUntil: DateTimeValue?
    /// The first `credentialSubject`.
    public let subject: [String: JSONValue]
    /// `credentialSubject.id`.
    public var subjectID: String? { subject["id"]?.stringValue }
    /// `credentialSubject.achievement`, when it is an object.
    public var achievement: [String: JSONValue]? { subject["achievement"]?.objectValue }
    /// `credentialStatus` entries.
    public let statuses: [JSONValue]
    /// Embedded `proof` objects.
    public let proofs: [[String: JSONValue]]

    static let vc1Context = "https://www.w3.org/2018/credentials/v1"
    static let vc2Context = "https://www.w3.org/ns/credentials/v2"

    /// True when `json` claims to be an OB 3.0 credential: `type` includes `VerifiableCredential` and
    /// `OpenBadgeCredential` or `AchievementCredential` (prefixed or not).
    public static func isCredential(_ json: JSONValue) -> Bool {
        var vc = false
        var ob = false
        forEachType(of: json) { name in
            if name == "VerifiableCredential" {
                vc = true
            } else if name == "OpenBadgeCredential" || name == "AchievementCredential" {
                ob = true
            }
        }
        return vc && ob
    }

    /// True when `json` has the shape of a Verifiable Credential of any kind (`type` has `VerifiableCredential`).
    static func isVerifiableCredential(_ json: JSONValue) -> Bool {
        var vc = false
        forEachType(of: json) { name in if name == "VerifiableCredential" { vc = true } }
        return vc
    }

    /// Each string of `type` (one or many), by its local name (`ObjectReader.localTypeName`), without building
    /// arrays: these tests run several times per verification.
    private static func forEachType(of json: JSONValue, _ body: (String) -> Void) {
        func local(_ t: String) -> String {
            // Every prefix `localTypeName` removes starts with `h` or `o`.
            let first = t.utf8.first
            return first == UInt8(ascii: "h") || first == UInt8(ascii: "o") ? ObjectReader.localTypeName(t) : t
        }
        switch json["type"] {
        case .string(let t)?: body(local(t))
        case .array(let values)?:
            for case .string(let t) in values { body(local(t)) }
        default: return
        }
    }

    /// Reads a credential; throws when it lacks what every OB 3.0 credential must have to be verified.
    public init(document json: JSONValue) throws(OB3FormatError) {
        guard case .object(let o) = json else {
            throw OB3FormatError(
                fr: "le justificatif n'est pas un objet JSON", en: "the credential is not a JSON object")
        }
        document = json
        types = (o["type"]?.oneOrMany ?? []).compactMap(\.stringValue)
        guard Self.isCredential(json) else {
            throw OB3FormatError(
                fr: "« type » doit comprendre VerifiableCredential et OpenBadgeCredential (ou AchievementCredential)",
                en: "\"type\" must include VerifiableCredential and OpenBadgeCredential (or AchievementCredential)")
        }
        let contexts = (o["@context"]?.oneOrMany ?? []).compactMap(\.stringValue)
        guard let first = contexts.first, first == Self.vc1Context || first == Self.vc2Context else {
            throw OB3FormatError(
                fr: "« @context » doit commencer par le contexte des Verifiable Credentials (v1 ou v2)",
                en: "\"@context\" must start with the Verifiable Credentials context (v1 or v2)")
        }
        isVC2 = first == Self.vc2Context
        id = o["id"]?.stringValue
        switch o["issuer"] {
        case .string(let s):
            issuerID = s
            issuerName = nil
        case .object(let p):
            issuerID = p["id"]?.stringValue
            issuerName = p["name"]?.stringValue
        default:
            issuerID = nil
            issuerName = nil
        }
        validFrom = try Self.date(o, isVC2 ? ["validFrom", "issuanceDate"] : ["issuanceDate", "validFrom"])
        validUntil = try Self.date(o, isVC2 ? ["validUntil", "expirationDate"] : ["expirationDate", "validUntil"])
        guard let subject = o["credentialSubject"]?.oneOrMany.first?.objectValue else {
            throw OB3FormatError(
                fr: "« credentialSubject » absent ou n'est pas un objet",
                en: "\"credentialSubject\" missing or not an object")
        }
        self.subject = subject
        statuses = o["credentialStatus"]?.oneOrMany ?? []
        proofs = (o["proof"]?.oneOrMany ?? []).compactMap(\.objectValue)
    }

    static func date(_ o: [String: JSONValue], _ names: [String]) throws(OB3FormatError) -> DateTimeValue? {
        for name in names {
            guard let v = o[name] else { continue }
            guard let s = v.stringValue, let d = DateTimeValue(s) else {
                throw OB3FormatError(
                    fr: "« \(name) » n'est pas une date ISO 8601 avec fuseau horaire",
                    en: "\"\(name)\" is not an ISO 8601 date-time with a time zone")
            }
            return d
        }
        return nil
    }

    /// The recipient identities of `credentialSubject.identifier` (IdentityObject), as the OB 2.0 model reads them:
    /// `identityType` `emailAddress` becomes `email`.
    public var identities: [IdentityObject] {
        (subject["identifier"]?.oneOrMany ?? []).compactMap { v -> IdentityObject? in
            guard let hash = v["identityHash"]?.stringValue, let kind = v["identityType"]?.stringValue else {
                return nil
            }
            let type = kind == "emailAddress" ? "email" : kind
            return IdentityObject(
                type: type, identity: hash, hashed: v["hashed"]?.boolValue ?? false, salt: v["salt"]?.stringValue)
        }
    }

    /// The achievement image URL (`image` as a string or `{id}`).
    public var achievementImage: String? {
        guard let image = achievement?["image"] else { return nil }
        return image.stringValue ?? image["id"]?.stringValue
    }
}
