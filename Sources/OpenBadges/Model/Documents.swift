/// An issuer (or recipient) Profile.
public struct Profile: Sendable, Equatable {
    /// The profile's IRI.
    public var id: String
    /// `Issuer` or `Profile`.
    public var type: [String]
    /// Name (required for issuers).
    public var name: String?
    /// Home page (required for issuers).
    public var url: String?
    /// Contact email (required for issuers).
    public var email: String?
    /// Telephone (E.164 recommended).
    public var telephone: String?
    /// Description.
    public var description: String?
    /// Logo.
    public var image: NodeReference<ImageObject>?
    /// The keys that sign this issuer's assertions (IRIs or embedded keys).
    public var publicKey: [NodeReference<CryptographicKey>]
    /// Hosted-verification policy.
    public var verification: VerificationObject?
    /// URL of the RevocationList.
    public var revocationList: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates an issuer profile.
    public init(
        id: String, name: String, url: String, email: String, description: String? = nil,
        image: NodeReference<ImageObject>? = nil, publicKey: [String] = [], revocationList: String? = nil
    ) {
        self.id = id
        self.type = ["Issuer"]
        self.name = name
        self.url = url
        self.email = email
        self.description = description
        self.image = image
        self.publicKey = publicKey.map { .iri($0) }
        self.revocationList = revocationList
    }

    /// Reads a Profile node (embedded or top-level). Issuer requirements are checked by `requireIssuerProperties`.
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "Profile", property: "issuer")
        type = try r.types(accepting: ["Issuer", "Profile"])
        id = try r.requiredString("id")
        name = try r.string("name")
        url = try r.string("url")
        email = try r.string("email")
        telephone = try r.string("telephone")
        description = try r.string("description")
        image = try r.node("image") { (v) throws(ModelError) in try ImageObject(json: v) }
        publicKey = try r.nodes("publicKey") { (v) throws(ModelError) in try CryptographicKey(json: v) }
        if let v = r.raw("verification") {
            verification = try VerificationObject(json: v, typeRequired: false)
        }
        revocationList = try r.node("revocationList") { (v) throws(ModelError) in
            try ObjectReader(v, as: "RevocationList").members
        }?.id { $0["id"]?.stringValue }
        extensions = r.extensions
    }

    /// Reads a top-level Profile document (checks `@context`).
    public init(document: JSONValue) throws(ModelError) {
        try checkContext(document, type: "Profile")
        try self.init(json: document)
    }

    /// Checks the properties required of an issuer: `name`, `url`, `email`.
    public func requireIssuerProperties() throws(ModelError) {
        if name?.isEmpty ?? true { throw .missing("Issuer", "name") }
        if url?.isEmpty ?? true { throw .missing("Issuer", "url") }
        if email?.isEmpty ?? true { throw .missing("Issuer", "email") }
    }

    /// The ids of the keys listed in `publicKey`.
    public var publicKeyIDs: [String] { publicKey.compactMap { $0.id { $0.id } } }

    /// The JSON-LD form (with `@context` when `document` is true).
    public func json(document: Bool = true) -> JSONValue {
        var o = extensions
        if document { o["@context"] = .string(openBadgesV2Context) }
        o["id"] = .string(id)
        o.set("type", strings: type)
        o.set("name", name)
        o.set("url", url)
        o.set("email", email)
        o.set("telephone", telephone)
        o.set("description", description)
        o.set("image", image) { $0.json }
        if !publicKey.isEmpty {
            o["publicKey"] = .array(
                publicKey.map {
                    switch $0 {
                    case .iri(let s): .string(s)
                    case .embedded(let k): k.json
                    }
                })
        }
        if let verification { o["verification"] = verification.json }
        o.set("revocationList", revocationList)
        return .object(o)
    }
}

/// A badge class: what the badge is, its image, criteria and issuer.
public struct BadgeClass: Sendable, Equatable {
    /// The badge class IRI.
    public var id: String
    /// `BadgeClass`.
    public var type: [String]
    /// Name.
    public var name: String
    /// Description.
    public var description: String
    /// Image (PNG or SVG): URL, data URI or Image object.
    public var image: NodeReference<ImageObject>
    /// Criteria: URL or embedded.
    public var criteria: NodeReference<Criteria>
    /// The issuer profile: IRI or embedded.
    public var issuer: NodeReference<Profile>
    /// Competencies the badge aligns to.
    public var alignment: [AlignmentObject]
    /// Keywords.
    public var tags: [String]
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates a badge class.
    public init(
        id: String, name: String, description: String, image: String, criteria: Criteria, issuer: String,
        alignment: [AlignmentObject] = [], tags: [String] = []
    ) {
        self.id = id
        self.type = ["BadgeClass"]
        self.name = name
        self.description = description
        self.image = .iri(image)
        self.criteria = .embedded(criteria)
        self.issuer = .iri(issuer)
        self.alignment = alignment
        self.tags = tags
    }

    /// Reads a BadgeClass node (embedded or top-level).
    public init(json: JSONValue) throws(ModelError) {
        var r = try ObjectReader(json, as: "BadgeClass", property: "badge")
        type = try r.types(accepting: ["BadgeClass"])
        id = try r.requiredString("id")
        name = try r.requiredString("name")
        description = try r.requiredString("description")
        guard let img = try r.node("image", decode: { (v) throws(ModelError) in try ImageObject(json: v) }) else {
            throw .missing("BadgeClass", "image")
        }
        image = img
        guard let c = try r.node("criteria", decode: { (v) throws(ModelError) in try Criteria(json: v) }) else {
            throw .missing("BadgeClass", "criteria")
        }
        criteria = c
        guard let iss = try r.node("issuer", decode: { (v) throws(ModelError) in try Profile(json: v) }) else {
            throw .missing("BadgeClass", "issuer")
        }
        issuer = iss
        alignment = []
        if let a = r.raw("alignment") {
            for e in a.oneOrMany { alignment.append(try AlignmentObject(json: e)) }
        }
        tags = try r.strings("tags")
        extensions = r.extensions
    }

