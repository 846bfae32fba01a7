import Foundation

/// An RDF term of an RDF 1.1 dataset.
public enum RDFTerm: Sendable, Hashable {
    /// An IRI (absolute).
    case iri(String)
    /// A blank node, by its label without `_:`.
    case blank(String)
    /// A literal: lexical form, datatype IRI, and language tag for `rdf:langString`.
    case literal(String, datatype: String, language: String?)

    /// The blank node label, if this is a blank node.
    public var blankLabel: String? {
        if case .blank(let b) = self { return b }
        return nil
    }
}

/// One quad; `graph` nil is the default graph.
public struct RDFQuad: Sendable, Hashable {
    public var subject: RDFTerm
    public var predicate: RDFTerm
    public var object: RDFTerm
    public var graph: RDFTerm?

    public init(subject: RDFTerm, predicate: RDFTerm, object: RDFTerm, graph: RDFTerm? = nil) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }
}

/// Well-known IRIs.
enum Vocab {
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xsd = "http://www.w3.org/2001/XMLSchema#"
    static let type = rdf + "type"
    static let first = rdf + "first"
    static let rest = rdf + "rest"
    static let rdfNil = rdf + "nil"
    static let langString = rdf + "langString"
    static let json = rdf + "JSON"
    static let string = xsd + "string"
    static let boolean = xsd + "boolean"
    static let integer = xsd + "integer"
    static let double = xsd + "double"
}

/// N-Quads serialization in the canonical form of RDFC-1.0 (RDF 1.1 N-Quads, §4.3 of RDF Dataset Canonicalization).
public enum NQuads {
    /// One term as N-Quads text.
    public static func serialize(_ term: RDFTerm) -> String {
        switch term {
        case .iri(let iri): return "<" + escapeIRI(iri) + ">"
        case .blank(let b): return "_:" + b
        case .literal(let lex, let datatype, let language):
            var s = "\"" + escapeLiteral(lex) + "\""
            if let language {
                s += "@" + language
            } else if datatype != Vocab.string {
                s += "^^<" + escapeIRI(datatype) + ">"
            }
            return s
        }
    }

    /// One quad as an N-Quads line, with its final newline.
    public static func serialize(_ q: RDFQuad) -> String {
        var line = serialize(q.subject) + " " + serialize(q.predicate) + " " + serialize(q.object)
        if let g = q.graph { line += " " + serialize(g) }
        return line + " .\n"
    }

    /// A dataset as N-Quads, one line per quad, in the order given.
    public static func serialize(_ quads: [RDFQuad]) -> String {
        quads.map { serialize($0) }.joined()
    }

    static func escapeLiteral(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u" + String(format: "%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    static func escapeIRI(_ s: String) -> String { s }
}
