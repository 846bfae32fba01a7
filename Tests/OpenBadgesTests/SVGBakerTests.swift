import Foundation
import Testing

@testable import OpenBadges

/// Locates the repository's `Fixtures/` directory from this source file.
enum SVGFixtures {
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.appendingPathComponent("Fixtures")
            }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }
}

private func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }
private func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

private func expectCode(
    _ code: BakingError.Code, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        try body()
        Issue.record("expected BakingError.\(code), got success", sourceLocation: sourceLocation)
    } catch let error as BakingError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.messageFR.isEmpty && !error.messageEN.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

private let jws =
    "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6Imh0dHBzOi8vZXhhbXBsZS5vcmcvYXNzZXJ0aW9ucy8xMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmVfLQ"

private let simpleSVG = """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
      <circle cx="5" cy="5" r="4"/>
    </svg>
    """

struct SVGBakerTests {
    // MARK: Round trips

    @Test func signedRoundTrip() throws {
        let baked = try SVGBaker.bake(svg: utf8(simpleSVG), signature: jws)
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        let s = text(baked)
        #expect(s.contains("xmlns:openbadges=\"http://openbadges.org\""))
        #expect(
            s.contains(
                "viewBox=\"0 0 10 10\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"\(jws)\"/>\n  <circle"
            ))
        // Everything else is byte-identical.
        let expected = simpleSVG.replacingOccurrences(
            of: "viewBox=\"0 0 10 10\">",
            with:
                "viewBox=\"0 0 10 10\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"\(jws)\"/>"
        )
        #expect(s == expected)
    }

    @Test func hostedRoundTripWithCDATATerminatorInJSON() throws {
        let json = #"{"id": "https://example.org/assertions/123", "narrative": "a]]>b ]]]]> c", "x": "<&>"}"#
        let url = "https://example.org/assertions/123?a=1&b=\"2\""
        let baked = try SVGBaker.bake(svg: utf8(simpleSVG), assertionURL: url, assertionJSON: json)
        #expect(try SVGBaker.unbake(svg: baked) == json)
        let s = text(baked)
        #expect(s.contains("verify=\"https://example.org/assertions/123?a=1&amp;b=&quot;2&quot;\""))
        #expect(s.contains("<![CDATA["))
        // The attribute value survives too.
        let document = try XMLScanner.scan(baked)
        let assertion = try #require(document.elements.first { $0.localName == "assertion" })
        #expect(assertion.attribute("verify")?.value == url)
        #expect(assertion.parent == 0)
    }

    @Test func cdataSplitting() {
        #expect(SVGBaker.cdataSections("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>")
        #expect(SVGBaker.cdataSections("plain") == "<![CDATA[plain]]>")
    }

    @Test func attributeEscaping() throws {
        #expect(
            try SVGBaker.escapeAttribute("a&b<c>\"d\"\te\nf\rg") == "a&amp;b&lt;c&gt;&quot;d&quot;&#9;e&#10;f&#13;g")
        #expect(throws: BakingError.self) { try SVGBaker.escapeAttribute("bad\u{1}") }
    }

    @Test func rebakingReplaces() throws {
        let once = try SVGBaker.bake(svg: utf8(simpleSVG), signature: jws)
        let twice = try SVGBaker.bake(
            svg: once, assertionURL: "https://example.org/a/1", assertionJSON: #"{"id":"https://example.org/a/1"}"#)
        let document = try XMLScanner.scan(twice)
        let assertions = document.elements.filter {
            $0.namespaceURI == SVGBaker.openBadgesNamespace && $0.localName == "assertion"
        }
        #expect(assertions.count == 1)
        #expect(try SVGBaker.unbake(svg: twice) == #"{"id":"https://example.org/a/1"}"#)
        // The namespace is not declared twice.
        #expect(text(twice).components(separatedBy: "xmlns:openbadges=").count == 2)
        // Baking the same thing again is stable.
        let again = try SVGBaker.bake(svg: once, signature: jws)
        #expect(again == once)
    }

    @Test func rebakingRemovesAssertionsUnderOtherPrefixesAndTwoAssertionsFixture() throws {
        let svg = try SVGFixtures.bytes("malformed/svg-two-assertions.svg")
        let baked = try SVGBaker.bake(svg: svg, signature: jws)
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        let other = """
            <svg xmlns="http://www.w3.org/2000/svg"><g><b:assertion xmlns:b="http://openbadges.org" verify="x"/></g></svg>
            """
        let baked2 = try SVGBaker.bake(svg: utf8(other), signature: jws)
        #expect(!text(baked2).contains("b:assertion"))
        #expect(try SVGBaker.unbake(svg: baked2) == jws)
    }

    // MARK: Unbaking

    @Test func differentPrefixUnbakes() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg"><b:assertion xmlns:b="http://openbadges.org" verify="\(jws)"/></svg>
            """
        #expect(try SVGBaker.unbake(svg: utf8(svg)) == jws)
    }

    @Test func prefixBoundToOtherNamespaceIsNotAnAssertion() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:not-open-badges"><openbadges:assertion verify="x"/></svg>
            """
        expectCode(.notBaked) { _ = try SVGBaker.unbake(svg: utf8(svg)) }
    }

    @Test func digestExampleLayoutUnbakes() throws {
        let svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" viewBox="0 0 512 512">
              <openbadges:assertion verify="https://example.org/assertions/123"><![CDATA[ {"id": "https://example.org/assertions/123"} ]]></openbadges:assertion>
              <circle cx="256" cy="256" r="200"/>
            </svg>
            """
        #expect(try SVGBaker.unbake(svg: utf8(svg)) == #"{"id": "https://example.org/assertions/123"}"#)
    }

    @Test func elementWithPlainBodyReturnsBody() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
              <openbadges:assertion verify="https://example.org/a">
                {"id": "https://example.org/a", "name": "R&amp;D"}
              </openbadges:assertion>
            </svg>
            """
        #expect(try SVGBaker.unbake(svg: utf8(svg)) == #"{"id": "https://example.org/a", "name": "R&D"}"#)
    }

    @Test func emptyBodyReturnsVerify() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify=" https://example.org/a "> </openbadges:assertion></svg>
            """
        #expect(try SVGBaker.unbake(svg: utf8(svg)) == "https://example.org/a")
    }

    @Test func assertionWithoutAnythingIsNonConformant() {
        let svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion/></svg>"#
        expectCode(.nonConformant) { _ = try SVGBaker.unbake(svg: utf8(svg)) }
    }

    @Test func unbakedSVGIsNotBaked() throws {
        let badge = try SVGFixtures.bytes("images/test-badge.svg")
        expectCode(.notBaked) { _ = try SVGBaker.unbake(svg: badge) }
        // An OB 3.0 element in the OB 2.0 namespace is neither.
        let wrong =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:credential verify="a.b.c"/></svg>"#
        expectCode(.notBaked) { _ = try SVGBaker.unbake(svg: utf8(wrong)) }
    }

    @Test func unbakesOB3Credentials() throws {
        let jwt =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="a.b.c"/></svg>"#
        #expect(try SVGBaker.unbake(svg: utf8(jwt)) == "a.b.c")
        let json =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential><![CDATA[ {"a":1} ]]></ob:credential></svg>"#
        #expect(try SVGBaker.unbake(svg: utf8(json)) == #"{"a":1}"#)
        let two =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential verify="a.b.c"/><ob:credential verify="a.b.c"/></svg>"#
        expectCode(.nonConformant) { _ = try SVGBaker.unbake(svg: utf8(two)) }
        let sanitized = try SVGBaker.sanitize(svg: utf8(jwt))
        #expect(String(decoding: sanitized, as: UTF8.self).contains("credential") == false)
    }

    @Test func twoAssertionsAreNonConformant() throws {
        let svg = try SVGFixtures.bytes("malformed/svg-two-assertions.svg")
        expectCode(.nonConformant) { _ = try SVGBaker.unbake(svg: svg) }
    }

    // MARK: Hardening and byte preservation

    @Test func scriptsAndEventHandlersAreRemoved() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg" onload="alert(1)" width="10">
              <script>alert(2)</script>
              <s:script type="text/ecmascript"><![CDATA[alert(3)]]></s:script>
              <foreignObject><script xmlns="http://www.w3.org/1999/xhtml">alert(4)</script></foreignObject>
              <rect width="1" height="1" onclick='alert(5)' fill="red" ONMOUSEOVER="alert(6)"/>
              <a href="javascript:alert(7)"><text>x</text></a>
              <a href="https://example.org/"><text>y</text></a>
              <a><set attributeName="onclick" to="alert(8)"/><animate attributeName="xlink:href" values="javascript:alert(9)"/></a>
              <rect><animate attributeName="x" values="0;1" dur="1s"/></rect>
            </svg>
            """
        let baked = try SVGBaker.bake(svg: utf8(svg), signature: jws)
        let s = text(baked)
        for k in 1...9 { #expect(!s.contains("alert(\(k))")) }
        #expect(s.contains(#"<rect><animate attributeName="x" values="0;1" dur="1s"/></rect>"#))
        #expect(!s.lowercased().contains("script"))
        #expect(s.contains(#"<rect width="1" height="1" fill="red"/>"#))
        #expect(
            s.contains(
                #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg" width="10" xmlns:openbadges="http://openbadges.org">"#
            ))
        #expect(s.contains(#"<a href="https://example.org/">"#))
        #expect(try SVGBaker.unbake(svg: baked) == jws)
    }

    @Test func emptyRootElement() throws {
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#
        let baked = try SVGBaker.bake(svg: utf8(svg), signature: jws)
        #expect(
            text(baked)
                == #"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="\#(jws)"/></svg>"#
        )
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        let tight = #"<svg/>"#
        let baked2 = try SVGBaker.bake(svg: utf8(tight), signature: jws)
        #expect(
            text(baked2)
                == #"<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="\#(jws)"/></svg>"#)
    }

    @Test func prefixedSVGRoot() throws {
        let svg = #"<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:rect/></s:svg>"#
        let baked = try SVGBaker.bake(svg: utf8(svg), signature: jws)
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        #expect(SVGBaker.looksLikeSVG(utf8(svg)))
    }

    @Test func byteOrderMarkIsKept() throws {
        let svg = [0xEF, 0xBB, 0xBF] + utf8(simpleSVG)
        let baked = try SVGBaker.bake(svg: svg, signature: jws)
        #expect(Array(baked.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        #expect(SVGBaker.looksLikeSVG(svg))
    }

    @Test func commentsPIsAndCDATAArePreservedByteForByte() throws {
        let head =
            "<?xml version='1.0' encoding='utf-8'?>\r\n<!-- before -->\r\n<?app data?>\r\n<!DOCTYPE svg>\r\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
        let tail =
            "\r\n  <!-- keep <me> & -->\r\n  <style><![CDATA[ a > b { fill: red } ]]></style>\r\n  <?pi inside?>\r\n  <text>caf\u{E9} &amp; &#233;&#xE9;</text>\r\n</svg>\r\n<!-- after -->\r\n"
        let svg = utf8(head + tail)
        let baked = try SVGBaker.bake(svg: svg, signature: jws)
        // The namespace was already declared: only the element is inserted.
        #expect(baked == utf8(head + "<openbadges:assertion verify=\"\(jws)\"/>" + tail))
    }

    @Test func openbadgesPrefixBoundElsewhereUsesAnotherPrefix() throws {
        let svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other" xmlns:ob="urn:other2"><openbadges:thing/></svg>"#
        let baked = try SVGBaker.bake(svg: utf8(svg), signature: jws)
        let s = text(baked)
        #expect(s.contains(#" xmlns:ob1="http://openbadges.org"><ob1:assertion verify=""#))
        #expect(s.contains("<openbadges:thing/>"))
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        // An existing other prefix bound to the namespace is reused.
        let svg2 =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other" xmlns:b="http://openbadges.org"/>"#
        let s2 = text(try SVGBaker.bake(svg: utf8(svg2), signature: jws))
        #expect(s2.contains("<b:assertion"))
        #expect(s2.components(separatedBy: "http://openbadges.org").count == 2)
    }

    @Test func bakedTestBadge() throws {
        let badge = try SVGFixtures.bytes("images/test-badge.svg")
        #expect(SVGBaker.looksLikeSVG(badge))
        let baked = try SVGBaker.bake(svg: badge, signature: jws)
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        #expect(
            baked.count == badge.count + " xmlns:openbadges=\"http://openbadges.org\"".utf8.count
                + "<openbadges:assertion verify=\"\(jws)\"/>".utf8.count)
    }

    // MARK: Payload validation

    @Test(arguments: ["", "abc", "a.b", "a..c", "a.b.c.d", "a.b.c d", "a.b.c<", "a.b+.c", "a.b/.c"])
    func invalidSignatureIsRefused(_ value: String) {
        expectCode(.invalidPayload) { _ = try SVGBaker.bake(svg: utf8(simpleSVG), signature: value) }
    }

    @Test func invalidHostedPayloadsAreRefused() {
        expectCode(.invalidPayload) {
            _ = try SVGBaker.bake(svg: utf8(simpleSVG), assertionURL: "ftp://example.org/a", assertionJSON: "{}")
        }
        expectCode(.invalidPayload) {
            _ = try SVGBaker.bake(svg: utf8(simpleSVG), assertionURL: "https://example.org/a", assertionJSON: "  ")
        }
        expectCode(.invalidPayload) {
            _ = try SVGBaker.bake(
                svg: utf8(simpleSVG), assertionURL: "https://example.org/a", assertionJSON: "{not json")
        }
        expectCode(.invalidPayload) {
            _ = try SVGBaker.bake(svg: utf8(simpleSVG), assertionURL: "https://example.org/a", assertionJSON: "[1]")
        }
    }

    // MARK: Detection

    @Test func looksLikeSVG() throws {
        #expect(SVGBaker.looksLikeSVG(utf8(simpleSVG)))
        #expect(SVGBaker.looksLikeSVG(utf8("<svg/>")))
        #expect(SVGBaker.looksLikeSVG(try SVGFixtures.bytes("malformed/svg-doctype-public.svg")))
        #expect(!SVGBaker.looksLikeSVG(try SVGFixtures.bytes("malformed/svg-not-svg-root.svg")))
        #expect(!SVGBaker.looksLikeSVG(try SVGFixtures.bytes("malformed/svg-empty.svg")))
        #expect(!SVGBaker.looksLikeSVG(try SVGFixtures.bytes("malformed/svg-utf16.svg")))
        #expect(!SVGBaker.looksLikeSVG([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(!SVGBaker.looksLikeSVG(utf8(#"{"id": "x"}"#)))
        #expect(!SVGBaker.looksLikeSVG(utf8(#"<svg xmlns="urn:not-svg"/>"#)))
    }

    // MARK: Malformed and hostile fixtures

    struct HostileCase: Sendable, CustomTestStringConvertible {
        var file: String
        var unbake: BakingError.Code
        /// nil when baking succeeds.
        var bake: BakingError.Code?
        var testDescription: String { file }
    }

    static let hostileCases: [HostileCase] = [
        .init(file: "svg-xxe-file.svg", unbake: .unsafeXML, bake: .unsafeXML),
        .init(file: "svg-billion-laughs.svg", unbake: .unsafeXML, bake: .unsafeXML),
        .init(file: "svg-doctype-public.svg", unbake: .unsafeXML, bake: .unsafeXML),
        .init(file: "svg-undeclared-entity.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-mismatched-tags.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-unclosed.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-two-roots.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-undeclared-prefix.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-deep-nesting.svg", unbake: .unsafeXML, bake: .unsafeXML),
        .init(file: "svg-not-svg-root.svg", unbake: .unsupportedFormat, bake: .unsupportedFormat),
        .init(file: "svg-utf16.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-empty.svg", unbake: .malformedImage, bake: .malformedImage),
        .init(file: "svg-two-assertions.svg", unbake: .nonConformant, bake: nil),
        .init(file: "svg-attr-duplicate.svg", unbake: .malformedImage, bake: .malformedImage),
    ]

    @Test(arguments: hostileCases)
    func hostileFixture(_ c: HostileCase) throws {
        let bytes = try SVGFixtures.bytes("malformed/" + c.file)
        expectCode(c.unbake) { _ = try SVGBaker.unbake(svg: bytes) }
        if let code = c.bake {
            expectCode(code) { _ = try SVGBaker.bake(svg: bytes, signature: jws) }
        } else {
            let baked = try SVGBaker.bake(svg: bytes, signature: jws)
            #expect(try SVGBaker.unbake(svg: baked) == jws)
        }
    }

    @Test func allMalformedSVGFixturesAreCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: SVGFixtures.root.appendingPathComponent("malformed").path
        )
        .filter { $0.hasPrefix("svg-") && $0.hasSuffix(".svg") }
        #expect(Set(names) == Set(Self.hostileCases.map(\.file)))
    }

    @Test func tooLargeIsRefused() {
        let big =
            utf8("<svg xmlns=\"http://www.w3.org/2000/svg\">") + [UInt8](repeating: 0x20, count: 5 * 1024 * 1024)
            + utf8("</svg>")
        expectCode(.imageTooLarge) { _ = try SVGBaker.bake(svg: big, signature: jws) }
        expectCode(.imageTooLarge) { _ = try SVGBaker.unbake(svg: big) }
        #expect(SVGBaker.looksLikeSVG(big))
    }
}
