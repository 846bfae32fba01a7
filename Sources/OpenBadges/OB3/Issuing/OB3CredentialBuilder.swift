import Foundation
import OpenBadgesCrypto

/// The issuer as an OB 3.0 `Profile` (embedded in the credential; the same facts as the hosted profile).
public struct OB3IssuerFacts: Sendable, Equatable {
    /// The OB 3.0 issuer id (`{base}/ob3/issuers/{issuerID}`).
    public var id: String
    public var name: String
    public var url: String?
    public var email: String?
    public var description: String?
    /// The issuer image URL, if any.
    public var image: String?
    /// The parent organisation (an OB 3.0 `Profile`: id, type, name), for an establishment.
    public var parentOrg: JSONValue?

    /// Creates the facts.
    public init(
        id: String, name: String, url: String? = nil, email: String? = nil, description: String? = nil,
        image: String? = nil, parentOrg: JSONValue? = nil
    ) {
        self.id = id
        self.name = name
        self.parentOrg = parentOrg
        self.url = url
        self.email = email
        self.description = description
        self.image = image
    }
}

/// The badge class as an OB 3.0 `Achievement`.
public struct OB3AchievementFacts: Sendable, Equatable {
    /// The Achievement id (`{base}/ob3/achievements/{badgeClassID}`).
    public var id: String
    public var name: String
    public var description: String
    public var criteriaURL: String?
    public var criteriaNarrative: String?
    /// The badge image URL.
    public var image: String?
    /// Alignments to referential items (OB 2.0 model; `targetUrl` required by both versions).
    public var alignment: [AlignmentObject]
    /// An OB 3.0 `achievementType` (`Badge`, `Certificate`, … or `ext:…`).
    public var achievementType: String
    public var tags: [String]
    /// The same achievement in other forms, e.g. the OB 2.0 BadgeClass URL (`related`).
    public var related: [String]

    /// Creates the facts.
    public init(
        id: String, name: String, description: String, criteriaURL: String? = nil, criteriaNarrative: String? = nil,
        image: String? = nil, alignment: [AlignmentObject] = [], achievementType: String = "Badge",
        tags: [String] = [], related: [String] = []
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.criteriaURL = criteriaURL
        self.criteriaNarrative = criteriaNarrative
        self.image = image
        self.alignment = alignment
        self.achievementType = achievementType
        self.tags = tags
        self.related = related
    }
}

/// One award as an OB 3.0 credential: who, what, when, and its status entry.
public struct OB3AwardFacts: Sendable {
    /// The credential id (`{base}/ob3/credentials/{assertionID}`).
    public var credentialID: String
    public var issuer: OB3IssuerFacts
    public var achievement: OB3AchievementFacts
    /// The recipient's e-mail: only its salted hash goes into the credential.
    public var recipientEmail: String
    /// The award's random salt (the OB 2.0 form's, so both forms carry the same `identityHash`).
    public var salt: String
    public var issuedOn: Date
    public var expires: Date?
    public var narrative: String?
    /// The evidence the OB 2.0 form carries (same rules).
    public var evidence: [Evidence]
    /// The `credentialStatus` entry (e.g. a `BitstringStatusListEntry`), when the issuer allocated one.
    public var credentialStatus: JSONValue?

    /// Creates the facts.
    public init(
        credentialID: String, issuer: OB3IssuerFacts, achievement: OB3AchievementFacts, recipientEmail: String,
        salt: String, issuedOn: Date, expires: Date? = nil, narrative: String? = nil, evidence: [Evidence] = [],
        credentialStatus: JSONValue? = nil
    ) {
        self.credentialID = credentialID
        self.issuer = issuer
        self.achievement = achievement
        self.recipientEmail = recipientEmail
        self.salt = salt
        self.issuedOn = issuedOn
        self.expires = expires
        self.narrative = narrative
        self.evidence = evidence
        self.credentialStatus = credentialStatus
    }
}

/// Builds unsigned OB 3.0 `OpenBadgeCredential`s (VC Data Model 2.0, context 3.0.3) from award facts. Pure.
///
/// The link to the OB 2.0 form: the Achievement's `related` names the OB 2.0 BadgeClass (an OB 3.0 field the
/// official schema accepts, meant for "the same achievement in another form"), and both forms share the award's
/// salted `identityHash` and its UUID (`{base}/assertions/{id}` ↔ `{base}/ob3/credentials/{id}`). VC 2.0's
/// `relatedResource` is not used: it requires a digest of the linked bytes, and the hosted OB 2.0 assertion's
/// bytes change when it is revoked.
public enum OB3CredentialBuilder {
    /// The credential's `@context`.
    public static let context: JSONValue = [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]

    /// A fresh 128-bit salt, hex.
    public static func freshSalt() throws -> String { try SecureRandom.hex(byteCount: 16) }

    /// The values of a credential that are checked or derived from its facts: the expiry after the issue date, the
    /// salted hash of a plausible e-mail.
    struct Checked {
        var validFrom: String
        var validUntil: String?
        var identityHash: String
    }

