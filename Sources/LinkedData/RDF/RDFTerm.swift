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
        var s = ""
        append(term, to: &s)
        return s
    }

    /// Appends one term as N-Quads text to `out`.
    static func append(_ term: RDFTerm, to out: inout String) {
        switch term {
        case .iri(let iri):
            out += "<"
            out += escapeIRI(iri)
            out += ">"
        case .blank(let b):
            out += "_:"
            out += b
        case .literal(let lex, let datatype, let language):
            out += "\""
            appendEscapedLiteral(lex, to: &out)
            out += "\""
            if let language {
                out += "@"
                out += language
            } else if datatype != Vocab.string {
                out += "^^<"
                out += escapeIRI(datatype)
                out += ">"
            }
        }
    }

    /// One quad as an N-Quads line, with its final newline.
    public static func serialize(_ q: RDFQuad) -> String {
        var line = ""
        line.reserveCapacity(160)
        append(q.subject, to: &line)
        line += " "
        append(q.predicate, to: &line)
        line += " "
        append(q.object, to: &line)
        if let g = q.graph {
            line += " "
            append(g, to: &line)
        }
        line += " .\n"
        return line
    }

    /// A dataset as N-Quads, one line per quad, in the order given.
    public static func serialize(_ quads: [RDFQuad]) -> String {
        quads.map { serialize($0) }.joined()
    }

    static func escapeLiteral(_ s: String) -> String {
        var out = ""
        appendEscapedLiteral(s, to: &out)
        return out
    }

    static func appendEscapedLiteral(_ s: String, to out: inout String) {
        // Most literals need no escape: appended whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out += s
            return
        }
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
    }

    static func escapeIRI(_ s: String) -> String { s }
}
