/// Create Term Definition (JSON-LD 1.1 API §4.2.2), for the terms of one local context.
struct TermBuilder {
    let local: [String: LDJSON]
    let baseURL: String?
    let remote: [String]
    let options: JSONLDProcessor.ContextOptions

    static let allowedEntries: Set<String> = [
        "@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest", "@prefix",
        "@protected", "@type",
    ]

    func define(
        _ term: String, in active: inout ActiveContext, defined: inout [String: Bool], processor: JSONLDProcessor
    ) throws {
        if let state = defined[term] {
            if state { return }
            throw jsonldError("cyclic IRI mapping", term)
        }
        guard !term.isEmpty else { throw jsonldError("invalid term definition", "empty term") }
        defined[term] = false
        let value = local[term] ?? .null
        if term == "@type" {
            guard let o = value.object, !o.isEmpty,
                o.allSatisfy({ ($0.key == "@container" && $0.value == .string("@set")) || $0.key == "@protected" })
            else { throw jsonldError("keyword redefinition", term) }
        } else if Keyword.isKeyword(term) {
            throw jsonldError("keyword redefinition", term)
        } else if Keyword.looksLikeKeyword(term) {
            defined[term] = true
            return
        }
        let previous = active.terms.removeValue(forKey: term)
        var simpleTerm = false
        let object: [String: LDJSON]
        switch value {
        case .null: object = ["@id": .null]
        case .string(let s):
            object = ["@id": .string(s)]
            simpleTerm = true
        case .object(let o): object = o
        default: throw jsonldError("invalid term definition", term)
        }
        var def = TermDefinition()
        if let p = object["@protected"] {
            guard case .bool(let b) = p else { throw jsonldError("invalid @protected value", term) }
            def.isProtected = b
        } else if case .bool(let b) = local["@protected"] ?? .bool(false) {
            def.isProtected = b
        }
        let ctx = Ctx(builder: self, processor: processor, term: term)
        do {
            try ctx.typeMapping(object, &def, &active, &defined)
            if let reverse = object["@reverse"] {
                try ctx.reverse(reverse, object, &def, &active, &defined)
            } else {
                try ctx.iriMapping(object, simpleTerm: simpleTerm, &def, &active, &defined)
                try ctx.containerAndRest(object, &def, &active, &defined)
            }
        } catch is SkipTerm {
            defined[term] = true
            return
        }
        if !options.overrideProtected, let previous, previous.isProtected {
            guard def.sameAs(previous) else { throw jsonldError("protected term redefinition", term) }
            def = previous
        }
        active.terms[term] = def
        defined[term] = true
    }

    /// The steps of term creation, split to keep functions short.
    struct Ctx {
        let builder: TermBuilder
        let processor: JSONLDProcessor
        let term: String

        func expand(_ active: inout ActiveContext, _ v: String, _ defined: inout [String: Bool]) throws -> String? {
            try processor.expandIRI(&active, v, vocab: true, builder: builder, defined: &defined)
        }

        func typeMapping(
            _ object: [String: LDJSON], _ def: inout TermDefinition, _ active: inout ActiveContext,
            _ defined: inout [String: Bool]
        ) throws {
            guard let type = object["@type"] else { return }
            guard let s = type.string, let t = try expand(&active, s, &defined) else {
                throw jsonldError("invalid type mapping", term)
            }
            guard ["@id", "@json", "@none", "@vocab"].contains(t) || (IRI.isAbsolute(t) && !t.hasPrefix("_:")) else {
                throw jsonldError("invalid type mapping", term)
            }
            def.typeMapping = t
        }

        func reverse(
            _ reverse: LDJSON, _ object: [String: LDJSON], _ def: inout TermDefinition, _ active: inout ActiveContext,
            _ defined: inout [String: Bool]
        ) throws {
            if object["@id"] != nil || object["@nest"] != nil { throw jsonldError("invalid reverse property", term) }
            guard let s = reverse.string else { throw jsonldError("invalid IRI mapping", term) }
            if Keyword.looksLikeKeyword(s) { throw SkipTerm() }
            guard let iri = try expand(&active, s, &defined), iri.utf8.contains(UInt8(ascii: ":")) else {
                throw jsonldError("invalid IRI mapping", term)
            }
            def.iri = iri
            if let container = object["@container"] {
                guard container == .null || container == .string("@set") || container == .string("@index") else {
                    throw jsonldError("invalid reverse property", term)
                }
                if let c = container.string { def.container = ContainerMapping(keywords: [c]) }
            }
            def.isReverse = true
            for key in object.keys where !TermBuilder.allowedEntries.contains(key) {
                throw jsonldError("invalid term definition", term)
            }
        }

