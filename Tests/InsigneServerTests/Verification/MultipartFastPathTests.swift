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
}
