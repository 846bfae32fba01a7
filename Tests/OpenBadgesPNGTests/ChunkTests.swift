import OpenBadgesPNG
import Testing

struct CRCTests {
    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func incrementalMatchesOneShot() {
        let a = Array("1234".utf8)
        let b = Array("56789".utf8)
        let part = a.withUnsafeBytes { CRC32.update(0, with: $0) }
        let whole = b.withUnsafeBytes { CRC32.update(part, with: $0) }
        #expect(whole == 0xCBF4_3926)
    }

    @Test func iendCRC() {
        #expect(
            PNGChunk(type: "IEND", data: []).serialized() == [
                0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
            ])
    }
}

struct ChunkTests {
    static let openbadgesVector = Fixtures.hex(
        """
        00 00 00 27 69 54 58 74 6f 70 65 6e 62 61 64 67 65 73 00 00 00 00 00
        68 65 61 64 65 72 2e 70 61 79 6c 6f 61 64 2e 73 69 67 6e 61 74 75 72 65  6f 19 9c 94
        """)
    static let credentialVector = Fixtures.hex(
        """
        00 00 00 30 69 54 58 74 6f 70 65 6e 62 61 64 67 65 63 72 65 64 65 6e 74 69 61 6c 00 00 00 00 00
        68 65 61 64 65 72 2e 70 61 79 6c 6f 61 64 2e 73 69 67 6e 61 74 75 72 65  99 ca 68 8f
        """)

    @Test func openbadgesITXtVector() throws {
        let chunk = InternationalTextChunk(keyword: "openbadges", text: "header.payload.signature").chunk()
        let bytes = chunk.serialized()
        #expect(bytes == Self.openbadgesVector)
        #expect(bytes.count == 39 + 12)
        #expect(Array(bytes.suffix(4)) == [0x6F, 0x19, 0x9C, 0x94])
        #expect(Array(chunk.data.prefix(15)) == Array("openbadges".utf8) + [0, 0, 0, 0, 0])
    }

    @Test func credentialITXtVector() throws {
        let chunk = InternationalTextChunk(keyword: "openbadgecredential", text: "header.payload.signature").chunk()
        #expect(chunk.serialized() == Self.credentialVector)
        #expect(chunk.data.count == 48)
    }

    @Test func parseVectorBack() throws {
        let data = Array(Self.openbadgesVector[8..<(Self.openbadgesVector.count - 4)])
        let itxt = try InternationalTextChunk(chunkData: data)
        #expect(itxt.keyword == "openbadges")
        #expect(!itxt.isCompressed)
        #expect(itxt.languageTag == "")
        #expect(itxt.translatedKeyword == "")
        #expect(try itxt.text() == "header.payload.signature")
        #expect(itxt.chunkData() == data)
    }

    @Test func criticality() {
        #expect(PNGChunk(type: "IHDR", data: []).isCritical)
        #expect(PNGChunk(type: "IDAT", data: []).isCritical)
        #expect(!PNGChunk(type: "iTXt", data: []).isCritical)
        #expect(!PNGChunk(type: "tEXt", data: []).isCritical)
        #expect(PNGChunk(type: "iTXt", data: []).hasValidType)
        #expect(!PNGChunk(type: "iTX", data: []).hasValidType)
        #expect(!PNGChunk(type: "iT1t", data: []).hasValidType)
    }

    @Test func oddTypeSerializesWithoutCrashing() {
        #expect(PNGChunk(type: "", data: [1]).serialized().count == 13)
        #expect(PNGChunk(type: "verylong", data: []).serialized().count == 12)
    }
}