        func iriMapping(
            _ object: [String: LDJSON], simpleTerm: Bool, _ def: inout TermDefinition, _ active: inout ActiveContext,
            _ defined: inout [String: Bool]
        ) throws {
            if let id = object["@id"], id != .string(term) {
                guard case .string(let s) = id else {
                    guard id.isNull else { throw jsonldError("invalid IRI mapping", term) }
                    def.iri = nil
                    return
                }
                if !Keyword.isKeyword(s) && Keyword.looksLikeKeyword(s) { throw SkipTerm() }
                guard let iri = try expand(&active, s, &defined),
                    Keyword.isKeyword(iri) || iri.utf8.contains(UInt8(ascii: ":"))
                else {
                    throw jsonldError("invalid IRI mapping", term)
                }
                if iri == "@context" { throw jsonldError("invalid keyword alias", term) }
                let inner = term.dropFirst().dropLast()
                if inner.utf8.contains(UInt8(ascii: ":")) || term.utf8.contains(UInt8(ascii: "/")) {
                    defined[term] = true
                    let check = try expand(&active, term, &defined)
                    guard check == iri else { throw jsonldError("invalid IRI mapping", term) }
                }
                if !term.utf8.contains(UInt8(ascii: ":")) && !term.utf8.contains(UInt8(ascii: "/")) && simpleTerm
                    && (Keyword.endsWithGenDelim(iri) || iri.hasPrefix("_:"))
                {
                    def.isPrefix = true
                }
                def.iri = iri
            } else if let colon = term.dropFirst().firstIndex(of: ":") {
                let prefix = String(term[..<colon])
                if builder.local[prefix] != nil {
                    try builder.define(prefix, in: &active, defined: &defined, processor: processor)
                }
                if let p = active.terms[prefix], let iri = p.iri {
                    def.iri = iri + term[term.index(after: colon)...]
                } else {
                    def.iri = term
                }
            } else if term.utf8.contains(UInt8(ascii: "/")) {
                guard let iri = try processor.expandIRI(active, term, vocab: true), IRI.isAbsolute(iri) else {
                    throw jsonldError("invalid IRI mapping", term)
                }
                def.iri = iri
            } else if term == "@type" {
                def.iri = "@type"
            } else {
                guard let vocab = active.vocab else { throw jsonldError("invalid IRI mapping", term) }
                def.iri = vocab + term
            }
        }

        func containerAndRest(
            _ object: [String: LDJSON], _ def: inout TermDefinition, _ active: inout ActiveContext,
            _ defined: inout [String: Bool]
        ) throws {
            if let c = object["@container"] { try container(c, &def) }
            if let index = object["@index"] {
                guard def.container.contains(.index), let s = index.string, !Keyword.isKeyword(s),
                    let iri = try expand(&active, s, &defined), IRI.isAbsolute(iri)
                else { throw jsonldError("invalid term definition", term) }
                def.index = s
            }
            if let scoped = object["@context"] {
                var o = JSONLDProcessor.ContextOptions()
                o.overrideProtected = true
                o.validateScoped = false
                do {
                    _ = try processor.process(
                        active, scoped, baseURL: builder.baseURL, remote: builder.remote, options: o)
                } catch let e as LinkedDataError {
                    if case .unknownContext = e { throw e }
                    if e.code == "context overflow" { throw e }
                    throw jsonldError("invalid scoped context", "\(term): \(e)")
                }
                def.context = scoped
                def.baseURL = builder.baseURL
            }
            try languageAndDirection(object, &def)
            if let nest = object["@nest"] {
                guard let s = nest.string, s == "@nest" || !Keyword.isKeyword(s) else {
                    throw jsonldError("invalid @nest value", term)
                }
                def.nest = s
            }
            if let prefix = object["@prefix"] {
                if term.utf8.contains(UInt8(ascii: ":")) || term.utf8.contains(UInt8(ascii: "/")) {
                    throw jsonldError("invalid term definition", term)
                }
                guard case .bool(let b) = prefix else { throw jsonldError("invalid @prefix value", term) }
                if b, let iri = def.iri, Keyword.isKeyword(iri) { throw jsonldError("invalid term definition", term) }
                def.isPrefix = b
            }
            for key in object.keys where !TermBuilder.allowedEntries.contains(key) {
                throw jsonldError("invalid term definition", term)
            }
        }

        func languageAndDirection(_ object: [String: LDJSON], _ def: inout TermDefinition) throws {
            if let language = object["@language"], object["@type"] == nil {
                switch language {
                case .null: def.language = .some(nil)
                case .string(let s): def.language = .some(s.lowercased())
                default: throw jsonldError("invalid language mapping", term)
                }
            }
            if let direction = object["@direction"], object["@type"] == nil {
                switch direction {
                case .null: def.direction = .some(nil)
                case .string(let s) where s == "ltr" || s == "rtl": def.direction = .some(s)
                default: throw jsonldError("invalid base direction", term)
                }
            }
        }

        func container(_ value: LDJSON, _ def: inout TermDefinition) throws {
            let allowed: Set<String> = ["@graph", "@id", "@index", "@language", "@list", "@set", "@type"]
            var items: [String] = []
            for v in value.asArray {
                guard let s = v.string, allowed.contains(s) else {
                    throw jsonldError("invalid container mapping", term)
                }
                items.append(s)
            }
            if case .array = value, items.isEmpty { throw jsonldError("invalid container mapping", term) }
            let set = Set(items)
            let others = set.subtracting(["@set"])
            let valid: Bool
            if set.contains("@list") {
                valid = items.count == 1
            } else if set.contains("@graph") {
                valid =
                    others.isSubset(of: ["@graph", "@id", "@index"]) && !(set.contains("@id") && set.contains("@index"))
            } else {
                valid = others.count <= 1
            }
            guard valid else { throw jsonldError("invalid container mapping", term) }
            def.container = ContainerMapping(keywords: set)
            if set.contains("@type") {
                if def.typeMapping == nil { def.typeMapping = "@id" }
                guard def.typeMapping == "@id" || def.typeMapping == "@vocab" else {
                    throw jsonldError("invalid type mapping", term)
                }
            }
        }
    }
}

/// A term whose `@id` or `@reverse` looks like a future keyword: ignored with no definition.
struct SkipTerm: Error {}
