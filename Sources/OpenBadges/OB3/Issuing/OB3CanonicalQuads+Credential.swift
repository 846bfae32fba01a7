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
        q.add(c, OB3Terms.rdfType, .iri(OB3Terms.credClassVerifiableCredential))
        q.add(c, OB3Terms.rdfType, .iri(OB3Terms.obClassOpenBadgeCredential))
        q.add(c, OB3Terms.schemaName, literal: facts.achievement.name)
        q.add(c, OB3Terms.credIssuer, try q.profile(facts.issuer))
        q.add(c, OB3Terms.credValidFrom, literal: checked.validFrom, datatype: OB3Terms.dateTime)
        q.add(c, OB3Terms.credValidUntil, literal: checked.validUntil, datatype: OB3Terms.dateTime)
        let subject = q.blank()
        q.add(c, OB3Terms.credCredentialSubject, subject)
        q.add(subject, OB3Terms.rdfType, .iri(OB3Terms.obClassAchievementSubject))
        let identity = q.blank()
        q.add(subject, OB3Terms.obIdentifier, identity)
        q.add(identity, OB3Terms.rdfType, .iri(OB3Terms.obClassIdentityObject))
        q.add(identity, OB3Terms.obIdentityHash, literal: checked.identityHash)
        q.add(identity, OB3Terms.obIdentityType, literal: "emailAddress")
        q.add(identity, OB3Terms.obHashed, literal: "true", datatype: OB3Terms.obBoolean)
        q.add(identity, OB3Terms.obSalt, literal: facts.salt)
        q.add(subject, OB3Terms.obAchievement, try q.achievement(facts.achievement, creator: facts.issuer))
        if let n = facts.narrative, !n.isEmpty { q.add(subject, OB3Terms.obNarrative, literal: n) }
        for e in facts.evidence { q.add(c, OB3Terms.credEvidence, try q.evidence(e)) }
        if let status = facts.credentialStatus, status != .null {
            q.add(c, OB3Terms.credCredentialStatus, try q.statusEntry(status))
        }
        return q
    }

    /// An OB 3.0 `Profile` (``OB3CredentialBuilder/profile(_:)``).
    mutating func profile(_ p: OB3IssuerFacts) throws(Uncovered) -> Node {
        let n = try Self.node(p.id)
        add(n, OB3Terms.rdfType, .iri(OB3Terms.obClassProfile))
        add(n, OB3Terms.schemaName, literal: p.name)
        add(n, OB3Terms.schemaUrl, literal: p.url, datatype: OB3Terms.anyURI)
        add(n, OB3Terms.schemaEmail, literal: p.email)
        if let d = p.description, !d.isEmpty { add(n, OB3Terms.schemaDescription, literal: d) }
        if let image = p.image { add(n, OB3Terms.obImage, try self.image(image)) }
        if let parent = p.parentOrg, parent != .null { add(n, OB3Terms.obParentOrg, try profileSummary(parent)) }
        return n
    }

    /// A parent organisation of the shape `{id, type: ["Profile"], name}` (the service's profile summary).
    mutating func profileSummary(_ v: JSONValue) throws(Uncovered) -> Node {
        guard case .object(let o) = v, o.count == 3, o["type"] == ["Profile"], let id = o["id"]?.stringValue,
            let name = o["name"]?.stringValue
        else { throw Uncovered() }
        let n = try Self.node(id)
        add(n, OB3Terms.rdfType, .iri(OB3Terms.obClassProfile))
        add(n, OB3Terms.schemaName, literal: name)
        return n
    }

    mutating func image(_ id: String) throws(Uncovered) -> Node {
        let n = try Self.node(id)
        add(n, OB3Terms.rdfType, .iri(OB3Terms.obClassImage))
        return n
    }

    /// An OB 3.0 `Achievement` (``OB3CredentialBuilder/achievement(_:creator:)``).
    mutating func achievement(_ a: OB3AchievementFacts, creator: OB3IssuerFacts) throws(Uncovered) -> Node {
        let n = try Self.node(a.id)
        add(n, OB3Terms.rdfType, .iri(OB3Terms.obClassAchievement))
        add(n, OB3Terms.schemaName, literal: a.name)
        add(n, OB3Terms.schemaDescription, literal: a.description)
        let criteria: Node
        if let url = a.criteriaURL, !url.isEmpty { criteria = try Self.node(url) } else { criteria = blank() }
        add(n, OB3Terms.obCriteria, criteria)
        if let narrative = a.criteriaNarrative, !narrative.isEmpty {
            add(criteria, OB3Terms.obNarrative, literal: narrative)
        }
        add(n, OB3Terms.obAchievementType, literal: a.achievementType)
        if let image = a.image { add(n, OB3Terms.obImage, try self.image(image)) }
        for alignment in a.alignment {
            let b = blank()
            add(n, OB3Terms.obAlignment, b)
            add(b, OB3Terms.rdfType, .iri(OB3Terms.schemaClassAlignmentObject))
            add(b, OB3Terms.schemaTargetName, literal: alignment.targetName)
            add(b, OB3Terms.schemaTargetUrl, literal: alignment.targetUrl, datatype: OB3Terms.anyURI)
            add(b, OB3Terms.schemaTargetDescription, literal: alignment.targetDescription)
            add(b, OB3Terms.schemaTargetFramework, literal: alignment.targetFramework)
            add(b, OB3Terms.obTargetCode, literal: alignment.targetCode)
        }
        for tag in a.tags { add(n, OB3Terms.schemaKeywords, literal: tag) }
        for related in a.related {
            let r = try Self.node(related)
            add(n, OB3Terms.obRelated, r)
            add(r, OB3Terms.rdfType, .iri(OB3Terms.obClassRelated))
        }
        add(n, OB3Terms.obCreator, try profile(creator))
        return n
    }

    /// An OB 3.0 `Evidence` (``OB3CredentialBuilder/evidence(_:)``): its id, or a blank node.
    mutating func evidence(_ e: Evidence) throws(Uncovered) -> Node {
        let n = try e.id.map { id throws(Uncovered) in try Self.node(id) } ?? blank()
        add(n, OB3Terms.rdfType, .iri(OB3Terms.obClassEvidence))
        add(n, OB3Terms.obNarrative, literal: e.narrative)
        add(n, OB3Terms.schemaName, literal: e.name)
        add(n, OB3Terms.schemaDescription, literal: e.description)
        add(n, OB3Terms.schemaGenre, literal: e.genre)
        add(n, OB3Terms.schemaAudience, literal: e.audience)
        return n
    }

    /// A `BitstringStatusListEntry` of the shape ``OB3CredentialBuilder/revocationEntry(listURL:index:)`` makes.
    mutating func statusEntry(_ v: JSONValue) throws(Uncovered) -> Node {
        guard case .object(let o) = v, o.count == 5, o["type"] == "BitstringStatusListEntry",
            let id = o["id"]?.stringValue, let purpose = o["statusPurpose"]?.stringValue,
            let index = o["statusListIndex"]?.stringValue, let list = o["statusListCredential"]?.stringValue
        else { throw Uncovered() }
        let n = try Self.node(id)
        add(n, OB3Terms.rdfType, .iri(OB3Terms.statusClassBitstringStatusListEntry))
        try add(n, OB3Terms.statusStatusListCredential, iri: list)
        add(n, OB3Terms.statusStatusListIndex, literal: index)
        add(n, OB3Terms.statusStatusPurpose, literal: purpose)
        return n
    }

    /// The proof options' lines between the `created` value and the verification method.
    static let proofMiddle = Array(
        ("\"^^<\(dateTime)> .\n_:c14n0 <\(rdfType)> <\(sec)DataIntegrityProof> .\n"
            + "_:c14n0 <\(sec)cryptosuite> \"eddsa-rdfc-2022\"^^<\(sec)cryptosuiteString> .\n"
            + "_:c14n0 <\(sec)proofPurpose> <\(sec)assertionMethod> .\n_:c14n0 <\(sec)verificationMethod> <").utf8)

    /// The canonical N-Quads of the proof options of an `eddsa-rdfc-2022` proof, or nil for a verification method
    /// the generic path must handle. One blank node (`_:c14n0`) and five predicates that differ early: the lines'
    /// order never depends on the values, which need no escape (a date-time, a covered IRI).
    static func proofOptions(created: String, verificationMethod: String) -> [UInt8]? {
        guard isCoveredIRI(verificationMethod), !created.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C })
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(640)
        out.append(contentsOf: "_:c14n0 <http://purl.org/dc/terms/created> \"".utf8)
        out.append(contentsOf: created.utf8)
        out.append(contentsOf: proofMiddle)
        out.append(contentsOf: verificationMethod.utf8)
        out.append(contentsOf: "> .\n".utf8)
        return out
    }
}

