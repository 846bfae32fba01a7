/// Steps 13–14 of the expansion algorithm: the entries of one JSON object, nested properties included.
struct ObjectExpansion {
    var active: ActiveContext
    let typeScoped: ActiveContext
    let activeProperty: String?
    let inputType: String?
    let baseURL: String?
    let depth: Int
    var result: [String: LDJSON] = [:]

    init(
        active: ActiveContext, typeScoped: ActiveContext, activeProperty: String?, inputType: String?,
        baseURL: String?, depth: Int
    ) {
        self.active = active
        self.typeScoped = typeScoped
        self.activeProperty = activeProperty
        self.inputType = inputType
        self.baseURL = baseURL
        self.depth = depth
    }

    /// Values of properties (every key not starting with `@`), kept apart from `result` so that each array grows in
    /// place; merged into `result` by ``merged``.
    var properties: [String: [LDJSON]] = [:]

    mutating func add(_ key: String, _ value: LDJSON) {
        guard key.utf8.first == UInt8(ascii: "@") else { return addProperty(key, value) }
        var items = result[key]?.asArray ?? []
        items.append(contentsOf: value.asArray)
        result[key] = .array(items)
    }

    /// Appends the values of a property (not a keyword).
    mutating func addProperty(_ key: String, _ value: LDJSON) {
        if case .array(let items) = value {
            properties[key, default: []].append(contentsOf: items)
        } else {
            properties[key, default: []].append(value)
        }
    }

    /// `result` with the property values in it.
    var merged: [String: LDJSON] {
        guard !properties.isEmpty else { return result }
        var all = result
        for (key, items) in properties { all[key] = .array(items) }
        return all
    }

    /// The entries of `element`; `expandedKeys`, when given, are its `sortedKeys` already expanded in `active`.
    mutating func expandEntries(
        _ element: [String: LDJSON], sortedKeys: [String]? = nil, expandedKeys: [String?]? = nil,
        processor p: JSONLDProcessor
    ) throws {
        var nests: [String] = []
        for (i, key) in (sortedKeys ?? element.keys.sorted()).enumerated() where key != "@context" {
            let value = element[key]!
            let expanded = try expandedKeys.map { $0[i] } ?? p.expandIRI(active, key, vocab: true)
            guard let property = expanded,
                property.utf8.contains(UInt8(ascii: ":")) || Keyword.isKeyword(property)
            else { continue }
            if Keyword.isKeyword(property) {
                if property == "@nest" {
                    nests.append(key)
                } else {
                    try keywordEntry(property, value, processor: p)
                }
                continue
            }
            try propertyEntry(key, property, value, processor: p)
        }
        let outer = active
        for key in nests.sorted() {
            if let def = outer.terms[key], let scoped = def.context {
                var o = JSONLDProcessor.ContextOptions()
                o.overrideProtected = true
                active = try p.process(outer, scoped, baseURL: def.baseURL, options: o)
            }
            for nested in element[key]!.asArray {
                guard let o = nested.object,
                    try !o.keys.contains(where: { try p.expandIRI(active, $0, vocab: true) == "@value" })
                else { throw jsonldError("invalid @nest value", key) }
                try expandEntries(o, processor: p)
            }
            active = outer
        }
    }

    mutating func keywordEntry(_ property: String, _ value: LDJSON, processor p: JSONLDProcessor) throws {
        if activeProperty == "@reverse" { throw jsonldError("invalid reverse property map") }
        if result[property] != nil && property != "@included" && property != "@type" {
            throw jsonldError("colliding keywords", property)
        }
        let d = depth + 1
        switch property {
        case "@id":
            guard let s = value.string else { throw jsonldError("invalid @id value") }
            result["@id"] = try p.expandIRI(active, s, documentRelative: true).map(LDJSON.string) ?? .null
        case "@type":
            let strings = value.asArray.compactMap(\.string)
            guard strings.count == value.asArray.count else { throw jsonldError("invalid type value") }
            let expanded = try strings.map {
                try p.expandIRI(typeScoped, $0, documentRelative: true, vocab: true).map(LDJSON.string) ?? .null
            }
            let previous = result["@type"]?.asArray ?? []
            result["@type"] = previous.isEmpty && value.array == nil ? expanded[0] : .array(previous + expanded)
        case "@graph":
            let expanded = try p.expand(active, "@graph", value, baseURL: baseURL, depth: d)
            result["@graph"] = .array(expanded?.asArray ?? [])
        case "@included":
            // Expanded as the value of a property, so that strings, value objects and lists stay visible.
            let expanded = try p.expand(active, "@included", value, baseURL: baseURL, depth: d)?.asArray ?? []
            for item in expanded where item.object == nil || item["@value"] != nil || item["@list"] != nil {
                throw jsonldError("invalid @included value")
            }
            add("@included", .array(expanded))
        case "@value":
            if inputType == "@json" {
                result["@value"] = value
            } else {
                guard value.isScalar || value.isNull else { throw jsonldError("invalid value object value") }
                result["@value"] = value
            }
        case "@language":
            guard let s = value.string else { throw jsonldError("invalid language-tagged string") }
            result["@language"] = .string(s.lowercased())
        case "@direction":
            guard value == .string("ltr") || value == .string("rtl") else {
                throw jsonldError("invalid base direction")
            }
            result["@direction"] = value
        case "@index":
            guard value.string != nil else { throw jsonldError("invalid @index value") }
            result["@index"] = value
        case "@list":
            if activeProperty == nil || activeProperty == "@graph" { return }
            let expanded = try p.expand(active, activeProperty, value, baseURL: baseURL, depth: d)
            result["@list"] = .array(expanded?.asArray ?? [])
        case "@set":
            result["@set"] = try p.expand(active, activeProperty, value, baseURL: baseURL, depth: d) ?? .array([])
        case "@reverse":
            try reverseEntry(value, processor: p)
        default:
            return
        }
    }

