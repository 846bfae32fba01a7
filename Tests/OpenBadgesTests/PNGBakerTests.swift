import Foundation
import OpenBadges
import OpenBadgesPNG
import TestSupport
import Testing

/// PNG baking at byte level (DIGEST §3.1).
struct PNGBakerTests {
    static func image(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/\(name)")))
    }

    static func malformed(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("malformed/\(name)")))
    }

    /// Raw chunks of a PNG as (type, the complete serialized chunk bytes), without trusting the library.
    static func rawChunks(_ png: [UInt8]) -> [(type: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 8
        while i + 12 <= png.count {
            let n = Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3])
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            out.append((type, Array(png[i..<(i + 12 + n)])))
            i += 12 + n
        }
        return out
    }

    static let jws = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJl"
    static let prefix: [UInt8] = Array("openbadges".utf8) + [0, 0, 0, 0, 0]

    /// A PNG made of `fixture`'s chunks with `extra` chunks inserted at the given indices.
    static func png(_ fixture: String = "minimal-1x1-rgba.png", inserting extra: [(Int, PNGChunk)]) throws -> [UInt8] {
        var stream = try PNGDatastream(parsing: try image(fixture))
        for (index, chunk) in extra.sorted(by: { $0.0 > $1.0 }) { stream.chunks.insert(chunk, at: index) }
        return stream.serialized()
    }

    @Test func matchesTheDigestWorkedExample() throws {
        let minimal = try Self.image("minimal-1x1-rgba.png")
        let hex = minimal.map { String(format: "%02x", $0) }.joined()
        #expect(
            hex
                == "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
        )
        let baked = try PNGBaker.bake(png: minimal, text: "header.payload.signature")
        let chunks = Self.rawChunks(baked)
        let expected: [UInt8] =
            [
                0x00, 0x00, 0x00, 0x27, 0x69, 0x54, 0x58, 0x74, 0x6f, 0x70, 0x65, 0x6e, 0x62, 0x61, 0x64, 0x67, 0x65,
                0x73,
                0x00, 0x00, 0x00, 0x00, 0x00,
            ] + Array("header.payload.signature".utf8) + [0x6f, 0x19, 0x9c, 0x94]
        #expect(chunks[1].bytes == expected)
    }

    @Test(arguments: [
        "minimal-1x1-rgba.png", "test-256.png", "gray-8bit-16x16.png", "palette-4bit-8x8.png", "rgb-16bit-4x4.png",
        "interlaced-rgba-9x7.png",
    ])
    func bakesOneITXtRightAfterIHDRAndKeepsOtherChunks(_ name: String) throws {
        let original = try Self.image(name)
        let baked = try PNGBaker.bake(png: original, text: Self.jws)
        #expect(baked.starts(with: PNGDatastream.signature))
        let before = Self.rawChunks(original)
        let after = Self.rawChunks(baked)
        #expect(after.count == before.count + 1)
        #expect(after[0].type == "IHDR")
        #expect(after[1].type == "iTXt")
        let data = Array(after[1].bytes[8..<(after[1].bytes.count - 4)])
        #expect(data == Self.prefix + Array(Self.jws.utf8))
        #expect(after.filter { $0.type == "iTXt" }.count == 1)
        // Every other chunk is byte-identical, in the same order.
        #expect(after[0].bytes == before[0].bytes)
        for (a, b) in zip(after.dropFirst(2), before.dropFirst()) {
            #expect(a.type == b.type)
            #expect(a.bytes == b.bytes)
        }
        // Nothing else is added: the size grows by exactly one chunk.
        #expect(baked.count == original.count + 12 + Self.prefix.count + Self.jws.utf8.count)
        let extracted = try PNGBaker.unbake(png: baked)
        #expect(extracted.text == Self.jws)
        #expect(!extracted.isLegacy)
        // Still a decodable image.
        _ = try PNGImageValidator.validate(baked)
    }

    @Test func rebakingReplacesTheBadgeChunk() throws {
        let once = try PNGBaker.bake(png: try Self.image("test-256.png"), text: Self.jws)
        let twice = try PNGBaker.bake(png: once, text: "second.badge.text")
        let chunks = Self.rawChunks(twice)
        #expect(chunks.filter { $0.type == "iTXt" }.count == 1)
        #expect(chunks[1].type == "iTXt")
        #expect(try PNGBaker.unbake(png: twice).text == "second.badge.text")
        #expect(twice.count == once.count - Self.jws.utf8.count + "second.badge.text".utf8.count)
        // Baking the same text again gives the same bytes.
        #expect(try PNGBaker.bake(png: once, text: Self.jws) == once)
    }

    @Test func rebakingReplacesAChunkPlacedAfterIDATAndLegacyTEXt() throws {
        let png = try Self.png(inserting: [
            (2, InternationalTextChunk(keyword: "openbadges", text: "old").chunk()),
            (1, LatinTextChunk(keyword: "openbadges", text: "https://old.example/a").chunk()),
            (1, LatinTextChunk(keyword: "Comment", text: "kept").chunk()),
        ])
        let baked = try PNGBaker.bake(png: png, text: Self.jws)
        let types = Self.rawChunks(baked).map(\.type)
        #expect(types == ["IHDR", "iTXt", "tEXt", "IDAT", "IEND"])
        #expect(try LatinTextChunk(chunk: try PNGDatastream(parsing: baked).chunks[2]).keyword == "Comment")
        #expect(try PNGBaker.unbake(png: baked).text == Self.jws)
    }

    @Test func unbakesITXtAfterIDAT() throws {
        let fixture = try PNGBaker.unbake(png: try Self.image("baked-itxt-after-idat.png"))
        #expect(fixture.text.hasPrefix("{\"@context\""))
        let png = try Self.png(inserting: [(2, InternationalTextChunk(keyword: "openbadges", text: Self.jws).chunk())])
        #expect(Self.rawChunks(png).map(\.type) == ["IHDR", "IDAT", "iTXt", "IEND"])
        #expect(try PNGBaker.unbake(png: png).text == Self.jws)
    }

    @Test func parsesLanguageTagAndTranslatedKeyword() throws {
        let fixture = try PNGBaker.unbake(png: try Self.image("baked-itxt-language-tag.png"))
        #expect(fixture.text.hasPrefix("{\"@context\""))
        #expect(!fixture.text.contains("Abzeichen"))
        let chunk = try InternationalTextChunk(
            keyword: "openbadges", languageTag: "fr-FR", translatedKeyword: "badges ouverts é", text: Self.jws,
            compressed: false)
        let png = try Self.png(inserting: [(1, chunk.chunk())])
        #expect(try PNGBaker.unbake(png: png).text == Self.jws)
    }

    @Test func ignoresOtherKeywordsAndTextChunks() throws {
        let png = try Self.png(inserting: [
            (1, InternationalTextChunk(keyword: "openbadgesx", text: "not this").chunk()),
            (1, InternationalTextChunk(keyword: "openbadgecredentials", text: "nor this").chunk()),
            (1, InternationalTextChunk(keyword: "Description", text: "openbadges").chunk()),
        ])
        expectCode(.notBaked) { _ = try PNGBaker.unbake(png: png) }
        let baked = try PNGBaker.bake(png: png, text: Self.jws)
        #expect(try PNGBaker.unbake(png: baked).text == Self.jws)
        #expect(Self.rawChunks(baked).filter { $0.type == "iTXt" }.count == 4)
    }

    func expectCode(
        _ code: BakingError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("no error, expected \(code)", sourceLocation: sourceLocation)
        } catch let error as BakingError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(!error.messageFR.isEmpty && !error.messageEN.isEmpty, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error) is not a BakingError", sourceLocation: sourceLocation)
        }
    }

    @Test func twoBadgeChunksAreNonConformant() throws {
        let png = try Self.png(inserting: [
            (1, InternationalTextChunk(keyword: "openbadges", text: "first").chunk()),
            (2, InternationalTextChunk(keyword: "openbadges", text: "second").chunk()),
        ])
        expectCode(.nonConformant) { _ = try PNGBaker.unbake(png: png) }
        let apart = try Self.png(inserting: [
            (1, InternationalTextChunk(keyword: "openbadges", text: Self.jws).chunk()),
            (2, InternationalTextChunk(keyword: "openbadges", text: Self.jws).chunk()),
        ])
        expectCode(.nonConformant) { _ = try PNGBaker.unbake(png: apart) }
    }

    @Test func compressedBadgeChunkIsNonConformant() throws {
        let chunk = try InternationalTextChunk(keyword: "openbadges", text: Self.jws, compressed: true)
        let png = try Self.png(inserting: [(1, chunk.chunk())])
        expectCode(.nonConformant) { _ = try PNGBaker.unbake(png: png) }
    }

    @Test func emptyBadgeChunkIsNotBaked() throws {
        let png = try Self.png(inserting: [(1, InternationalTextChunk(keyword: "openbadges", text: "").chunk())])
        expectCode(.notBaked) { _ = try PNGBaker.unbake(png: png) }
        expectCode(.invalidPayload) { _ = try PNGBaker.bake(png: try! Self.image("minimal-1x1-rgba.png"), text: "") }
    }

    @Test func badgeChunkWithInvalidUTF8IsMalformed() throws {
        let data = Self.prefix + [0xFF, 0xFE, 0x41]
        let png = try Self.png(inserting: [(1, PNGChunk(type: "iTXt", data: data))])
        expectCode(.malformedImage) { _ = try PNGBaker.unbake(png: png) }
    }

    @Test func legacyTEXtIsReturnedAsLegacy() throws {
        let png = try Self.png(inserting: [
            (1, LatinTextChunk(keyword: "openbadges", text: "https://example.org/a/1").chunk())
        ])
        let r = try PNGBaker.unbake(png: png)
        #expect(r.text == "https://example.org/a/1")
        #expect(r.isLegacy)
        // An iTXt wins over a legacy tEXt.
        let both = try Self.png(inserting: [
            (1, LatinTextChunk(keyword: "openbadges", text: "https://example.org/a/1").chunk()),
            (2, InternationalTextChunk(keyword: "openbadges", text: Self.jws).chunk()),
        ])
        let r2 = try PNGBaker.unbake(png: both)
        #expect(r2.text == Self.jws)
        #expect(!r2.isLegacy)
    }

    @Test func badCRCIsMalformed() throws {
        var baked = try PNGBaker.bake(png: try Self.image("minimal-1x1-rgba.png"), text: Self.jws)
        // Flip one byte of the badge text: the iTXt CRC no longer matches.
        baked[8 + 25 + 12 + 20] ^= 0x01
        expectCode(.malformedImage) { _ = try PNGBaker.unbake(png: baked) }
        for name in ["png-bad-crc-ancillary.png", "png-bad-crc-idat.png"] {
            let png = try Self.malformed(name)
            expectCode(.malformedImage) { _ = try PNGBaker.unbake(png: png) }
        }
    }

    @Test func truncatedIsMalformed() throws {
        let baked = try PNGBaker.bake(png: try Self.image("minimal-1x1-rgba.png"), text: Self.jws)
        for length in [9, 20, 33, 40, 60, baked.count - 13, baked.count - 1] {
            expectCode(.malformedImage) { _ = try PNGBaker.unbake(png: Array(baked.prefix(length))) }
        }
        for name in [
            "png-truncated-in-chunk.png", "png-truncated-in-chunk-header.png", "png-no-iend.png",
            "png-length-beyond-end.png",
        ] {
            let png = try Self.malformed(name)
            expectCode(.malformedImage) { _ = try PNGBaker.unbake(png: png) }
        }
    }

    @Test func notAPNGIsUnsupported() throws {
        for name in ["png-not-a-png.png", "png-empty.png"] {
            let bytes = try Self.malformed(name)
            expectCode(.unsupportedFormat) { _ = try PNGBaker.unbake(png: bytes) }
            expectCode(.unsupportedFormat) { _ = try PNGBaker.bake(png: bytes, text: Self.jws) }
        }
        expectCode(.unsupportedFormat) { _ = try BadgeBaker.extract(from: Array("GIF89a".utf8)) }
        expectCode(.unsupportedFormat) { _ = try BadgeBaker.bake(image: Array("GIF89a".utf8), jws: Self.jws) }
    }

    @Test func unbakedImageIsNotBaked() throws {
        expectCode(.notBaked) { _ = try PNGBaker.unbake(png: try! Self.image("test-256.png")) }
    }

    @Test func bakeRefusesUndecodableCarrier() throws {
        let garbage = try Self.malformed("png-idat-garbage.png")
        // The chunk structure is fine, so only decoding the image catches it.
        _ = try PNGDatastream(parsing: garbage)
        expectCode(.malformedImage) { _ = try PNGBaker.bake(png: garbage, text: Self.jws) }
        for name in ["png-idat-truncated-zlib.png", "png-missing-idat.png", "png-bad-color-type.png"] {
            let png = try Self.malformed(name)
            expectCode(.malformedImage) { _ = try PNGBaker.bake(png: png, text: Self.jws) }
        }
    }

    @Test func bakeRefusesOversizeDimensions() throws {
        let png = try Self.image("test-256.png")
        expectCode(.imageTooLarge) {
            _ = try PNGBaker.bake(png: png, text: Self.jws, limits: PNGImageLimits(maxWidth: 255, maxHeight: 4096))
        }
        expectCode(.imageTooLarge) {
            _ = try PNGBaker.bake(png: png, text: Self.jws, limits: PNGImageLimits(maxBytes: 1000))
        }
        _ = try PNGBaker.bake(png: png, text: Self.jws, limits: PNGImageLimits(maxWidth: 256, maxHeight: 256))
        let huge = try Self.malformed("png-huge-dimensions.png")
        expectCode(.imageTooLarge) { _ = try PNGBaker.bake(png: huge, text: Self.jws) }
    }

    @Test func badgeBakerRefusesNonJWSForSignedBadges() throws {
        let png = try Self.image("minimal-1x1-rgba.png")
        for text in ["", "not a jws", "a.b", "a.b.c.d", "{\"a\":1}", "a.b.c d"] {
            expectCode(.invalidPayload) { _ = try BadgeBaker.bake(image: png, jws: text) }
        }
    }
}
