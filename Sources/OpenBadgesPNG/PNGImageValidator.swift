import CPNGShims

/// The IHDR fields of a PNG image.
public struct PNGImageInfo: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Bits per sample (1, 2, 4, 8 or 16).
    public var bitDepth: Int
    /// PNG color type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
    public var colorType: Int
    /// True for Adam7 interlacing.
    public var isInterlaced: Bool

    /// Creates an info value.
    public init(width: Int, height: Int, bitDepth: Int, colorType: Int, isInterlaced: Bool) {
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colorType = colorType
        self.isInterlaced = isInterlaced
    }

    /// Reads the 13 IHDR data bytes (nil when the slice is not 13 bytes).
    init?(ihdr: some Collection<UInt8>) {
        guard ihdr.count == 13 else { return nil }
        let b = Array(ihdr)
        width = Int(UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]))
        height = Int(UInt32(b[4]) << 24 | UInt32(b[5]) << 16 | UInt32(b[6]) << 8 | UInt32(b[7]))
        bitDepth = Int(b[8])
        colorType = Int(b[9])
        isInterlaced = b[12] != 0
    }
}

/// Limits applied when validating an image.
public struct PNGImageLimits: Sendable {
    /// Largest accepted file, in bytes (default 5 MiB).
    public var maxBytes = 5 * 1024 * 1024
    /// Largest accepted width (default 4096).
    public var maxWidth = 4096
    /// Largest accepted height (default 4096).
    public var maxHeight = 4096

    /// Creates limits.
    public init(maxBytes: Int = 5 * 1024 * 1024, maxWidth: Int = 4096, maxHeight: Int = 4096) {
        self.maxBytes = maxBytes
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
    }

    /// 5 MiB, 4096×4096.
    public static let `default` = PNGImageLimits()
}

/// Full image validation with libpng.
public enum PNGImageValidator {
    /// Fully decodes the image with libpng (all IDAT data, CRCs) and checks the limits: sane dimensions (≥1, ≤ limits), size. Decode errors → PNGError(.decodeFailed) carrying libpng's message; oversize → .tooLarge / .dimensionsTooLarge (checked from IHDR BEFORE allocating the pixel buffer, so a 100000×100000 header can't exhaust memory). Structural problems found first keep their own code (.badCRC, .truncated, .missingIEND…).
    public static func validate(_ bytes: [UInt8], limits: PNGImageLimits = .default) throws(PNGError) -> PNGImageInfo {
        if bytes.count > limits.maxBytes {
            throw PNGError(.tooLarge, "image is \(bytes.count) bytes, the limit is \(limits.maxBytes)")
        }
        let header = try PNGDatastream.checkStructure(bytes, limits: PNGLimits(maxFileBytes: limits.maxBytes))
        try checkDimensions(header, limits: limits)
        var cHeader = insigne_png_header()
        var msg = [CChar](repeating: 0, count: 512)
        let maxW = UInt32(clamping: limits.maxWidth)
        let maxH = UInt32(clamping: limits.maxHeight)
        let status = bytes.withUnsafeBufferPointer { buf in
            msg.withUnsafeMutableBufferPointer { m in
                insigne_png_decode_check(buf.baseAddress, buf.count, maxW, maxH, &cHeader, m.baseAddress, m.count)
            }
        }
        switch status {
        case INSIGNE_OK:
            return header
        case INSIGNE_ERR_LIMIT:
            throw PNGError(.dimensionsTooLarge, "libpng: \(cMessage(msg))", chunkType: "IHDR", offset: 8)
        default:
            throw PNGError(.decodeFailed, "libpng: \(cMessage(msg))")
        }
    }

    /// Rejects zero, invalid or over-limit IHDR dimensions.
    static func checkDimensions(_ header: PNGImageInfo, limits: PNGImageLimits) throws(PNGError) {
        if header.width == 0 || header.height == 0 {
            throw PNGError(
                .decodeFailed, "IHDR declares \(header.width)x\(header.height): dimensions must be at least 1",
                chunkType: "IHDR", offset: 8)
        }
        if header.width > 0x7FFF_FFFF || header.height > 0x7FFF_FFFF {
            throw PNGError(
                .decodeFailed, "IHDR declares \(header.width)x\(header.height): dimensions must be at most 2^31-1",
                chunkType: "IHDR", offset: 8)
        }
        if header.width > limits.maxWidth || header.height > limits.maxHeight {
            throw PNGError(
                .dimensionsTooLarge,
                "IHDR declares \(header.width)x\(header.height), the limit is \(limits.maxWidth)x\(limits.maxHeight)",
                chunkType: "IHDR", offset: 8)
        }
    }
}
