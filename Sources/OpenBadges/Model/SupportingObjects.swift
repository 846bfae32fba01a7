/// The `recipient` of an assertion (OB 2.0 IdentityObject).
public struct IdentityObject: Sendable, Equatable {
    /// `email`, `url`, `telephone` (or `id`).
    public var type: String
    /// A `sha256$…`/`md5$…` hash when `hashed`, else the plaintext identifier.
    public var identity: String
    /// Whether `identity` is hashed.
    public var hashed: Bool
    /// The salt appended to the identifier before hashing (empty when absent).
    public var salt: String?
    /// Properties the model does not know, kept as they were.
    public var extensions: [String: JSONValue] = [:]

    /// Creates an identity object.
    public init(type: String, identity: String, hashed: Bool, salt: String?) {
        self.type = type
        self.identity = identity
        self.hashed = hashed
        self.salt = salt
    }

    /// Reads an IdentityObject.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "IdentityObject", property: "recipient")
        type = try r.requiredString("type")
        identity = try r.requiredString("identity")
        hashed = try r.bool("hashed") ?? false
        salt = try r.string("salt")
        extensions = r.extensions
        if hashed, IdentityHash(identity) == nil {
            throw .invalid(
                "IdentityObject", "identity",
                fr: "n'est pas une empreinte sha256$… ou md5$… valide", en: "is not a valid sha256$… or md5$… hash")
        }
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o["type"] = .string(type)
        o["identity"] = .string(identity)
        o["hashed"] = .bool(hashed)
        o.set("salt", salt)
        return .object(o)
    }
}

/// How an assertion is verified (in an Assertion) or the issuer's hosted-verification policy (in a Profile).
public struct VerificationObject: Sendable, Equatable {
    /// `SignedBadge`, `HostedBadge` (or aliases) in an assertion; `VerificationObject` in a profile.
    public var type: [String]
    /// The signing key's id (SignedBadge only).
    public var creator: String?
    /// Prefixes the assertion `id` must start with.
    public var startsWith: [String]
    /// Hosts (RFC 3986 authority) allowed to host assertions.
    public var allowedOrigins: [String]
    /// The property compared (only `id` is defined).
    public var verificationProperty: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates a verification object.
    public init(type: [String], creator: String? = nil, startsWith: [String] = [], allowedOrigins: [String] = []) {
        self.type = type
        self.creator = creator
        self.startsWith = startsWith
        self.allowedOrigins = allowedOrigins
    }

    /// Reads a VerificationObject; `type` is optional in a profile.
    public init(json: JSONValue, typeRequired: Bool = true) throws(ModelError) {
        var r = try ObjectReader(json, as: "VerificationObject", property: "verification")
        type = try r.strings("type")
        if typeRequired, type.isEmpty { throw .missing("VerificationObject", "type") }
        if let c = try r.node("creator", decode: { (v) throws(ModelError) in try CryptographicKey(json: v) }) {
            creator = c.id { $0.id }
        }
        startsWith = try r.strings("startsWith")
        allowedOrigins = try r.strings("allowedOrigins")
        verificationProperty = try r.string("verificationProperty")
        extensions = r.extensions
    }

    /// True for `SignedBadge`/`signed`.
    public var isSigned: Bool {
        type.map(ObjectReader.localTypeName).contains { $0 == "SignedBadge" || $0 == "signed" }
    }

    /// True for `HostedBadge`/`hosted`.
    public var isHosted: Bool {
        type.map(ObjectReader.localTypeName).contains { $0 == "HostedBadge" || $0 == "hosted" }
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o.set("type", strings: type)
        o.set("creator", creator)
        o.set("startsWith", strings: startsWith)
        o.set("allowedOrigins", strings: allowedOrigins)
        o.set("verificationProperty", verificationProperty)
        return .object(o)
    }
}

/// Evidence of the work behind an assertion.
public struct Evidence: Sendable, Equatable {
    /// A URL of the evidence, or nil.
    public var id: String?
    /// Narrative (Markdown allowed).
    public var narrative: String?
    /// Name.
    public var name: String?
    /// Short description.
    public var description: String?
    /// Kind of evidence ("Dossier", "Observation"…).
    public var genre: String?
    /// Intended audience.
    public var audience: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates evidence.
    public init(
        id: String? = nil, narrative: String? = nil, name: String? = nil, description: String? = nil,
        genre: String? = nil, audience: String? = nil
    ) {
        self.id = id
        self.narrative = narrative
        self.name = name
        self.description = description
        self.genre = genre
        self.audience = audience
    }