    /// The checked values of `facts`. Throws for an implausible e-mail or an expiry not after the issue date.
    static func check(_ facts: OB3AwardFacts) throws(IssuingError) -> Checked {
        let email = EmailNormalization.normalize(facts.recipientEmail)
        guard EmailNormalization.isPlausible(email) else {
            throw IssuingError(
                fr: "adresse électronique invalide : « \(facts.recipientEmail) »",
                en: "invalid email address: \"\(facts.recipientEmail)\"")
        }
        let issued = DateTimeValue(facts.issuedOn)
        var untilText: String?
        if let expires = facts.expires {
            let until = DateTimeValue(expires)
            guard until.date > issued.date else {
                throw IssuingError(
                    fr: "la date d'expiration doit être postérieure à la date d'émission",
                    en: "the expiry date must be after the issue date")
            }
            untilText = until.text
        }
        let hash = IdentityHash.compute(identifier: email, salt: facts.salt)
        return Checked(validFrom: issued.text, validUntil: untilText, identityHash: hash.text)
    }

    /// The credential, without proof. Throws for an implausible e-mail or an expiry not after the issue date.
    public static func credential(_ facts: OB3AwardFacts) throws(IssuingError) -> JSONValue {
        credential(facts, try check(facts))
    }

    static func credential(_ facts: OB3AwardFacts, _ checked: Checked) -> JSONValue {
        var o: [String: JSONValue] = [
            "@context": context, "id": .string(facts.credentialID),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": .string(facts.achievement.name), "issuer": profile(facts.issuer),
            "validFrom": .string(checked.validFrom),
        ]
        o["validUntil"] = checked.validUntil.map(JSONValue.string)
        var subject: [String: JSONValue] = [
            "type": ["AchievementSubject"],
            "identifier": [
                [
                    "type": "IdentityObject", "identityHash": .string(checked.identityHash),
                    "identityType": "emailAddress", "hashed": true, "salt": .string(facts.salt),
                ]
            ],
            "achievement": achievement(facts.achievement, creator: facts.issuer),
        ]
        if let n = facts.narrative, !n.isEmpty { subject["narrative"] = .string(n) }
        o["credentialSubject"] = .object(subject)
        if !facts.evidence.isEmpty { o["evidence"] = .array(facts.evidence.map(evidence)) }
        if let status = facts.credentialStatus, status != .null { o["credentialStatus"] = status }
        return .object(o)
    }

    /// An OB 3.0 `Profile`.
    public static func profile(_ p: OB3IssuerFacts) -> JSONValue {
        var o: [String: JSONValue] = ["id": .string(p.id), "type": ["Profile"], "name": .string(p.name)]
        o["url"] = p.url.map(JSONValue.string)
        o["email"] = p.email.map(JSONValue.string)
        o["description"] = p.description.flatMap { $0.isEmpty ? nil : .string($0) }
        if let image = p.image { o["image"] = ["id": .string(image), "type": "Image"] }
        if let parent = p.parentOrg, parent != .null { o["parentOrg"] = parent }
        return .object(o)
    }

    /// An OB 3.0 `Achievement` (criteria, image, alignments, type, tags, related forms, creator).
    public static func achievement(_ a: OB3AchievementFacts, creator: OB3IssuerFacts? = nil) -> JSONValue {
        var criteria: [String: JSONValue] = [:]
        criteria["id"] = a.criteriaURL.flatMap { $0.isEmpty ? nil : .string($0) }
        criteria["narrative"] = a.criteriaNarrative.flatMap { $0.isEmpty ? nil : .string($0) }
        var o: [String: JSONValue] = [
            "id": .string(a.id), "type": ["Achievement"], "name": .string(a.name),
            "description": .string(a.description), "criteria": .object(criteria),
            "achievementType": .string(a.achievementType),
        ]
        if let image = a.image { o["image"] = ["id": .string(image), "type": "Image"] }
        if !a.alignment.isEmpty { o["alignment"] = .array(a.alignment.map(alignment)) }
        if !a.tags.isEmpty { o["tag"] = .array(a.tags.map(JSONValue.string)) }
        if !a.related.isEmpty {
            o["related"] = .array(a.related.map { ["id": .string($0), "type": ["Related"]] })
        }
        if let creator { o["creator"] = profile(creator) }
        return .object(o)
    }

    static func alignment(_ a: AlignmentObject) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": ["Alignment"], "targetName": .string(a.targetName), "targetUrl": .string(a.targetUrl),
        ]
        o["targetDescription"] = a.targetDescription.map(JSONValue.string)
        o["targetFramework"] = a.targetFramework.map(JSONValue.string)
        o["targetCode"] = a.targetCode.map(JSONValue.string)
        return .object(o)
    }

    static func evidence(_ e: Evidence) -> JSONValue {
        var o: [String: JSONValue] = ["type": ["Evidence"]]
        o["id"] = e.id.map(JSONValue.string)
        o["narrative"] = e.narrative.map(JSONValue.string)
        o["name"] = e.name.map(JSONValue.string)
        o["description"] = e.description.map(JSONValue.string)
        o["genre"] = e.genre.map(JSONValue.string)
        o["audience"] = e.audience.map(JSONValue.string)
        return .object(o)
    }

    /// A revocation `BitstringStatusListEntry` at `index` of the list credential `listURL`.
    public static func revocationEntry(listURL: String, index: Int) -> JSONValue {
        [
            "id": .string("\(listURL)#\(index)"), "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": .string(String(index)),
            "statusListCredential": .string(listURL),
        ]
    }
}
