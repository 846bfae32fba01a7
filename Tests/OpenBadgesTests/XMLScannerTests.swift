import Foundation
import Testing

@testable import OpenBadges

private func scan(_ s: String, limits: XMLScanLimits = XMLScanLimits()) throws -> XMLScannedDocument {
    try XMLScanner.scan(Array(s.utf8), limits: limits)
}

private func code(_ s: String, limits: XMLScanLimits = XMLScanLimits()) -> BakingError.Code? {
    do {
        _ = try scan(s, limits: limits)
        return nil
    } catch let error as BakingError {
        return error.code
    } catch {
        return nil
    }
}

private func slice(_ s: String, _ r: Range<Int>) -> String {
    String(decoding: Array(s.utf8)[r], as: UTF8.self)
}

struct XMLScannerTests {
    @Test func rangesAndStructure() throws {
        let s = #"<a x="1"><b/>t<c y='2' >u</c ></a>"#
        let d = try scan(s)
        #expect(d.elements.map(\.qualifiedName) == ["a", "b", "c"])
        let a = d.elements[0]
        let b = d.elements[1]
        let c = d.elements[2]
        #expect(slice(s, a.startTag) == #"<a x="1">"#)
        #expect(slice(s, a.content) == #"<b/>t<c y='2' >u</c >"#)
        #expect(slice(s, a.endTag!) == "</a>")
        #expect(a.attributesEnd == 8)
        #expect(slice(s, a.startTagClose) == ">")
        #expect(b.isEmptyElementTag && b.endTag == nil && b.content.isEmpty)
        #expect(slice(s, b.startTagClose) == "/>")
        #expect(slice(s, c.outerRange) == "<c y='2' >u</c >")
        #expect(slice(s, c.attributes[0].spliceRange) == " y='2'")
        #expect(slice(s, c.attributes[0].valueRange) == "2")
        #expect(b.parent == 0 && c.parent == 0 && a.parent == nil)
        #expect(a.depth == 1 && c.depth == 2)
        #expect(a.text == "t" && c.text == "u")
    }

