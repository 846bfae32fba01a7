import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// HTML pages for hosted documents when a browser asks (badge, assertion, issuer), with OpenGraph tags.
struct HostedDocumentPages: Sendable {
    let services: ServerServices

    /// The page for `path`, or nil to serve the JSON-LD document.
    func render(path: String, request: Request) async throws -> Response? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 2 else { return nil }
        let english = Language(request).english
        switch parts[0] {
        case "badges": return try await badgePage(id: parts[1], request: request, english: english)
        case "assertions": return try await assertionPage(id: parts[1], request: request, english: english)
        case "issuers": return try await issuerPage(id: parts[1], request: request, english: english)
        default: return nil
        }
    }

    /// The public URLs of the documents.
    var urls: PublicURLs { services.urls }

    /// Strings shared by the document pages (`t.<key>` in `hosted/*.mustache`).
    static let texts: [String: LocalizedText] = [
        "badge": LocalizedText(fr: "Badge", en: "Badge"),
        "assertion": LocalizedText(fr: "Badge décerné", en: "Awarded badge"),
        "issuer": LocalizedText(fr: "Émetteur", en: "Issuer"),
        "criteria": LocalizedText(fr: "Comment l'obtenir", en: "How it is earned"),
        "issuedBy": LocalizedText(fr: "Délivré par", en: "Issued by"),
        "issuedOn": LocalizedText(fr: "Décerné le", en: "Awarded on"),
        "expires": LocalizedText(fr: "Expire le", en: "Expires on"),
        "noExpiry": LocalizedText(fr: "Sans date d'expiration", en: "Does not expire"),
        "recipientHidden": LocalizedText(
            fr: "Destinataire vérifiable par son adresse e-mail, qui n'est pas publiée.",
            en: "Recipient verifiable by their email address, which is not published."),
        "verify": LocalizedText(fr: "Vérifier ce badge", en: "Verify this badge"),
        "downloadPNG": LocalizedText(fr: "Télécharger (PNG)", en: "Download (PNG)"),
        "downloadSVG": LocalizedText(fr: "Télécharger (SVG)", en: "Download (SVG)"),
        "downloadPDF": LocalizedText(fr: "Attestation PDF", en: "Certificate (PDF)"),
        "revokedTitle": LocalizedText(fr: "Ce badge a été révoqué", en: "This badge has been revoked"),
        "revokedText": LocalizedText(
            fr: "Son émetteur l'a retiré : il n'est plus valable.", en: "Its issuer withdrew it: it is no longer valid."
        ),
        "reason": LocalizedText(fr: "Motif :", en: "Reason:"),
        "narrative": LocalizedText(fr: "Commentaire", en: "Comment"),
        "evidence": LocalizedText(fr: "Preuves", en: "Evidence"),
        "tags": LocalizedText(fr: "Mots-clés", en: "Keywords"),
        "alignment": LocalizedText(fr: "Référentiels associés", en: "Related frameworks"),
        "website": LocalizedText(fr: "Site web", en: "Website"),
        "contact": LocalizedText(fr: "Contact", en: "Contact"),
        "badges": LocalizedText(fr: "Badges délivrés", en: "Badges issued"),
        "noBadges": LocalizedText(fr: "Aucun badge publié pour l'instant.", en: "No badge published yet."),
        "archived": LocalizedText(fr: "archivée : n'est plus délivré", en: "archived: no longer issued"),
        "partOf": LocalizedText(fr: "Fait partie de", en: "Part of"),
        "establishments": LocalizedText(fr: "Établissements", en: "Establishments"),
        "moreCriteria": LocalizedText(fr: "Critères détaillés", en: "Full criteria"),
        "downloads": LocalizedText(fr: "Fichiers", en: "Files"),
        "machine": LocalizedText(
            fr: "Version lisible par les machines (JSON-LD Open Badges 2.0)",
            en: "Machine-readable version (Open Badges 2.0 JSON-LD)"),
        "details": LocalizedText(fr: "Détails", en: "Details"),
        "verifyHint": LocalizedText(
            fr: "Chacun peut vérifier que ce badge est authentique, valable et non révoqué.",
            en: "Anyone can check that this badge is authentic, current and not revoked."),
    ]

    /// Strings shared by the document pages, in the reader's language.
    func strings(english: Bool) -> [String: Any] {
        (english ? Language.en : .fr).resolve(Self.texts.merging(Self.renewalTexts) { a, _ in a })
    }

    /// Paragraphs of a plain-text narrative (blank lines separate them).
    static func paragraphs(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty
        }
    }

    /// A link target that is safe to put in `href`: http(s) only.
    static func safeLink(_ s: String?) -> String? {
        guard let s, let u = URL(string: s), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil
        else { return nil }
        return s
    }

    /// The path of a URL under the public base (so CSP `'self'` holds whatever host the browser used).
    func localPath(_ absolute: String) -> String {
        absolute.hasPrefix(urls.base + "/") ? String(absolute.dropFirst(urls.base.count)) : absolute
    }

    func badgeContext(_ b: BadgeClassRecord, issuer: IssuerRecord?, english: Bool) -> [String: Any] {
        var c: [String: Any] = [
            "name": b.name, "description": b.description, "image": localPath(urls.badgeImage(b.id)),
            "imageAlt": english ? "Badge image: \(b.name)" : "Image du badge : \(b.name)",
            "badgeHref": localPath(urls.badgeClass(b.id)), "criteria": Self.paragraphs(b.criteriaNarrative),
            "tags": b.tags, "hasTags": !b.tags.isEmpty,
            "alignment": b.alignment.compactMap { a -> [String: Any]? in
                [
                    "name": a.targetName, "href": Pages.opt(Self.safeLink(a.targetUrl)),
                    "description": Pages.opt(a.targetDescription), "framework": Pages.opt(a.targetFramework),
                ]
            },
            "hasAlignment": !b.alignment.isEmpty,
        ]
        c["criteriaURL"] = Pages.opt(Self.safeLink(b.criteriaURL))
        c["issuerName"] = false
        if let issuer {
            c["issuerName"] = issuer.name
            c["issuerHref"] = localPath(urls.issuer(issuer.id))
        }
        return c
    }

    func badgePage(id: String, request: Request, english: Bool) async throws -> Response {
        guard let (badge, issuer) = try await services.db.badgeClassWithIssuer(id: id) else {
            return Pages.notFound(request, english: english)
        }
        var c = Pages.layoutContext(
            request: request, english: english, title: "\(badge.name) — \(english ? "badge" : "badge")")
        c["t"] = strings(english: english)
        c["badge"] = badgeContext(badge, issuer: issuer, english: english)
        c["jsonHref"] = urls.badgeClass(badge.id)
        c.merge(
            Pages.openGraph(
                title: badge.name + (issuer.map { " — \($0.name)" } ?? ""), description: badge.description,
                image: urls.badgeImage(badge.id), url: urls.badgeClass(badge.id), english: english)
        ) { $1 }
        return Pages.render("hosted.badge", c)
    }

    func assertionPage(id: String, request: Request, english: Bool) async throws -> Response {
        guard let (a, badge, issuer) = try await services.db.awardWithBadgeClassAndIssuer(id: id) else {
            return Pages.notFound(request, english: english)
        }
        let t = strings(english: english)
        var c = Pages.layoutContext(
            request: request, english: english, title: "\(badge.name) — \(t["assertion"] as! String)")
        c["t"] = t
        c["badge"] = badgeContext(badge, issuer: issuer, english: english)
        var award: [String: Any] = [
            "issuedOn": WebDates.long(a.issuedOn, english: english) ?? a.issuedOn,
            "issuedOnISO": a.issuedOn,
            "narrativeParagraphs": Self.paragraphs(a.narrative),
            "hasNarrative": !Self.paragraphs(a.narrative).isEmpty,
            "expires": false, "revoked": false, "reason": false, "downloads": [[String: Any]](),
            "evidence": a.evidence.map { e -> [String: Any] in
                [
                    "name": e.name ?? e.description ?? (english ? "Evidence" : "Preuve"),
                    "narrative": Pages.opt(e.narrative), "href": Pages.opt(Self.safeLink(e.id)),
                ]
            },
            "hasEvidence": !a.evidence.isEmpty,
            "verifyHref": "/verify?url=\(Pages.queryEscape(urls.assertion(a.id)))&lang=\(english ? "en" : "fr")",
        ]
        if let expires = WebDates.long(a.expires, english: english) {
            award["expires"] = expires
            award["expiresISO"] = a.expires ?? ""
        }
        if a.isRevoked {
            award["revoked"] = true
            if let reason = a.revocationReason, !reason.isEmpty { award["reason"] = reason }
        } else {
            var downloads: [[String: Any]] = []
            if badge.imageType == "png" {
                downloads.append([
                    "href": localPath(urls.assertionPNG(a.id)), "label": t["downloadPNG"]!, "file": "\(badge.id).png",
                ])
            }
            downloads.append([
                "href": localPath(urls.assertionSVG(a.id)), "label": t["downloadSVG"]!, "file": "\(badge.id).svg",
            ])
            downloads.append([
                "href": localPath(urls.assertionCertificate(a.id)) + (english ? "?lang=en" : ""),
                "label": t["downloadPDF"]!,
                "file": CertificateFactory.filename(badgeID: badge.id, assertionID: a.id),
            ])
            award["downloads"] = downloads
        }
        award.merge(try await renewalContext(a, english: english)) { _, new in new }
        c["award"] = award
        c["jsonHref"] = urls.assertion(a.id)
        let ogTitle =
            a.isRevoked
            ? "\(badge.name) — \(t["revokedTitle"] as! String)"
            : (english ? "Badge “\(badge.name)”" : "Badge « \(badge.name) »") + (issuer.map { " — \($0.name)" } ?? "")
        c.merge(
            Pages.openGraph(
                title: ogTitle, description: badge.description, image: urls.badgeImage(badge.id),
                url: urls.assertion(a.id),
                english: english)
        ) { $1 }
        return Pages.render("hosted.assertion", c, status: a.isRevoked ? .gone : .ok)
    }

    func issuerPage(id: String, request: Request, english: Bool) async throws -> Response {
        guard let profile = try await services.db.issuerProfile(id: id) else {
            return Pages.notFound(request, english: english)
        }
        let (issuer, parent, children, badges) = (
            profile.issuer, profile.parent, profile.children, profile.badgeClasses
        )
        var c = Pages.layoutContext(request: request, english: english, title: issuer.name)
        c["t"] = strings(english: english)
        var i: [String: Any] = [
            "name": issuer.name, "email": issuer.email, "description": Self.paragraphs(issuer.description),
            "website": false, "image": false, "parent": false,
        ]
        if let href = Self.safeLink(issuer.url) {
            i["website"] = href
            i["websiteLabel"] = URL(string: href)?.host ?? href
        }
        if issuer.imageData != nil { i["image"] = localPath(urls.issuerImage(issuer.id)) }
        if let parent { i["parent"] = ["name": parent.name, "href": localPath(urls.issuer(parent.id))] }
        i["children"] = children.map { ["name": $0.name, "href": localPath(urls.issuer($0.id))] }
        i["hasChildren"] = !children.isEmpty
        i["badges"] = badges.map {
            [
                "name": $0.name, "description": $0.description, "href": localPath(urls.badgeClass($0.id)),
                "image": localPath(urls.badgeImage($0.id)), "archived": $0.isArchived,
            ]
        }
        i["hasBadges"] = !badges.isEmpty
        c["issuer"] = i
        c["jsonHref"] = urls.issuer(issuer.id)
        c.merge(
            Pages.openGraph(
                title: issuer.name, description: issuer.description ?? issuer.name,
                image: issuer.imageData != nil
                    ? urls.issuerImage(issuer.id) : badges.first.map { urls.badgeImage($0.id) },
                url: urls.issuer(issuer.id), english: english)
        ) { $1 }
        return Pages.render("hosted.issuer", c)
    }
}