/// The predicates and classes of the credential's quads, made once.
enum OB3Terms {
    static let rdfType = OB3CanonicalQuads.rdfType
    static let dateTime = OB3CanonicalQuads.dateTime
    static let obBoolean = OB3CanonicalQuads.obBoolean
    static let anyURI = OB3CanonicalQuads.anyURI
    static let credClassVerifiableCredential = OB3CanonicalQuads.cred + "VerifiableCredential"
    static let credCredentialStatus = OB3CanonicalQuads.cred + "credentialStatus"
    static let credCredentialSubject = OB3CanonicalQuads.cred + "credentialSubject"
    static let credEvidence = OB3CanonicalQuads.cred + "evidence"
    static let credIssuer = OB3CanonicalQuads.cred + "issuer"
    static let credValidFrom = OB3CanonicalQuads.cred + "validFrom"
    static let credValidUntil = OB3CanonicalQuads.cred + "validUntil"
    static let obAchievement = OB3CanonicalQuads.ob + "achievement"
    static let obAchievementType = OB3CanonicalQuads.ob + "achievementType"
    static let obAlignment = OB3CanonicalQuads.ob + "alignment"
    static let obClassAchievement = OB3CanonicalQuads.ob + "Achievement"
    static let obClassAchievementSubject = OB3CanonicalQuads.ob + "AchievementSubject"
    static let obCriteria = OB3CanonicalQuads.ob + "Criteria"
    static let obClassEvidence = OB3CanonicalQuads.ob + "Evidence"
    static let obClassIdentityObject = OB3CanonicalQuads.ob + "IdentityObject"
    static let obClassImage = OB3CanonicalQuads.ob + "Image"
    static let obClassOpenBadgeCredential = OB3CanonicalQuads.ob + "OpenBadgeCredential"
    static let obClassProfile = OB3CanonicalQuads.ob + "Profile"
    static let obClassRelated = OB3CanonicalQuads.ob + "Related"
    static let obCreator = OB3CanonicalQuads.ob + "creator"
    static let obHashed = OB3CanonicalQuads.ob + "hashed"
    static let obIdentifier = OB3CanonicalQuads.ob + "identifier"
    static let obIdentityHash = OB3CanonicalQuads.ob + "identityHash"
    static let obIdentityType = OB3CanonicalQuads.ob + "identityType"
    static let obImage = OB3CanonicalQuads.ob + "image"
    static let obNarrative = OB3CanonicalQuads.ob + "narrative"
    static let obParentOrg = OB3CanonicalQuads.ob + "parentOrg"
    static let obRelated = OB3CanonicalQuads.ob + "related"
    static let obSalt = OB3CanonicalQuads.ob + "salt"
    static let obTargetCode = OB3CanonicalQuads.ob + "targetCode"
    static let schemaAudience = OB3CanonicalQuads.schema + "audience"
    static let schemaClassAlignmentObject = OB3CanonicalQuads.schema + "AlignmentObject"
    static let schemaDescription = OB3CanonicalQuads.schema + "description"
    static let schemaEmail = OB3CanonicalQuads.schema + "email"
    static let schemaGenre = OB3CanonicalQuads.schema + "genre"
    static let schemaKeywords = OB3CanonicalQuads.schema + "keywords"
    static let schemaName = OB3CanonicalQuads.schema + "name"
    static let schemaTargetDescription = OB3CanonicalQuads.schema + "targetDescription"
    static let schemaTargetFramework = OB3CanonicalQuads.schema + "targetFramework"
    static let schemaTargetName = OB3CanonicalQuads.schema + "targetName"
    static let schemaTargetUrl = OB3CanonicalQuads.schema + "targetUrl"
    static let schemaUrl = OB3CanonicalQuads.schema + "url"
    static let statusClassBitstringStatusListEntry = OB3CanonicalQuads.status + "BitstringStatusListEntry"
    static let statusStatusListCredential = OB3CanonicalQuads.status + "statusListCredential"
    static let statusStatusListIndex = OB3CanonicalQuads.status + "statusListIndex"
    static let statusStatusPurpose = OB3CanonicalQuads.status + "statusPurpose"
}
