import OpenBadgesPNG
import Testing

struct TextChunkTests {
    @Test func languageTagAndTranslatedKeyword() throws {
        let data: [UInt8] =
            Array("openbadges".utf8) + [0, 0, 0] + Array("en-GB".utf8) + [0]
            + Array("Abzeichen ü".utf8) + [0] + Array("{\"a\":1}".utf8)
        let itxt = try InternationalTextChunk(chunkData: data)
        #expect(itxt.keyword == "openbadges")
        #expect(itxt.languageTag == "en-GB")
        #expect(itxt.translatedKeyword == "Abzeichen ü")
        #expect(try itxt.text() == "{\"a\":1}")
        #expect(itxt.chunkData() == data)
    }

    @Test func languageTagFixture() throws {
        let stream = try PNGDatastream(parsing: Fixtures.bytes("images", "baked-itxt-language-tag.png"))
        let itxt = try InternationalTextChunk(chunk: #require(stream.chunks(ofType: "iTXt").first))
        #expect(itxt.languageTag == "en-GB")
        #expect(itxt.translatedKeyword == "Abzeichen ü")
        #expect(try itxt.text().contains("Assertion"))
    }

    @Test func textMayContainNULsAndBeEmpty() throws {
        let empty = try InternationalTextChunk(chunkData: Array("k".utf8) + [0, 0, 0, 0, 0])
        #expect(try empty.text() == "")
        let nul = try InternationalTextChunk(chunkData: Array("k".utf8) + [0, 0, 0, 0, 0, 0x61, 0, 0x62])
        #expect(nul.textBytes == [0x61, 0, 0x62])
    }

    @Test func compressedRoundTrip() throws {
        let text = String(repeating: "{\"badge\":\"é✓\"}", count: 200)
        let itxt = try InternationalTextChunk(
            keyword: "openbadges", languageTag: "fr", translatedKeyword: "badges ouverts",
            text: text, compressed: true)
        #expect(itxt.isCompressed)
        #expect(itxt.textBytes.count < text.utf8.count)
        let data = itxt.chunkData()
        #expect(data[10] == 0 && data[11] == 1 && data[12] == 0)
        let parsed = try InternationalTextChunk(chunkData: data)
        #expect(parsed == itxt)
        #expect(try parsed.text() == text)
        // Output cap on inflation.
        #expect(errorCode { () throws(PNGError) in try parsed.text(maxBytes: 100) } == .invalidTextChunk)
    }

    @Test func uncompressedValidatingInit() throws {
        let itxt = try InternationalTextChunk(keyword: "openbadges", text: "abc", compressed: false)
        #expect(itxt == InternationalTextChunk(keyword: "openbadges", text: "abc"))
        #expect(
            errorCode { () throws(PNGError) in try InternationalTextChunk(keyword: " bad", text: "", compressed: false)
            } == .invalidTextChunk)
        #expect(
            errorCode { () throws(PNGError) in
                try InternationalTextChunk(keyword: "ok", languageTag: "é", text: "", compressed: false)
            } == .invalidTextChunk)
    }

    @Test(
        arguments: [
            ("empty data", [UInt8]()),
            ("no NUL", Array("openbadges".utf8)),
            ("empty keyword", [0, 0, 0, 0, 0]),
            ("80-byte keyword", [UInt8](repeating: 0x61, count: 80) + [0, 0, 0, 0, 0]),
            ("leading space", Array(" ob".utf8) + [0, 0, 0, 0, 0]),
            ("trailing space", Array("ob ".utf8) + [0, 0, 0, 0, 0]),
            ("double space", Array("o  b".utf8) + [0, 0, 0, 0, 0]),
            ("control char", Array("o\u{7}b".utf8) + [0, 0, 0, 0, 0]),
            ("byte 0x80", [0x6F, 0x80, 0, 0, 0, 0, 0]),
            ("no flag", Array("ob".utf8) + [0]),
            ("no method", Array("ob".utf8) + [0, 0]),
            ("flag 2", Array("ob".utf8) + [0, 2, 0, 0, 0]),
            ("flag 255", Array("ob".utf8) + [0, 255, 0, 0, 0]),
            ("compressed method 1", Array("ob".utf8) + [0, 1, 1, 0, 0]),
            ("no language NUL", Array("ob".utf8) + [0, 0, 0] + Array("en".utf8)),
            ("no translated NUL", Array("ob".utf8) + [0, 0, 0, 0] + Array("x".utf8)),
            ("non-ASCII language", Array("ob".utf8) + [0, 0, 0, 0xC3, 0xA9, 0, 0]),
            ("bad UTF-8 translated keyword", Array("ob".utf8) + [0, 0, 0, 0, 0xFF, 0]),
        ] as [(String, [UInt8])])
    func invalidITXt(label: String, data: [UInt8]) {
        #expect(
            errorCode { () throws(PNGError) in try InternationalTextChunk(chunkData: data) } == .invalidTextChunk,
            "\(label)")
    }

    @Test func latin1KeywordAccepted() throws {
        let itxt = try InternationalTextChunk(chunkData: [0x6F, 0xE9, 0, 0, 0, 0, 0])
        #expect(itxt.keyword == "oé")
        #expect(itxt.chunkData() == [0x6F, 0xE9, 0, 0, 0, 0, 0])
        #expect(InternationalTextChunk.isValidKeyword("openbadges"))
        #expect(!InternationalTextChunk.isValidKeyword("open\u{2713}"))
    }

    @Test func invalidUTF8TextFailsOnText() throws {
        let itxt = try InternationalTextChunk(chunkData: Array("ob".utf8) + [0, 0, 0, 0, 0, 0xC3, 0x28])
        #expect(errorCode { () throws(PNGError) in try itxt.text() } == .invalidTextChunk)
    }

    @Test func latinTextRoundTrip() throws {
        let chunk = LatinTextChunk(keyword: "openbadges", text: "https://example.org/assertions/123?é")
        let data = chunk.chunkData()
        #expect(data.count == 10 + 1 + 36)
        #expect(data.last == 0xE9)
        let parsed = try LatinTextChunk(chunkData: data)
        #expect(parsed == chunk)
        let pngChunk = chunk.chunk()
        #expect(pngChunk.type == "tEXt")
        #expect(try LatinTextChunk(chunk: pngChunk) == chunk)
    }

    @Test func invalidLatinText() {
        for data: [UInt8] in [
            [], Array("ob".utf8), [0, 0x61], Array("ob".utf8) + [0, 0x61, 0, 0x62], Array("a  b".utf8) + [0],
        ] {
            #expect(errorCode { () throws(PNGError) in try LatinTextChunk(chunkData: data) } == .invalidTextChunk)
        }
        #expect(
            errorCode { () throws(PNGError) in try LatinTextChunk(chunk: PNGChunk(type: "iTXt", data: [0x61, 0])) }
                == .invalidTextChunk)
    }
}
