import Foundation
import OpenBadges
import Testing

/// Strict RFC 8259 parsing and the deterministic encoder.
struct JSONValueTests {
    // MARK: Strictness

    @Test(arguments: [
        "[1,]", "{\"a\":1,}", "[,1]", "{,}", "01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "0x10",
        "NaN", "Infinity", "-Infinity", "'a'", "{a:1}", "[1] x", "[1][2]", "tru", "nul", "True", "", "   ",
        "\"abc", "[1", "{\"a\"}", "{\"a\" 1}", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "1e400", "-1e400",
        "/* c */ 1", "[1,2]//", "{\"a\":1}}",
    ])
    func refusesNonRFC8259Text(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }

    @Test(arguments: [
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\udbff\\ud800\"", "\"a\\udfff\"",
    ])
    func refusesLoneSurrogateEscapes(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesRawSurrogateAndInvalidUTF8Bytes() {
        // U+D800 encoded "as if" UTF-8 (CESU), an overlong '/', a lone continuation byte.
        for bad: [UInt8] in [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80], [0xFF]] {
            let bytes: [UInt8] = [0x22] + bad + [0x22]
            #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        }
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x09, 0x0A, 0x0D, 0x1F])
    func refusesRawControlCharacterInString(_ c: UInt8) {
        let bytes: [UInt8] = [0x22, 0x61, c, 0x62, 0x22]
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        // Also after an escape (the slow path of the string parser).
        let escaped: [UInt8] = [0x22, 0x5C, 0x6E, c, 0x22]
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: escaped) }
    }

    @Test func refusesDuplicateMemberNames() throws {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #"{"id":"a","id":"b"}"#) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #"{"x":{"k":1,"k":1}}"#) }
        // The same name spelled with an escape is the same name.
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #"{"id":1,"\u0069d":2}"#) }
        // Same name at different levels is fine.
        let v = try JSONValue(parsing: #"{"k":{"k":1}}"#)
        #expect(v["k"]?["k"] == .number(1))
    }

    @Test func duplicateErrorPointsAtTheSecondName() {
        do {
            _ = try JSONValue(parsing: #"{"a":1,"a":2}"#)
            Issue.record("duplicate accepted")
        } catch {
            #expect(error.offset == 7)
            #expect(error.reason.contains("\"a\""))
        }
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        _ = try JSONValue(parsing: ok)
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: deep) }
        let deepObjects = String(repeating: "{\"a\":", count: 200) + "1" + String(repeating: "}", count: 200)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: deepObjects) }
        // A custom limit applies, and depth is per nesting, not per container count.
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array("[[[1]]]".utf8), maxDepth: 2) }
        _ = try JSONValue(parsing: Array("[[1],[2],[3],[4]]".utf8), maxDepth: 2)
        // Very deep input must be refused without exhausting the stack.
        let huge = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: huge) }
    }

    @Test func acceptsByteOrderMarkOnlyAtTheStart() throws {
        let v = try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array(#"{"a":true}"#.utf8))
        #expect(v == ["a": true])
        #expect(throws: JSONSyntaxError.self) {
            try JSONValue(parsing: Array(" ".utf8) + [0xEF, 0xBB, 0xBF] + Array("1".utf8))
        }
    }

    @Test func acceptsInsignificantWhitespace() throws {
        let v = try JSONValue(parsing: " \t\r\n{ \"a\" : [ 1 , 2 ] }\n")
        #expect(v == ["a": [1, 2]])
    }

    // MARK: Values

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00\uD834\uDD1E""#)
        #expect(v == .string("\"\\/\u{08}\u{0C}\n\r\tAé€😀𝄞"))
        // Raw multi-byte UTF-8 is kept.
        #expect(try JSONValue(parsing: "\"é€😀\"") == .string("é€😀"))
        // \u0000 is a legal escape.
        #expect(try JSONValue(parsing: #""a\u0000b""#) == .string("a\u{0}b"))
    }

    @Test func parsesNumbersLiteralsAndContainers() throws {
        #expect(try JSONValue(parsing: "0") == .number(0))
        #expect(try JSONValue(parsing: "-0.5e2") == .number(-50))
        #expect(try JSONValue(parsing: "1E+2") == .number(100))
        #expect(try JSONValue(parsing: "12.25") == .number(12.25))
        #expect(try JSONValue(parsing: "true") == .bool(true))
        #expect(try JSONValue(parsing: "false") == .bool(false))
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: "[]") == .array([]))
        #expect(try JSONValue(parsing: "{}") == .object([:]))
        #expect(try JSONValue(parsing: #"{"a":[null,{"b":"c"}]}"#) == ["a": [nil, ["b": "c"]]])
    }

    // MARK: Deterministic encoding

    @Test func writesContextIdTypeFirstThenSortedKeys() throws {
        let v: JSONValue = [
            "zeta": 1, "type": "Assertion", "alpha": 2, "id": "urn:x", "@context": "https://w3id.org/openbadges/v2",
            "Beta": 3, "émoi": 4, "_u": 5,
            "nested": ["type": "T", "b": 1, "a": 2, "id": "i"],
        ]
        #expect(
            v.encodedString()
                == #"{"@context":"https://w3id.org/openbadges/v2","id":"urn:x","type":"Assertion","Beta":3,"_u":5,"alpha":2,"nested":{"id":"i","type":"T","a":2,"b":1},"zeta":1,"émoi":4}"#
        )
    }

    @Test func sameValueGivesSameBytesWhateverTheInsertionOrder() throws {
        var a: [String: JSONValue] = [:]
        var b: [String: JSONValue] = [:]
        let keys = (0..<200).map { "k\($0 * 7919 % 1000)" }
        for (n, k) in keys.enumerated() { a[k] = .number(Double(n)) }
        for (n, k) in keys.enumerated().reversed() { b[k] = .number(Double(n)) }
        #expect(JSONValue.object(a) == JSONValue.object(b))
        #expect(JSONValue.object(a).encoded() == JSONValue.object(b).encoded())
        // Parsing reordered text gives the same bytes too.
        let x = try JSONValue(parsing: #"{"b":1,"a":{"y":2,"x":1},"id":"q"}"#)
        let y = try JSONValue(parsing: #"{"id":"q","a":{"x":1,"y":2},"b":1}"#)
        #expect(x.encoded() == y.encoded())
    }

    @Test func writesIntegersWithoutFraction() {
        #expect(JSONValue.number(1).encodedString() == "1")
        #expect(JSONValue.number(-3).encodedString() == "-3")
        #expect(JSONValue.number(0).encodedString() == "0")
        #expect(JSONValue.number(1e15).encodedString() == "1000000000000000")
        #expect(JSONValue.number(2.5).encodedString() == "2.5")
        #expect(JSONValue.number(-0.125).encodedString() == "-0.125")
    }

    @Test func doesNotEscapeSlashAndEscapesControls() {
        #expect(JSONValue.string("https://a.example/b").encodedString() == #""https://a.example/b""#)
        #expect(JSONValue.string("q\"b\\").encodedString() == #""q\"b\\""#)
        #expect(JSONValue.string("\n\r\t\u{08}\u{0C}\u{01}\u{1F}").encodedString() == #""\n\r\t\b\f\u0001\u001f""#)
        #expect(JSONValue.string("é😀\u{7F}").encoded() == [0x22] + Array("é😀\u{7F}".utf8) + [0x22])
    }

    @Test func writesNoInsignificantWhitespace() {
        let v: JSONValue = ["a": [1, 2, ["b": nil]], "c": true]
        #expect(v.encodedString() == #"{"a":[1,2,{"b":null}],"c":true}"#)
    }

    static let roundTripValues: [JSONValue] = [
        .null, true, false, 0, -1, 42, .number(0.1), .number(-2.5e-7), .number(1e300), .number(123_456_789_012),
        .number(9_007_199_254_740_992), .number(-1e-300), .number(3.141592653589793),
        "", "plain", "quote\" backslash\\ slash/", "controls\u{0}\u{1}\u{1F}\n\t", "unicode é € 😀 𝄞 \u{FEFF}",
        [], [:], [nil, true, 1, "x", [], [:]],
        [
            "@context": "https://w3id.org/openbadges/v2", "id": "urn:uuid:1", "type": ["Assertion", "x:Y"],
            "recipient": ["type": "email", "hashed": true, "identity": "sha256$00", "salt": "s"],
            "deep": [[[["k": [1, [2, [3]]]]]]], "": "empty key", "k\u{0}": "nul key",
        ],
    ]

    @Test(arguments: roundTripValues)
    func roundTripsThroughEncoding(_ value: JSONValue) throws {
        let bytes = value.encoded()
        let back = try JSONValue(parsing: bytes)
        #expect(back == value)
        #expect(back.encoded() == bytes)
        #expect(try JSONValue(parsing: value.prettyString()) == value)
    }
}

extension JSONValue: CustomTestStringConvertible {
    public var testDescription: String { encodedString() }
}
