import Foundation
import OpenBadgesCrypto

/// The RDFC-1.0 canonical N-Quads of exactly the credentials ``OB3CredentialBuilder`` makes, written straight from
/// the award facts, without JSON-LD expansion (issue 13 point 6: issuing speed). The quads are those the bundled
/// contexts (VC 2.0, OB 3.0.3) give each member the builder writes; the blank nodes (subject, identity object,
/// alignments, evidence and criteria without id) form a tree whose RDFC-1.0 first-degree hashes are computed here as
/// the specification does. A shape outside what is covered answers nil and the caller takes the generic path
/// (`LinkedData.canonicalNQuads`): an IRI that is not a well-formed `http(s)` IRI, a parent organisation or status
/// entry of another shape, or two blank nodes with the same first-degree hash (identical evidence or alignments,
/// which need RDFC-1.0's n-degree hashing). `OB3CanonicalQuadsTests` hold the bytes equal to the generic path's.
struct OB3CanonicalQuads {
    static let rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    static let ob = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    static let schema = "https://schema.org/"
    static let cred = "https://www.w3.org/2018/credentials#"
    static let status = "https://www.w3.org/ns/credentials/status#"
    static let sec = "https://w3id.org/security#"
    /// The OB 3.0 context types `url`, `targetUrl` with this IRI (`https`, as the context writes it).
    static let anyURI = "https://www.w3.org/2001/XMLSchema#anyURI"
    static let obBoolean = "https://www.w3.org/2001/XMLSchema#boolean"
    static let dateTime = "http://www.w3.org/2001/XMLSchema#dateTime"

    /// A subject or object node: an IRI or a blank node (its index).
    enum Node: Equatable {
        case iri(String)
        case blank(Int)
    }

    enum Object {
        case node(Node)
        case literal(String, datatype: String?)
    }

    struct Quad {
        var subject: Node
        var predicate: String
        var object: Object
    }

    struct Uncovered: Error {}

    private(set) var quads: [Quad] = []
    private(set) var blankCount = 0

    init() { quads.reserveCapacity(64) }

    // MARK: Emission

    mutating func blank() -> Node {
        blankCount += 1
        return .blank(blankCount - 1)
    }

    mutating func add(_ s: Node, _ p: String, _ o: Node) {
        quads.append(Quad(subject: s, predicate: p, object: .node(o)))
    }

    mutating func add(_ s: Node, _ p: String, iri: String) throws(Uncovered) {
        add(s, p, try Self.node(iri))
    }

    mutating func add(_ s: Node, _ p: String, literal: String?, datatype: String? = nil) {
        guard let literal else { return }
        quads.append(Quad(subject: s, predicate: p, object: .literal(literal, datatype: datatype)))
    }

    /// The node of an `id`: only absolute `http(s)` IRIs that N-Quads can write as they are (what JSON-LD expansion
    /// leaves unchanged); anything else is not covered.
    static func node(_ iri: String) throws(Uncovered) -> Node {
        guard isCoveredIRI(iri) else { throw Uncovered() }
        return .iri(iri)
    }

