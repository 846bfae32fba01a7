/// Limits applied while parsing a PNG datastream.
public struct PNGLimits: Sendable {
    /// Largest accepted input, in bytes (default 8 MiB).
    public var maxFileBytes: Int
    /// Largest accepted number of chunks (default 10 000).
    public var maxChunks: Int

    /// Creates limits.
    public init(maxFileBytes: Int = 8 * 1024 * 1024, maxChunks: Int = 10_000) {
        self.maxFileBytes = maxFileBytes
        self.maxChunks = maxChunks
    }

    /// 8 MiB, 10 000 chunks.
    public static let `default` = PNGLimits()
}

/// A PNG file as its signature plus a list of chunks, parsed and serialized byte for byte.
public struct PNGDatastream: Sendable, Equatable {
    /// The eight-byte PNG signature 89 50 4E 47 0D 0A 1A 0A.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The chunks in file order (IHDR first, IEND last in a parsed stream).
    public var chunks: [PNGChunk]

    /// Wraps a chunk list (not checked; see `init(parsing:limits:)` for a checked stream).
    public init(chunks: [PNGChunk]) {
        self.chunks = chunks
    }

    /// Parses and checks structure: signature, every chunk's length (≤ 2^31−1 and within the remaining bytes), chunk type letters, EVERY CRC, IHDR first with 13 bytes, IEND last with empty data, nothing after IEND, limits.
    public init(parsing bytes: [UInt8], limits: PNGLimits = .default) throws(PNGError) {
        var chunks: [PNGChunk] = []
        try bytes.withUnsafeBufferPointer { (buf) throws(PNGError) in
            try PNGDatastream.walk(buf, limits: limits) { (raw) throws(PNGError) in
                chunks.append(PNGChunk(type: raw.type, data: Array(buf[raw.data])))
            }
        }
        self.chunks = chunks
    }

    /// Checks the whole structure like `init(parsing:limits:)` (every CRC) but copies only the chunks whose type
    /// `keep` accepts, e.g. the text chunks when looking for badge data.
    public static func chunks(
        in bytes: [UInt8], limits: PNGLimits = .default, keeping keep: (String) -> Bool
    ) throws(PNGError) -> [PNGChunk] {
        var chunks: [PNGChunk] = []
        try bytes.withUnsafeBufferPointer { (buf) throws(PNGError) in
            try PNGDatastream.walk(buf, limits: limits) { (raw) throws(PNGError) in
                if keep(raw.type) { chunks.append(PNGChunk(type: raw.type, data: Array(buf[raw.data]))) }
            }
        }
        return chunks
    }

    /// Checks the same structure as `init(parsing:limits:)` without copying chunk data; returns the IHDR fields.
    public static func checkStructure(_ bytes: [UInt8], limits: PNGLimits = .default) throws(PNGError) -> PNGImageInfo {
        var info: PNGImageInfo?
        try bytes.withUnsafeBufferPointer { (buf) throws(PNGError) in
            try PNGDatastream.walk(buf, limits: limits) { (raw) throws(PNGError) in
                if raw.index == 0 { info = PNGImageInfo(ihdr: buf[raw.data]) }
            }
        }
        guard let info else { throw PNGError(.missingIHDR, "no IHDR chunk") }
        return info
    }

    /// Signature followed by every chunk serialized (length, type, data, freshly computed CRC).
    public func serialized() -> [UInt8] {
        var total = PNGDatastream.signature.count
        for chunk in chunks { total += chunk.data.count + 12 }
        var out = [UInt8]()
        out.reserveCapacity(total)
        out.append(contentsOf: PNGDatastream.signature)
        for chunk in chunks { chunk.appendSerialized(to: &out) }
        return out
    }

    /// The IHDR fields of the first chunk, if it is a 13-byte IHDR.
    public var header: PNGImageInfo? {
        guard let first = chunks.first, first.type == "IHDR", first.data.count == 13 else { return nil }
        return PNGImageInfo(ihdr: first.data[...])
    }

    /// All chunks of the given type, in file order.
    public func chunks(ofType type: String) -> [PNGChunk] {
        chunks.filter { $0.type == type }
    }

    /// A chunk located in the input buffer during a walk.
    struct RawChunk {
        /// Position in the chunk list.
        let index: Int
        /// Byte offset of the chunk's length field.
        let offset: Int
        /// Four-letter type.
        let type: String
        /// Range of the data bytes in the input.
        let data: Range<Int>
    }

