import Foundation
import TestSupport
import Testing

@testable import MultipartParsing

/// The multipart parser's ASCII fast paths (POST /verify hot spots) give exactly what the Character-by-Character
/// paths and Foundation give, on many generated inputs mixing separators, white space, CR, LF and non-ASCII.
@Suite("Multipart fast paths")
struct MultipartFastPathTests {
    /// A small deterministic generator (SplitMix64): the same inputs on every run.
    struct Generator {
        var rng: SplitMix64
        init(state: UInt64) { rng = SplitMix64(state: state) }
        mutating func next() -> UInt64 { rng.next() }
        mutating func text(from alphabet: [String], maxLength: Int) -> String {
            let n = Int(next() % UInt64(maxLength + 1))
            return (0..<n).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }.joined()
        }
    }

    static let ascii = [
        " ", "\t", "\r", "\n", "\r\n", ":", ";", "=", "\"", "\\", "a", "B", "-", "1", "x", "Z", "_", ".",
    ]
    static let unicode = ascii + ["é", "\u{A0}", "\u{301}", "\u{3000}", "\u{2003}"]

    @Test func trimmedIsFoundationTrimming() {
        var g = Generator(state: 1)
        for _ in 0..<20_000 {
            let s = g.text(from: Self.unicode, maxLength: 8)
            #expect(MultipartFormData.trimmed(s[...]) == s.trimmingCharacters(in: .whitespaces), "\(Array(s.utf8))")
        }
        #expect(MultipartFormData.trimmed(" \t boundary=x \t"[...]) == "boundary=x")
        #expect(MultipartFormData.trimmed(" \u{A0}x\u{A0} "[...]) == "x")
        #expect(MultipartFormData.trimmed(" \t "[...]) == "")
    }

    @Test func asciiParametersAreCharacterParameters() {
        var g = Generator(state: 2)
        let alphabet = Self.ascii.filter { !$0.contains("\r") }
        for _ in 0..<20_000 {
            let s = g.text(from: alphabet, maxLength: 24)
            let fast = MultipartFormData.parseASCIIParameters(Array(s.utf8))
            let slow = MultipartFormData.parseParameterCharacters(s)
            #expect(fast.0 == slow.0 && fast.1 == slow.1, "\(s.debugDescription)")
        }
        let (kind, params) = MultipartFormData.parseParameters("form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"")
        #expect(kind == "form-data" && params == ["name": "file", "filename": "a \"b\".png"])
    }

    @Test func asciiHeadersAreCharacterHeaders() {
        var g = Generator(state: 3)
        for _ in 0..<20_000 {
            let s = g.text(from: Self.ascii, maxLength: 24)
            let fast = Result { () throws(MultipartFormData.Malformed) in
                try MultipartFormData.parseASCIIHeaders(Array(s.utf8)[...])
            }
            let slow = Result { () throws(MultipartFormData.Malformed) in try MultipartFormData.parseHeaderLines(s) }
            #expect(fast == slow, "\(s.debugDescription)")
        }
        let headers = try? MultipartFormData.parseHeaders(
            Array("Content-Disposition: form-data; name=\"file\"\r\nContent-Type:\timage/png \r\n".utf8)[...])
        #expect(headers == ["content-disposition": "form-data; name=\"file\"", "content-type": "image/png"])
    }

    @Test func asciiBoundaryIsCharacterBoundary() {
        var g = Generator(state: 4)
        let tokens = [
            "multipart/form-data", "Multipart/Form-Data", "text/plain", "boundary", "BOUNDARY", "charset", ";", "=",
            "\"", " ", "\t", "a", "-", "x y", "", String(repeating: "b", count: 70),
        ]
        for unicode in [false, true] {
            for _ in 0..<20_000 {
                let s = g.text(from: unicode ? tokens + ["é", "\u{A0}", "\r\n"] : tokens, maxLength: 9)
                #expect(MultipartFormData.boundary(contentType: s) == MultipartFormData.boundaryCharacters(s), "\(s)")
            }
        }
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartFormData.boundary(contentType: " MULTIPART/form-data ;charset=x; Boundary = xyz ") == "xyz")
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"a \"") == nil)
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=a\tb") == nil)
    }

    @Test func bodyReadInPlaceIsTheArrayParse() throws {
        let body = Array(
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}\u{2}\r\n--b\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\na@b.org\r\n--b--\r\n"
                .utf8)
        let parts = try MultipartFormData.parse(body, boundary: "b")
        let inPlace = try body.withUnsafeBufferPointer { (b) throws(MultipartFormData.Malformed) in
            try MultipartFormData.parse(bytes: b, boundary: "b")
        }
        #expect(parts == inPlace)
        #expect(parts.map(\.name) == ["file", "recipient"] && parts[0].body == [1, 2] && parts[0].filename == "x.png")
    }
}