    /// Reads an Evidence object.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "Evidence", property: "evidence")
        _ = try r.types(accepting: ["Evidence"], required: false)
        id = try r.string("id")
        narrative = try r.string("narrative")
        name = try r.string("name")
        description = try r.string("description")
        genre = try r.string("genre")
        audience = try r.string("audience")
        extensions = r.extensions
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o["type"] = "Evidence"
        o.set("id", id)
        o.set("narrative", narrative)
        o.set("name", name)
        o.set("description", description)
        o.set("genre", genre)
        o.set("audience", audience)
        return .object(o)
    }
}

/// What a recipient must do to earn a badge.
public struct Criteria: Sendable, Equatable {
    /// URL of a human-readable criteria page.
    public var id: String?
    /// Narrative (Markdown allowed).
    public var narrative: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates criteria.
    public init(id: String? = nil, narrative: String? = nil) {
        self.id = id
        self.narrative = narrative
    }

    /// Reads a Criteria object.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "Criteria", property: "criteria")
        _ = try r.types(accepting: ["Criteria"], required: false)
        id = try r.string("id")
        narrative = try r.string("narrative")
        extensions = r.extensions
        if id == nil, narrative == nil || narrative!.isEmpty {
            throw ModelError(
                "Criteria", property: "narrative",
                fr: "Criteria : un « id » (page des critères) ou un « narrative » est requis",
                en: "Criteria: either an external \"id\" or a \"narrative\" is required")
        }
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o.set("id", id)
        o.set("narrative", narrative)
        return .object(o)
    }
}

/// A competency or standard the badge aligns to (schema.org AlignmentObject).
public struct AlignmentObject: Sendable, Equatable {
    /// Name of the competency.
    public var targetName: String
    /// URL of the competency.
    public var targetUrl: String
    /// Description.
    public var targetDescription: String?
    /// Framework name.
    public var targetFramework: String?
    /// Code within the framework (e.g. DC1.1.1).
    public var targetCode: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates an alignment.
    public init(
        targetName: String, targetUrl: String, targetDescription: String? = nil, targetFramework: String? = nil,
        targetCode: String? = nil
    ) {
        self.targetName = targetName
        self.targetUrl = targetUrl
        self.targetDescription = targetDescription
        self.targetFramework = targetFramework
        self.targetCode = targetCode
    }

    /// Reads an AlignmentObject.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "AlignmentObject", property: "alignment")
        _ = try r.types(accepting: ["AlignmentObject"], required: false)
        targetName = try r.requiredString("targetName")
        targetUrl = try r.requiredString("targetUrl")
        targetDescription = try r.string("targetDescription")
        targetFramework = try r.string("targetFramework")
        targetCode = try r.string("targetCode")
        extensions = r.extensions
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o["targetName"] = .string(targetName)
        o["targetUrl"] = .string(targetUrl)
        o.set("targetDescription", targetDescription)
        o.set("targetFramework", targetFramework)
        o.set("targetCode", targetCode)
        return .object(o)
    }
}

/// An image object (the bare IRI form is `NodeReference.iri`).
public struct ImageObject: Sendable, Equatable {
    /// URL or data URI of the image.
    public var id: String
    /// Caption.
    public var caption: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates an image object.
    public init(id: String, caption: String? = nil) {
        self.id = id
        self.caption = caption
    }

    /// Reads an Image object.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "Image", property: "image")
        id = try r.requiredString("id")
        caption = try r.string("caption")
        extensions = r.extensions
    }

    /// The JSON-LD form.
    public var json: JSONValue {
        var o = extensions
        o["id"] = .string(id)
        o.set("caption", caption)
        return .object(o)
    }
}

/// A public key published by an issuer (`sec:Key`).
public struct CryptographicKey: Sendable, Equatable {
    /// The key's URL.
    public var id: String?
    /// The issuer profile that owns it.
    public var owner: String?
    /// SubjectPublicKeyInfo PEM.
    public var publicKeyPem: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates a key document.
    public init(id: String, owner: String, publicKeyPem: String) {
        self.id = id
        self.owner = owner
        self.publicKeyPem = publicKeyPem
    }

