/// A French and English text.
public struct LocalizedText: Sendable, Equatable {
    /// French (the users' language).
    public var fr: String
    /// English.
    public var en: String

    /// Creates a text.
    public init(fr: String, en: String) {
        self.fr = fr
        self.en = en
    }

    var json: JSONValue { ["fr": .string(fr), "en": .string(en)] }
}

/// What a verification concluded, in the terms an employer cares about.
public enum VerificationOutcome: String, Sendable, Equatable, CaseIterable {
    case valid, revoked, expired, forged, recipientMismatch, notABadge, malformed, notYetValid, unverifiable, invalid
    /// The file was damaged or modified after it was issued (bad CRC, truncated, unreadable compressed data…).
    case damaged
    /// The hosted assertion does not exist (any more) at its issuer (HTTP 404).
    case notFound
    /// The issuer suspended the badge (OB 3.0 status list): like revoked, but the suspension may be lifted.
    case suspended

    /// Which outcome wins when several checks fail (lower first).
    var priority: Int {
        switch self {
        case .notABadge: 0
        case .damaged: 1
        case .malformed: 2
        case .notFound: 3
        case .forged: 4
        case .revoked: 5
        case .suspended: 6
        case .expired: 7
        case .notYetValid: 8
        case .recipientMismatch: 9
        case .invalid: 10
        case .unverifiable: 11
        case .valid: 12
        }
    }

    /// A plain-language sentence for this outcome.
    public var summary: LocalizedText {
        switch self {
        case .valid:
            LocalizedText(
                fr: "Badge valide : authentique, en cours de validité et non révoqué.",
                en: "Valid badge: authentic, current and not revoked.")
        case .revoked:
            LocalizedText(fr: "Badge révoqué par son émetteur.", en: "This badge was revoked by its issuer.")
        case .suspended:
            LocalizedText(
                fr: "Badge suspendu par son émetteur (la suspension peut être levée).",
                en: "This badge was suspended by its issuer (the suspension may be lifted).")
        case .expired: LocalizedText(fr: "Badge expiré.", en: "This badge has expired.")
        case .forged:
            LocalizedText(
                fr: "Badge falsifié : la signature ne correspond pas à l'émetteur ou le contenu a été modifié.",
                en: "Forged badge: the signature does not match the issuer or the content was altered.")
        case .recipientMismatch:
            LocalizedText(
                fr: "Ce badge n'a pas été délivré à cette personne.", en: "This badge was not issued to this person.")
        case .notABadge:
            LocalizedText(
                fr: "Ce fichier ne contient pas de badge Open Badges.", en: "This file does not contain an Open Badge.")
        case .malformed:
            LocalizedText(
                fr: "Le badge est mal formé et ne peut pas être accepté.",
                en: "The badge is malformed and cannot be accepted.")
        case .notYetValid:
            LocalizedText(
                fr: "La date d'émission du badge est dans le futur.", en: "The badge's issue date is in the future.")
        case .unverifiable:
            LocalizedText(
                fr: "Vérification impossible pour le moment : un document de l'émetteur est inaccessible.",
                en: "Cannot verify right now: one of the issuer's documents is unreachable.")
        case .invalid:
            LocalizedText(fr: "Badge non valide.", en: "Invalid badge.")
        case .damaged:
            LocalizedText(
                fr:
                    "Le fichier a été endommagé ou modifié après sa création : le badge qu'il contient ne peut pas être lu.",
                en: "The file was damaged or modified after it was issued: the badge it holds cannot be read.")
        case .notFound:
            LocalizedText(
                fr: "Ce badge n'existe pas (ou plus) chez son émetteur.",
                en: "This badge does not exist (any more) at its issuer.")
        }
    }
}

/// Why a verification is indeterminate: what could not be checked.
public enum IndeterminateCause: String, Sendable, Equatable {
    /// The issuer's public key could not be obtained.
    case key
    /// The status (revocation) list could not be obtained or its own proof checked.
    case status
    /// A proof type, cryptosuite or JSON-LD context Insigne does not know, or a key not tied to the issuer.
    case unsupported
    /// Another of the issuer's documents could not be obtained.
    case document

