import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges

/// The employer's page, with or without a result.
struct VerifyPage {
    let request: Request
    let english: Bool
    var report: VerificationReport?
    var error: String?
    var status: HTTPResponse.Status = .ok
    var recipient: String?
    var url: String?
    var urls: PublicURLs?
    /// The page of the newest renewal of the verified award (one of ours), if it was renewed.
    var renewal: String?
    /// The token of the uploaded file kept for « Vérifier pour une autre adresse ».
    var keptUpload: String?
    /// How many minutes it is kept.
    var keptMinutes = 15

    init(request: Request, english: Bool) {
        self.request = request
        self.english = english
    }

    func render() -> Response {
        let t = strings
        var c = Pages.layoutContext(
            request: request, english: english,
            title: report.map { "\(headline($0.outcome)) — \(t["title"]!)" } ?? t["title"]!)
        c["t"] = t
        c["error"] = Pages.opt(error)
        c["recipient"] = recipient ?? ""
        c["url"] = url ?? ""
        c["result"] = Pages.opt(report.map(resultContext))
        c["recheck"] = Pages.opt(
            keptUpload.map { token -> [String: Any] in
                [
                    "token": token,
                    "hint": english
                        ? "The file is kept for \(keptMinutes) minutes: type another address, no need to choose it again."
                        : "Le fichier est gardé \(keptMinutes) minutes : indiquez une autre adresse sans le choisir à nouveau."
                        ,
                ]
            })
        return Pages.render("verification.verify", c, status: status)
    }

    /// The page's strings (`t.<key>` in `verification/verify.mustache`).
    static let texts: [String: LocalizedText] = [
        "title": LocalizedText(fr: "Vérifier un badge numérique", en: "Verify a digital badge"),
        "lead": LocalizedText(
            fr:
                "Un candidat vous a transmis un badge ? Déposez le fichier ici pour vérifier en quelques secondes qu'il est authentique, valable, non révoqué et qu'il lui a bien été délivré.",
            en:
                "A candidate sent you a badge? Drop the file here to check, in a few seconds, that it is authentic, current, not revoked and really theirs."
        ),
        "fileLabel": LocalizedText(fr: "Fichier du badge", en: "Badge file"),
        "fileHint": LocalizedText(
            fr:
                "Le fichier tel que reçu : image PNG ou SVG, attestation de réussite PDF, ou justificatif Open Badges 3.0 (JSON ou JWT) ; 5 Mo au maximum.",
            en:
                "The file as received: PNG or SVG image, PDF certificate of achievement, or Open Badges 3.0 credential (JSON or JWT); 5 MiB at most."
        ),
        "dropHint": LocalizedText(
            fr: "Glissez-déposez le fichier ici, ou choisissez-le :", en: "Drag and drop the file here, or choose it:"),
        "chosen": LocalizedText(fr: "Fichier choisi :", en: "Selected file:"),
        "urlLabel": LocalizedText(fr: "Ou l'adresse web du badge", en: "Or the badge's web address"),
        "urlHint": LocalizedText(
            fr: "Le lien affiché sur la page du badge, par exemple https://…/assertions/…",
            en: "The link shown on the badge's page, e.g. https://…/assertions/…"),
        "recipientLabel": LocalizedText(fr: "Adresse e-mail de la personne", en: "Email address of the person"),
        "optional": LocalizedText(fr: "facultatif", en: "optional"),
        "recipientHint": LocalizedText(
            fr:
                "Pour confirmer que le badge lui a été délivré. Elle sert uniquement à cette vérification et n'est pas conservée.",
            en: "To confirm the badge was issued to them. It is only used for this check and is not stored."),
        "submit": LocalizedText(fr: "Vérifier le badge", en: "Verify the badge"),
        "again": LocalizedText(fr: "Vérifier un autre badge", en: "Verify another badge"),
        "howTitle": LocalizedText(fr: "Ce qui est vérifié", en: "What is checked"),
        "how1": LocalizedText(
            fr: "la signature de l'organisme émetteur (le badge n'a pas été modifié) ;",
            en: "the signature of the issuing organisation (the badge has not been altered);"),
        "how2": LocalizedText(fr: "que l'émetteur ne l'a pas révoqué ;", en: "that the issuer has not revoked it;"),
        "how3": LocalizedText(fr: "ses dates (émission, expiration) ;", en: "its dates (issued, expiry);"),
        "how4": LocalizedText(
            fr: "si vous indiquez son adresse e-mail, qu'il a bien été délivré à cette personne.",
            en: "if you give their email address, that it was issued to that person."),
        "privacy": LocalizedText(
            fr:
                "Les fichiers sont vérifiés en mémoire et ne sont jamais écrits sur disque ; un fichier déposé ici reste en mémoire 15 minutes au plus, pour le vérifier avec une autre adresse, puis il est effacé.",
            en:
                "Files are verified in memory and never written to disk; a file dropped here stays in memory for 15 minutes at most, to check it against another address, then it is erased."
        ),
        "recheckTitle": LocalizedText(fr: "Vérifier pour une autre adresse", en: "Check against another address"),
        "recheckSubmit": LocalizedText(fr: "Vérifier pour cette adresse", en: "Check for this address"),
        "errorTitle": LocalizedText(fr: "La vérification n'a pas pu commencer", en: "The verification could not start"),
    ]

