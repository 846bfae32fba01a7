/// Deserialize JSON-LD to RDF (§8.1), walking the expanded document directly: every node object gives its
/// subject, its types, properties and reverse properties; `@graph` gives a named graph. Blank node labels of the
/// input are renamed `b0`, `b1`… consistently, as the node map generation would. Triples whose subject, predicate or
/// object is not a well-formed IRI are dropped; blank node predicates are dropped (no generalized RDF).
struct RDFConversion {
    var quads: [RDFQuad] = []
    /// The quads emitted so far, for dropping duplicates (see ``EmittedQuads``).
    var emitted = EmittedQuads()
    var labels: [String: String] = [:]
    var counter = 0

    mutating func fresh() -> RDFTerm {
        let label = "b" + String(counter)
        counter += 1
        return .blank(label)
    }

    mutating func blank(_ label: String) -> RDFTerm {
        if let l = labels[label] { return .blank(l) }
        let term = fresh()
        labels[label] = term.blankLabel!
        return term
    }

    /// The term for an expanded `@id` or type: nil when it is a relative IRI.
    mutating func resource(_ id: String) -> RDFTerm? {
        // The first byte rejects most ids (IRIs) at once; hasPrefix (by Character) decides.
        if id.utf8.first == UInt8(ascii: "_"), id.hasPrefix("_:") {
            return blank(String(id.dropFirst(2)))
        }
        return IRI.isWellFormed(id) ? .iri(id) : nil
    }

    mutating func emit(_ s: RDFTerm?, _ p: RDFTerm?, _ o: RDFTerm?, _ g: RDFTerm?) {
        guard let s, let p, let o else { return }
        if case .literal = s { return }
        guard case .iri = p else { return }
        let q = RDFQuad(subject: s, predicate: p, object: o, graph: g)
        if emitted.insert(q, in: quads) { quads.append(q) }
    }

    mutating func elements(_ items: [LDJSON], graph: RDFTerm?, graphOK: Bool) {
        for item in items where item.object != nil && item["@value"] == nil && item["@list"] == nil {
            _ = node(item.object!, graph: graph, graphOK: graphOK)
        }
    }

    /// The keyword entries of a node object that give quads, found in one pass over its members.
    struct NodeKeywords {
        var id: LDJSON?
        var graph: LDJSON?
        var type: LDJSON?
        var reverse: LDJSON?
        var included: LDJSON?
        var hasProperties = false

        init(_ n: [String: LDJSON]) {
            for (key, value) in n {
                guard key.utf8.first == UInt8(ascii: "@") else {
                    hasProperties = true
                    continue
                }
                switch key {
                case "@id": id = value
                case "@graph": graph = value
                case "@type": type = value
                case "@reverse": reverse = value
                case "@included": included = value
                // A key starting with the byte of `@` but not with the character (`@` and a combining mark).
                default: if !key.hasPrefix("@") { hasProperties = true }
                }
            }
        }
    }

    /// The quads of one node object; returns its subject (nil if its `@id` is a relative IRI).
    mutating func node(_ n: [String: LDJSON], graph: RDFTerm?, graphOK: Bool) -> RDFTerm? {
        let k = NodeKeywords(n)
        var subject: RDFTerm?
        var valid = true
        if let id = k.id {
            subject = id.string.flatMap { resource($0) }
            valid = subject != nil
        } else {
            subject = fresh()
        }
        let ok = graphOK && valid
        if let g = k.graph {
            elements(g.asArray, graph: subject, graphOK: valid)
        }
        for t in k.type?.asArray ?? [] {
            let type = t.string.flatMap { resource($0) }
            if ok { emit(subject, .iri(Vocab.type), type, graph) }
        }
        if let reverse = k.reverse?.object {
            for (property, items) in reverse {
                let p = resource(property)
                for item in items.asArray {
                    guard let o = item.object else { continue }
                    let s = node(o, graph: graph, graphOK: graphOK)
                    if graphOK { emit(s, p, subject, graph) }
                }
            }
        }
        if let included = k.included { elements(included.asArray, graph: graph, graphOK: graphOK) }
        guard k.hasProperties else { return valid ? subject : nil }
        for (property, values) in n where property.utf8.first != UInt8(ascii: "@") || !property.hasPrefix("@") {
            let p = resource(property)
            for v in values.asArray {
                let o = object(v, graph: graph, graphOK: graphOK)
                if ok { emit(subject, p, o, graph) }
            }
        }
        return valid ? subject : nil
    }

    mutating func object(_ item: LDJSON, graph: RDFTerm?, graphOK: Bool) -> RDFTerm? {
        guard let o = item.object else { return nil }
        if let value = o["@value"] { return literal(value, o) }
        if let list = o["@list"] { return self.list(list.asArray, graph: graph, graphOK: graphOK) }
        return node(o, graph: graph, graphOK: graphOK)
    }

