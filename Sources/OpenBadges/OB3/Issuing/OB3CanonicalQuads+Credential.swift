import Foundation

/// The quads of each part of the credential, member by member as ``OB3CredentialBuilder`` writes them (the
/// predicates and datatypes are those of the VC 2.0 and OB 3.0.3 contexts).
extension OB3CanonicalQuads {
    /// The quads of the credential of `facts`, whose checked values are in `checked`; throws ``Uncovered`` for a
    /// shape the generic path must handle.
    static func credential(_ facts: OB3AwardFacts, _ checked: OB3CredentialBuilder.Checked) throws(Uncovered)
        -> OB3CanonicalQuads
    {
        var q = OB3CanonicalQuads()
        let c = try node(facts.credentialID)
        q.add(c, rdfType, .iri(cred + "VerifiableCredential"))
        q.add(c, rdfType, .iri(ob + "OpenBadgeCredential"))
        q.add(c, schema + "name", literal: facts.achievement.name)
        q.add(c, cred + "issuer", try q.profile(facts.issuer))
        q.add(c, cred + "validFrom", literal: checked.validFrom, datatype: dateTime)
        q.add(c, cred + "validUntil", literal: checked.validUntil, datatype: dateTime)
        let subject = q.blank()
        q.add(c, cred + "credentialSubject", subject)
        q.add(subject, rdfType, .iri(ob + "AchievementSubject"))
        let identity = q.blank()
        q.add(subject, ob + "identifier", identity)
        q.add(identity, rdfType, .iri(ob + "IdentityObject"))
        q.add(identity, ob + "identityHash", literal: checked.identityHash)
        q.add(identity, ob + "identityType", literal: "emailAddress")
        q.add(identity, ob + "hashed", literal: "true", datatype: obBoolean)
        q.add(identity, ob + "salt", literal: facts.salt)
        q.add(subject, ob + "achievement", try q.achievement(facts.achievement, creator: facts.issuer))
        if let n = facts.narrative, !n.isEmpty { q.add(subject, ob + "narrative", literal: n) }
        for e in facts.evidence { q.add(c, cred + "evidence", try q.evidence(e)) }
        if let status = facts.credentialStatus, status != .null {
            q.add(c, cred + "credentialStatus", try q.statusEntry(status))
        }
        return q
    }

    /// An OB 3.0 `Profile` (``OB3CredentialBuilder/profile(_:)``).
    mutating func profile(_ p: OB3IssuerFacts) throws(Uncovered) -> Node {
        let n = try Self.node(p.id)
        add(n, Self.rdfType, .iri(Self.ob + "Profile"))
        add(n, Self.schema + "name", literal: p.name)
        add(n, Self.schema + "url", literal: p.url, datatype: Self.anyURI)
        add(n, Self.schema + "email", literal: p.email)
        if let d = p.description, !d.isEmpty { add(n, Self.schema + "description", literal: d) }
        if let image = p.image { add(n, Self.ob + "image", try self.image(image)) }
        if let parent = p.parentOrg, parent != .null { add(n, Self.ob + "parentOrg", try profileSummary(parent)) }
        return n
    }

    /// A parent organisation of the shape `{id, type: ["Profile"], name}` (the service's profile summary).
    mutating func profileSummary(_ v: JSONValue) throws(Uncovered) -> Node {
        guard case .object(let o) = v, o.count == 3, o["type"] == ["Profile"], let id = o["id"]?.stringValue,
            let name = o["name"]?.stringValue
        else { throw Uncovered() }
        let n = try Self.node(id)
        add(n, Self.rdfType, .iri(Self.ob + "Profile"))
        add(n, Self.schema + "name", literal: name)
        return n
    }

    mutating func image(_ id: String) throws(Uncovered) -> Node {
        let n = try Self.node(id)
        add(n, Self.rdfType, .iri(Self.ob + "Image"))
        return n
    }