    static func isCoveredIRI(_ s: String) -> Bool {
        guard s.hasPrefix("https://") || s.hasPrefix("http://") else { return false }
        var hashes = 0
        var previous: UInt8 = 0
        for byte in s.utf8 {
            switch byte {
            case 0...0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "{"),
                UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "\\"),
                0x7F:
                return false
            case UInt8(ascii: "#"):
                hashes += 1
                if hashes > 1 { return false }
            case UInt8(ascii: ".") where previous == UInt8(ascii: "/"):
                // Dot segments: JSON-LD leaves absolute IRIs alone, but keep such rare ids on the generic path.
                return false
            default: break
            }
            previous = byte
        }
        return true
    }

    // MARK: Canonical form

    /// The canonical N-Quads (RDFC-1.0, SHA-256), or nil when two blank nodes share a first-degree hash.
    func canonicalNQuads() -> [UInt8]? {
        var labels = [Int](repeating: 0, count: blankCount)
        var lines = Lines(capacity: quads.count * 128, count: quads.count)
        if blankCount > 0 {
            var hashes: [(hash: [UInt8], node: Int)] = []
            hashes.reserveCapacity(blankCount)
            for b in 0..<blankCount { hashes.append((firstDegreeHash(b, scratch: &lines), b)) }
            hashes.sort { Self.precedes($0.hash, $1.hash) }
            for i in 1..<max(hashes.count, 1) where hashes[i].hash == hashes[i - 1].hash { return nil }
            for (n, h) in hashes.enumerated() { labels[h.node] = n }
        }
        let names = labels.map { Array("c14n\($0)".utf8) }
        lines.removeAll()
        for q in quads {
            lines.add { Self.line(q, to: &$0) { names[$0] } }
        }
        return lines.sortedUnique()
    }

    /// RDFC-1.0 §4.6: SHA-256 of the sorted N-Quads of the quads naming `b` (`_:a` for it, `_:z` for others), as
    /// lowercase hex bytes (the order RDFC-1.0 sorts the hashes in). `scratch` is reused between calls.
    func firstDegreeHash(_ b: Int, scratch lines: inout Lines) -> [UInt8] {
        lines.removeAll()
        for q in quads {
            let mentions =
                q.subject == .blank(b) || { if case .node(.blank(b)) = q.object { true } else { false } }()
            guard mentions else { continue }
            lines.add { Self.line(q, to: &$0) { $0 == b ? Self.labelA : Self.labelZ } }
        }
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256Digest.hash(lines.sortedUnique()) {
            hex.append(Self.lowerHex[Int(byte >> 4)])
            hex.append(Self.lowerHex[Int(byte & 15)])
        }
        return hex
    }

    static let labelA = Array("a".utf8)
    static let labelZ = Array("z".utf8)

    /// Byte order (code-point order for UTF-8).
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let n = min(pa.count, pb.count)
                guard n > 0, let x = pa.baseAddress, let y = pb.baseAddress else { return pa.count < pb.count }
                let c = memcmp(x, y, n)
                return c != 0 ? c < 0 : pa.count < pb.count
            }
        }
    }

    /// N-Quads lines written one after the other in one buffer (no array per line), then sorted in code-point
    /// order and joined without duplicates.
    struct Lines {
        private var bytes: [UInt8] = []
        private var ranges: [Range<Int>] = []

        init(capacity: Int, count: Int) {
            bytes.reserveCapacity(capacity)
            ranges.reserveCapacity(count)
        }

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
        }

        /// Appends one line written by `write`.
        mutating func add(_ write: (inout [UInt8]) -> Void) {
            let start = bytes.count
            write(&bytes)
            ranges.append(start..<bytes.count)
        }

        /// The lines sorted in code-point order, each distinct line once, joined.
        func sortedUnique() -> [UInt8] {
            bytes.withUnsafeBufferPointer { buffer -> [UInt8] in
                guard let base = buffer.baseAddress else { return [] }
                func compare(_ a: Range<Int>, _ b: Range<Int>) -> Int32 {
                    let c = memcmp(base + a.lowerBound, base + b.lowerBound, min(a.count, b.count))
                    return c != 0 ? c : (a.count < b.count ? -1 : a.count == b.count ? 0 : 1)
                }
                var order = ranges
                order.sort { compare($0, $1) < 0 }
                var out: [UInt8] = []
                out.reserveCapacity(buffer.count)
                var previous: Range<Int>? = nil
                for r in order {
                    if let p = previous, compare(p, r) == 0 { continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[r]))
                    previous = r
                }
                return out
            }
        }
    }

    /// Appends one quad as a canonical N-Quads line to `out`; `label` names blank nodes.
    static func line(_ q: Quad, to out: inout [UInt8], label: (Int) -> [UInt8]) {
        append(q.subject, to: &out, label: label)
        out.append(UInt8(ascii: " "))
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: q.predicate.utf8)
        out.append(contentsOf: "> ".utf8)
        switch q.object {
        case .node(let n): append(n, to: &out, label: label)
        case .literal(let lexical, let datatype):
            out.append(UInt8(ascii: "\""))
            appendEscaped(lexical, to: &out)
            out.append(UInt8(ascii: "\""))
            if let datatype {
                out.append(contentsOf: "^^<".utf8)
                out.append(contentsOf: datatype.utf8)
                out.append(UInt8(ascii: ">"))
            }
        }
        out.append(contentsOf: " .\n".utf8)
    }

    static func append(_ n: Node, to out: inout [UInt8], label: (Int) -> [UInt8]) {
        switch n {
        case .iri(let iri):
            out.append(UInt8(ascii: "<"))
            out.append(contentsOf: iri.utf8)
            out.append(UInt8(ascii: ">"))
        case .blank(let b):
            out.append(contentsOf: "_:".utf8)
            out.append(contentsOf: label(b))
        }
    }

    static let lowerHex = Array("0123456789abcdef".utf8)
    static let upperHex = Array("0123456789ABCDEF".utf8)

    /// RDFC-1.0 literal escapes: `"` `\` and the C0 controls and DEL (`\n` `\r` `\t` `\b` `\f`, else `\uXXXX`).
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(contentsOf: s.utf8)
            return
        }
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, upperHex[Int(c >> 4)], upperHex[Int(c & 15)],
                ])
            default: out.append(c)
            }
        }
    }
}
