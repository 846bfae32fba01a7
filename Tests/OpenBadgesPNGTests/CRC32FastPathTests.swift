import OpenBadgesPNG
import Testing

/// The folded (PCLMULQDQ) CRC must equal zlib's for every length, offset and content.
struct CRC32FastPathTests {
    @Test(arguments: [0, 1, 15, 16, 63, 64, 65, 79, 80, 127, 128, 129, 255, 1000, 4096, 4097, 16_636, 65_537])
    func matchesZlibForEveryLength(length: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(length)
        func next() -> UInt8 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        let bytes = (0..<(length + 7)).map { _ in next() }
        for offset in 0..<8 where offset + length <= bytes.count {
            let slice = Array(bytes[offset..<(offset + length)])
            #expect(CRC32.checksum(slice) == CRC32.zlibChecksum(slice), "length \(length) offset \(offset)")
        }
    }

    @Test func knownVectorsOnLongInputs() {
        #expect(CRC32.checksum(Array(repeating: 0, count: 4096)) == 0xC71C_0011)
        #expect(
            CRC32.checksum(Array(repeating: 0xFF, count: 256)) == CRC32.zlibChecksum(Array(repeating: 0xFF, count: 256))
        )
        let text = Array(String(repeating: "123456789", count: 20).utf8)
        #expect(CRC32.checksum(text) == CRC32.zlibChecksum(text))
    }
}