    @Test func namespacesAreScoped() throws {
        let s = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:p="urn:one">
              <p:x p:a="1" b="2"/>
              <g xmlns:p="urn:two"><p:x/></g>
              <p:x/>
              <h xmlns=""><y/></h>
              <z xml:lang="fr"/>
            </svg>
            """
        let d = try scan(s)
        let names = d.elements.map { "{\($0.namespaceURI ?? "")}\($0.localName)" }
        #expect(
            names == [
                "{http://www.w3.org/2000/svg}svg", "{urn:one}x", "{http://www.w3.org/2000/svg}g", "{urn:two}x",
                "{urn:one}x", "{}h", "{}y", "{http://www.w3.org/2000/svg}z",
            ])
        #expect(d.elements[1].attribute("a", namespace: "urn:one")?.value == "1")
        #expect(d.elements[1].attribute("b")?.value == "2")
        #expect(d.elements[7].attribute("lang", namespace: XMLScanner.xmlNamespace)?.value == "fr")
        #expect(d.root.namespaceDeclarations.map(\.uri) == ["http://www.w3.org/2000/svg", "urn:one"])
    }

    @Test func namespaceErrors() {
        #expect(code("<p:a/>") == .malformedImage)
        #expect(code(#"<a xmlns:p="urn:x"><b/></a><!-- --><p:c/>"#) == .malformedImage)
        #expect(code(#"<a xmlns:p="urn:x"><b xmlns:p="urn:y"/><p:c q:r="1"/></a>"#) == .malformedImage)
        #expect(code(#"<a xmlns:p="urn:x" xmlns:q="urn:x" p:r="1" q:r="2"/>"#) == .malformedImage)
        #expect(code(#"<a xmlns:p=""/>"#) == .malformedImage)
        #expect(code(#"<a xmlns:xmlns="urn:x"/>"#) == .malformedImage)
        #expect(code(#"<a xmlns:xml="urn:x"/>"#) == .malformedImage)
        #expect(code(#"<a:b:c xmlns:a="urn:x"/>"#) == .malformedImage)
        #expect(code(#"<a xmlns:p="urn:x"><p:b></p:b></a>"#) == nil)
        // Scoping: the binding disappears after the declaring element.
        #expect(code(#"<a><b xmlns:p="urn:x"/><p:c/></a>"#) == .malformedImage)
    }

    @Test func referencesAndNormalisation() throws {
        let s =
            "<a v=\"&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#xe9;&#x1F600;\" w=\"x\ty\r\nz\">1\r\n2\r3&#13;<![CDATA[&amp;\r\n]]></a>"
        let d = try scan(s)
        #expect(d.root.attribute("v")?.value == "<>&'\"ABé😀")
        #expect(d.root.attribute("w")?.value == "x y z")
        #expect(d.root.text == "1\n2\n3\r&amp;\n")
    }

    @Test(arguments: [
        "<a>&foo;</a>", "<a>&amp</a>", "<a>& b</a>", "<a>&#;</a>", "<a>&#x;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>",
        "<a>&#x110000;</a>", "<a>&#99999999999999999999;</a>", "<a>&#12a;</a>", #"<a b="&nbsp;"/>"#,
    ])
    func badReferences(_ s: String) {
        #expect(code(s) == .malformedImage)
    }

    @Test(arguments: [
        "", "   ", "<!-- only a comment -->", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a/>x",
        "x<a/>", "<a/>&amp;", "<a b=\"1\" b=\"2\"/>", "<a b=\"<\"/>", "<a b=1/>", "<a b=\"1\"c=\"2\"/>", "<a b/>",
        "<1a/>", "<a></a >x</a>", "</a>", "<a>]]></a>", "<a><!-- -- --></a>", "<a><!-- x", "<a><![CDATA[ x</a>",
        "<a><? x?></a>", "<a><?xml x?></a>", "<a/><?xml version=\"1.0\"?>", "<a", "<a b=\"1\"", "<a/ >",
        "<!DOCTYPE a><!DOCTYPE a><a/>", "<a/><!DOCTYPE a>", "<![CDATA[x]]><a/>", "<a><!ELEMENT a ANY></a>",
        "<?xml version=\"2.0\"?><a/>", "<?xml encoding=\"UTF-8\"?><a/>", "<?xml version=\"1.0\" foo=\"bar\"?><a/>",
        "<a>\u{0001}</a>", "<a>\u{FFFE}</a>",
    ])
    func notWellFormed(_ s: String) {
        #expect(code(s) == .malformedImage)
    }

    @Test func invalidUTF8() {
        for bytes: [UInt8] in [
            [0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E], [0x3C, 0x61, 0x3E, 0xC0, 0x80, 0x3C, 0x2F, 0x61, 0x3E],
            [0x3C, 0x61, 0x3E, 0xED, 0xA0, 0x80, 0x3C, 0x2F, 0x61, 0x3E], [0x3C, 0x61, 0x3E, 0xE2, 0x82],
        ] {
            #expect(throws: BakingError.self) { try XMLScanner.scan(bytes) }
        }
    }

    @Test(arguments: [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
        "<?xml version='1.0' encoding='us-ascii' standalone='yes'?><a/>",
        "<?xml version=\"1.1\"?>\n<a/>", "<!DOCTYPE svg><a/>", "<!DOCTYPE svg  >\n<a/>",
        "\n<a/>\n<!-- c -->\n<?pi x?>\n",
        "<a><?pi?><!----><![CDATA[]]></a>", "<a\n b\t=\r\n'1'\n/>", "<é:ü xmlns:é=\"urn:é\" é:ñ=\"1\"/>",
    ])
    func wellFormed(_ s: String) {
        #expect(code(s) == nil)
    }

    @Test func encodings() {
        #expect(code("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>") == .malformedImage)
        #expect(code("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>") == .malformedImage)
        #expect(throws: BakingError.self) {
            try XMLScanner.scan([0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x61, 0x00, 0x2F, 0x00, 0x3E])
        }
        #expect(throws: BakingError.self) { try XMLScanner.scan([0x3C, 0x00, 0x61, 0x00, 0x2F, 0x00, 0x3E, 0x00]) }
        let withBOM = try? XMLScanner.scan([0xEF, 0xBB, 0xBF] + Array("<a/>".utf8))
        #expect(withBOM?.byteOrderMarkLength == 3)
        #expect(withBOM?.root.startTag == 3..<7)
    }

    @Test func doctypeSafety() {
        #expect(code("<!DOCTYPE a [ <!ENTITY x \"y\"> ]><a>&x;</a>") == .unsafeXML)
        #expect(code("<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>") == .unsafeXML)
        #expect(code("<!DOCTYPE a PUBLIC \"-//x\" \"http://example.org/x.dtd\"><a/>") == .unsafeXML)
        #expect(code("<!DOCTYPE a []><a/>") == .unsafeXML)
    }

    @Test func limits() {
        var limits = XMLScanLimits()
        limits.maxDepth = 3
        #expect(code("<a><b><c/></b></a>", limits: limits) == nil)
        #expect(code("<a><b><c><d/></c></b></a>", limits: limits) == .unsafeXML)
        limits = XMLScanLimits()
        limits.maxAttributesPerElement = 2
        #expect(code(#"<a x="1" y="2"/>"#, limits: limits) == nil)
        #expect(code(#"<a x="1" y="2" z="3"/>"#, limits: limits) == .unsafeXML)
        limits = XMLScanLimits()
        limits.maxElements = 2
        #expect(code("<a><b/><c/></a>", limits: limits) == .unsafeXML)
        limits = XMLScanLimits()
        limits.maxBytes = 10
        #expect(code("<a>0123456789</a>", limits: limits) == .imageTooLarge)
    }

    @Test func hugeFlatDocumentsAndManyAttributesAreHandled() throws {
        // 300 attributes: refused by the default limit, without quadratic behaviour.
        let attrs = (0..<300).map { " a\($0)=\"\($0)\"" }.joined()
        #expect(code("<a\(attrs)/>") == .unsafeXML)
        #expect(code("<a>" + String(repeating: "<b/>", count: 20_000) + "</a>") == nil)
    }

    @Test func scanning100KBRepeatedlyIsStable() throws {
        var s =
            #"<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1000 1000">"#
        var k = 0
        while s.utf8.count < 100_000 {
            s +=
                ##"<g id="g\##(k)" transform="translate(\##(k) \##(k))"><path d="M0 0 L10 10 C 20 20, 40 20, 50 10 Z" fill="#a0b0c0"/><text x="1" y="2">Caf&#233; &amp; th\##u{E9}</text></g>"##
            s += "\n"
            k += 1
        }
        s += "</svg>"
        let bytes = Array(s.utf8)
        for _ in 0..<5 {
            let d = try XMLScanner.scan(bytes)
            #expect(d.elements.count == 1 + 3 * k)
        }
    }

    @Test func deepNestingFixtureFails() throws {
        let bytes = try SVGFixtures.bytes("malformed/svg-deep-nesting.svg")
        #expect(throws: BakingError.self) { try XMLScanner.scan(bytes) }
    }

    @Test func rootStartTagOnly() throws {
        let root = try XMLScanner.scanRootStartTag(
            Array("<?xml version=\"1.0\"?><!-- c --><svg xmlns=\"http://www.w3.org/2000/svg\"><unclosed>".utf8))
        #expect(root.localName == "svg" && root.namespaceURI == "http://www.w3.org/2000/svg")
    }

    @Test func errorMessagesAreBilingual() {
        do {
            _ = try scan("<a></b>")
            Issue.record("expected an error")
        } catch let error as BakingError {
            #expect(error.messageFR.contains("balise fermante"))
            #expect(error.messageEN.contains("end tag"))
            #expect(error.description.contains(" / "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
