/// Runs JSON-LD 1.1 algorithms over one document: context processing, expansion, then RDF conversion.
final class JSONLDProcessor {
    let loader: any ContextLoader
    let maxDepth: Int
    let processed: ProcessedContexts
    var contextCache: [String: LDJSON] = [:]
    var contextDepth = 0

    init(loader: any ContextLoader, maxDepth: Int = 64) {
        self.loader = loader
        self.maxDepth = maxDepth
        processed = loader.processedContexts ?? ProcessedContexts()
    }

    /// The expansion algorithm (§5.1.2) applied to a whole document (§9.1 `expand()` steps after it).
    func expandDocument(_ input: LDJSON, base: String?) throws -> [LDJSON] {
        var active = ActiveContext(base: base)
        active.cacheID = processed.rootID(base: base)
        guard let expanded = try expand(active, nil, input, baseURL: base, depth: 0) else { return [] }
        if case .object(let o) = expanded, o.count == 1, let graph = o["@graph"] { return graph.asArray }
        return expanded.asArray
    }

    func expand(
        _ activeIn: ActiveContext, _ activeProperty: String?, _ element: LDJSON, baseURL: String?,
        fromMap: Bool = false,
        depth: Int
    ) throws -> LDJSON? {
        guard depth <= maxDepth else { throw jsonldError("too deep", "more than \(maxDepth) levels") }
        var active = activeIn
        let propertyDef = activeProperty.flatMap { active.terms[$0] }
        switch element {
        case .null:
            return nil
        case .bool, .number, .string:
            guard let activeProperty, activeProperty != "@graph" else { return nil }
            if let scoped = propertyDef?.context {
                active = try process(active, scoped, baseURL: propertyDef?.baseURL)
                return try expandValue(active, activeProperty, element)
            }
            return try expandValue(active, activeProperty, element, def: propertyDef)
        case .array(let items):
            var result: [LDJSON] = []
            let isList = propertyDef?.container.contains(.list) ?? false
            for item in items {
                let expanded = try expand(
                    active, activeProperty, item, baseURL: baseURL, fromMap: fromMap, depth: depth + 1)
                if isList, case .array = expanded {
                    result.append(.object(["@list": expanded!]))
                } else if case .array(let a) = expanded {
                    result.append(contentsOf: a)
                } else if let expanded {
                    result.append(expanded)
                }
            }
            return .array(result)
        case .object(let object):
            return try expandObject(
                active, activeProperty, object, propertyDef: propertyDef, baseURL: baseURL, fromMap: fromMap,
                depth: depth)
        }
    }

    func expandObject(
        _ activeIn: ActiveContext, _ activeProperty: String?, _ element: [String: LDJSON], propertyDef: TermDefinition?,
        baseURL: String?, fromMap: Bool, depth: Int
    ) throws -> LDJSON? {
        var active = activeIn
        if let previous = active.previous?.context, !fromMap {
            // Reverted unless the object is a value object or holds only an `@id`.
            var revert = true
            for key in element.keys {
                let expanded = try expandIRI(active, key, vocab: true)
                if expanded == "@value" || (element.count == 1 && expanded == "@id") {
                    revert = false
                    break
                }
            }
            if revert { active = previous }
        }
        if let scoped = propertyDef?.context {
            var o = ContextOptions()
            o.overrideProtected = true
            active = try process(active, scoped, baseURL: propertyDef?.baseURL, options: o)
        }
        if let context = element["@context"] {
            active = try process(active, context, baseURL: baseURL)
        }
        let typeScoped = active
        var inputType: String?
        let keys = element.keys.sorted()
        // The keys expanded here serve again for the entries when no type-scoped context changed the context.
        var expandedKeys: [String?] = []
        expandedKeys.reserveCapacity(keys.count)
        var typeScopedContexts = false
        for key in keys {
            let expandedKey = try expandIRI(active, key, vocab: true)
            expandedKeys.append(expandedKey)
            guard expandedKey == "@type" else { continue }
            let types = element[key]!.asArray.compactMap(\.string).sorted()
            for t in types {
                if let def = typeScoped.terms[t], let scoped = def.context {
                    var o = ContextOptions()
                    o.propagate = false
                    active = try process(active, scoped, baseURL: def.baseURL, options: o)
                    typeScopedContexts = true
                }
            }
            if inputType == nil, let last = element[key]!.asArray.last?.string {
                inputType = try expandIRI(active, last, vocab: true)
            }
        }
        var state = ObjectExpansion(
            active: active, typeScoped: typeScoped, activeProperty: activeProperty, inputType: inputType,
            baseURL: baseURL, depth: depth)
        try state.expandEntries(
            element, sortedKeys: keys, expandedKeys: typeScopedContexts ? nil : expandedKeys, processor: self)
        return try finish(state.merged, activeProperty: activeProperty)
    }