    /// Reads a top-level BadgeClass document (checks `@context`).
    public init(document: JSONValue) throws(ModelError) {
        try checkContext(document, type: "BadgeClass")
        try self.init(json: document)
    }

    /// The issuer's IRI.
    public var issuerID: String? { issuer.id { $0.id } }

    /// The image's URL or data URI.
    public var imageID: String? { image.id { $0.id } }

    /// The JSON-LD form (with `@context` when `document` is true).
    public func json(document: Bool = true) -> JSONValue {
        var o = extensions
        if document { o["@context"] = .string(openBadgesV2Context) }
        o["id"] = .string(id)
        o.set("type", strings: type)
        o["name"] = .string(name)
        o["description"] = .string(description)
        o.set("image", image) { $0.json }
        o.set("criteria", criteria) { $0.json }
        o.set("issuer", issuer) { $0.json(document: false) }
        if !alignment.isEmpty { o["alignment"] = .array(alignment.map(\.json)) }
        if !tags.isEmpty { o["tags"] = .array(tags.map(JSONValue.string)) }
        return .object(o)
    }
}

/// An assertion: a badge awarded to one recipient.
public struct Assertion: Sendable, Equatable {
    /// `urn:uuid:…` for signed badges, the hosted URL for hosted ones.
    public var id: String
    /// `Assertion`.
    public var type: [String]
    /// Who received it.
    public var recipient: IdentityObject
    /// The badge class: IRI or embedded.
    public var badge: NodeReference<BadgeClass>
    /// How to verify it.
    public var verification: VerificationObject
    /// When it was issued.
    public var issuedOn: DateTimeValue
    /// When it expires, if ever.
    public var expires: DateTimeValue?
    /// Image (the baked image's URL).
    public var image: NodeReference<ImageObject>?
    /// Evidence.
    public var evidence: [NodeReference<Evidence>]
    /// Narrative.
    public var narrative: String?
    /// Revoked flag (hosted).
    public var revoked: Bool?
    /// Reason for revocation (hosted).
    public var revocationReason: String?
    /// Unknown properties.
    public var extensions: [String: JSONValue] = [:]

    /// Creates an assertion.
    public init(
        id: String, recipient: IdentityObject, badge: String, verification: VerificationObject,
        issuedOn: DateTimeValue, expires: DateTimeValue? = nil, evidence: [Evidence] = [], narrative: String? = nil,
        image: String? = nil
    ) {
        self.id = id
        self.type = ["Assertion"]
        self.recipient = recipient
        self.badge = .iri(badge)
        self.verification = verification
        self.issuedOn = issuedOn
        self.expires = expires
        self.evidence = evidence.map { .embedded($0) }
        self.narrative = narrative
        self.image = image.map { .iri($0) }
    }

    /// Reads an Assertion document (checks `@context`; `verify` is accepted as an alias of `verification`).
    public init(document json: JSONValue) throws(ModelError) {
        try checkContext(json, type: "Assertion")
        var r = try ObjectReader(json, as: "Assertion")
        type = try r.types(accepting: ["Assertion"])
        id = try r.requiredString("id")
        guard let rec = r.raw("recipient") else { throw .missing("Assertion", "recipient") }
        recipient = try IdentityObject(json: rec)
        guard let b = try r.node("badge", decode: { (v) throws(ModelError) in try BadgeClass(json: v) }) else {
            throw .missing("Assertion", "badge")
        }
        badge = b
        let v = r.raw("verification") ?? r.raw("verify")
        guard let v else { throw .missing("Assertion", "verification") }
        verification = try VerificationObject(json: v)
        issuedOn = try r.requiredDateTime("issuedOn")
        expires = try r.dateTime("expires")
        image = try r.node("image") { (v) throws(ModelError) in try ImageObject(json: v) }
        evidence = try r.nodes("evidence") { (v) throws(ModelError) in try Evidence(json: v) }
        narrative = try r.string("narrative")
        revoked = try r.bool("revoked")
        revocationReason = try r.string("revocationReason")
        extensions = r.extensions
    }

    /// The badge class IRI.
    public var badgeID: String? { badge.id { $0.id } }

    /// The JSON-LD document.
    public var json: JSONValue {
        var o = extensions
        o["@context"] = .string(openBadgesV2Context)
        o["id"] = .string(id)
        o.set("type", strings: type)
        o["recipient"] = recipient.json
        o.set("badge", badge) { $0.json(document: false) }
        o["verification"] = verification.json
        o["issuedOn"] = .string(issuedOn.text)
        o.set("expires", expires?.text)
        o.set("image", image) { $0.json }
        if !evidence.isEmpty {
            o["evidence"] = .array(
                evidence.map {
                    switch $0 {
                    case .iri(let s): .string(s)
                    case .embedded(let e): e.json
                    }
                })
        }
        o.set("narrative", narrative)
        if let revoked { o["revoked"] = .bool(revoked) }
        o.set("revocationReason", revocationReason)
        return .object(o)
    }
}
