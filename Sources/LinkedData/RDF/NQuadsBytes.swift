import Foundation

/// Canonical N-Quads written as UTF-8 bytes into one buffer, the lines of a dataset kept as ranges of it: what
/// RDFC-1.0 sorts, deduplicates and hashes without building a `String` per line.
struct NQuadsLines {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity * 128)
        ranges.reserveCapacity(capacity)
    }

    /// Appends `quad` as one line, each blank node label replaced by `label(old)`.
    mutating func append(_ quad: RDFQuad, label: (String) -> String) {
        let start = bytes.count
        Self.append(quad.subject, to: &bytes, label: label)
        bytes.append(0x20)
        Self.append(quad.predicate, to: &bytes, label: label)
        bytes.append(0x20)
        Self.append(quad.object, to: &bytes, label: label)
        if let g = quad.graph {
            bytes.append(0x20)
            Self.append(g, to: &bytes, label: label)
        }
        bytes.append(contentsOf: [0x20, 0x2E, 0x0A])
        ranges.append(start..<bytes.count)
    }

    /// The line indices in code point (UTF-8 byte) order.
    func sortedIndices() -> [Int] {
        var order = Array(ranges.indices)
        bytes.withUnsafeBufferPointer { b in
            order.sort { Self.compare(b, ranges[$0], ranges[$1]) < 0 }
        }
        return order
    }

    /// Lines `i` and `j` are the same bytes.
    func same(_ i: Int, _ j: Int) -> Bool {
        bytes.withUnsafeBufferPointer { Self.compare($0, ranges[i], ranges[j]) == 0 }
    }

    static func compare(_ b: UnsafeBufferPointer<UInt8>, _ x: Range<Int>, _ y: Range<Int>) -> Int32 {
        let n = min(x.count, y.count)
        let c = n == 0 ? 0 : memcmp(b.baseAddress! + x.lowerBound, b.baseAddress! + y.lowerBound, n)
        if c != 0 { return c }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    static func append(_ term: RDFTerm, to out: inout [UInt8], label: (String) -> String) {
        switch term {
        case .iri(let iri):
            out.append(0x3C)
            out.append(contentsOf: iri.utf8)
            out.append(0x3E)
        case .blank(let b):
            out.append(contentsOf: [0x5F, 0x3A])
            out.append(contentsOf: label(b).utf8)
        case .literal(let lex, let datatype, let language):
            out.append(0x22)
            appendEscaped(lex, to: &out)
            out.append(0x22)
            if let language {
                out.append(0x40)
                out.append(contentsOf: language.utf8)
            } else if datatype != Vocab.string {
                out.append(contentsOf: [0x5E, 0x5E, 0x3C])
                out.append(contentsOf: datatype.utf8)
                out.append(0x3E)
            }
        }
    }

    /// A literal's lexical form escaped as `NQuads.appendEscapedLiteral` does, byte by byte (every byte of a
    /// multi-byte UTF-8 sequence is ≥ 0x80, so it is copied as is).
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(contentsOf: utf8)
            return
        }
        let hex = Array("0123456789ABCDEF".utf8)
        for c in utf8 {
            switch c {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0x0F)]])
            default: out.append(c)
            }
        }
    }
}
