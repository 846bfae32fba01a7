import OpenBadgesPNG

/// Bakes Open Badges data into PNG images and extracts it (Baking Specification 1.0, DIGEST §3.1).
public enum PNGBaker {
    /// The OB 2.0 iTXt keyword.
    public static let keyword = "openbadges"

    /// Inserts one uncompressed iTXt `openbadges` chunk right after IHDR, replacing any earlier badge chunk
    /// (iTXt or legacy tEXt). The carrier is first decoded with libpng (valid, sane size); other chunks are
    /// copied byte for byte.
    public static func bake(
        png: [UInt8], text: String, keyword: String = keyword, limits: PNGImageLimits = .default
    ) throws(BakingError) -> [UInt8] {
        try PreparedPNG(png, limits: limits).bake(text, keyword: keyword)
    }

    /// Extracts the badge text. Every CRC is checked; the iTXt chunk may be anywhere between IHDR and IEND.
    /// Two `openbadges` iTXt chunks or a compressed one violate the baking MUST NOTs and are refused.
    /// A legacy `tEXt` chunk (pre-1.0 baking, a hosted assertion URL) is returned with `isLegacy`.
    public static func unbake(png: [UInt8]) throws(BakingError) -> (text: String, isLegacy: Bool) {
        let textChunks: [PNGChunk]
        do {
            textChunks = try PNGDatastream.chunks(in: png) { $0 == "iTXt" || $0 == "tEXt" }
        } catch {
            throw PNGBaker.bakingError(error)
        }
        var found: InternationalTextChunk?
        var legacy: String?
        for chunk in textChunks {
            if chunk.type == "iTXt",
                chunk.data.starts(with: keywordPrefix) || chunk.data.starts(with: credentialKeywordPrefix)
            {
                let t: InternationalTextChunk
                do { t = try InternationalTextChunk(chunkData: chunk.data) } catch {
                    throw BakingError(
                        .malformedImage, fr: "bloc iTXt « openbadges » mal formé : \(error)",
                        en: "malformed iTXt \"openbadges\" chunk: \(error)")
                }
                guard t.keyword == keyword || t.keyword == credentialKeyword else { continue }
                if found != nil {
                    throw BakingError(
                        .nonConformant,
                        fr: "l'image contient plusieurs blocs iTXt « \(t.keyword) » (interdit par la spécification)",
                        en: "the image holds more than one iTXt \"\(t.keyword)\" chunk (forbidden by the specification)"
                    )
                }
                found = t
            } else if chunk.type == "tEXt", chunk.data.starts(with: keywordPrefix), legacy == nil,
                let t = try? LatinTextChunk(chunkData: chunk.data), t.keyword == keyword
            {
                legacy = t.text
            }
        }
        if let found {
            guard !found.isCompressed else {
                throw BakingError(
                    .nonConformant,
                    fr: "le bloc « \(found.keyword) » est compressé (interdit par la spécification de cuisson)",
                    en: "the \"\(found.keyword)\" chunk is compressed (forbidden by the baking specification)")
            }
            do {
                let text = try found.text()
                guard !text.isEmpty else {
                    throw BakingError(
                        .notBaked, fr: "le bloc « openbadges » est vide", en: "the \"openbadges\" chunk is empty")
                }
                return (text, false)
            } catch let e as BakingError {
                throw e
            } catch {
                throw BakingError(
                    .malformedImage, fr: "texte du bloc « openbadges » illisible (UTF-8 invalide)",
                    en: "unreadable \"openbadges\" text (invalid UTF-8)")
            }
        }
        if let legacy, !legacy.isEmpty { return (legacy, true) }
        throw BakingError(
            .notBaked, fr: "cette image PNG ne contient aucun badge", en: "this PNG image holds no badge")
    }

    static let keywordPrefix: [UInt8] = Array("openbadges".utf8) + [0]
    /// The OB 3.0 iTXt keyword (one uncompressed chunk holding the JWT or the JSON credential).
    public static let credentialKeyword = "openbadgecredential"
    static let credentialKeywordPrefix: [UInt8] = Array("openbadgecredential".utf8) + [0]

    static func isBadgeChunk(_ chunk: PNGChunk) -> Bool {
        (chunk.type == "iTXt" || chunk.type == "tEXt")
            && (chunk.data.starts(with: keywordPrefix) || chunk.data.starts(with: credentialKeywordPrefix))
    }

    static func bakingError(_ e: PNGError) -> BakingError {
        switch e.code {
        case .tooLarge, .dimensionsTooLarge, .tooManyChunks:
            BakingError(.imageTooLarge, fr: "image trop grande : \(e.message)", en: "image too large: \(e.message)")
        case .notPNG:
            BakingError(.unsupportedFormat, fr: "ce n'est pas une image PNG", en: "not a PNG image")
        default:
            BakingError(.malformedImage, fr: "image PNG invalide : \(e.message)", en: "invalid PNG image: \(e.message)")
        }
    }
}

/// A carrier PNG checked once (libpng decode, structure, limits) and split around the badge chunk's place,
/// so that each bake only writes the new iTXt chunk between two byte copies. Badge-class images are prepared
/// when they are stored and baked on request.
public struct PreparedPNG: Sendable {
    /// PNG signature and IHDR chunk, byte for byte.
    let head: [UInt8]
    /// Every chunk after IHDR except earlier badge chunks, byte for byte.
    let tail: [UInt8]
    /// Width, height and format of the image.
    public let info: PNGImageInfo

    /// Validates `png` and prepares it for baking.
    public init(_ png: [UInt8], limits: PNGImageLimits = .default) throws(BakingError) {
        let stream: PNGDatastream
        do {
            info = try PNGImageValidator.validate(png, limits: limits)
            stream = try PNGDatastream(parsing: png, limits: PNGLimits(maxFileBytes: limits.maxBytes))
        } catch {
            throw PNGBaker.bakingError(error)
        }
        head = PNGDatastream.signature + stream.chunks[0].serialized()
        var tail: [UInt8] = []
        tail.reserveCapacity(png.count)
        for chunk in stream.chunks.dropFirst() where !PNGBaker.isBadgeChunk(chunk) {
            tail.append(contentsOf: chunk.serialized())
        }
        self.tail = tail
    }

    /// The image with `text` baked in an uncompressed iTXt `openbadges` chunk right after IHDR.
    public func bake(_ text: String, keyword: String = PNGBaker.keyword) throws(BakingError) -> [UInt8] {
        guard !text.isEmpty else {
            throw BakingError(.invalidPayload, fr: "rien à intégrer dans l'image", en: "nothing to bake into the image")
        }
        let chunk = PNGChunk(
            type: "iTXt", data: InternationalTextChunk(keyword: keyword, text: text).chunkData()
        )
        .serialized()
        var out: [UInt8] = []
        out.reserveCapacity(head.count + chunk.count + tail.count)
        out.append(contentsOf: head)
        out.append(contentsOf: chunk)
        out.append(contentsOf: tail)
        return out
    }
}