    /// « Vérification impossible : … » for this cause.
    public var summary: LocalizedText {
        switch self {
        case .key:
            LocalizedText(
                fr: "Vérification impossible pour le moment : la clé publique de l'émetteur est inaccessible.",
                en: "Cannot verify right now: the issuer's public key is unreachable.")
        case .status:
            LocalizedText(
                fr:
                    "Vérification impossible pour le moment : la liste des badges révoqués de l'émetteur est inaccessible ou invérifiable.",
                en:
                    "Cannot verify right now: the issuer's revocation (status) list is unreachable or cannot be checked."
            )
        case .unsupported:
            LocalizedText(
                fr:
                    "Vérification impossible : le badge utilise une preuve ou un contexte JSON-LD qu'Insigne ne sait pas vérifier.",
                en: "Cannot verify: the badge uses a proof or a JSON-LD context Insigne cannot check.")
        case .document: VerificationOutcome.unverifiable.summary
        }
    }
}

/// How the expected recipient matched the badge's identity.
public enum RecipientMatch: String, Sendable, Equatable {
    /// The identifier exactly as typed.
    case asTyped
    /// The normalised form of the email address typed (trimmed, Unicode NFC, lowercased: `EmailNormalization`).
    case normalized
}

/// The overall verdict.
public enum VerificationVerdict: String, Sendable, Equatable {
    /// Every required check passed.
    case valid
    /// At least one check failed.
    case invalid
    /// Nothing failed, but a required check could not be performed (e.g. key unreachable).
    case indeterminate
}

/// One named check of a verification.
public struct VerificationCheck: Sendable, Equatable {
    /// Passed, failed or skipped.
    public enum Status: String, Sendable, Equatable { case passed, failed, skipped }

    /// Stable identifier, e.g. `signature`, `revocation`, `dates.expires`.
    public var id: String
    /// The result.
    public var status: Status
    /// What was found, in French and English.
    public var message: LocalizedText
    /// For a skipped check: true when it was required but could not run (makes the verdict indeterminate).
    public var blocking: Bool
    /// For a failed check: the outcome it implies.
    public var outcome: VerificationOutcome?
    /// Technical details (chunk, offset, parser message) kept apart from the plain-language message.
    public var detail: LocalizedText?

    /// Creates a check.
    public init(
        id: String, status: Status, message: LocalizedText, blocking: Bool = false, outcome: VerificationOutcome? = nil,
        detail: LocalizedText? = nil
    ) {
        self.id = id
        self.status = status
        self.message = message
        self.blocking = blocking
        self.outcome = outcome
        self.detail = detail
    }
}

/// What the verified assertion states (for display).
public struct AssertionSummary: Sendable, Equatable {
    public var id: String?
    public var badgeID: String?
    public var badgeName: String?
    public var badgeDescription: String?
    public var badgeImage: String?
    public var issuerID: String?
    public var issuerName: String?
    public var issuedOn: String?
    public var expires: String?
    public var revocationReason: String?
    public var recipientHashed: Bool?
    public var verificationType: String?
    public var narrative: String?
    /// The Open Badges version of the badge: nil for 2.0, `3.0` for a Verifiable Credential.
    public var specVersion: String?
    public var alignment: [AlignmentObject] = []
    public var evidence: [Evidence] = []

    /// Creates an empty summary.
    public init() {}

    var json: JSONValue {
        var o: [String: JSONValue] = [:]
        o.set("id", id)
        o.set("badgeId", badgeID)
        o.set("badgeName", badgeName)
        o.set("badgeDescription", badgeDescription)
        o.set("badgeImage", badgeImage)
        o.set("issuerId", issuerID)
        o.set("issuerName", issuerName)
        o.set("issuedOn", issuedOn)
        o.set("expires", expires)
        o.set("revocationReason", revocationReason)
        if let recipientHashed { o["recipientHashed"] = .bool(recipientHashed) }
        o.set("verificationType", verificationType)
        o.set("specVersion", specVersion)
        return .object(o)
    }
}

/// The result of verifying one badge: named checks and a verdict. A forged or revoked badge is a verdict, not an error.
public struct VerificationReport: Sendable, Equatable {
    /// Every check, in the order performed.
    public var checks: [VerificationCheck]
    /// What the input was (`png`, `svg`, `jws`, `json`, `url`, `pdf`).
    public var inputFormat: String?
    /// What the assertion states.
    public var assertion: AssertionSummary?
    /// The compact JWS that was verified, when the badge is signed.
    public var jws: String?
    /// The assertion document as read (the JWS payload or the hosted JSON), when it was well-formed.
    public var assertionDocument: JSONValue?
    /// How the expected recipient matched, when one was given and matched.
    public var recipientMatch: RecipientMatch?
    /// When the input carried the badge in several forms, all verified: `["2.0", "3.0"]` (a certificate PDF with
    /// the OB 2.0 assertion and the OB 3.0 credential). The checks of the second form have ids prefixed `ob3.`.
    public var forms: [String] = []