    mutating func reverseEntry(_ value: LDJSON, processor p: JSONLDProcessor) throws {
        guard case .object = value else { throw jsonldError("invalid @reverse value") }
        guard let expanded = try p.expand(active, "@reverse", value, baseURL: baseURL, depth: depth + 1)?.object
        else { return }
        if let reversed = expanded["@reverse"]?.object {
            for (property, items) in reversed { add(property, items) }
        }
        var reverseMap = result["@reverse"]?.object ?? [:]
        for (property, items) in expanded where property != "@reverse" {
            for item in items.asArray {
                if item["@value"] != nil || item["@list"] != nil { throw jsonldError("invalid reverse property value") }
                reverseMap[property] = .array((reverseMap[property]?.asArray ?? []) + [item])
            }
        }
        if !reverseMap.isEmpty { result["@reverse"] = .object(reverseMap) }
    }

    mutating func propertyEntry(_ key: String, _ property: String, _ value: LDJSON, processor p: JSONLDProcessor) throws
    {
        let def = active.terms[key]
        let container = def?.container ?? []
        var expanded: LDJSON?
        if def?.typeMapping == "@json" {
            expanded = .object(["@value": value, "@type": .string("@json")])
        } else if container.contains(.language), case .object(let map) = value {
            expanded = try languageMap(map, def: def, processor: p)
        } else if !container.isDisjoint(with: [.index, .type, .id]), case .object(let map) = value {
            expanded = try indexMap(key, map, def: def, container: container, processor: p)
        } else {
            expanded = try p.expand(active, key, value, baseURL: baseURL, depth: depth + 1)
        }
        guard var expanded else { return }
        if container.contains(.list), expanded["@list"] == nil {
            expanded = .object(["@list": .array(expanded.asArray)])
        }
        if container.contains(.graph) && !container.contains(.id) && !container.contains(.index) {
            expanded = .array(expanded.asArray.map { .object(["@graph": .array($0.asArray)]) })
        }
        if def?.isReverse == true {
            var reverseMap = result["@reverse"]?.object ?? [:]
            for item in expanded.asArray {
                if item["@value"] != nil || item["@list"] != nil { throw jsonldError("invalid reverse property value") }
                reverseMap[property] = .array((reverseMap[property]?.asArray ?? []) + [item])
            }
            result["@reverse"] = .object(reverseMap)
        } else {
            addProperty(property, expanded)
        }
    }

    func languageMap(_ map: [String: LDJSON], def: TermDefinition?, processor p: JSONLDProcessor) throws -> LDJSON {
        var items: [LDJSON] = []
        let direction = def?.direction ?? active.defaultDirection
        for language in map.keys.sorted() {
            for item in map[language]!.asArray {
                if item.isNull { continue }
                guard item.string != nil else { throw jsonldError("invalid language map value") }
                var v: [String: LDJSON] = ["@value": item]
                if language != "@none", try p.expandIRI(active, language, vocab: true) != "@none" {
                    v["@language"] = .string(language.lowercased())
                }
                if let direction { v["@direction"] = .string(direction) }
                items.append(.object(v))
            }
        }
        return .array(items)
    }

    func indexMap(
        _ key: String, _ map: [String: LDJSON], def: TermDefinition?, container: ContainerMapping,
        processor p: JSONLDProcessor
    ) throws -> LDJSON {
        var items: [LDJSON] = []
        let indexKey = def?.index ?? "@index"
        for index in map.keys.sorted() {
            var mapContext = active
            if container.contains(.id) || container.contains(.type) {
                mapContext = active.previous?.context ?? active
            }
            if container.contains(.type), let t = mapContext.terms[index], let scoped = t.context {
                mapContext = try p.process(mapContext, scoped, baseURL: t.baseURL)
            } else {
                mapContext = active
            }
            let expandedIndex = try p.expandIRI(active, index, vocab: true)
            let values =
                try p.expand(
                    mapContext, key, .array(map[index]!.asArray), baseURL: baseURL, fromMap: true, depth: depth + 1)?
                .asArray ?? []
            for value in values {
                items.append(
                    try indexedItem(
                        value, index: index, expandedIndex: expandedIndex, indexKey: indexKey, container: container,
                        processor: p))
            }
        }
        return .array(items)
    }

    func indexedItem(
        _ value: LDJSON, index: String, expandedIndex: String?, indexKey: String, container: ContainerMapping,
        processor p: JSONLDProcessor
    ) throws -> LDJSON {
        var item = value
        if container.contains(.graph),
            item["@graph"] == nil || item.object!.keys.contains(where: { !["@graph", "@id", "@index"].contains($0) })
        {
            item = .object(["@graph": .array(item.asArray)])
        }
        guard var object = item.object else { return item }
        let none = expandedIndex == "@none"
        if container.contains(.index) && indexKey != "@index" && !none {
            let reExpanded = try p.expandValue(active, indexKey, .string(index))
            guard let indexProperty = try p.expandIRI(active, indexKey, vocab: true) else { return item }
            object[indexProperty] = .array([reExpanded] + (object[indexProperty]?.asArray ?? []))
            if object["@value"] != nil { throw jsonldError("invalid value object") }
        } else if container.contains(.index) && object["@index"] == nil && !none {
            object["@index"] = .string(index)
        } else if container.contains(.id) && object["@id"] == nil && !none {
            object["@id"] = try p.expandIRI(active, index, documentRelative: true).map(LDJSON.string) ?? .null
        } else if container.contains(.type) && !none, let expandedIndex {
            object["@type"] = .array([.string(expandedIndex)] + (object["@type"]?.asArray ?? []))
        }
        return .object(object)
    }
}
