import OpenBadgesPNG

/// Bakes Open Badges data into PNG images and extracts it (Baking Specification 1.0, DIGEST §3.1).
public enum PNGBaker {
    /// The OB 2.0 iTXt keyword.
    public static let keyword = "openbadges"

    /// Inserts one uncompressed iTXt `openbadges` chunk right after IHDR, replacing any earlier badge chunk
    /// (iTXt or legacy tEXt). The carrier is first decoded with libpng (valid, sane size); other chunks are
    /// copied byte for byte.
    public static func bake(png: [UInt8], text: String, limits: PNGImageLimits = .default) throws(BakingError) -> [UInt8] {
        guard !text.isEmpty else {
            throw BakingError(.invalidPayload, fr: "rien à intégrer dans l'image", en: "nothing to bake into the image")
        }
        let stream: PNGDatastream
        do {
            _ = try PNGImageValidator.validate(png, limits: limits)
            stream = try PNGDatastream(parsing: png, limits: PNGLimits(maxFileBytes: limits.maxBytes))
        } catch {
            throw PNGBaker.bakingError(error)
        }
        var chunks: [PNGChunk] = []
        chunks.reserveCapacity(stream.chunks.count + 1)
        for (n, chunk) in stream.chunks.enumerated() {
            if n > 0, isBadgeChunk(chunk) { continue }
            chunks.append(chunk)
            if n == 0 {
                chunks.append(PNGChunk(type: "iTXt", data: InternationalTextChunk(keyword: keyword, text: text).chunkData()))
            }
        }
        return PNGDatastream(chunks: chunks).serialized()
    }

    /// Extracts the badge text. Every CRC is checked; the iTXt chunk may be anywhere between IHDR and IEND.
    /// Two `openbadges` iTXt chunks or a compressed one violate the baking MUST NOTs and are refused.
    /// A legacy `tEXt` chunk (pre-1.0 baking, a hosted assertion URL) is returned with `isLegacy`.
    public static func unbake(png: [UInt8]) throws(BakingError) -> (text: String, isLegacy: Bool) {
        let stream: PNGDatastream
        do {
            stream = try PNGDatastream(parsing: png)
        } catch {
            throw PNGBaker.bakingError(error)
        }
        var found: InternationalTextChunk?
        var legacy: String?
        for chunk in stream.chunks {
            if chunk.type == "iTXt", chunk.data.starts(with: keywordPrefix) {
                let t: InternationalTextChunk
                do { t = try InternationalTextChunk(chunkData: chunk.data) } catch {
                    throw BakingError(
                        .malformedImage, fr: "bloc iTXt « openbadges » mal formé : \(error)",
                        en: "malformed iTXt \"openbadges\" chunk: \(error)")
                }
                guard t.keyword == keyword else { continue }
                if found != nil {
                    throw BakingError(
                        .nonConformant,
                        fr: "l'image contient plusieurs blocs iTXt « openbadges » (interdit par la spécification)",
                        en: "the image holds more than one iTXt \"openbadges\" chunk (forbidden by the specification)")
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
                    fr: "le bloc « openbadges » est compressé (interdit par la spécification de cuisson)",
                    en: "the \"openbadges\" chunk is compressed (forbidden by the baking specification)")
            }
            do {
                let text = try found.text()
                guard !text.isEmpty else {
                    throw BakingError(.notBaked, fr: "le bloc « openbadges » est vide", en: "the \"openbadges\" chunk is empty")
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

    static func isBadgeChunk(_ chunk: PNGChunk) -> Bool {
        (chunk.type == "iTXt" || chunk.type == "tEXt") && chunk.data.starts(with: keywordPrefix)
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
