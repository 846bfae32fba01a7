/// Context processing (JSON-LD 1.1 API §4.1.2) and IRI expansion (§5.2.2).
extension JSONLDProcessor {
    struct ContextOptions {
        var overrideProtected = false
        var propagate = true
        var validateScoped = true
    }

    /// Context processing; the contexts that expansion asks for (not those nested in a context being processed)
    /// come from ``ProcessedContexts`` when they were processed before from the same cached context.
    func process(
        _ active: ActiveContext, _ local: LDJSON, baseURL: String?, remote: [String] = [],
        options: ContextOptions = ContextOptions()
    ) throws -> ActiveContext {
        guard active.cacheID != 0, remote.isEmpty, contextDepth == 0 else {
            return try processUncached(active, local, baseURL: baseURL, remote: remote, options: options)
        }
        let key = ProcessedContexts.Key(
            active: active.cacheID, local: local, baseURL: baseURL, overrideProtected: options.overrideProtected,
            propagate: options.propagate, validateScoped: options.validateScoped)
        if let cached = processed.context(key) { return cached }
        let result = try processUncached(active, local, baseURL: baseURL, remote: remote, options: options)
        return processed.store(result, key)
    }

    func processUncached(
        _ active: ActiveContext, _ local: LDJSON, baseURL: String?, remote: [String],
        options: ContextOptions
    ) throws -> ActiveContext {
        // Scoped contexts nest through term definitions: bounded, so untrusted input cannot exhaust the stack.
        contextDepth += 1
        defer { contextDepth -= 1 }
        guard contextDepth <= 32 else { throw jsonldError("context overflow", "contexts nested too deeply") }
        var result = active
        var propagate = options.propagate
        if let p = local["@propagate"] {
            guard case .bool(let b) = p else { throw jsonldError("invalid @propagate value") }
            propagate = b
        }
        if !propagate && result.previous == nil { result.previous = ContextBox(active) }
        for context in local.asArray {
            switch context {
            case .null:
                if !options.overrideProtected && result.hasProtectedTerms {
                    throw jsonldError("invalid context nullification")
                }
                let previous = result
                result = ActiveContext(base: active.originalBase)
                if !propagate { result.previous = ContextBox(previous) }
            case .string(let ref):
                result = try processRemote(result, ref, baseURL: baseURL, remote: remote, options: options)
            case .object(let object):
                try processObject(&result, object, baseURL: baseURL, remote: remote, options: options)
            default:
                throw jsonldError("invalid local context")
            }
        }
        result.cacheID = 0
        return result
    }

    func processRemote(
        _ result: ActiveContext, _ ref: String, baseURL: String?, remote: [String], options: ContextOptions
    ) throws -> ActiveContext {
        let url = baseURL.map { IRI.resolve(ref, against: $0) } ?? ref
        guard IRI.isAbsolute(url) else { throw jsonldError("loading remote context failed", ref) }
        if !options.validateScoped && remote.contains(url) { return result }
        guard remote.count < 32 else { throw jsonldError("context overflow", url) }
        let document = try loadContext(url)
        guard let loaded = document["@context"] else { throw jsonldError("invalid remote context", url) }
        var inner = ContextOptions()
        inner.validateScoped = options.validateScoped
        return try process(result, loaded, baseURL: url, remote: remote + [url], options: inner)
    }

    func loadContext(_ url: String) throws -> LDJSON {
        if let cached = contextCache[url] { return cached }
        let document = try loader.document(for: url)
        guard case .object = document else { throw jsonldError("invalid remote context", url) }
        contextCache[url] = document
        return document
    }

    func processObject(
        _ result: inout ActiveContext, _ object: [String: LDJSON], baseURL: String?, remote: [String],
        options: ContextOptions
    ) throws {
        var context = object
        if let version = context["@version"] {
            guard version == .number(1.1) else { throw jsonldError("invalid @version value") }
        }
        if let imported = context["@import"] {
            guard let ref = imported.string else { throw jsonldError("invalid @import value") }
            let url = baseURL.map { IRI.resolve(ref, against: $0) } ?? ref
            guard let importedContext = try loadContext(url)["@context"]?.object else {
                throw jsonldError("invalid remote context", url)
            }
            if importedContext["@import"] != nil { throw jsonldError("invalid context entry", url) }
            context = importedContext.merging(context) { _, mine in mine }
        }
        if let base = context["@base"], remote.isEmpty {
            switch base {
            case .null: result.base = nil
            case .string(let s) where IRI.isAbsolute(s): result.base = s
            case .string(let s) where result.base != nil: result.base = IRI.resolve(s, against: result.base!)
            default: throw jsonldError("invalid base IRI")
            }
        }
        if let vocab = context["@vocab"] {
            switch vocab {
            case .null: result.vocab = nil
            case .string(let s):
                guard let v = try expandIRI(result, s, documentRelative: true, vocab: true),
                    IRI.isAbsolute(v) || v.hasPrefix("_:")
                else { throw jsonldError("invalid vocab mapping") }
                result.vocab = v
            default: throw jsonldError("invalid vocab mapping")
            }
        }
        try processDefaults(&result, context)
        if let p = context["@protected"], p.isBoolValue == false { throw jsonldError("invalid @protected value") }
        var defined: [String: Bool] = [:]
        let reserved: Set<String> = [
            "@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab",
        ]
        let term = TermBuilder(local: context, baseURL: baseURL, remote: remote, options: options)
        for key in context.keys.sorted() where !reserved.contains(key) {
            try term.define(key, in: &result, defined: &defined, processor: self)
        }
    }

