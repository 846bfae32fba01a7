import Foundation

/// The JSON bytes of the credential ``OB3CredentialBuilder`` makes and of its VC-JWT claims, written straight from
/// the award facts (issue 13 point 6): byte for byte `JSONValue.encoded()` of the built credential (`@context`,
/// `id`, `type` first, the other members in code-point order, written here in that order), without building and
/// sorting the generic tree. `OB3CanonicalQuadsTests` hold both forms equal to the generic signer's.
struct OB3CredentialJSON {
    private(set) var out: [UInt8] = []

    init(capacity: Int = 2048) { out.reserveCapacity(capacity) }

    // MARK: Writing

    /// A comma unless the value opens its object or array.
    mutating func separator() {
        if let last = out.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "[") { out.append(UInt8(ascii: ",")) }
    }

    mutating func key(_ k: String) {
        separator()
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: k.utf8)
        out.append(contentsOf: "\":".utf8)
    }

    mutating func raw(_ bytes: some Sequence<UInt8>) { out.append(contentsOf: bytes) }

    mutating func string(_ k: String, _ value: String?) {
        guard let value else { return }
        key(k)
        JSONValue.writeString(value, to: &out)
    }

    mutating func value(_ k: String, _ value: JSONValue) {
        key(k)
        value.write(to: &out, indent: nil, level: 0)
    }

    mutating func object(_ k: String? = nil, _ body: (inout OB3CredentialJSON) -> Void) {
        if let k { key(k) } else { separator() }
        out.append(UInt8(ascii: "{"))
        body(&self)
        out.append(UInt8(ascii: "}"))
    }

    mutating func array(_ k: String, _ body: (inout OB3CredentialJSON) -> Void) {
        key(k)
        out.append(UInt8(ascii: "["))
        body(&self)
        out.append(UInt8(ascii: "]"))
    }

    // MARK: Parts

    /// An OB 3.0 `Profile` (``OB3CredentialBuilder/profile(_:)``).
    mutating func profile(_ k: String, _ p: OB3IssuerFacts) {
        object(k) { o in
            o.string("id", p.id)
            o.raw(#","type":["Profile"]"#.utf8)
            o.string("description", p.description.flatMap { $0.isEmpty ? nil : $0 })
            o.string("email", p.email)
            if let image = p.image { o.image(image) }
            o.string("name", p.name)
            if let parent = p.parentOrg, parent != .null { o.value("parentOrg", parent) }
            o.string("url", p.url)
        }
    }

    mutating func image(_ id: String) {
        object("image") { o in
            o.string("id", id)
            o.raw(#","type":"Image""#.utf8)
        }
    }

    /// An OB 3.0 `Achievement` (``OB3CredentialBuilder/achievement(_:creator:)``).
    mutating func achievement(_ a: OB3AchievementFacts, creator: OB3IssuerFacts) {
        object("achievement") { o in
            o.string("id", a.id)
            o.raw(#","type":["Achievement"]"#.utf8)
            o.string("achievementType", a.achievementType)
            if !a.alignment.isEmpty { o.array("alignment") { l in for x in a.alignment { l.alignment(x) } } }
            o.profile("creator", creator)
            o.object("criteria") { c in
                c.string("id", a.criteriaURL.flatMap { $0.isEmpty ? nil : $0 })
                c.string("narrative", a.criteriaNarrative.flatMap { $0.isEmpty ? nil : $0 })
            }
            o.string("description", a.description)
            if let image = a.image { o.image(image) }
            o.string("name", a.name)
            if !a.related.isEmpty {
                o.array("related") { l in
                    for r in a.related {
                        l.object { x in
                            x.string("id", r)
                            x.raw(#","type":["Related"]"#.utf8)
                        }
                    }
                }
            }
            if !a.tags.isEmpty {
                o.array("tag") { l in
                    for t in a.tags {
                        l.separator()
                        JSONValue.writeString(t, to: &l.out)
                    }
                }
            }
        }
    }

    mutating func alignment(_ a: AlignmentObject) {
        object { o in
            o.raw(#""type":["Alignment"]"#.utf8)
            o.string("targetCode", a.targetCode)
            o.string("targetDescription", a.targetDescription)
            o.string("targetFramework", a.targetFramework)
            o.string("targetName", a.targetName)
            o.string("targetUrl", a.targetUrl)
        }
    }

    mutating func evidence(_ e: Evidence) {
        object { o in
            if let id = e.id {
                o.string("id", id)
                o.raw(#","type":["Evidence"]"#.utf8)
            } else {
                o.raw(#""type":["Evidence"]"#.utf8)
            }
            o.string("audience", e.audience)
            o.string("description", e.description)
            o.string("genre", e.genre)
            o.string("name", e.name)
            o.string("narrative", e.narrative)
        }
    }

    /// `credentialSubject` (an `AchievementSubject` identified by the salted hash of the e-mail).
    mutating func subject(_ facts: OB3AwardFacts, _ checked: OB3CredentialBuilder.Checked) {
        object("credentialSubject") { o in
            o.raw(#""type":["AchievementSubject"]"#.utf8)
            o.achievement(facts.achievement, creator: facts.issuer)
            o.array("identifier") { l in
                l.object { x in
                    x.raw(#""type":"IdentityObject","hashed":true"#.utf8)
                    x.string("identityHash", checked.identityHash)
                    x.raw(#","identityType":"emailAddress""#.utf8)
                    x.string("salt", facts.salt)
                }
            }
            if let n = facts.narrative, !n.isEmpty { o.string("narrative", n) }
        }
    }
}

extension OB3CredentialJSON {
    static let contextMember = Array(
        #"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]"#
            .utf8)

    /// The credential's members in encoding order, cut where the signed JSON and the JWT claims differ.
    struct Parts {
        /// From `{` to `evidence`: `@context`, `id`, `type`, `credentialStatus`, `credentialSubject`, `evidence`.
        var head: [UInt8]
        /// `issuer` then `name` (the JWT puts `iss` before and `jti` between).
        var issuer: [UInt8]
        var name: [UInt8]
        /// `validFrom`, `validUntil` and the closing `}`.
        var tail: [UInt8]
    }

    static func parts(_ facts: OB3AwardFacts, _ checked: OB3CredentialBuilder.Checked) -> Parts {
        var head = OB3CredentialJSON()
        head.raw(contextMember)
        head.string("id", facts.credentialID)
        head.raw(#","type":["VerifiableCredential","OpenBadgeCredential"]"#.utf8)
        if let status = facts.credentialStatus, status != .null { head.value("credentialStatus", status) }
        head.subject(facts, checked)
        if !facts.evidence.isEmpty { head.array("evidence") { l in for e in facts.evidence { l.evidence(e) } } }
        var issuer = OB3CredentialJSON(capacity: 512)
        issuer.profile("issuer", facts.issuer)
        var name = OB3CredentialJSON(capacity: 128)
        name.string("name", facts.achievement.name)
        var tail = OB3CredentialJSON(capacity: 96)
        tail.string("validFrom", checked.validFrom)
        tail.string("validUntil", checked.validUntil)
        tail.raw("}".utf8)
        return Parts(head: head.out, issuer: issuer.out, name: name.out, tail: tail.out)
    }

    /// The signed credential: the parts with `proof` (a one-element array) between `name` and `validFrom`.
    static func signed(_ p: Parts, proof: OB3ProofFacts) -> [UInt8] {
        var o = OB3CredentialJSON(capacity: p.head.count + p.issuer.count + p.name.count + p.tail.count + 512)
        o.raw(p.head)
        o.raw(",".utf8)
        o.raw(p.issuer)
        o.raw(",".utf8)
        o.raw(p.name)
        o.array("proof") { l in
            l.object { x in
                x.raw(#""type":"DataIntegrityProof""#.utf8)
                x.string("created", proof.created)
                x.raw(#","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod""#.utf8)
                x.string("proofValue", proof.proofValue)
                x.string("verificationMethod", proof.verificationMethod)
            }
        }
        o.raw(",".utf8)
        o.raw(p.tail)
        return o.out
    }

    /// The VC-JWT claims (``OB3CredentialSigner/claims(_:)``): the credential with `exp`, `iss`, `jti`, `nbf`.
    static func claims(_ p: Parts, _ facts: OB3AwardFacts, _ checked: OB3CredentialBuilder.Checked) -> [UInt8] {
        var o = OB3CredentialJSON(capacity: p.head.count + p.issuer.count + p.name.count + p.tail.count + 256)
        o.raw(p.head)
        if let until = checked.validUntil.flatMap(DateTimeValue.init) {
            o.value("exp", .number(until.date.timeIntervalSince1970))
        }
        o.string("iss", facts.issuer.id)
        o.raw(",".utf8)
        o.raw(p.issuer)
        o.string("jti", facts.credentialID)
        o.raw(",".utf8)
        o.raw(p.name)
        if let from = DateTimeValue(checked.validFrom) { o.value("nbf", .number(from.date.timeIntervalSince1970)) }
        o.raw(",".utf8)
        o.raw(p.tail)
        return o.out
    }
}

/// The members of a Data Integrity proof that vary.
struct OB3ProofFacts {
    var created: String
    var verificationMethod: String
    var proofValue: String
}
