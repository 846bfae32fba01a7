/// Deserialize JSON-LD to RDF (§8.1), walking the expanded document directly: every node object gives its
/// subject, its types, properties and reverse properties; `@graph` gives a named graph. Blank node labels of the
/// input are renamed `b0`, `b1`… consistently, as the node map generation would. Triples whose subject, predicate or
/// object is not a well-formed IRI are dropped; blank node predicates are dropped (no generalized RDF).
struct RDFConversion {
    var quads: [RDFQuad] = []
    var seen = Set<RDFQuad>()
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
        if seen.insert(q).inserted { quads.append(q) }
    }

    mutating func elements(_ items: [LDJSON], graph: RDFTerm?, graphOK: Bool) {
        for item in items where item.object != nil && item["@value"] == nil && item["@list"] == nil {
            _ = node(item.object!, graph: graph, graphOK: graphOK)
        }
    }

    /// The quads of one node object; returns its subject (nil if its `@id` is a relative IRI).
    mutating func node(_ n: [String: LDJSON], graph: RDFTerm?, graphOK: Bool) -> RDFTerm? {
        var subject: RDFTerm?
        var valid = true
        if let id = n["@id"] {
            subject = id.string.flatMap { resource($0) }
            valid = subject != nil
        } else {
            subject = fresh()
        }
        let ok = graphOK && valid
        if let g = n["@graph"] {
            elements(g.asArray, graph: subject, graphOK: valid)
        }
        for t in n["@type"]?.asArray ?? [] {
            let type = t.string.flatMap { resource($0) }
            if ok { emit(subject, .iri(Vocab.type), type, graph) }
        }
        if let reverse = n["@reverse"]?.object {
            for (property, items) in reverse {
                let p = resource(property)
                for item in items.asArray {
                    guard let o = item.object else { continue }
                    let s = node(o, graph: graph, graphOK: graphOK)
                    if graphOK { emit(s, p, subject, graph) }
                }
            }
        }
        if let included = n["@included"] { elements(included.asArray, graph: graph, graphOK: graphOK) }
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
        var datatype = o["@type"]?.string
        if let d = datatype, d != "@json", !IRI.isWellFormed(d) { return nil }
        if let language = o["@language"]?.string, !Self.isWellFormedLanguage(language) { return nil }
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
        if let language = o["@language"]?.string, datatype == nil {
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
