import Foundation
import OpenBadges
import TestSupport
import Testing

/// SVG 1.1 files exported by design tools carry the W3C public DOCTYPE; it is accepted (never fetched), while
/// any other external identifier or internal subset stays refused.
struct SVGDoctypeTests {
    let jws = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"

    @Test func standardSVG11DoctypeBakesAndUnbakes() throws {
        let svg = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-badge-svg11-doctype.svg")))
        let baked = try SVGBaker.bake(svg: svg, signature: jws)
        #expect(try SVGBaker.unbake(svg: baked) == jws)
        #expect(String(decoding: baked, as: UTF8.self).contains("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\""))
    }

    @Test(arguments: [
        #"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "file:///etc/passwd">"#,
        #"<!DOCTYPE svg PUBLIC "-//EVIL//DTD X//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">"#,
        #"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY a "b">]>"#,
        #"<!DOCTYPE svg SYSTEM "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">"#,
    ])
    func otherDoctypesStayRefused(doctype: String) {
        let svg = Array("<?xml version=\"1.0\"?>\n\(doctype)\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)
        #expect(throws: BakingError.self) { try SVGBaker.bake(svg: svg, signature: jws) }
        do {
            _ = try SVGBaker.bake(svg: svg, signature: jws)
        } catch let e as BakingError {
            #expect(e.code == .unsafeXML)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