    /// Walks and checks every chunk of a PNG buffer, calling `body` for each valid chunk.
    static func walk(
        _ buf: UnsafeBufferPointer<UInt8>,
        limits: PNGLimits,
        _ body: (RawChunk) throws(PNGError) -> Void
    ) throws(PNGError) {
        let count = buf.count
        if count > limits.maxFileBytes {
            throw PNGError(.tooLarge, "input is \(count) bytes, the limit is \(limits.maxFileBytes)")
        }
        if count == 0 {
            throw PNGError(.notPNG, "input is empty, not a PNG file", offset: 0)
        }
        let sig = PNGDatastream.signature
        for i in 0..<min(8, count) where buf[i] != sig[i] {
            throw PNGError(.notPNG, "input does not start with the PNG signature (byte \(i) differs)", offset: i)
        }
        if count < 8 {
            throw PNGError(.truncated, "input ends inside the PNG signature after \(count) bytes", offset: count)
        }

        var pos = 8
        var index = 0
        var sawIEND = false
        while pos < count {
            if sawIEND {
                throw PNGError(
                    .dataAfterIEND, "\(count - pos) bytes follow the IEND chunk at offset \(pos)",
                    chunkType: "IEND", offset: pos)
            }
            if index >= limits.maxChunks {
                throw PNGError(
                    .tooManyChunks, "more than \(limits.maxChunks) chunks (chunk \(index + 1) at offset \(pos))",
                    offset: pos)
            }
            let remaining = count - pos
            if remaining < 8 {
                throw PNGError(
                    .truncated, "input ends inside a chunk header at offset \(pos) (\(remaining) of 8 bytes present)",
                    offset: pos)
            }
            let length =
                UInt32(buf[pos]) << 24 | UInt32(buf[pos + 1]) << 16 | UInt32(buf[pos + 2]) << 8 | UInt32(buf[pos + 3])
            let t0 = buf[pos + 4]
            let t1 = buf[pos + 5]
            let t2 = buf[pos + 6]
            let t3 = buf[pos + 7]
            guard PNGChunk.isTypeLetter(t0), PNGChunk.isTypeLetter(t1),
                PNGChunk.isTypeLetter(t2), PNGChunk.isTypeLetter(t3)
            else {
                let shown = [t0, t1, t2, t3].map { b in
                    (0x20...0x7E).contains(b) ? String(Character(Unicode.Scalar(b))) : "\\x" + String(b, radix: 16)
                }.joined()
                throw PNGError(
                    .invalidChunkType, "chunk at offset \(pos) has invalid type \"\(shown)\" (must be 4 ASCII letters)",
                    offset: pos)
            }
            let type = String(unsafeUninitializedCapacity: 4) { b in
                (b[0], b[1], b[2], b[3]) = (t0, t1, t2, t3)
                return 4
            }
            if length > 0x7FFF_FFFF {
                throw PNGError(
                    .chunkTooLarge, "\(type) chunk at offset \(pos) declares length \(length), above 2^31-1",
                    chunkType: type, offset: pos)
            }
            let len = Int(length)
            if remaining < 12 || len > remaining - 12 {
                throw PNGError(
                    .truncated,
                    "\(type) chunk at offset \(pos) declares \(len) data bytes; with its CRC that needs \(len + 4) bytes after the header but only \(remaining - 8) remain",
                    chunkType: type, offset: pos)
            }
            let dataStart = pos + 8
            let dataEnd = dataStart + len
            let stored =
                UInt32(buf[dataEnd]) << 24 | UInt32(buf[dataEnd + 1]) << 16 | UInt32(buf[dataEnd + 2]) << 8
                | UInt32(buf[dataEnd + 3])
            let computed = CRC32.update(
                0, with: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buf[(pos + 4)..<dataEnd])))
            if stored != computed {
                throw PNGError(
                    .badCRC,
                    "\(type) chunk at offset \(pos) has CRC \(hex32(stored)), expected \(hex32(computed))",
                    chunkType: type, offset: pos)
            }
            if index == 0 {
                if type != "IHDR" {
                    throw PNGError(
                        .missingIHDR, "first chunk (offset \(pos)) is \(type), not IHDR", chunkType: type, offset: pos)
                }
                if len != 13 {
                    throw PNGError(
                        .invalidIHDR, "IHDR chunk at offset \(pos) has \(len) data bytes, expected 13",
                        chunkType: type, offset: pos)
                }
            } else if type == "IHDR" {
                throw PNGError(.invalidIHDR, "second IHDR chunk at offset \(pos)", chunkType: type, offset: pos)
            }
            if type == "IEND" {
                if len != 0 {
                    throw PNGError(
                        .missingIEND, "IEND chunk at offset \(pos) has \(len) data bytes, it must be empty",
                        chunkType: type, offset: pos)
                }
                sawIEND = true
            }
            try body(RawChunk(index: index, offset: pos, type: type, data: dataStart..<dataEnd))
            pos = dataEnd + 4
            index += 1
        }
        if index == 0 {
            throw PNGError(.missingIHDR, "no chunks after the PNG signature", offset: 8)
        }
        if !sawIEND {
            throw PNGError(.missingIEND, "input ends at offset \(count) without an IEND chunk", offset: count)
        }
    }
}
