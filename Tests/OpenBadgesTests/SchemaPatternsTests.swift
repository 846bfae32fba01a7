import Foundation
import TestSupport
import Testing

@testable import OpenBadges

/// The hand matchers of the bundled schemas' patterns (`KnownPattern`) and the byte-wise `date-time` check give the
/// answers of the paths they replace (NSRegularExpression over the ECMA translation, the check over characters) on
/// the usual values and on thousands of generated near-misses.
struct SchemaPatternsTests {
    static let samples: [String] = [
        "", "ext:", "ext:a", "ext:-", "ext:|", "ext:_", "ext:.", "xext:Z9", "ext;a", "Ext:a", "myext:name", "ext:é",
        "abc.def.ghi", "eyJhbGciOiJSUzI1NiJ9..c2ln", "a.b", "a.b.c.d", ".b.c", "a.b.", "a-b_c.d.e", "a.b.c\n",
        "en", "fr", "e", "engl", "englx", "en-US", "en-Latn", "en-Latn-US", "zh-Hant-419", "es-419", "en-us",
        "en-LATN", "en-Latn-", "en-", "fr-FRA", "en-Latn-U", "en-12", "en-1234", "EN", "en\n",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3-3.1.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-4.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\n",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.٣.3.json",
        "http://purl.imsglobal.org/spec/ob/v3p0/context.json", "https://www.w3.org/ns/credentials/v2",
    ]

    static let alphabet: [Character] = Array("ext:aZ9|._-.T:+Z zé٣\n0123456789-Latn.json/")

    /// Each sample, then mutants: a character replaced, inserted or removed, chosen by a seeded generator.
    static func inputs(_ seeds: [String], count: Int) -> [String] {
        var rng = SplitMix64(state: 12)
        var out = seeds
        for _ in 0..<count {
            var chars = Array(seeds.randomElement(using: &rng)!)
            for _ in 0...Int.random(in: 0...2, using: &rng) {
                let c = alphabet.randomElement(using: &rng)!
                let at = chars.isEmpty ? 0 : Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0 where !chars.isEmpty: chars[at] = c
                case 1: chars.insert(c, at: at)
                default: if !chars.isEmpty { chars.remove(at: at) }
                }
            }
            out.append(String(chars))
        }
        return out
    }

    @Test func knownPatternsMatchAsTheRegex() throws {
        let sources = [
            #"(ext:)[a-z|A-Z|0-9|.|-|_]+"#, #"^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$"#,
            #"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"#,
            #"^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$"#,
        ]
        let strings = Self.inputs(Self.samples, count: 20_000)
        for source in sources {
            let known = try #require(KnownPattern(source: source), "\(source)")
            let regex = try NSRegularExpression(pattern: ECMARegex.translate(source))
            var matched = 0
            for s in strings {
                let expected = SchemaEvaluator.matches(regex, s)
                if expected { matched += 1 }
                #expect(known.matches(s) == expected, "\(source) on \(s.debugDescription)")
            }
            #expect(matched > 10, "\(source): too few matching inputs to compare")
        }
        #expect(KnownPattern(source: "^[a-z]+$") == nil)
    }

    @Test func byteDateTimeAgreesWithCharacters() {
        let seeds = [
            "2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "2024-12-31t23:59:60z", "2024-01-01T00:00:00.123+01:00",
            "2024-01-01T00:00:00-23:59", "2024-01-01T00:00:00+24:00", "2024-13-01T00:00:00Z", "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:61Z", "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "0000-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2024-1-01T00:00:00Z", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00Z\n", "2024-01-01T00:00:00.5+01:00",
        ]
        for s in Self.inputs(seeds, count: 20_000) {
            #expect(SchemaFormats.isDateTime(s) == SchemaFormats.isDateTimeByCharacters(s), "\(s.debugDescription)")
        }
    }
}