    /// Steps 15–19 of expansion: value, set and list objects checked, free-floating values dropped.
    func finish(_ resultIn: [String: LDJSON], activeProperty: String?) throws -> LDJSON? {
        var result = resultIn
        if let value = result["@value"] {
            let allowed = result.keys.allSatisfy {
                switch $0 {
                case "@direction", "@index", "@language", "@type", "@value": true
                default: false
                }
            }
            guard allowed else { throw jsonldError("invalid value object") }
            if result["@type"] != nil && (result["@language"] != nil || result["@direction"] != nil) {
                throw jsonldError("invalid value object")
            }
            if result["@type"] == .string("@json") {
                // any JSON value
            } else if value.isNull || value == .array([]) {
                return nil
            } else if result["@language"] != nil, value.string == nil {
                throw jsonldError("invalid language-tagged value")
            } else if let type = result["@type"] {
                guard let t = type.string, IRI.isWellFormed(t) else {
                    throw jsonldError("invalid typed value")
                }
            }
        } else if let type = result["@type"], type.array == nil {
            result["@type"] = .array([type])
        } else if result["@set"] != nil || result["@list"] != nil {
            guard Set(result.keys).isSubset(of: ["@set", "@list", "@index"]), result.count <= 2,
                !(result["@set"] != nil && result["@list"] != nil)
            else { throw jsonldError("invalid set or list object") }
            if let set = result["@set"] { return try finishSet(set, activeProperty: activeProperty) }
        }
        if result.count == 1 && result["@language"] != nil { return nil }
        if activeProperty == nil || activeProperty == "@graph" {
            if result.isEmpty || result["@value"] != nil || result["@list"] != nil { return nil }
            if result.count == 1 && result["@id"] != nil { return nil }
        }
        return .object(result)
    }

    func finishSet(_ set: LDJSON, activeProperty: String?) throws -> LDJSON? {
        set
    }

    /// Value expansion (§5.3.2).
    func expandValue(_ active: ActiveContext, _ activeProperty: String, _ value: LDJSON) throws -> LDJSON {
        try expandValue(active, activeProperty, value, def: active.terms[activeProperty])
    }

    /// Value expansion with the term definition of `activeProperty` in `active` already looked up.
    func expandValue(
        _ active: ActiveContext, _ activeProperty: String, _ value: LDJSON, def: TermDefinition?
    ) throws -> LDJSON {
        if def?.typeMapping == "@id", let s = value.string {
            return .object(["@id": try expandIRI(active, s, documentRelative: true).map(LDJSON.string) ?? .null])
        }
        if def?.typeMapping == "@vocab", let s = value.string {
            return .object([
                "@id": try expandIRI(active, s, documentRelative: true, vocab: true).map(LDJSON.string) ?? .null
            ])
        }
        var result: [String: LDJSON] = ["@value": value]
        if let type = def?.typeMapping, type != "@id", type != "@vocab", type != "@none" {
            result["@type"] = .string(type)
        } else if case .string = value {
            let language = def?.language ?? active.defaultLanguage
            let direction = def?.direction ?? active.defaultDirection
            if let language { result["@language"] = .string(language) }
            if let direction { result["@direction"] = .string(direction) }
        }
        return .object(result)
    }
}
