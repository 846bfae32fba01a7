import OpenBadgesPNG
import Testing

/// Expected outcome for a malformed fixture.
struct MalformedCase: Sendable, CustomStringConvertible {
    /// File name under Fixtures/malformed/.
    let file: String
    /// Error code of `PNGDatastream(parsing:)`, nil when the structure is valid.
    let parse: PNGError.Code?
    /// Error code of `PNGImageValidator.validate`, nil when it must accept.
    let validate: PNGError.Code?
    /// Error code when reading the first iTXt chunk (parse + text()), nil when not applicable.
    let itxt: PNGError.Code?

    var description: String { file }

    static let all: [MalformedCase] = [
        .init(file: "png-empty.png", parse: .notPNG, validate: .notPNG, itxt: nil),
        .init(file: "png-not-a-png.png", parse: .notPNG, validate: .notPNG, itxt: nil),
        .init(file: "png-truncated-signature.png", parse: .truncated, validate: .truncated, itxt: nil),
        .init(file: "png-signature-only.png", parse: .missingIHDR, validate: .missingIHDR, itxt: nil),
        .init(file: "png-truncated-in-chunk.png", parse: .truncated, validate: .truncated, itxt: nil),
        .init(file: "png-truncated-in-chunk-header.png", parse: .truncated, validate: .truncated, itxt: nil),
        .init(file: "png-bad-crc-idat.png", parse: .badCRC, validate: .badCRC, itxt: nil),
        .init(file: "png-bad-crc-ancillary.png", parse: .badCRC, validate: .badCRC, itxt: nil),
        .init(file: "png-huge-length.png", parse: .chunkTooLarge, validate: .chunkTooLarge, itxt: nil),
        .init(file: "png-length-beyond-end.png", parse: .truncated, validate: .truncated, itxt: nil),
        .init(file: "png-bad-chunk-type.png", parse: .invalidChunkType, validate: .invalidChunkType, itxt: nil),
        .init(file: "png-no-iend.png", parse: .missingIEND, validate: .missingIEND, itxt: nil),
        .init(file: "png-iend-with-data.png", parse: .missingIEND, validate: .missingIEND, itxt: nil),
        .init(file: "png-ihdr-not-first.png", parse: .missingIHDR, validate: .missingIHDR, itxt: nil),
        .init(file: "png-ihdr-wrong-length.png", parse: .invalidIHDR, validate: .invalidIHDR, itxt: nil),
        .init(file: "png-two-ihdr.png", parse: .invalidIHDR, validate: .invalidIHDR, itxt: nil),
        .init(file: "png-data-after-iend.png", parse: .dataAfterIEND, validate: .dataAfterIEND, itxt: nil),
        .init(file: "png-itxt-missing-separator.png", parse: nil, validate: nil, itxt: .invalidTextChunk),
        .init(file: "png-itxt-bad-compression-flag.png", parse: nil, validate: nil, itxt: .invalidTextChunk),
        .init(file: "png-itxt-invalid-keyword.png", parse: nil, validate: nil, itxt: .invalidTextChunk),
        .init(file: "png-itxt-invalid-utf8.png", parse: nil, validate: nil, itxt: .invalidTextChunk),
        .init(file: "png-itxt-bad-zlib.png", parse: nil, validate: nil, itxt: .invalidTextChunk),
        .init(file: "png-zero-dimensions.png", parse: nil, validate: .decodeFailed, itxt: nil),
        .init(file: "png-huge-dimensions.png", parse: nil, validate: .dimensionsTooLarge, itxt: nil),
        .init(file: "png-idat-garbage.png", parse: nil, validate: .decodeFailed, itxt: nil),
        .init(file: "png-idat-truncated-zlib.png", parse: nil, validate: .decodeFailed, itxt: nil),
        .init(file: "png-missing-idat.png", parse: nil, validate: .decodeFailed, itxt: nil),
        .init(file: "png-bad-color-type.png", parse: nil, validate: .decodeFailed, itxt: nil),
    ]
}

/// Runs a typed-throwing operation and returns its error code (nil on success).
func errorCode<T>(_ body: () throws(PNGError) -> T) -> PNGError.Code? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.code
    }
}

struct DatastreamTests {
    @Test func parseMinimal() throws {
        let stream = try PNGDatastream(parsing: Fixtures.minimalPNG)
        #expect(Fixtures.minimalPNG.count == 68)
        #expect(stream.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(stream.chunks[0].data.count == 13)
        #expect(stream.chunks[1].data.count == 11)
        #expect(stream.chunks[2].data.isEmpty)
        #expect(stream.header == PNGImageInfo(width: 1, height: 1, bitDepth: 8, colorType: 6, isInterlaced: false))
        #expect(stream.serialized() == Fixtures.minimalPNG)
        #expect(try PNGDatastream.checkStructure(Fixtures.minimalPNG) == stream.header)
    }

