import Foundation
import OpenBadgesCrypto

/// RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024), with a work limit against poison graphs.
public struct RDFC10: Sendable {
    /// The hash function of the algorithm (SHA-256 by default).
    public enum HashAlgorithm: Sendable {
        case sha256
        case sha384

        func hex(_ text: String) -> String { hex(bytes: Array(text.utf8)) }

        func hex(bytes: [UInt8]) -> String {
            let digest = self == .sha256 ? SHA256Digest.hash(bytes) : SHA384Digest.hash(bytes)
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(digest.count * 2)
            for byte in digest {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The canonical form and the map from input blank node labels to canonical ones (`c14n0`, …).
    public struct Result: Sendable {
        public var quads: [RDFQuad]
        public var nquads: String
        public var issued: [String: String]
        /// Work units spent (calls to Hash N-Degree Quads plus permutations tried), against the limit.
        public var work: Int
    }

    /// Default work limit: calls to Hash N-Degree Quads plus permutations tried. A credential needs a few dozen; the hardest positive W3C test 3,348.
    public static let defaultWorkLimit = 20_000

    public var hashAlgorithm: HashAlgorithm
    public var workLimit: Int

    public init(hashAlgorithm: HashAlgorithm = .sha256, workLimit: Int = RDFC10.defaultWorkLimit) {
        self.hashAlgorithm = hashAlgorithm
        self.workLimit = workLimit
    }

    /// Canonical N-Quads of `dataset` (sorted lines, blank nodes relabelled `c14n0`, `c14n1`, …).
    public static func canonicalize(_ dataset: [RDFQuad]) throws(LinkedDataError) -> String {
        try RDFC10().canonicalize(dataset).nquads
    }

    /// Runs the algorithm; throws ``LinkedDataError/tooComplex(limit:)`` past the work limit.
    public func canonicalize(_ dataset: [RDFQuad]) throws(LinkedDataError) -> Result {
        let c = try canonicalLines(dataset)
        return Result(
            quads: c.kept.map { Self.relabel(dataset[$0], c.issued) }, nquads: String(decoding: c.bytes, as: UTF8.self),
            issued: c.issued, work: c.work)
    }

    /// The canonical N-Quads as UTF-8 bytes, the indices in `dataset` of the quads kept (in canonical order), the
    /// canonical labels and the work spent.
    func canonicalLines(_ dataset: [RDFQuad]) throws(LinkedDataError) -> (
        bytes: [UInt8], kept: [Int], issued: [String: String], work: Int
    ) {
        var run = CanonicalizationRun(hash: hashAlgorithm, workLimit: workLimit, dataset: dataset)
        try run.issueAll()
        let issued = run.canonical.issued
        // Every quad written once into one buffer; lines sorted by code point (byte order), a line equal to the
        // one before it (a duplicate quad) dropped.
        var lines = NQuadsLines(capacity: dataset.count)
        for q in dataset { lines.append(q) { issued[$0] ?? $0 } }
        var out: [UInt8] = []
        out.reserveCapacity(lines.bytes.count)
        var kept: [Int] = []
        kept.reserveCapacity(dataset.count)
        for i in lines.sortedIndices() {
            if let previous = kept.last, lines.same(previous, i) { continue }
            kept.append(i)
            out.append(contentsOf: lines.bytes[lines.ranges[i]])
        }
        return (out, kept, issued, run.work)
    }

    static func relabel(_ q: RDFQuad, _ issued: [String: String]) -> RDFQuad {
        func relabel(_ t: RDFTerm) -> RDFTerm {
            if case .blank(let b) = t { return .blank(issued[b] ?? b) }
            return t
        }
        return RDFQuad(
            subject: relabel(q.subject), predicate: q.predicate, object: relabel(q.object), graph: q.graph.map(relabel))
    }
}

/// The identifier issuer of RDFC-1.0 §4.5 (a value: copying it is the spec's "copy").
struct IdentifierIssuer: Sendable {
    let prefix: String
    var counter = 0
    var issued: [String: String] = [:]
    var order: [String] = []

    init(prefix: String) { self.prefix = prefix }

    mutating func issue(_ existing: String) -> String {
        if let id = issued[existing] { return id }
        let id = prefix + String(counter)
        counter += 1
        issued[existing] = id
        order.append(existing)
        return id
    }
}

struct CanonicalizationRun {
    let hash: RDFC10.HashAlgorithm
    let workLimit: Int
    var work = 0
    let dataset: [RDFQuad]
    /// Blank node label → indices of the quads that mention it in `dataset`.
    var blankNodeToQuads: [String: [Int]] = [:]
    var canonical = IdentifierIssuer(prefix: "c14n")
    var firstDegreeCache: [String: String] = [:]

    init(hash: RDFC10.HashAlgorithm, workLimit: Int, dataset: [RDFQuad]) {
        self.hash = hash
        self.workLimit = workLimit
        self.dataset = dataset
        for (i, q) in dataset.enumerated() {
            if case .blank(let b) = q.subject { blankNodeToQuads[b, default: []].append(i) }
            if case .blank(let b) = q.object { blankNodeToQuads[b, default: []].append(i) }
            if case .blank(let b) = q.graph { blankNodeToQuads[b, default: []].append(i) }
        }
    }

    /// Code point order, which is UTF-8 byte order.
    static func byCodePoint(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    mutating func countWork() throws(LinkedDataError) {
        work += 1
        if work > workLimit { throw LinkedDataError.tooComplex(limit: workLimit) }
    }

    /// §4.4.3 steps 3–5: first-degree hashes, unique ones issued at once, the others through N-degree hashes.
    mutating func issueAll() throws(LinkedDataError) {
        var hashToBlankNodes: [String: [String]] = [:]
        for b in blankNodeToQuads.keys.sorted(by: Self.byCodePoint) {
            hashToBlankNodes[hashFirstDegree(b), default: []].append(b)
        }
        var remaining: [String: [String]] = [:]
        for h in hashToBlankNodes.keys.sorted(by: Self.byCodePoint) {
            let list = hashToBlankNodes[h]!
            if list.count > 1 {
                remaining[h] = list
            } else {
                _ = canonical.issue(list[0])
            }
        }
        for h in remaining.keys.sorted(by: Self.byCodePoint) {
            var results: [(hash: String, issuer: IdentifierIssuer)] = []
            for b in remaining[h]! where canonical.issued[b] == nil {
                var temporary = IdentifierIssuer(prefix: "b")
                _ = temporary.issue(b)
                results.append(try hashNDegree(b, temporary))
            }
            results.sort { Self.byCodePoint($0.hash, $1.hash) }
            for r in results {
                for existing in r.issuer.order { _ = canonical.issue(existing) }
            }
        }
    }

    /// §4.6 Hash First Degree Quads: the quads of `reference` with it written `_:a` and other blank nodes `_:z`,
    /// sorted, hashed.
    mutating func hashFirstDegree(_ reference: String) -> String {
        if let cached = firstDegreeCache[reference] { return cached }
        let indices = blankNodeToQuads[reference] ?? []
        var lines = NQuadsLines(capacity: indices.count)
        for i in indices { lines.append(dataset[i]) { $0 == reference ? "a" : "z" } }
        var joined: [UInt8] = []
        joined.reserveCapacity(lines.bytes.count)
        for i in lines.sortedIndices() { joined.append(contentsOf: lines.bytes[lines.ranges[i]]) }
        let h = hash.hex(bytes: joined)
        firstDegreeCache[reference] = h
        return h
    }

    /// §4.7 Hash Related Blank Node.
    mutating func hashRelated(_ related: String, _ quad: RDFQuad, _ issuer: IdentifierIssuer, _ position: String)
        -> String
    {
        let identifier: String
        if let c = canonical.issued[related] {
            identifier = "_:" + c
        } else if let t = issuer.issued[related] {
            identifier = "_:" + t
        } else {
            identifier = hashFirstDegree(related)
        }
        var input = position
        if position != "g" { input += NQuads.serialize(quad.predicate) }
        return hash.hex(input + identifier)
    }

    /// §4.8 Hash N-Degree Quads.
    mutating func hashNDegree(_ identifier: String, _ start: IdentifierIssuer) throws(LinkedDataError) -> (
        hash: String, issuer: IdentifierIssuer
    ) {
        try countWork()
        var issuer = start
        var hashToRelated: [String: [String]] = [:]
        for i in blankNodeToQuads[identifier] ?? [] {
            let q = dataset[i]
            for (term, position) in [(q.subject, "s"), (q.object, "o"), (q.graph, "g")] {
                guard let b = term?.blankLabel, b != identifier else { continue }
                hashToRelated[hashRelated(b, q, issuer, position), default: []].append(b)
            }
        }
        var dataToHash = ""
        for relatedHash in hashToRelated.keys.sorted(by: Self.byCodePoint) {
            dataToHash += relatedHash
            var chosenPath = ""
            var chosenIssuer: IdentifierIssuer?
            var permutations = Permutations(hashToRelated[relatedHash]!)
            while let permutation = permutations.next() {
                try countWork()
                guard
                    let (path, issuerCopy) = try pathFor(
                        permutation, issuer: issuer, chosenPath: chosenPath)
                else { continue }
                if chosenIssuer == nil || Self.byCodePoint(path, chosenPath) {
                    chosenPath = path
                    chosenIssuer = issuerCopy
                }
            }
            dataToHash += chosenPath
            if let chosenIssuer { issuer = chosenIssuer }
        }
        return (hash.hex(dataToHash), issuer)
    }

    /// §4.8.3 step 5.4: the path of one permutation, or nil once it cannot beat `chosenPath`.
    mutating func pathFor(_ permutation: [String], issuer: IdentifierIssuer, chosenPath: String)
        throws(LinkedDataError) -> (String, IdentifierIssuer)?
    {
        var issuerCopy = issuer
        var path = ""
        var recursionList: [String] = []
        func worse(_ path: String) -> Bool {
            !chosenPath.isEmpty && path.utf8.count >= chosenPath.utf8.count && Self.byCodePoint(chosenPath, path)
        }
        for related in permutation {
            if let c = canonical.issued[related] {
                path += "_:" + c
            } else {
                if issuerCopy.issued[related] == nil { recursionList.append(related) }
                path += "_:" + issuerCopy.issue(related)
            }
            if worse(path) { return nil }
        }
        for related in recursionList {
            let result = try hashNDegree(related, issuerCopy)
            path += "_:" + issuerCopy.issue(related)
            path += "<" + result.hash + ">"
            issuerCopy = result.issuer
            if worse(path) { return nil }
        }
        return (path, issuerCopy)
    }
}

/// Lexicographic permutations of a list (Heap-free "next permutation" over indices).
struct Permutations {
    let items: [String]
    var indices: [Int]
    var done = false

    init(_ items: [String]) {
        self.items = items
        self.indices = Array(items.indices)
    }

    mutating func next() -> [String]? {
        if done { return nil }
        let current = indices.map { items[$0] }
        var k = indices.count - 2
        while k >= 0, indices[k] >= indices[k + 1] { k -= 1 }
        if k < 0 {
            done = true
        } else {
            var l = indices.count - 1
            while indices[l] <= indices[k] { l -= 1 }
            indices.swapAt(k, l)
            indices[(k + 1)...].reverse()
        }
        return current
    }
}
