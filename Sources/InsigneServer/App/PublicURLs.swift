import Foundation

/// The stable public URLs of everything Insigne hosts, under the configured public URL.
public struct PublicURLs: Sendable {
    /// Base URL without a trailing slash, e.g. `https://badges.mutuelle-vivre-ensemble.fr`.
    public let base: String

    /// Creates the URL scheme; a trailing slash on `base` is removed.
    public init(base: String) {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        self.base = b
    }

    /// Issuer profile.
    public func issuer(_ id: String) -> String { "\(base)/issuers/\(id)" }
    /// Revocation list of an issuer.
    public func revocationList(_ issuerID: String) -> String { "\(base)/issuers/\(issuerID)/revocations" }
    /// Issuer logo.
    public func issuerImage(_ id: String) -> String { "\(base)/issuers/\(id)/image" }
    /// CryptographicKey document.
    public func key(_ id: String) -> String { "\(base)/keys/\(id)" }
    /// Badge class.
    public func badgeClass(_ id: String) -> String { "\(base)/badges/\(id)" }
    /// Badge class image.
    public func badgeImage(_ id: String) -> String { "\(base)/badges/\(id)/image" }
    /// Hosted assertion (the hosted form's `id`).
    public func assertion(_ id: String) -> String { "\(base)/assertions/\(id)" }
    /// Baked PNG of an assertion.
    public func assertionPNG(_ id: String) -> String { "\(base)/assertions/\(id)/badge.png" }
    /// Baked SVG of an assertion.
    public func assertionSVG(_ id: String) -> String { "\(base)/assertions/\(id)/badge.svg" }
    /// Certificate of achievement (PDF) of an assertion.
    public func assertionCertificate(_ id: String) -> String { "\(base)/assertions/\(id)/certificate.pdf" }
    /// Referentials list.
    public var referentials: String { "\(base)/referentials" }
    /// A referential (framework) page and document.
    public func referential(_ id: String) -> String { "\(base)/referentials/\(Self.segment(id))" }
    /// One competency of a referential: the alignment `targetUrl`.
    public func competency(_ frameworkID: String, _ idNumber: String) -> String {
        "\(referential(frameworkID))/competencies/\(Self.segment(idNumber))"
    }
    /// Moodle CSV export of a referential.
    public func referentialCSV(_ id: String) -> String { "\(referential(id))/export.csv" }
    /// JSON export of a referential.
    public func referentialJSON(_ id: String) -> String { "\(referential(id))/export.json" }

    /// A path segment: unreserved characters kept, everything else percent-encoded (`DC1.1 bis` → `DC1.1%20bis`).
    public static func segment(_ s: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// A portfolio piece published for a badge: the unguessable page cited as evidence.
    public func publicEvidence(_ token: String) -> String { "\(base)/public-evidence/\(token)" }

    // MARK: Open Badges 3.0

    /// OB 3.0 issuer `Profile` (the `issuer.id` of OB 3.0 credentials and the `controller` of their keys).
    public func ob3Issuer(_ id: String) -> String { "\(base)/ob3/issuers/\(id)" }
    /// OB 3.0 key document: `JsonWebKey` for an RSA key (VC-JWT `kid`), `Multikey` for an Ed25519 key (Data
    /// Integrity `verificationMethod`).
    public func ob3Key(_ id: String) -> String { "\(base)/ob3/keys/\(id)" }
    /// OB 3.0 credential of an award (JSON with its Data Integrity proof; the credential `id`).
    public func ob3Credential(_ assertionID: String) -> String { "\(base)/ob3/credentials/\(assertionID)" }
    /// OB 3.0 credential of an award as a VC-JWT.
    public func ob3CredentialJWT(_ assertionID: String) -> String { "\(ob3Credential(assertionID))/credential.jwt" }
    /// OB 3.0 credential baked into the badge class image (PNG).
    public func ob3CredentialPNG(_ assertionID: String) -> String { "\(ob3Credential(assertionID))/badge.png" }
    /// OB 3.0 credential baked into the badge class image (SVG).
    public func ob3CredentialSVG(_ assertionID: String) -> String { "\(ob3Credential(assertionID))/badge.svg" }
    /// OB 3.0 `Achievement` of a badge class.
    public func ob3Achievement(_ badgeClassID: String) -> String { "\(base)/ob3/achievements/\(badgeClassID)" }
    /// Bitstring status list credential of an issuer (`purpose`: revocation or suspension).
    public func ob3StatusList(_ issuerID: String, purpose: String = "revocation") -> String {
        "\(ob3Issuer(issuerID))/status/\(purpose)"
    }

    /// Employer verification page.
    public var verifyPage: String { "\(base)/verify" }
}