    /// An OB 3.0 `Achievement` (``OB3CredentialBuilder/achievement(_:creator:)``).
    mutating func achievement(_ a: OB3AchievementFacts, creator: OB3IssuerFacts) throws(Uncovered) -> Node {
        let n = try Self.node(a.id)
        add(n, Self.rdfType, .iri(Self.ob + "Achievement"))
        add(n, Self.schema + "name", literal: a.name)
        add(n, Self.schema + "description", literal: a.description)
        let criteria: Node
        if let url = a.criteriaURL, !url.isEmpty { criteria = try Self.node(url) } else { criteria = blank() }
        add(n, Self.ob + "Criteria", criteria)
        if let narrative = a.criteriaNarrative, !narrative.isEmpty {
            add(criteria, Self.ob + "narrative", literal: narrative)
        }
        add(n, Self.ob + "achievementType", literal: a.achievementType)
        if let image = a.image { add(n, Self.ob + "image", try self.image(image)) }
        for alignment in a.alignment {
            let b = blank()
            add(n, Self.ob + "alignment", b)
            add(b, Self.rdfType, .iri(Self.schema + "AlignmentObject"))
            add(b, Self.schema + "targetName", literal: alignment.targetName)
            add(b, Self.schema + "targetUrl", literal: alignment.targetUrl, datatype: Self.anyURI)
            add(b, Self.schema + "targetDescription", literal: alignment.targetDescription)
            add(b, Self.schema + "targetFramework", literal: alignment.targetFramework)
            add(b, Self.ob + "targetCode", literal: alignment.targetCode)
        }
        for tag in a.tags { add(n, Self.schema + "keywords", literal: tag) }
        for related in a.related {
            let r = try Self.node(related)
            add(n, Self.ob + "related", r)
            add(r, Self.rdfType, .iri(Self.ob + "Related"))
        }
        add(n, Self.ob + "creator", try profile(creator))
        return n
    }

    /// An OB 3.0 `Evidence` (``OB3CredentialBuilder/evidence(_:)``): its id, or a blank node.
    mutating func evidence(_ e: Evidence) throws(Uncovered) -> Node {
        let n = try e.id.map { id throws(Uncovered) in try Self.node(id) } ?? blank()
        add(n, Self.rdfType, .iri(Self.ob + "Evidence"))
        add(n, Self.ob + "narrative", literal: e.narrative)
        add(n, Self.schema + "name", literal: e.name)
        add(n, Self.schema + "description", literal: e.description)
        add(n, Self.schema + "genre", literal: e.genre)
        add(n, Self.schema + "audience", literal: e.audience)
        return n
    }

    /// A `BitstringStatusListEntry` of the shape ``OB3CredentialBuilder/revocationEntry(listURL:index:)`` makes.
    mutating func statusEntry(_ v: JSONValue) throws(Uncovered) -> Node {
        guard case .object(let o) = v, o.count == 5, o["type"] == "BitstringStatusListEntry",
            let id = o["id"]?.stringValue, let purpose = o["statusPurpose"]?.stringValue,
            let index = o["statusListIndex"]?.stringValue, let list = o["statusListCredential"]?.stringValue
        else { throw Uncovered() }
        let n = try Self.node(id)
        add(n, Self.rdfType, .iri(Self.status + "BitstringStatusListEntry"))
        try add(n, Self.status + "statusListCredential", iri: list)
        add(n, Self.status + "statusListIndex", literal: index)
        add(n, Self.status + "statusPurpose", literal: purpose)
        return n
    }

    /// The canonical N-Quads of the proof options of an `eddsa-rdfc-2022` proof (one blank node, `_:c14n0`), or nil
    /// for a verification method the generic path must handle.
    static func proofOptions(created: String, verificationMethod: String) -> [UInt8]? {
        guard isCoveredIRI(verificationMethod) else { return nil }
        var q = OB3CanonicalQuads()
        let p = q.blank()
        q.add(p, rdfType, .iri(sec + "DataIntegrityProof"))
        q.add(p, sec + "cryptosuite", literal: "eddsa-rdfc-2022", datatype: sec + "cryptosuiteString")
        q.add(p, "http://purl.org/dc/terms/created", literal: created, datatype: dateTime)
        q.add(p, sec + "verificationMethod", .iri(verificationMethod))
        q.add(p, sec + "proofPurpose", .iri(sec + "assertionMethod"))
        return q.canonicalNQuads()
    }
}
