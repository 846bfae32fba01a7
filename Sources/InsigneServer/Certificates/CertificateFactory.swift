import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPDF

/// Why an award has no certificate: it does not exist (`.notFound`), or its issuer revoked it (`.gone`).
extension ServiceError {
    /// No award with this id.
    static func certificateNotFound(_ id: String) -> ServiceError {
        ServiceError(.notFound, fr: "badge attribué introuvable : \(id)", en: "awarded badge not found: \(id)")
    }

    /// The award was revoked: no certificate any more.
    static func certificateRevoked(reason: String?) -> ServiceError {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return ServiceError(
            .gone,
            fr: "ce badge a été révoqué, il n'a plus d'attestation" + (reason.isEmpty ? "" : " (motif : \(reason))"),
            en: "this badge has been revoked and has no certificate" + (reason.isEmpty ? "" : " (reason: \(reason))"))
    }
}

/// Who signs the certificates: the issuer's name and « Service formation » unless configured
/// (`INSIGNE_CERTIFICATE_SIGNER`, `INSIGNE_CERTIFICATE_SIGNER_ROLE`, `INSIGNE_CERTIFICATE_PLACE`).
public struct CertificateSigner: Sendable, Equatable {
    /// The signer's name; nil prints the issuer's name.
    public var name: String?
    /// The signer's role; nil prints « Service formation » / "Training department".
    public var role: String?
    /// The place of signature; nil prints the date alone.
    public var place: String?

    /// Creates a signer (all defaults when nothing is given).
    public init(name: String? = nil, role: String? = nil, place: String? = nil) {
        self.name = name
        self.role = role
        self.place = place
    }

