/// One PNG chunk: a four-letter type and its data (length and CRC are derived).
public struct PNGChunk: Sendable, Equatable {
    /// The chunk type, four ASCII letters (e.g. "IHDR", "iTXt").
    public var type: String
    /// The chunk data (without length, type or CRC).
    public var data: [UInt8]

    /// Creates a chunk; `type` should be four ASCII letters (see `hasValidType`).
    public init(type: String, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    /// True when the type's first letter is uppercase (a critical chunk such as IHDR, IDAT, IEND).
    public var isCritical: Bool {
        guard let first = type.utf8.first else { return false }
        return first & 0x20 == 0
    }

    /// True when the type is exactly four ASCII letters.
    public var hasValidType: Bool {
        let bytes = Array(type.utf8)
        return bytes.count == 4 && bytes.allSatisfy(PNGChunk.isTypeLetter)
    }

    /// The four type bytes written on serialization (other types are truncated/padded with "?").
    var typeBytes: (UInt8, UInt8, UInt8, UInt8) {
        var it = type.utf8.makeIterator()
        return (it.next() ?? 0x3F, it.next() ?? 0x3F, it.next() ?? 0x3F, it.next() ?? 0x3F)
    }

    /// length (big-endian) + type + data + CRC-32 of type and data.
    public func serialized() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(data.count + 12)
        appendSerialized(to: &out)
        return out
    }

    /// Appends the serialized chunk to `out`.
    func appendSerialized(to out: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: data.count)
        let t = typeBytes
        let typeArray = [t.0, t.1, t.2, t.3]
        var crc = typeArray.withUnsafeBytes { CRC32.update(0, with: $0) }
        crc = data.withUnsafeBytes { CRC32.update(crc, with: $0) }
        out.append(contentsOf: bigEndianBytes(length))
        out.append(contentsOf: typeArray)
        out.append(contentsOf: data)
        out.append(contentsOf: bigEndianBytes(crc))
    }

    /// ASCII A–Z or a–z.
    @inline(__always)
    static func isTypeLetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}

/// The four big-endian bytes of a 32-bit value.
@inline(__always)
func bigEndianBytes(_ v: UInt32) -> [UInt8] {
    [
        UInt8(truncatingIfNeeded: v >> 24), UInt8(truncatingIfNeeded: v >> 16),
        UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v),
    ]
}

/// Hex text of a 32-bit value, e.g. 0x6F199C94.
func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
