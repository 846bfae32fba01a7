/// Why an image could not be baked or unbaked. Messages are given in French and English.
public struct BakingError: BilingualError, Equatable {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// The bytes are neither a PNG nor an SVG.
        case unsupportedFormat
        /// The PNG or SVG is malformed (bad CRC, truncated, not well-formed XML…).
        case malformedImage
        /// The image is too large (bytes or pixels).
        case imageTooLarge
        /// The image carries no Open Badges data.
        case notBaked
        /// The image violates a MUST NOT of the baking specification (duplicate chunk, compression…).
        case nonConformant
        /// The SVG uses a DOCTYPE, entities or other constructs refused for safety.
        case unsafeXML
        /// The payload to bake is not acceptable (empty, not a JWS/JSON/URL).
        case invalidPayload
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
