/// A line of N-Quads text that cannot be read.
public struct NQuadsSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String {
        "N-Quads invalide ligne \(line) / invalid N-Quads at line \(line): \(reason)"
    }
}

extension NQuads {
    /// Parses RDF 1.1 N-Quads (comments, `\u`/`\U`/ECHAR escapes, language tags, datatypes). Duplicate quads
    /// are kept once, in the order first met.
    public static func parse(_ text: String) throws(NQuadsSyntaxError) -> [RDFQuad] {
        var quads: [RDFQuad] = []
        var seen = Set<RDFQuad>()
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = NQuadsLine(scalars: Array(raw.unicodeScalars), number: number)
            guard let quad = try line.parseQuad() else { continue }
            if seen.insert(quad).inserted { quads.append(quad) }
        }
        return quads
    }
}

struct NQuadsLine {
    let scalars: [Unicode.Scalar]
    let number: Int
    var i = 0

    init(scalars: [Unicode.Scalar], number: Int) {
        self.scalars = scalars
        self.number = number
    }

    func fail(_ reason: String) -> NQuadsSyntaxError { NQuadsSyntaxError(line: number, reason: reason) }

    var current: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    mutating func skipSpace() {
        while let c = current, c == " " || c == "\t" || c == "\r" { i += 1 }
    }

    mutating func parseQuad() throws(NQuadsSyntaxError) -> RDFQuad? {
        skipSpace()
        guard let c = current, c != "#" else { return nil }
        let subject = try parseTerm()
        if case .literal = subject { throw fail("a subject cannot be a literal") }
        return try rest(subject)
    }

    mutating func rest(_ subject: RDFTerm) throws(NQuadsSyntaxError) -> RDFQuad {
        skipSpace()
        let predicate = try parseTerm()
        guard case .iri = predicate else { throw fail("the predicate must be an IRI") }
        skipSpace()
        let object = try parseTerm()
        skipSpace()
        var graph: RDFTerm?
        if current != "." {
            let g = try parseTerm()
            if case .literal = g { throw fail("a graph name cannot be a literal") }
            graph = g
            skipSpace()
        }
        guard current == "." else { throw fail("expected '.'") }
        i += 1
        skipSpace()
        if let c = current, c != "#" { throw fail("trailing characters") }
        return RDFQuad(subject: subject, predicate: predicate, object: object, graph: graph)
    }

    mutating func parseTerm() throws(NQuadsSyntaxError) -> RDFTerm {
        switch current {
        case "<": return .iri(try parseIRI())
        case "_":
            i += 1
            guard current == ":" else { throw fail("expected '_:'") }
            i += 1
            let start = i
            while let c = current, !(c == " " || c == "\t" || c == "<" || c == "\"") {
                if c == ".", i + 1 >= scalars.count || [" ", "\t", "#"].contains(scalars[i + 1]) { break }
                i += 1
            }
            guard i > start else { throw fail("empty blank node label") }
            var label = ""
            label.unicodeScalars.append(contentsOf: scalars[start..<i])
            return .blank(label)
        case "\"": return try parseLiteral()
        default: throw fail("expected a term")
        }
    }

    mutating func parseIRI() throws(NQuadsSyntaxError) -> String {
        i += 1
        var out = ""
        while true {
            guard let c = current else { throw fail("unterminated IRI") }
            i += 1
            if c == ">" { break }
            if c == "\\" {
                out.unicodeScalars.append(try parseUChar())
            } else if c == " " || c == "<" || c == "\"" || c == "{" || c == "}" || c == "|" || c == "^" || c == "`"
                || c.value <= 0x20
            {
                throw fail("invalid character in IRI")
            } else {
                out.unicodeScalars.append(c)
            }
        }
        guard out.utf8.contains(UInt8(ascii: ":")) else { throw fail("relative IRI") }
        return out
    }

    mutating func parseUChar() throws(NQuadsSyntaxError) -> Unicode.Scalar {
        guard let kind = current, kind == "u" || kind == "U" else { throw fail("invalid escape") }
        let n = kind == "u" ? 4 : 8
        guard i + 1 + n <= scalars.count else { throw fail("truncated escape") }
        var hex = ""
        hex.unicodeScalars.append(contentsOf: scalars[(i + 1)..<(i + 1 + n)])
        guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else { throw fail("invalid \\u escape") }
        i += 1 + n
        return u
    }

    mutating func parseLiteral() throws(NQuadsSyntaxError) -> RDFTerm {
        i += 1
        var lex = ""
        while true {
            guard let c = current else { throw fail("unterminated literal") }
            i += 1
            if c == "\"" { break }
            guard c == "\\" else {
                if c == "\n" || c == "\r" { throw fail("newline in literal") }
                lex.unicodeScalars.append(c)
                continue
            }
            switch current {
            case "t": lex += "\t"
            case "b": lex += "\u{08}"
            case "n": lex += "\n"
            case "r": lex += "\r"
            case "f": lex += "\u{0C}"
            case "\"": lex += "\""
            case "'": lex += "'"
            case "\\": lex += "\\"
            case "u", "U":
                lex.unicodeScalars.append(try parseUChar())
                continue
            default: throw fail("invalid escape in literal")
            }
            i += 1
        }
        if current == "@" {
            i += 1
            let start = i
            while let c = current, c.properties.isAlphabetic || c == "-" || ("0"..."9").contains(c) { i += 1 }
            guard i > start else { throw fail("empty language tag") }
            var tag = ""
            tag.unicodeScalars.append(contentsOf: scalars[start..<i])
            return .literal(lex, datatype: Vocab.langString, language: tag)
        }
        if current == "^" {
            guard i + 1 < scalars.count, scalars[i + 1] == "^" else { throw fail("expected '^^'") }
            i += 2
            guard current == "<" else { throw fail("expected a datatype IRI") }
            return .literal(lex, datatype: try parseIRI(), language: nil)
        }
        return .literal(lex, datatype: Vocab.string, language: nil)
    }
}