    /// Reads a CryptographicKey.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "CryptographicKey")
        _ = try r.types(accepting: ["CryptographicKey", "Key", "sec:Key"], required: false)
        id = try r.string("id")
        if let o = try r.node("owner", decode: { (v) throws(ModelError) in try ObjectReader(v, as: "Profile").members })
        {
            owner = o.id { $0["id"]?.stringValue }
        }
        publicKeyPem = try r.string("publicKeyPem")
        extensions = r.extensions
    }

    /// Reads a top-level key document (checks `@context`).
    public init(document: JSONValue) throws(ModelError) {
        try checkContext(document, type: "CryptographicKey")
        try self.init(json: document)
    }

    /// The JSON-LD document.
    public var json: JSONValue {
        var o = extensions
        o["@context"] = .string(openBadgesV2Context)
        o["type"] = "CryptographicKey"
        o.set("id", id)
        o.set("owner", owner)
        o.set("publicKeyPem", publicKeyPem)
        return .object(o)
    }
}

/// The list of revoked assertions of an issuer (signed badges).
public struct RevocationList: Sendable, Equatable {
    /// One revoked assertion.
    public struct Entry: Sendable, Equatable {
        /// The assertion `id` (or legacy `uid`).
        public var id: String
        /// Why it was revoked.
        public var revocationReason: String?
        /// False only if the entry explicitly says `revoked: false`.
        public var revoked: Bool
        /// Creates an entry.
        public init(id: String, revocationReason: String? = nil, revoked: Bool = true) {
            self.id = id
            self.revocationReason = revocationReason
            self.revoked = revoked
        }
    }

    /// The list's URL.
    public var id: String?
    /// The issuer profile.
    public var issuer: String?
    /// The revoked assertions.
    public var revokedAssertions: [Entry]
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates a list.
    public init(id: String, issuer: String, revokedAssertions: [Entry]) {
        self.id = id
        self.issuer = issuer
        self.revokedAssertions = revokedAssertions
    }

    /// Reads a RevocationList document; entries may be id strings or objects with `id`/`uid`.
    public init(document json: JSONValue) throws(ModelError) {
        try checkContext(json, type: "RevocationList")
        var r = try ObjectReader(json, as: "RevocationList")
        _ = try r.types(accepting: ["RevocationList"])
        id = try r.string("id")
        issuer = try r.string("issuer")
        var entries: [Entry] = []
        if let v = r.raw("revokedAssertions") {
            for e in v.oneOrMany {
                switch e {
                case .string(let s): entries.append(Entry(id: s))
                case .object(let o):
                    guard let id = o["id"]?.stringValue ?? o["uid"]?.stringValue else {
                        throw .invalid(
                            "RevocationList", "revokedAssertions",
                            fr: "contient une entrée sans « id »", en: "has an entry without \"id\"")
                    }
                    entries.append(
                        Entry(
                            id: id, revocationReason: o["revocationReason"]?.stringValue,
                            revoked: o["revoked"]?.boolValue ?? true))
                default:
                    throw .wrongType(
                        "RevocationList", "revokedAssertions", expected: "des IRI ou objets / IRIs or objects", got: e)
                }
            }
        } else {
            throw .missing("RevocationList", "revokedAssertions")
        }
        revokedAssertions = entries
        extensions = r.extensions
    }

    /// The entry revoking `assertionID`, if any (entries with `revoked: false` do not count).
    public func entry(for assertionID: String) -> Entry? {
        revokedAssertions.first { $0.id == assertionID && $0.revoked }
    }

    /// The JSON-LD document.
    public var json: JSONValue {
        var o = extensions
        o["@context"] = .string(openBadgesV2Context)
        o["type"] = "RevocationList"
        o.set("id", id)
        o.set("issuer", issuer)
        o["revokedAssertions"] = .array(
            revokedAssertions.map { e in
                var eo: [String: JSONValue] = ["id": .string(e.id)]
                eo.set("revocationReason", e.revocationReason)
                if !e.revoked { eo["revoked"] = false }
                return .object(eo)
            })
        return .object(o)
    }
}
