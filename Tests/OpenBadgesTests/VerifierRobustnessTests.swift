import Foundation
import OpenBadges
import OpenBadgesPNG
import TestSupport
import Testing

/// Random, truncated and bit-flipped inputs never crash the verifier and are never `valid`.
struct VerifierRobustnessTests {
    typealias S = VerifierTestSupport

    /// SplitMix64: deterministic, so a failure is reproducible.
    typealias SeededGenerator = SplitMix64

    static func bytes(_ count: Int, _ rng: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomBytesAreNeverValid(seed: UInt64) async throws {
        let fixture = try BadgeFixture()
        let loader = fixture.loader()
        var rng = SeededGenerator(state: seed)
        let signed = try fixture.issue()
        let prefixes: [[UInt8]] = [
            [], PNGDatastream.signature, Array("<svg xmlns=\"http://www.w3.org/2000/svg\">".utf8), Array("{".utf8),
            Array("https://".utf8), Array(signed.jws.prefix(40).utf8),
        ]
        for n in 0..<60 {
            let prefix = prefixes[n % prefixes.count]
            let input = prefix + Self.bytes(Int.random(in: 0...300, using: &rng), &rng)
            let report = await S.verify(.data(input), loader: loader)
            #expect(report.verdict != .valid)
            #expect(!report.checks.isEmpty)
            let text = String(decoding: input, as: UTF8.self)
            #expect(await S.verify(.text(text), loader: loader).verdict != .valid)
        }
    }

    @Test(arguments: ["png", "svg"])
    func truncationsOfABakedBadgeAreNeverValid(format: String) async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let carrier =
            format == "png"
            ? try PNGBakerTests.image("minimal-1x1-rgba.png")
            : [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-badge.svg")))
        let baked = try BadgeBaker.bake(image: carrier, jws: signed.jws).bytes
        let loader = fixture.loader()
        // Control: the complete image is valid.
        let whole = await S.verify(.data(baked), loader: loader)
        #expect(whole.verdict == .valid, "\(S.problems(whole))")
        // Trailing white space after </svg> is not part of the document: only cut before the end of the content.
        var end = baked.count
        while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(baked[end - 1]) { end -= 1 }
        let step = max(1, end / 150)
        var lengths = Set(stride(from: 0, to: end, by: step))
        for k in 1...12 { lengths.insert(max(0, end - k)) }
        for length in lengths.sorted() {
            let report = await S.verify(.data(Array(baked.prefix(length))), loader: loader)
            #expect(report.verdict != .valid, "prefix of \(length) bytes verified as valid")
        }
    }

    @Test func bitFlipsInABakedPNGAreNeverValid() async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let baked = try BadgeBaker.bake(image: try PNGBakerTests.image("minimal-1x1-rgba.png"), jws: signed.jws).bytes
        let loader = fixture.loader()
        var rng = SeededGenerator(state: 42)
        var positions = Set((0..<baked.count).filter { $0 < 80 || $0 % 7 == 0 })
        for _ in 0..<50 { positions.insert(Int.random(in: 0..<baked.count, using: &rng)) }
        for position in positions.sorted() {
            var flipped = baked
            flipped[position] ^= UInt8(1 << (position % 8))
            let report = await S.verify(.data(flipped), loader: loader)
            #expect(report.verdict != .valid, "flip at byte \(position) verified as valid")
        }
    }

    @Test func alteredJWSCharactersAreNeverValid() async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let loader = fixture.loader()
        let chars = Array(signed.jws.utf8)
        var rng = SeededGenerator(state: 7)
        for _ in 0..<40 {
            var altered = chars
            let i = Int.random(in: 0..<chars.count, using: &rng)
            let alphabet = Array("ABCabc012-_.".utf8)
            var replacement = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            if replacement == altered[i] {
                replacement = altered[i] == UInt8(ascii: "Q") ? UInt8(ascii: "R") : UInt8(ascii: "Q")
            }
            altered[i] = replacement
            let text = String(decoding: altered, as: UTF8.self)
            let report = await S.verify(.text(text), loader: loader)
            // A change in the last character may only touch unused base64 bits; everything else must fail.
            if i < chars.count - 1 {
                #expect(report.verdict != .valid, "change at \(i) verified as valid")
            }
        }
    }
}
