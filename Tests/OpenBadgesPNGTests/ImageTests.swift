import Foundation
import OpenBadgesPNG
import Testing

struct ImageValidatorTests {
    @Test(arguments: Fixtures.pngNames("images"))
    func acceptsFixtureImages(name: String) throws {
        let info = try PNGImageValidator.validate(Fixtures.bytes("images", name))
        #expect(info.width >= 1 && info.height >= 1)
    }

    @Test func reportsHeaderFields() throws {
        #expect(
            try PNGImageValidator.validate(Fixtures.minimalPNG)
                == PNGImageInfo(width: 1, height: 1, bitDepth: 8, colorType: 6, isInterlaced: false))
        #expect(
            try PNGImageValidator.validate(Fixtures.bytes("images", "interlaced-rgba-9x7.png"))
                == PNGImageInfo(width: 9, height: 7, bitDepth: 8, colorType: 6, isInterlaced: true))
        #expect(
            try PNGImageValidator.validate(Fixtures.bytes("images", "palette-4bit-8x8.png"))
                == PNGImageInfo(width: 8, height: 8, bitDepth: 4, colorType: 3, isInterlaced: false))
        #expect(
            try PNGImageValidator.validate(Fixtures.bytes("images", "test-256.png"))
                == PNGImageInfo(width: 256, height: 256, bitDepth: 8, colorType: 6, isInterlaced: false))
    }

    @Test(arguments: MalformedCase.all)
    func malformed(testCase: MalformedCase) throws {
        let bytes = try Fixtures.bytes("malformed", testCase.file)
        #expect(errorCode { () throws(PNGError) in try PNGImageValidator.validate(bytes) } == testCase.validate)
    }

    @Test func decodeFailureCarriesLibpngMessage() throws {
        do {
            _ = try PNGImageValidator.validate(Fixtures.bytes("malformed", "png-idat-garbage.png"))
            Issue.record("expected an error")
        } catch let error as PNGError {
            #expect(error.code == .decodeFailed)
            #expect(error.message.hasPrefix("libpng: "))
            #expect(error.message.count > "libpng: ".count)
        }
    }

    @Test func limits() throws {
        let bytes = try Fixtures.bytes("images", "test-256.png")
        #expect(
            errorCode { () throws(PNGError) in
                try PNGImageValidator.validate(bytes, limits: PNGImageLimits(maxWidth: 255))
            } == .dimensionsTooLarge)
        #expect(
            errorCode { () throws(PNGError) in
                try PNGImageValidator.validate(bytes, limits: PNGImageLimits(maxHeight: 100))
            } == .dimensionsTooLarge)
        #expect(
            errorCode { () throws(PNGError) in
                try PNGImageValidator.validate(bytes, limits: PNGImageLimits(maxBytes: 1000))
            } == .tooLarge)
    }
}

struct RGBAImageTests {
    @Test func encode256AndValidate() throws {
        let image = Fixtures.testImage256()
        let png = try image.pngData()
        let info = try PNGImageValidator.validate(png)
        #expect(info == PNGImageInfo(width: 256, height: 256, bitDepth: 8, colorType: 6, isInterlaced: false))
        let stream = try PNGDatastream(parsing: png)
        #expect(stream.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(try RGBAImage(pngData: png) == image)
    }

    @Test func committedTestImageMatchesDrawing() throws {
        let decoded = try RGBAImage(pngData: Fixtures.bytes("images", "test-256.png"))
        #expect(decoded == Fixtures.testImage256())
    }

    @Test func decodesOtherFormatsToRGBA() throws {
        let one = try RGBAImage(pngData: Fixtures.minimalPNG)
        #expect(one.width == 1 && one.height == 1 && one.pixels.count == 4)
        let pal = try RGBAImage(pngData: Fixtures.bytes("images", "palette-4bit-8x8.png"))
        #expect(pal.pixels.count == 8 * 8 * 4)
        let huge = try Fixtures.bytes("malformed", "png-huge-dimensions.png")
        #expect(errorCode { () throws(PNGError) in try RGBAImage(pngData: huge) } == .dimensionsTooLarge)
        let garbage = try Fixtures.bytes("malformed", "png-idat-garbage.png")
        #expect(errorCode { () throws(PNGError) in try RGBAImage(pngData: garbage) } == .decodeFailed)
    }

    @Test func subscriptAndBounds() throws {
        var image = RGBAImage(width: 3, height: 2, fill: (r: 1, g: 2, b: 3, a: 4))
        #expect(image.pixels.count == 24)
        #expect(image[2, 1] == (1, 2, 3, 4))
        image[2, 1] = (9, 8, 7, 6)
        #expect(image[2, 1] == (9, 8, 7, 6))
        #expect(image[3, 0] == (0, 0, 0, 0))
        #expect(image[-1, 0] == (0, 0, 0, 0))
        image[5, 5] = (1, 1, 1, 1)  // ignored
        let decoded = try RGBAImage(pngData: image.pngData())
        #expect(decoded == image)
    }

