/// An error found while reading, checking or writing PNG data.
public struct PNGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem was found.
    public enum Code: String, Sendable {
        /// The input does not start with the PNG signature (or is empty).
        case notPNG
        /// The input ends in the middle of the signature or of a chunk.
        case truncated
        /// A chunk's CRC does not match its type and data.
        case badCRC
        /// A chunk declares a length above 2^31−1.
        case chunkTooLarge
        /// A chunk type is not four ASCII letters.
        case invalidChunkType
        /// The first chunk is not IHDR.
        case missingIHDR
        /// IHDR has the wrong size, invalid fields, or appears twice.
        case invalidIHDR
        /// The stream has no IEND chunk (or IEND carries data).
        case missingIEND
        /// Bytes follow the IEND chunk.
        case dataAfterIEND
        /// The input exceeds the byte-size limit.
        case tooLarge
        /// The input has more chunks than allowed.
        case tooManyChunks
        /// A tEXt/iTXt chunk is malformed (keyword, separators, flags, encoding, compression).
        case invalidTextChunk
        /// libpng (or zlib) could not decode the image data.
        case decodeFailed
        /// The image is wider or taller than allowed.
        case dimensionsTooLarge
    }

    /// The kind of problem.
    public let code: Code
    /// A precise English description (which chunk, which offset).
    public let message: String
    /// The chunk type involved, when relevant.
    public let chunkType: String?
    /// The byte offset in the file, when relevant.
    public let offset: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, chunkType: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.chunkType = chunkType
        self.offset = offset
    }

    /// "code: message".
    public var description: String { "PNG \(code.rawValue): \(message)" }
}
