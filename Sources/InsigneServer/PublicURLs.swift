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
    /// Employer verification page.
    public var verifyPage: String { "\(base)/verify" }
}