    func processDefaults(_ result: inout ActiveContext, _ context: [String: LDJSON]) throws {
        if let language = context["@language"] {
            switch language {
            case .null: result.defaultLanguage = nil
            case .string(let s): result.defaultLanguage = s.lowercased()
            default: throw jsonldError("invalid default language")
            }
        }
        if let direction = context["@direction"] {
            switch direction {
            case .null: result.defaultDirection = nil
            case .string(let s) where s == "ltr" || s == "rtl": result.defaultDirection = s
            default: throw jsonldError("invalid base direction")
            }
        }
    }

    /// IRI expansion (§5.2.2). With `local` and `defined`, terms met are defined on the way (context processing).
    func expandIRI(
        _ active: ActiveContext, _ value: String, documentRelative: Bool = false, vocab: Bool = false
    ) throws -> String? {
        // The steps below without term definition (no builder): the context is only read, never copied.
        if value.utf8.first == UInt8(ascii: "@") {
            if Keyword.isKeyword(value) { return value }
            if Keyword.looksLikeKeyword(value) { return nil }
        }
        if let t = active.terms[value] {
            if let iri = t.iri, Keyword.isKeyword(iri) { return iri }
            if vocab { return t.iri }
        }
        return try expandIRIRest(
            active, value, documentRelative: documentRelative, vocab: vocab)
    }

    /// IRI expansion from step 6 (compact IRI, vocabulary, base) when no term is being defined.
    private func expandIRIRest(
        _ active: ActiveContext, _ value: String, documentRelative: Bool, vocab: Bool
    ) throws -> String? {
        if let colon = value.utf8.dropFirst().firstIndex(of: UInt8(ascii: ":")) {
            let prefix = Substring(value[..<colon])
            let suffix = value[value.index(after: colon)...]
            if prefix == "_" || suffix.hasPrefix("//") { return value }
            if let t = active.terms[String(prefix)], let iri = t.iri, t.isPrefix { return iri + suffix }
            if IRI.isAbsolute(value) { return value }
        }
        if vocab, let v = active.vocab { return v + value }
        if documentRelative, let base = active.base { return IRI.resolve(value, against: base) }
        return value
    }

    func expandIRI(
        _ active: inout ActiveContext, _ value: String, documentRelative: Bool = false, vocab: Bool = false,
        builder: TermBuilder?, defined: inout [String: Bool]
    ) throws -> String? {
        if value.utf8.first == UInt8(ascii: "@") {
            if Keyword.isKeyword(value) { return value }
            if Keyword.looksLikeKeyword(value) { return nil }
        }
        if let builder, builder.local[value] != nil, defined[value] != true {
            try builder.define(value, in: &active, defined: &defined, processor: self)
        }
        if let t = active.terms[value] {
            if let iri = t.iri, Keyword.isKeyword(iri) { return iri }
            if vocab { return t.iri }
        }
        if let colon = value.utf8.dropFirst().firstIndex(of: UInt8(ascii: ":")) {
            let prefix = String(value[..<colon])
            let suffix = value[value.index(after: colon)...]
            if prefix == "_" || suffix.hasPrefix("//") { return value }
            if let builder, builder.local[prefix] != nil, defined[prefix] != true {
                try builder.define(prefix, in: &active, defined: &defined, processor: self)
            }
            if let t = active.terms[prefix], let iri = t.iri, t.isPrefix { return iri + suffix }
            if IRI.isAbsolute(value) { return value }
        }
        if vocab, let v = active.vocab { return v + value }
        if documentRelative, let base = active.base { return IRI.resolve(value, against: base) }
        return value
    }
}

extension LDJSON {
    var isBoolValue: Bool {
        if case .bool = self { return true }
        return false
    }
}
