import Foundation

/// Everything printed on (and embedded in) a certificate of achievement.
public struct CertificateContent: Sendable {
    /// The certificate's language.
    public enum Language: String, Sendable, CaseIterable {
        case fr, en
    }

    /// A competency the badge is aligned to.
    public struct Competency: Sendable, Equatable {
        /// The competency code (e.g. `DC1.1.3`).
        public var code: String
        /// The competency title.
        public var title: String
        /// The framework (referential) name, if known.
        public var framework: String?

        /// Creates a competency line.
        public init(code: String, title: String, framework: String? = nil) {
            self.code = code
            self.title = title
            self.framework = framework
        }
    }

    /// Who signs the certificate, in what role, and where.
    public struct Signature: Sendable, Equatable {
        /// The signer's name.
        public var name: String
        /// The signer's role (e.g. « Directrice de la formation »).
        public var role: String
        /// The place of signature (e.g. « Lyon »).
        public var place: String

        /// Creates a signature block.
        public init(name: String, role: String, place: String) {
            self.name = name
            self.role = role
            self.place = place
        }
    }

    /// The certificate's language.
    public var language: Language
    /// The issuing organisation's name.
    public var organisationName: String
    /// The issuing organisation's web site.
    public var organisationURL: String
    /// The recipient's name, as printed.
    public var recipientName: String
    /// The badge class name.
    public var badgeName: String
    /// The badge class image (PNG bytes); nil draws no image.
    public var badgeImagePNG: [UInt8]?
    /// The date of issue.
    public var issuedOn: Date
    /// The expiry date, if any.
    public var expires: Date?
    /// A summary of the criteria (wrapped, shortened to fit).
    public var criteriaSummary: String
    /// The aligned competencies (the first lines fit, the rest are counted).
    public var competencies: [Competency]
    /// The certificate number (e.g. the first group of the assertion UUID).
    public var certificateNumber: String
    /// A longer reference printed small after the number (e.g. the full assertion UUID); nil prints none.
    public var reference: String?
    /// The verification address encoded in the QR code and printed under it.
    public var verificationURL: String
    /// The signature block.
    public var signature: Signature
    /// The signed assertion (compact JWS), embedded as `assertion.jws` and in the document information.
    public var assertionJWS: String
    /// The OB 3.0 form of the same award (VC-JWT), attached as `open-badge-credential.jwt` when present.
    public var credentialJWT: String? = nil

    /// Creates the content of a certificate.
    public init(
        language: Language, organisationName: String, organisationURL: String, recipientName: String,
        badgeName: String, badgeImagePNG: [UInt8]?, issuedOn: Date, expires: Date?, criteriaSummary: String,
        competencies: [Competency], certificateNumber: String, verificationURL: String, signature: Signature,
        assertionJWS: String
    ) {
        self.language = language
        self.organisationName = organisationName
        self.organisationURL = organisationURL
        self.recipientName = recipientName
        self.badgeName = badgeName
        self.badgeImagePNG = badgeImagePNG
        self.issuedOn = issuedOn
        self.expires = expires
        self.criteriaSummary = criteriaSummary
        self.competencies = competencies
        self.certificateNumber = certificateNumber
        self.verificationURL = verificationURL
        self.signature = signature
        self.assertionJWS = assertionJWS
    }
}
