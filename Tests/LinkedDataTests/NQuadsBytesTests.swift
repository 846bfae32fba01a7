import LinkedData
import Testing

/// RDFC-1.0 writes its canonical lines as bytes (one buffer, sorted and deduplicated by byte comparison): they must
/// be exactly what the `String` serializer gives for the same quads, escapes included.
struct NQuadsBytesTests {
    static let tricky: [RDFQuad] = {
        let p = RDFTerm.iri("http://example.org/p")
        let literals: [RDFTerm] = [
            .literal("plain", datatype: "http://www.w3.org/2001/XMLSchema#string", language: nil),
            .literal(
                "guillemets \"« »\" et \\ barre", datatype: "http://www.w3.org/2001/XMLSchema#string", language: nil),
            .literal("lignes\n\r\tfin\u{08}\u{0C}", datatype: "http://www.w3.org/2001/XMLSchema#string", language: nil),
            .literal(
                "contrôle \u{01}\u{1F}\u{7F} é 漢 😀", datatype: "http://www.w3.org/2001/XMLSchema#string", language: nil),
            .literal("bonjour", datatype: "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", language: "fr-fr"),
            .literal("42", datatype: "http://www.w3.org/2001/XMLSchema#integer", language: nil),
            .literal("", datatype: "http://www.w3.org/2001/XMLSchema#string", language: nil),
        ]
        var quads: [RDFQuad] = []
        for (i, o) in literals.enumerated() {
            quads.append(RDFQuad(subject: .blank("n\(i % 3)"), predicate: p, object: o))
            quads.append(
                RDFQuad(subject: .iri("http://example.org/s\(i)"), predicate: p, object: o, graph: .blank("g")))
        }
        quads.append(RDFQuad(subject: .blank("n0"), predicate: p, object: .blank("n1"), graph: .iri("http://ex/g")))
        quads.append(RDFQuad(subject: .blank("n1"), predicate: p, object: .blank("n1")))
        quads.append(quads[0])  // a duplicate: written once
        return quads
    }()

    @Test func canonicalBytesEqualTheStringSerialization() throws {
        let result = try RDFC10().canonicalize(Self.tricky)
        #expect(result.quads.count == Self.tricky.count - 1)
        #expect(result.nquads == NQuads.serialize(result.quads))
        let lines = result.nquads.split(separator: "\n").map(String.init)
        #expect(lines == lines.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(result.nquads.contains(#""contrôle \u0001\u001F\u007F é 漢 😀""#))
        #expect(result.nquads.contains(#""lignes\n\r\tfin\b\f""#))
    }

    @Test func canonicalBytesOfADocumentAreItsCanonicalNQuads() throws {
        let document = try LDJSON(
            parsing: """
                {"@context": {"@vocab": "http://example.org/", "knows": {"@type": "@id"}},
                 "name": "Élodie \\"la\\" première\\n", "knows": {"name": "x"}, "tags": ["b", "a", "a"]}
                """)
        let bytes = try LinkedData.canonicalBytes(of: document)
        #expect(bytes == Array(try LinkedData.canonicalNQuads(of: document).utf8))
        #expect(String(decoding: bytes, as: UTF8.self).contains("_:c14n0"))
    }
}

/// The public RFC 3986 resolver (the examples of RFC 3986 §5.4).
struct IRIReferenceTests {
    @Test func resolvesTheRFC3986Examples() {
        let base = "http://a/b/c/d;p?q"
        let cases: [(String, String)] = [
            ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"), ("", "http://a/b/c/d;p?q"), ("../..", "http://a/"),
            ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("g;x=1/../y", "http://a/b/c/y"),
        ]
        for (reference, expected) in cases {
            #expect(IRIReference.resolve(reference, against: base) == expected, "\(reference)")
        }
        #expect(IRIReference.isAbsolute("urn:x") && !IRIReference.isAbsolute("a/b:c"))
    }
}
