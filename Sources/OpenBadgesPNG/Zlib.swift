import CPNGShims

/// CRC-32 as used by PNG, zlib and gzip (reflected polynomial 0xEDB88320): carry-less multiply folding on
/// x86-64 CPUs that have it, zlib otherwise.
public enum CRC32 {
    /// CRC-32 of the bytes (check value: "123456789" → 0xCBF43926).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { update(0, with: UnsafeRawBufferPointer($0)) }
    }

    /// CRC-32 of any byte collection (contiguous storage is used directly when available).
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let crc = bytes.withContiguousStorageIfAvailable({ update(0, with: UnsafeRawBufferPointer($0)) }) {
            return crc
        }
        return checksum(Array(bytes))
    }

    /// Continues a CRC-32 (start from 0) over more bytes.
    public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return insigne_crc32_fast(crc, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// The same CRC computed by zlib alone (reference for tests).
    public static func zlibChecksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { return 0 }
            return insigne_crc32(0, base, b.count)
        }
    }

    /// True when the carry-less multiply path is used on this CPU.
    public static var usesCarryLessMultiply: Bool { insigne_crc32_uses_pclmul() == 1 }
}

/// zlib helpers: compression (text chunks, images, test PDFs), a bounded inflate (PDF streams) and gzip
/// (status lists).
public enum Zlib {
    /// zlib-compresses bytes (level 0–9, -1 = default).
    public static func deflate(_ bytes: [UInt8], level: Int32 = -1) throws(PNGError) -> [UInt8] {
        let bound = insigne_deflate_bound(bytes.count)
        var status: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { buffer, initialized in
            var outLen = buffer.count
            status = bytes.withUnsafeBufferPointer { src in
                insigne_deflate(src.baseAddress, src.count, buffer.baseAddress, &outLen, level)
            }
            initialized = status == INSIGNE_OK ? outLen : 0
        }
        guard status == INSIGNE_OK else {
            throw PNGError(.decodeFailed, "zlib compression failed (status \(status))")
        }
        return out
    }

    /// Inflates a complete zlib stream: `.tooLarge` beyond `maxBytes` of output, `.decodeFailed` when corrupt.
    public static func inflate(_ bytes: some Collection<UInt8>, maxBytes: Int) throws(PNGError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var outLen = 0
        var msg = [CChar](repeating: 0, count: 256)
        let cap = max(0, maxBytes)
        let status: Int32 = msg.withUnsafeMutableBufferPointer { msgBuf in
            let run: (UnsafeBufferPointer<UInt8>) -> Int32 = { src in
                insigne_inflate(src.baseAddress, src.count, cap, &out, &outLen, msgBuf.baseAddress, msgBuf.count)
            }
            if let s = bytes.withContiguousStorageIfAvailable(run) { return s }
            return Array(bytes).withUnsafeBufferPointer(run)
        }
        defer { insigne_free(out) }
        guard status == INSIGNE_OK else {
            let text = cMessage(msg)
            if status == INSIGNE_ERR_LIMIT {
                throw PNGError(.tooLarge, "zlib data inflates to more than \(cap) bytes")
            }
            throw PNGError(.decodeFailed, "zlib inflate failed: \(text)")
        }
        guard let out, outLen > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: out, count: outLen))
    }

    /// Inflates a complete single-member gzip stream (RFC 1952; header, CRC-32 and size checked by zlib):
    /// `.tooLarge` beyond `maxBytes` of output, `.decodeFailed` when corrupt or not gzip.
    public static func gunzip(_ bytes: some Collection<UInt8>, maxBytes: Int) throws(PNGError) -> [UInt8] {
        try inflate(bytes, maxBytes: maxBytes, windowBits: 31)
    }

    /// gzip-compresses bytes (a single member, no file name): the raw deflate data of `deflate` framed by the
    /// RFC 1952 header and trailer.
    public static func gzip(_ bytes: [UInt8], level: Int32 = -1) throws(PNGError) -> [UInt8] {
        let z = try deflate(bytes, level: level)
        let raw = z.dropFirst(2).dropLast(4)
        let crc = CRC32.checksum(bytes)
        let size = UInt32(truncatingIfNeeded: bytes.count)
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += raw
        for v in [crc, size] { out += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return out
    }

    static func inflate(_ bytes: some Collection<UInt8>, maxBytes: Int, windowBits: Int32) throws(PNGError)
        -> [UInt8]
    {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var outLen = 0
        var msg = [CChar](repeating: 0, count: 256)
        let cap = max(0, maxBytes)
        let status: Int32 = msg.withUnsafeMutableBufferPointer { msgBuf in
            let run: (UnsafeBufferPointer<UInt8>) -> Int32 = { src in
                insigne_inflate_window(
                    src.baseAddress, src.count, cap, &out, &outLen, msgBuf.baseAddress, msgBuf.count, windowBits)
            }
            if let s = bytes.withContiguousStorageIfAvailable(run) { return s }
            return Array(bytes).withUnsafeBufferPointer(run)
        }
        defer { insigne_free(out) }
        guard status == INSIGNE_OK else {
            if status == INSIGNE_ERR_LIMIT {
                throw PNGError(.tooLarge, "compressed data inflates to more than \(cap) bytes")
            }
            throw PNGError(.decodeFailed, "inflate failed: \(cMessage(msg))")
        }
        guard let out, outLen > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: out, count: outLen))
    }
}

/// Reads a C message buffer.
func cMessage(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