    /// Creates a report.
    public init(checks: [VerificationCheck], inputFormat: String? = nil, assertion: AssertionSummary? = nil) {
        self.checks = checks
        self.inputFormat = inputFormat
        self.assertion = assertion
    }

    /// Valid, invalid or indeterminate.
    public var verdict: VerificationVerdict {
        // One pass reading two fields of each check in place (no copy of the checks).
        var blocked = checks.isEmpty
        for i in checks.indices {
            switch checks[i].status {
            case .failed: return .invalid
            case .skipped where checks[i].blocking: blocked = true
            default: break
            }
        }
        return blocked ? .indeterminate : .valid
    }

    /// True only for the `valid` verdict.
    public var isValid: Bool { verdict == .valid }

    /// The employer-facing outcome.
    public var outcome: VerificationOutcome {
        switch verdict {
        case .valid: return .valid
        case .indeterminate: return .unverifiable
        case .invalid:
            let failed = checks.filter { $0.status == .failed }.map { $0.outcome ?? .invalid }
            return failed.min { $0.priority < $1.priority } ?? .invalid
        }
    }

    /// For an indeterminate verdict, what could not be checked (from the first blocking check; the `ob3.` checks
    /// of a second form count alike).
    public var indeterminateCause: IndeterminateCause? {
        guard verdict == .indeterminate, let blocking = checks.first(where: { $0.status == .skipped && $0.blocking })
        else { return nil }
        let id = blocking.id.hasPrefix("ob3.") ? String(blocking.id.dropFirst(4)) : blocking.id
        switch id {
        case "revocation": return .status
        case "key.resolve", "signature": return .key
        case "proof", "key.owner", "jws.algorithm": return .unsupported
        default: return .document
        }
    }

    /// One sentence for the outcome, plus the revocation reason when revoked.
    public var summary: LocalizedText {
        var s = indeterminateCause?.summary ?? outcome.summary
        if outcome == .revoked, let reason = assertion?.revocationReason, !reason.isEmpty {
            s.fr += " Motif : \(reason)"
            s.en += " Reason: \(reason)"
        }
        return s
    }

    /// The checks that ran and passed.
    public var passedCount: Int { checks.count(where: { $0.status == .passed }) }
    /// The checks that ran (passed or failed); skipped checks are not counted.
    public var ranCount: Int { checks.count(where: { $0.status != .skipped }) }
    /// The checks that could not run or were not asked for.
    public var skippedCount: Int { checks.count(where: { $0.status == .skipped }) }

    /// "16 contrôles réussis sur 16 (1 non effectué)" / "16 of 16 checks passed (1 not run)".
    public var countText: LocalizedText {
        let passed = passedCount
        let ran = ranCount
        let skipped = skippedCount
        var fr = "\(passed) \(passed > 1 ? "contrôles réussis" : "contrôle réussi") sur \(ran)"
        var en = "\(passed) of \(ran) \(ran == 1 ? "check" : "checks") passed"
        if skipped > 0 {
            fr += " (\(skipped) \(skipped > 1 ? "non effectués" : "non effectué"))"
            en += " (\(skipped) not run)"
        }
        return LocalizedText(fr: fr, en: en)
    }

    /// The report as JSON: `valid`, `verdict`, `outcome`, `summary`, `input`, `assertion`, `recipientMatch`,
    /// `checks` (each with an optional technical `detail`).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "valid": .bool(isValid),
            "verdict": .string(verdict.rawValue),
            "outcome": .string(outcome.rawValue),
            "summary": summary.json,
            "checks": .array(
                checks.map { c in
                    var check: [String: JSONValue] = [
                        "id": .string(c.id), "status": .string(c.status.rawValue), "message": c.message.json,
                    ]
                    if let detail = c.detail { check["detail"] = detail.json }
                    return .object(check)
                }),
        ]
        if let inputFormat {
            var input: [String: JSONValue] = ["format": .string(inputFormat)]
            if !forms.isEmpty { input["forms"] = .array(forms.map { .string($0) }) }
            o["input"] = .object(input)
        }
        if let assertion { o["assertion"] = assertion.json }
        if let recipientMatch { o["recipientMatch"] = .string(recipientMatch.rawValue) }
        return .object(o)
    }

    /// The check with this id, if it was performed.
    public func check(_ id: String) -> VerificationCheck? { checks.first { $0.id == id } }
}
