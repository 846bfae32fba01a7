import OpenBadges

/// Why a certificate could not be rendered. Messages are given in French and English.
public struct CertificateError: BilingualError, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// The content cannot be printed (empty JWS, URL too long for a QR code…).
        case invalidContent
        /// The badge image is not a PNG libharu can read.
        case invalidImage
        /// A font file is missing or unreadable.
        case fontUnavailable
        /// libharu reported an error.
        case pdfLibrary
        /// The temporary attachment file could not be written.
        case attachmentFailed
    }

    /// The kind of failure.
    public var code: Code
    /// French message.
    public var messageFR: String
    /// English message.
    public var messageEN: String

    /// Creates an error.
    public init(_ code: Code, fr: String, en: String) {
        self.code = code
        self.messageFR = fr
        self.messageEN = en
    }
}