    @Test func signature() {
        #expect(PNGDatastream.signature == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test(arguments: Fixtures.pngNames("images"))
    func roundTripImages(name: String) throws {
        let bytes = try Fixtures.bytes("images", name)
        let stream = try PNGDatastream(parsing: bytes)
        #expect(stream.serialized() == bytes)
        #expect(stream.chunks.first?.type == "IHDR")
        #expect(stream.chunks.last?.type == "IEND")
    }

    @Test func bakeAfterIHDR() throws {
        var stream = try PNGDatastream(parsing: Fixtures.minimalPNG)
        stream.chunks.insert(
            InternationalTextChunk(keyword: "openbadges", text: "header.payload.signature").chunk(), at: 1)
        let baked = stream.serialized()
        #expect(baked.count == 68 + 51)
        #expect(Array(baked[33..<84]) == ChunkTests.openbadgesVector)
        let reparsed = try PNGDatastream(parsing: baked)
        #expect(reparsed == stream)
        #expect(try PNGImageValidator.validate(baked).width == 1)
    }

    @Test func iTXtAfterIDATIsFound() throws {
        let stream = try PNGDatastream(parsing: Fixtures.bytes("images", "baked-itxt-after-idat.png"))
        let itxt = try #require(stream.chunks(ofType: "iTXt").first)
        let parsed = try InternationalTextChunk(chunk: itxt)
        #expect(parsed.keyword == "openbadges")
        #expect(try parsed.text().hasPrefix("{\"@context\""))
        #expect(try LatinTextChunk(chunk: #require(stream.chunks(ofType: "tEXt").first)).keyword == "Comment")
    }

    @Test(arguments: MalformedCase.all)
    func malformedParse(testCase: MalformedCase) throws {
        let bytes = try Fixtures.bytes("malformed", testCase.file)
        #expect(errorCode { () throws(PNGError) in try PNGDatastream(parsing: bytes) } == testCase.parse)
        #expect(errorCode { () throws(PNGError) in try PNGDatastream.checkStructure(bytes) } == testCase.parse)
    }

    @Test(arguments: MalformedCase.all.filter { $0.itxt != nil })
    func malformedITXt(testCase: MalformedCase) throws {
        let stream = try PNGDatastream(parsing: Fixtures.bytes("malformed", testCase.file))
        let chunk = try #require(stream.chunks(ofType: "iTXt").first)
        let code = errorCode { () throws(PNGError) in try InternationalTextChunk(chunk: chunk).text() }
        #expect(code == testCase.itxt)
    }

    @Test func everyMalformedFixtureIsListed() {
        let listed = Set(MalformedCase.all.map(\.file))
        #expect(Set(Fixtures.pngNames("malformed")) == listed)
    }

    @Test func errorDetails() throws {
        let badCRC = try Fixtures.bytes("malformed", "png-bad-crc-idat.png")
        do {
            _ = try PNGDatastream(parsing: badCRC)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badCRC)
            #expect(error.chunkType == "IDAT")
            #expect(error.offset == 33)
            #expect(error.message.contains("IDAT") && error.message.contains("33"))
        }
        let huge = try Fixtures.bytes("malformed", "png-huge-length.png")
        do {
            _ = try PNGDatastream(parsing: huge)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .chunkTooLarge)
            #expect(error.offset == 33)
        }
    }

    @Test func limits() throws {
        let bytes = try Fixtures.bytes("images", "baked-itxt-after-idat.png")
        #expect(
            errorCode { () throws(PNGError) in try PNGDatastream(parsing: bytes, limits: PNGLimits(maxFileBytes: 100)) }
                == .tooLarge)
        #expect(
            errorCode { () throws(PNGError) in try PNGDatastream(parsing: bytes, limits: PNGLimits(maxChunks: 3)) }
                == .tooManyChunks)
        #expect(
            errorCode { () throws(PNGError) in try PNGDatastream(parsing: bytes, limits: PNGLimits(maxChunks: 5)) }
                == nil)
    }

    /// Every truncation and every single-byte corruption of a valid file is rejected or accepted without crashing.
    @Test func truncationsAndBitFlipsNeverCrash() throws {
        let bytes = try Fixtures.bytes("images", "baked-itxt-after-idat.png")
        for n in 0..<bytes.count {
            let cut = Array(bytes.prefix(n))
            #expect(errorCode { () throws(PNGError) in try PNGDatastream(parsing: cut) } != nil)
            _ = errorCode { () throws(PNGError) in try PNGImageValidator.validate(cut) }
        }
        for i in 0..<bytes.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var flipped = bytes
                flipped[i] ^= mask
                // A flip anywhere is caught by the signature, a length, a type or a CRC check.
                #expect(errorCode { () throws(PNGError) in try PNGDatastream(parsing: flipped) } != nil)
                _ = errorCode { () throws(PNGError) in try PNGImageValidator.validate(flipped) }
            }
        }
    }

    /// Repeated parsing of a 256×256 badge gives the same chunks every time (speed is measured by `insigne bench`,
    /// not by unit tests).
    @Test func repeatedParsingIsStable() throws {
        let bytes = try Fixtures.bytes("images", "test-256.png")
        let first = try PNGDatastream(parsing: bytes)
        for _ in 0..<100 { #expect(try PNGDatastream(parsing: bytes) == first) }
    }
}