    @Test func invalidSizesThrowInsteadOfCrashing() {
        #expect(
            errorCode { () throws(PNGError) in
                try RGBAImage(width: 0, height: 5, fill: (r: 0, g: 0, b: 0, a: 0)).pngData()
            } != nil)
        #expect(
            errorCode { () throws(PNGError) in
                try RGBAImage(width: -3, height: 5, fill: (r: 0, g: 0, b: 0, a: 0)).pngData()
            } != nil)
        #expect(
            errorCode { () throws(PNGError) in
                try RGBAImage(width: Int.max, height: Int.max, fill: (r: 0, g: 0, b: 0, a: 0)).pngData()
            } != nil)
        var broken = RGBAImage(width: 2, height: 2, fill: (r: 0, g: 0, b: 0, a: 0))
        broken.pixels.removeLast()
        #expect(errorCode { () throws(PNGError) in try broken.pngData() } != nil)
        #expect(RGBAImage(width: 2, height: 2, pixels: [1, 2, 3]) == nil)
    }
}

/// Encodes the drawing of Fixtures/images/test-256.png and checks the committed file holds the same pixels; with
/// INSIGNE_WRITE_FIXTURES=1 it also writes the file (commit it).
struct FixtureWriterTests {
    @Test func encodesTheCommittedTestImage() throws {
        let png = try Fixtures.testImage256().pngData()
        let committed = try RGBAImage(pngData: Fixtures.bytes("images", "test-256.png"))
        #expect(try RGBAImage(pngData: png) == committed)
        if ProcessInfo.processInfo.environment["INSIGNE_WRITE_FIXTURES"] == "1" {
            try Data(png).write(to: Fixtures.url("images", "test-256.png"))
        }
    }
}

/// libpng robustness: structurally valid files (fresh CRCs) with corrupted contents.
struct DecoderRobustnessTests {
    /// Replaces the data of chunk `index` and re-serializes with fresh CRCs.
    static func withChunk(_ stream: PNGDatastream, _ index: Int, _ mutate: (inout [UInt8]) -> Void) -> [UInt8] {
        var copy = stream
        mutate(&copy.chunks[index].data)
        return copy.serialized()
    }

    @Test func corruptedIDATNeverCrashes() throws {
        for name in ["gray-8bit-16x16.png", "interlaced-rgba-9x7.png", "palette-4bit-8x8.png", "rgb-16bit-4x4.png"] {
            let stream = try PNGDatastream(parsing: Fixtures.bytes("images", name))
            let idat = try #require(stream.chunks.firstIndex { $0.type == "IDAT" })
            let count = stream.chunks[idat].data.count
            for i in 0..<count {
                for mask: UInt8 in [0x01, 0x10, 0xFF] {
                    let bytes = Self.withChunk(stream, idat) { $0[i] ^= mask }
                    let code = errorCode { () throws(PNGError) in try PNGImageValidator.validate(bytes) }
                    #expect(code == nil || code == .decodeFailed, "\(name) byte \(i)")
                    _ = errorCode { () throws(PNGError) in try RGBAImage(pngData: bytes) }
                }
            }
            for n in 0..<count {
                let bytes = Self.withChunk(stream, idat) { $0.removeLast(count - n) }
                #expect(
                    errorCode { () throws(PNGError) in try PNGImageValidator.validate(bytes) } == .decodeFailed,
                    "\(name) IDAT cut to \(n)")
            }
        }
    }

    @Test func everyIHDRCombinationIsHandled() throws {
        let stream = try PNGDatastream(parsing: Fixtures.bytes("images", "gray-8bit-16x16.png"))
        for depth: UInt8 in [0, 1, 2, 3, 4, 8, 16, 32] {
            for color: UInt8 in [0, 1, 2, 3, 4, 5, 6, 7] {
                for tail: [UInt8] in [[0, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 2]] {
                    let bytes = Self.withChunk(stream, 0) { data in
                        data[8] = depth
                        data[9] = color
                        data.replaceSubrange(10..<13, with: tail)
                    }
                    let code = errorCode { () throws(PNGError) in try PNGImageValidator.validate(bytes) }
                    if depth == 8 && color == 0 && tail == [0, 0, 0] {
                        #expect(code == nil)
                    } else {
                        #expect(code == .decodeFailed, "depth \(depth) color \(color) tail \(tail)")
                    }
                }
            }
        }
    }

    @Test func dimensionEdgeCases() throws {
        let stream = try PNGDatastream(parsing: Fixtures.minimalPNG)
        let cases: [(UInt32, UInt32, PNGError.Code?)] = [
            (0, 1, .decodeFailed), (1, 0, .decodeFailed), (0xFFFF_FFFF, 1, .decodeFailed),
            (0x8000_0000, 0x8000_0000, .decodeFailed), (4097, 1, .dimensionsTooLarge), (1, 4097, .dimensionsTooLarge),
            (4096, 4096, .decodeFailed),  // allowed size, but the 1×1 IDAT holds too little data
        ]
        for (w, h, expected) in cases {
            let bytes = Self.withChunk(stream, 0) { data in
                data.replaceSubrange(
                    0..<8,
                    with: [
                        UInt8(w >> 24), UInt8(w >> 16 & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w & 0xFF),
                        UInt8(h >> 24), UInt8(h >> 16 & 0xFF), UInt8(h >> 8 & 0xFF), UInt8(h & 0xFF),
                    ])
            }
            #expect(errorCode { () throws(PNGError) in try PNGImageValidator.validate(bytes) } == expected, "\(w)x\(h)")
        }
    }
}