    /// The page's strings in the reader's language.
    var strings: [String: String] { (english ? Language.en : .fr).resolve(Self.texts) }

    func headline(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid: english ? "Valid badge" : "Badge valide"
        case .revoked: english ? "Revoked badge" : "Badge révoqué"
        case .suspended: english ? "Suspended badge" : "Badge suspendu"
        case .expired: english ? "Expired badge" : "Badge expiré"
        case .forged: english ? "Forged badge" : "Badge falsifié"
        case .recipientMismatch: english ? "Not issued to this person" : "Badge non délivré à cette personne"
        case .notABadge: english ? "This file is not a badge" : "Ce fichier n'est pas un badge"
        case .malformed: english ? "Malformed badge" : "Badge mal formé"
        case .notYetValid: english ? "Badge not yet valid" : "Badge pas encore valide"
        case .unverifiable:
            english ? "Verification impossible (indeterminate)" : "Vérification impossible (indéterminé)"
        case .invalid: english ? "Invalid badge" : "Badge non valide"
        case .damaged: english ? "Damaged or modified file" : "Fichier endommagé ou modifié"
        case .notFound: english ? "Badge not found at its issuer" : "Badge introuvable chez son émetteur"
        }
    }

    /// What the outcome means for the employer (the banner's headline already names it).
    func sentence(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid:
            english
                ? "It is authentic, current, and its issuer has not revoked it."
                : "Il est authentique, en cours de validité, et son émetteur ne l'a pas révoqué."
        case .revoked:
            english
                ? "Its issuer withdrew it: it is no longer valid." : "Son émetteur l'a retiré : il n'est plus valable."
        case .suspended:
            english
                ? "Its issuer suspended it: it is not valid for now, the suspension may be lifted later."
                : "Son émetteur l'a suspendu : il n'est pas valable pour l'instant, la suspension peut être levée."
        case .expired:
            english
                ? "It was issued, but its validity date has passed."
                : "Il a bien été délivré, mais sa date de validité est dépassée."
        case .forged:
            english
                ? "Its signature does not match the issuer, or its content was altered: do not accept it."
                : "Sa signature ne correspond pas à l'émetteur, ou son contenu a été modifié : ne l'acceptez pas."
        case .recipientMismatch:
            english
                ? "The badge is authentic but was not issued to the email address you entered. Check the address with the person."
                : "Le badge est authentique, mais il n'a pas été délivré à l'adresse e-mail indiquée. Vérifiez l'adresse avec la personne."
        case .notABadge:
            english
                ? "The file contains no digital badge (Open Badges). Ask the person for the badge file as they received it (PNG or SVG image, PDF certificate, or Open Badges 3.0 JSON or JWT file)."
                : "Le fichier ne contient pas de badge numérique (Open Badges). Demandez à la personne le fichier du badge tel qu'elle l'a reçu (image PNG ou SVG, attestation PDF, ou fichier JSON ou JWT Open Badges 3.0)."
        case .unverifiable:
            english
                ? "One of the issuer's documents could not be reached. Try again in a few minutes."
                : "Un document de l'émetteur est inaccessible. Réessayez dans quelques minutes."
        case .damaged:
            english
                ? "The file was damaged or modified after it was issued: it cannot be accepted as it is. Ask the person for the file exactly as they received it."
                : "Le fichier a été endommagé ou modifié après sa création : il ne peut pas être accepté tel quel. Demandez à la personne le fichier exactement tel qu'elle l'a reçu."
        case .notFound:
            english
                ? "This badge does not exist (any more) at its issuer: its issuer does not publish it. Do not accept it without asking the issuer."
                : "Ce badge n'existe pas (ou plus) chez son émetteur : celui-ci ne le publie pas. Ne l'acceptez pas sans interroger l'émetteur."
        case .notYetValid:
            english
                ? "Its validity starts at a later date: do not accept it before then, or ask the issuer why."
                : "Sa validité commence à une date ultérieure : ne l'acceptez pas avant, ou demandez à l'émetteur pourquoi."
        case .malformed, .invalid:
            (english ? outcome.summary.en : outcome.summary.fr)
                + (english ? " See the details of the checks." : " Consultez le détail des vérifications.")
        }
    }

    /// The public page of one of our own assertions (hosted URL or the signed form's `urn:uuid`).
    func ownPage(_ a: AssertionSummary) -> String? {
        guard let urls, let id = a.id else { return nil }
        if id.hasPrefix(urls.base + "/assertions/") { return String(id.dropFirst(urls.base.count)) }
        if id.hasPrefix("urn:uuid:"), a.badgeID?.hasPrefix(urls.base + "/") == true {
            return "/assertions/" + Pages.queryEscape(String(id.dropFirst("urn:uuid:".count)))
        }
        return nil
    }

    /// green: valid; orange: nothing proves forgery but the badge cannot be accepted as is; red: forged or not theirs.
    static func tone(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid: "ok"
        case .expired, .notYetValid, .unverifiable, .notABadge, .suspended: "warn"
        case .revoked, .forged, .recipientMismatch, .malformed, .invalid, .damaged, .notFound: "bad"
        }
    }

    /// The badge image to show: a path of this server, or a data: PNG, JPEG or SVG image (an OB 3.0
    /// `achievement.image.id` often is one) of 2 MiB at most; nothing else is hotlinked.
    func displayImage(_ src: String?) -> String? {
        guard let src else { return nil }
        if let base = urls?.base, src.hasPrefix(base + "/") { return String(src.dropFirst(base.count)) }
        let lower = src.prefix(32).lowercased()
        if (lower.hasPrefix("data:image/png;") || lower.hasPrefix("data:image/jpeg;")
            || lower.hasPrefix("data:image/svg+xml;")
            || lower.hasPrefix("data:image/svg+xml,"))
            && src.utf8.count <= 2 * 1024 * 1024
        {
            return src
        }
        return nil
    }

    /// « OB 3.0 · preuve VC-JWT EdDSA », shown discreetly under an Open Badges 3.0 badge; nil for OB 2.0.
    static func proofNote(_ a: AssertionSummary, english: Bool) -> String? {
        guard let version = a.specVersion else { return nil }
        guard let proof = a.verificationType else { return "OB \(version)" }
        return english ? "OB \(version) · proof: \(proof)" : "OB \(version) · preuve : \(proof)"
    }

    /// The result block's labels (`result.rt.<key>`).
    static let resultTexts: [String: LocalizedText] = [
        "reason": LocalizedText(fr: "Motif :", en: "Reason:"),
        "issuer": LocalizedText(fr: "Délivré par", en: "Issued by"),
        "issuedOn": LocalizedText(fr: "Décerné le", en: "Awarded on"),
        "expires": LocalizedText(fr: "Expire le", en: "Expires on"),
        "noExpiry": LocalizedText(fr: "Sans date d'expiration", en: "Does not expire"),
        "page": LocalizedText(fr: "Voir la page du badge", en: "See the badge's page"),
        "renewal": LocalizedText(
            fr: "Ce badge a été renouvelé : voir le badge le plus récent",
            en: "This badge was renewed: see the newest one"),
        "checks": LocalizedText(fr: "Détail des vérifications :", en: "Details of the checks:"),
        "detail": LocalizedText(fr: "Détail technique :", en: "Technical detail:"),
    ]

    func resultContext(_ report: VerificationReport) -> [String: Any] {
        let outcome = report.outcome
        var r: [String: Any] = [
            "tone": Self.tone(outcome), "outcome": outcome.rawValue, "headline": headline(outcome),
            "icon": outcome == .valid ? "✓" : (Self.tone(outcome) == "bad" ? "✕" : "!"),
            "sentence": sentence(outcome),
            "reason": false, "badge": false, "recipientNote": false,
            "rt": (english ? Language.en : .fr).resolve(Self.resultTexts),
        ]
        if outcome == .revoked, let reason = report.assertion?.revocationReason, !reason.isEmpty {
            r["reason"] = reason
        }
        if let a = report.assertion, a.badgeName != nil || a.issuerName != nil {
            let name = a.badgeName ?? (english ? "Badge" : "Badge")
            r["badge"] =
                [
                    "name": name,
                    "description": Pages.opt(a.badgeDescription),
                    "image": Pages.opt(displayImage(a.badgeImage)),
                    "imageAlt": english ? "Badge image: \(name)" : "Image du badge : \(name)",
                    "issuerName": Pages.opt(a.issuerName),
                    "issuedOn": Pages.opt(WebDates.long(a.issuedOn, english: english)),
                    "expires": Pages.opt(WebDates.long(a.expires, english: english)),
                    "noExpiry": a.expires == nil,
                    "page": Pages.opt(ownPage(a)),
                    "renewal": Pages.opt(renewal),
                    "proof": Pages.opt(Self.proofNote(a, english: english)),
                ] as [String: Any]
        }
        if let check = report.check("recipient"), outcome == .valid || outcome == .recipientMismatch {
            switch check.status {
            case .skipped:
                r["recipientNote"] =
                    english
                    ? "You did not give an email address: the badge is authentic, but nothing shows it belongs to the person presenting it. Enter their address to check."
                    : "Vous n'avez pas indiqué d'adresse e-mail : le badge est authentique, mais rien ne montre qu'il appartient à la personne qui le présente. Indiquez son adresse pour le vérifier."
            case .passed:
                r["recipientNote"] = recipientNote(report.recipientMatch)
            case .failed:
                break
            }
        }
        let checks = report.checks.map { c -> [String: Any] in
            [
                "status": c.status.rawValue,
                "statusLabel": Self.statusLabel(c.status, english: english),
                "message": english ? c.message.en : c.message.fr,
                "detail": Pages.opt(c.detail.map { english ? $0.en : $0.fr }),
            ]
        }
        r["checks"] = checks
        if outcome == .unverifiable { r["sentence"] = Self.indeterminate(report, english: english) }
        r["formsNote"] = Pages.opt(
            report.forms.count > 1
                ? (english
                    ? "This PDF carries the badge in two forms, Open Badges 2.0 and 3.0: both were verified."
                    : "Ce PDF porte le badge sous deux formes, Open Badges 2.0 et 3.0 : les deux ont été vérifiées.")
                : nil)
        r["countText"] = english ? report.countText.en : report.countText.fr
        r["openChecks"] = outcome != .valid
        return r
    }

    /// What « indéterminé » means here and what to do next, from the check that could not run: the issuer's key,
    /// its status list, or a proof or vocabulary (JSON-LD context) Insigne does not know.
    static func indeterminate(_ report: VerificationReport, english: Bool) -> String {
        switch report.indeterminateCause {
        case .status?:
            english
                ? "The issuer's list of revoked badges could not be obtained or checked: nothing says whether the badge was revoked or suspended. Try again later; if it persists, ask the issuer."
                : "La liste des badges révoqués de l'émetteur n'a pas pu être obtenue ou contrôlée : rien ne dit si le badge a été révoqué ou suspendu. Réessayez plus tard ; si cela dure, interrogez l'émetteur."
        case .key?:
            english
                ? "The issuer's public key could not be obtained, so the signature could not be checked. Try again in a few minutes; if it persists, ask the issuer."
                : "La clé publique de l'émetteur n'a pas pu être obtenue : la signature n'a pas pu être contrôlée. Réessayez dans quelques minutes ; si cela dure, interrogez l'émetteur."
        case .unsupported?:
            english
                ? "The badge uses a proof or a vocabulary (JSON-LD context) Insigne cannot check: nothing proves it is authentic, nor that it is forged. Ask the issuer to confirm it."
                : "Le badge utilise une preuve ou un vocabulaire (contexte JSON-LD) qu'Insigne ne sait pas contrôler : rien ne prouve qu'il est authentique, ni qu'il est falsifié. Demandez à l'émetteur de le confirmer."
        case .document?, nil:
            english
                ? "One of the issuer's documents could not be reached. Try again in a few minutes."
                : "Un document de l'émetteur est inaccessible. Réessayez dans quelques minutes."
        }
    }

    /// Which form of the address typed matched: as typed, or its normalised form.
    func recipientNote(_ match: RecipientMatch?) -> String {
        let typed = recipient ?? (english ? "this address" : "cette adresse")
        let normalized = recipient.map(EmailNormalization.normalize) ?? typed
        if match == .normalized, normalized != typed {
            return english
                ? "Issued to \(typed): the badge was issued to its normalised form “\(normalized)” (spaces removed, lower case), the same address."
                : "Délivré à \(typed) : le badge a été délivré à sa forme normalisée « \(normalized) » (espaces retirés, minuscules), c'est la même adresse."
        }
        if match == .normalized {
            return english
                ? "Issued to \(typed) (written differently in the badge, same address once normalised)."
                : "Délivré à \(typed) (écrite autrement dans le badge, même adresse une fois normalisée)."
        }
        return english
            ? "Issued to \(typed), the address as you typed it."
            : "Délivré à \(typed), l'adresse telle que vous l'avez saisie."
    }

    static func statusLabel(_ s: VerificationCheck.Status, english: Bool) -> String {
        switch s {
        case .passed: english ? "Passed" : "Réussi"
        case .failed: english ? "Failed" : "Échec"
        case .skipped: english ? "Not checked" : "Non vérifié"
        }
    }
}