    mutating func list(_ items: [LDJSON], graph: RDFTerm?, graphOK: Bool) -> RDFTerm {
        guard !items.isEmpty else { return .iri(Vocab.rdfNil) }
        let heads = items.map { _ in fresh() }
        for (i, item) in items.enumerated() {
            let o = object(item, graph: graph, graphOK: graphOK)
            if graphOK {
                emit(heads[i], .iri(Vocab.first), o, graph)
                emit(heads[i], .iri(Vocab.rest), i + 1 < heads.count ? heads[i + 1] : .iri(Vocab.rdfNil), graph)
            }
        }
        return heads[0]
    }

    /// Object to RDF conversion of a value object (§8.2); nil when the datatype or language is not well-formed.
    func literal(_ value: LDJSON, _ o: [String: LDJSON]) -> RDFTerm? {
        // A value object has at most @value, @type or @language, @direction, @index: looked up only when there.
        var datatype = o.count > 1 ? o["@type"]?.string : nil
        if let d = datatype, d != "@json", !IRI.isWellFormed(d) { return nil }
        let language = o.count > 1 ? o["@language"]?.string : nil
        if let language, !Self.isWellFormedLanguage(language) { return nil }
        var lexical: String
        if datatype == "@json" {
            lexical = CanonicalJSON.serialize(value)
            datatype = Vocab.json
        } else {
            switch value {
            case .bool(let b):
                lexical = b ? "true" : "false"
                datatype = datatype ?? Vocab.boolean
            case .number(let n):
                if n != n.rounded() || abs(n) >= 1e21 || datatype == Vocab.double {
                    lexical = CanonicalJSON.xsdDouble(n)
                    datatype = datatype ?? Vocab.double
                } else {
                    lexical = CanonicalJSON.xsdInteger(n)
                    datatype = datatype ?? Vocab.integer
                }
            case .string(let s):
                lexical = s
            default:
                return nil
            }
        }
        if let language, datatype == nil {
            return .literal(lexical, datatype: Vocab.langString, language: language)
        }
        return .literal(lexical, datatype: datatype ?? Vocab.string, language: nil)
    }

    /// BCP 47 shape: `alpha{1,8}(-alphanum{1,8})*`.
    static func isWellFormedLanguage(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (1...8).contains(first.count),
            first.unicodeScalars.allSatisfy(\.isASCIILetter)
        else { return false }
        return parts.dropFirst().allSatisfy { p in
            (1...8).contains(p.count) && p.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) }
        }
    }
}

/// The quads already emitted, for dropping duplicates without hashing every term of every quad: an
/// open-addressing table of indices into the emitted quads, on a cheap fingerprint (each term's length and a few of
/// its bytes); two quads are compared in full only when their fingerprints are equal.
struct EmittedQuads {
    var slots = [Int](repeating: -1, count: 128)
    var fingerprints: [UInt64] = []

    /// Records `quad` as `quads[quads.count]` unless an equal quad is already in `quads`; true when recorded (the
    /// caller then appends it).
    mutating func insert(_ quad: RDFQuad, in quads: [RDFQuad]) -> Bool {
        let h = Self.fingerprint(quad)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 {
            let k = slots[i]
            if fingerprints[k] == h && quads[k] == quad { return false }
            i = (i + 1) & mask
        }
        slots[i] = quads.count
        fingerprints.append(h)
        if fingerprints.count * 2 > slots.count { grow() }
        return true
    }

    mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, h) in fingerprints.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = k
        }
    }

    static func fingerprint(_ q: RDFQuad) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        mix(&h, q.subject)
        mix(&h, q.predicate)
        mix(&h, q.object)
        if let g = q.graph { mix(&h, g) }
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    static func mix(_ h: inout UInt64, _ t: RDFTerm) {
        switch t {
        case .iri(let s):
            mix(&h, 1)
            mix(&h, s)
        case .blank(let s):
            mix(&h, 2)
            mix(&h, s)
        case .literal(let s, let datatype, let language):
            mix(&h, 3)
            mix(&h, s)
            mix(&h, datatype)
            if let language { mix(&h, language) }
        }
    }

    static func mix(_ h: inout UInt64, _ v: UInt64) {
        h = (h ^ v) &* 0x0000_0100_0000_01b3
    }

    /// The length, the last 8 bytes and 8 bytes from the middle.
    static func mix(_ h: inout UInt64, _ s: String) {
        let utf8 = s.utf8
        mix(&h, UInt64(utf8.count))
        let sampled = utf8.withContiguousStorageIfAvailable { b -> (UInt64, UInt64) in
            var tail: UInt64 = 0
            var middle: UInt64 = 0
            for byte in b.suffix(8) { tail = tail << 8 | UInt64(byte) }
            for byte in b.dropFirst(b.count / 2).prefix(8) { middle = middle << 8 | UInt64(byte) }
            return (tail, middle)
        }
        if let (tail, middle) = sampled {
            mix(&h, tail)
            mix(&h, middle)
        } else {
            var tail: UInt64 = 0
            for byte in utf8.suffix(8) { tail = tail << 8 | UInt64(byte) }
            mix(&h, tail)
        }
    }
}