    /// The signer configured by the environment (empty values are ignored).
    public static func fromEnvironment(_ env: [String: String]) -> CertificateSigner {
        func value(_ key: String) -> String? {
            env[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return CertificateSigner(
            name: value("INSIGNE_CERTIFICATE_SIGNER"), role: value("INSIGNE_CERTIFICATE_SIGNER_ROLE"),
            place: value("INSIGNE_CERTIFICATE_PLACE"))
    }
}

/// A rendered certificate and the name it is offered under.
public struct CertificateDocument: Sendable {
    /// The PDF bytes.
    public var pdf: [UInt8]
    /// `attestation-<badge>-<short id>.pdf`.
    public var filename: String
}

/// Builds the certificate of achievement of an award from the database: what it says (issuer, recipient name,
/// badge, dates, criteria, competencies, number, verification link, signer) and the signed assertion it carries.
///
/// ```swift
/// let doc = try await CertificateFactory(db: services.db, urls: services.urls).document(assertionID: id)
/// ```
public struct CertificateFactory: Sendable {
    /// The database.
    public let db: AppDatabase
    /// The public URLs (verification link); nil takes the base each award was issued under.
    public let urls: PublicURLs?
    /// The signature block's signer.
    public let signer: CertificateSigner

    /// Criteria text kept at most (the renderer prints three lines and ellipsises the rest).
    static let criteriaLimit = 320

    /// Creates a factory.
    public init(db: AppDatabase, urls: PublicURLs?, signer: CertificateSigner = CertificateSigner()) {
        self.db = db
        self.urls = urls
        self.signer = signer
    }

    /// The rendered PDF of an award; throws a ``ServiceError`` (`.notFound`, `.gone`) when unknown or revoked. Without `named`, the
    /// recipient is printed as « Titulaire du badge » / "Badge holder" (public downloads).
    public func document(assertionID: String, language: CertificateContent.Language = .fr, named: Bool = true)
        async throws
        -> CertificateDocument
    {
        let (content, badgeID) = try await contentAndBadge(assertionID: assertionID, language: language, named: named)
        return CertificateDocument(
            pdf: try CertificateRenderer.render(content),
            filename: Self.filename(badgeID: badgeID, assertionID: assertionID))
    }

    /// What the certificate of an award says; throws a ``ServiceError`` (`.notFound`, `.gone`) when unknown or revoked.
    public func content(assertionID: String, language: CertificateContent.Language = .fr) async throws
        -> CertificateContent
    {
        try await contentAndBadge(assertionID: assertionID, language: language, named: true).0
    }

    func contentAndBadge(assertionID: String, language: CertificateContent.Language, named: Bool) async throws
        -> (CertificateContent, String)
    {
        guard let (a, badge, issuer, parent) = try await db.certificateSubject(awardID: assertionID) else {
            throw ServiceError.certificateNotFound(assertionID)
        }
        if a.isRevoked { throw ServiceError.certificateRevoked(reason: a.revocationReason) }
        let english = language == .en
        let issuedOn = DateTimeValue(a.issuedOn)?.date ?? a.createdAt
        var content = CertificateContent(
            language: language, organisationName: Self.organisationName(issuer, parent: parent),
            organisationURL: issuer.url,
            recipientName: Self.recipientName(named ? a.recipientName : nil, english: english),
            badgeName: badge.name,
            badgeImagePNG: badge.imageType == "png" ? [UInt8](badge.imageData) : nil,
            issuedOn: issuedOn, expires: a.expires.flatMap(DateTimeValue.init)?.date,
            criteriaSummary: Self.shortened(badge.criteriaNarrative, limit: Self.criteriaLimit),
            competencies: badge.alignment.map(Self.competency),
            certificateNumber: Self.number(assertionID),
            verificationURL: Self.verificationURL(assertionID, urls: urls ?? Self.issuedURLs(jws: a.jws)),
            signature: .init(
                name: signer.name ?? issuer.name,
                role: signer.role ?? (english ? "Training department" : "Service formation"),
                place: signer.place ?? ""),
            assertionJWS: a.jws)
        content.reference = assertionID
        content.credentialJWT = try await db.ob3Credential(assertionID: assertionID)?.jwt
        return (content, badge.id)
    }

    /// The verification page run on the hosted assertion (`/verify?url=…` verifies on arrival).
    public static func verificationURL(_ assertionID: String, urls: PublicURLs) -> String {
        urls.verifyPage + "?url=" + Pages.queryEscape(urls.assertion(assertionID))
    }

    /// The issuer's name; an establishment also names its parent organisation unless its name already does.
    static func organisationName(_ issuer: IssuerRecord, parent: IssuerRecord?) -> String {
        guard let parent, !issuer.name.localizedCaseInsensitiveContains(parent.name) else {
            return issuer.name
        }
        return "\(issuer.name) — \(parent.name)"
    }

    /// The stored name, or « Titulaire du badge » / "Badge holder" (the email is never printed).
    static func recipientName(_ name: String?, english: Bool) -> String {
        let n = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return n.isEmpty ? (english ? "Badge holder" : "Titulaire du badge") : n
    }

    /// One line of the competencies list: the alignment's code, its name without a leading copy of the code.
    static func competency(_ a: AlignmentRecord) -> CertificateContent.Competency {
        let code = a.targetCode?.trimmingCharacters(in: .whitespaces) ?? ""
        var title = a.targetName.trimmingCharacters(in: .whitespaces)
        if !code.isEmpty, title.lowercased().hasPrefix(code.lowercased()) {
            title = String(title.dropFirst(code.count)).trimmingCharacters(
                in: CharacterSet(charactersIn: " \t-–—:·."))
        }
        if title.isEmpty { title = a.targetName }
        return .init(
            code: code.isEmpty ? "•" : code, title: title,
            framework: a.targetFramework.map(frameworkLabel))
    }

    /// A framework's short label for the heading: `DEES 2007 - Référentiel de compétences (…)` → `DEES 2007`.
    static func frameworkLabel(_ name: String) -> String {
        let head = [" - ", " – ", " — ", " ("].compactMap { name.range(of: $0)?.lowerBound }.min().map {
            name[..<$0]
        }
        let label = (head.map(String.init) ?? name).trimmingCharacters(in: .whitespaces)
        return label.isEmpty ? name : label
    }

    /// `8C1F-2D4E`: the first 8 hex digits of the award's UUID, grouped by four.
    static func number(_ assertionID: String) -> String {
        let hex = assertionID.uppercased().filter(\.isHexDigit).prefix(8)
        guard hex.count == 8 else { return assertionID }
        return "\(hex.prefix(4))-\(hex.suffix(4))"
    }

    /// `attestation-<badge>-<first 8 hex of the id>.pdf`, letters, digits and hyphens only.
    static func filename(badgeID: String, assertionID: String) -> String {
        let safe: (String) -> String = { s in
            String(s.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        }
        let short = String(assertionID.lowercased().filter(\.isHexDigit).prefix(8))
        return "attestation-\(safe(badgeID))-\(short.isEmpty ? safe(assertionID) : short).pdf"
    }

    /// White space collapsed, cut at a word boundary before `limit` characters with « … ».
    static func shortened(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let head = flat.prefix(limit - 1)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:")) + " …"
    }

    /// The public URLs an award was issued under, read from its signed badge URL (`<base>/badges/<id>`).
    static func issuedURLs(jws: String) -> PublicURLs {
        guard let compact = try? CompactJWS(jws), let json = try? JSONValue(parsing: compact.payload),
            let badge = json["badge"]?.stringValue,
            let range = badge.range(of: "/badges/", options: .backwards)
        else { return PublicURLs(base: ServerConfiguration().publicURL) }
        return PublicURLs(base: String(badge[..<range.lowerBound]))
    }
}
