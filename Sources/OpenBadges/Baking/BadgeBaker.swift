/// Image formats a badge can be baked into.
public enum BadgeImageFormat: String, Sendable {
    case png, svg

    /// The MIME type.
    public var mimeType: String { self == .png ? "image/png" : "image/svg+xml" }

    /// Detects PNG by its signature, SVG by its root element; nil otherwise.
    public static func detect(_ bytes: [UInt8]) -> BadgeImageFormat? {
        if bytes.starts(with: pngSignature) { return .png }
        if SVGBaker.looksLikeSVG(bytes) { return .svg }
        return nil
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}

/// Badge data found in an image.
public struct ExtractedBadge: Sendable, Equatable {
    /// The text: a compact JWS, assertion JSON, or a hosted assertion URL.
    public var text: String
    /// The carrier format.
    public var format: BadgeImageFormat
    /// True for a legacy (pre-1.0) PNG `tEXt` chunk.
    public var isLegacy: Bool
}

/// Format-independent baking: PNG (iTXt) or SVG (`openbadges:assertion`).
public enum BadgeBaker {
    /// Bakes a signed badge (compact JWS) into a PNG or SVG image.
    public static func bake(image: [UInt8], jws: String) throws(BakingError) -> (
        bytes: [UInt8], format: BadgeImageFormat
    ) {
        guard CompactJWS.looksLikeJWS(jws) else {
            throw BakingError(
                .invalidPayload, fr: "la signature à intégrer n'est pas un JWS compact",
                en: "the payload to bake is not a compact JWS")
        }
        switch BadgeImageFormat.detect(image) {
        case .png: return (try PNGBaker.bake(png: image, text: jws), .png)
        case .svg: return (try svg { try SVGBaker.bake(svg: image, signature: jws) }, .svg)
        case nil: throw unsupported
        }
    }

    /// Bakes a hosted badge (assertion JSON whose `id` is its URL) into a PNG or SVG image.
    public static func bake(image: [UInt8], hostedAssertion: Assertion) throws(BakingError) -> (
        bytes: [UInt8], format: BadgeImageFormat
    ) {
        let json = hostedAssertion.json.encodedString()
        switch BadgeImageFormat.detect(image) {
        case .png: return (try PNGBaker.bake(png: image, text: json), .png)
        case .svg:
            return (
                try svg { try SVGBaker.bake(svg: image, assertionURL: hostedAssertion.id, assertionJSON: json) }, .svg
            )
        case nil: throw unsupported
        }
    }

    /// Extracts the badge data from a baked PNG or SVG.
    public static func extract(from bytes: [UInt8]) throws(BakingError) -> ExtractedBadge {
        switch BadgeImageFormat.detect(bytes) {
        case .png:
            let r = try PNGBaker.unbake(png: bytes)
            return ExtractedBadge(text: r.text, format: .png, isLegacy: r.isLegacy)
        case .svg:
            return ExtractedBadge(text: try svg { try SVGBaker.unbake(svg: bytes) }, format: .svg, isLegacy: false)
        case nil: throw unsupported
        }
    }

    /// Runs an SVG operation, keeping its `BakingError` typed.
    static func svg<T>(_ body: () throws -> T) throws(BakingError) -> T {
        do { return try body() } catch let e as BakingError { throw e } catch {
            throw BakingError(.malformedImage, fr: "SVG illisible : \(error)", en: "unreadable SVG: \(error)")
        }
    }

    static let unsupported = BakingError(
        .unsupportedFormat, fr: "format d'image non pris en charge (PNG ou SVG attendu)",
        en: "unsupported image format (PNG or SVG expected)")
}
