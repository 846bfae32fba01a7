import Foundation

// MARK: - Schema index

struct SchemaResource {
    let node: JSONValue
    /// The base URI in effect around the node (its own `$id`, if any, is applied when it is evaluated).
    let base: String
    /// The URI of the node itself (its `$id` resolved), used for anchors.
    let uri: String
    let dialect: SchemaDialect
    let document: String
}

/// Resources by URI, anchors and compiled regular expressions. Filled during `init`, then only read,
/// except for the regex cache, which is protected by a lock.
final class SchemaIndex: @unchecked Sendable {
    var resources: [String: SchemaResource] = [:]
    var anchors: [String: SchemaResource] = [:]
    var byFileName: [String: String] = [:]
    /// Per document key: the ($ref, base) pairs and patterns found in it.
    var refsByDocument: [String: [(ref: String, base: String)]] = [:]
    var patternsByDocument: [String: [String]] = [:]
    /// `$ref`s resolved once while the validator is made, by base URI and reference (read-only afterwards).
    private(set) var resolvedRefs: [RefKey: (abs: String, target: SchemaResource)] = [:]
    private let lock = NSLock()
    private var regexCache: [String: Result<NSRegularExpression, JSONSchemaError>] = [:]

    /// Registers a document and its embedded resources; returns its base URI (its `$id` resolved
    /// against `retrievalURI`).
    func addDocument(_ doc: JSONValue, retrievalURI: String, dialect: SchemaDialect) -> String {
        let docKey = SchemaURI.stripFragment(retrievalURI)
        var base = docKey
        let draft4 = doc["$schema"]?.stringValue.map { $0.contains("draft-04") || $0.contains("draft-03") } ?? false
        if let id = doc["$id"]?.stringValue ?? (draft4 ? doc["id"]?.stringValue : nil),
            !(dialect == .legacy && doc["$ref"] != nil), !id.hasPrefix("#")
        {
            base = SchemaURI.stripFragment(SchemaURI.resolve(id, against: docKey))
        }
        let resource = SchemaResource(node: doc, base: docKey, uri: base, dialect: dialect, document: docKey)
        register(resource, at: docKey)
        register(resource, at: base)
        let name = SchemaURI.fileName(docKey)
        if !name.isEmpty, byFileName[name] == nil { byFileName[name] = docKey }
        let idName = SchemaURI.fileName(base)
        if !idName.isEmpty, byFileName[idName] == nil { byFileName[idName] = base }
        var refs: [(String, String)] = []
        var patterns: [String] = []
        walk(doc, base: base, dialect: dialect, document: docKey, isRoot: true, refs: &refs, patterns: &patterns)
        refsByDocument[docKey, default: []].append(contentsOf: refs.map { (ref: $0.0, base: $0.1) })
        patternsByDocument[docKey, default: []].append(contentsOf: patterns)
        return base
    }

    private func register(_ r: SchemaResource, at uri: String) {
        if resources[uri] == nil { resources[uri] = r }
    }

    private static let singleSchemaKeywords = [
        "additionalProperties", "additionalItems", "contains", "propertyNames", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    private static let schemaArrayKeywords = ["allOf", "anyOf", "oneOf", "prefixItems"]
    private static let schemaMapKeywords = [
        "properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
    ]

    private func walk(
        _ node: JSONValue, base: String, dialect: SchemaDialect, document: String, isRoot: Bool,
        refs: inout [(String, String)], patterns: inout [String]
    ) {
        guard case .object(let o) = node else { return }
        let outer = base
        var base = base
        let refOverrides = dialect == .legacy && o["$ref"] != nil
        if !isRoot, let id = o["$id"]?.stringValue, !refOverrides {
            let resolved = SchemaURI.resolve(id, against: base)
            if id.hasPrefix("#") {
                let anchor = SchemaURI.fragment(resolved)
                anchors[SchemaURI.stripFragment(resolved) + "#" + anchor] = SchemaResource(
                    node: node, base: outer, uri: base, dialect: dialect, document: document)
            } else {
                base = SchemaURI.stripFragment(resolved)
                register(
                    SchemaResource(node: node, base: outer, uri: base, dialect: dialect, document: document), at: base)
            }
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if let a = o[key]?.stringValue {
                anchors[base + "#" + a] = SchemaResource(
                    node: node, base: outer, uri: base, dialect: dialect, document: document)
            }
        }
        for key in ["$ref", "$dynamicRef", "$recursiveRef"] {
            if let r = o[key]?.stringValue { refs.append((r, base)) }
        }
        if let p = o["pattern"]?.stringValue { patterns.append(p) }
        if case .object(let pp)? = o["patternProperties"] { patterns.append(contentsOf: pp.keys) }

        func sub(_ v: JSONValue) {
            walk(v, base: base, dialect: dialect, document: document, isRoot: false, refs: &refs, patterns: &patterns)
        }
        for k in Self.singleSchemaKeywords { if let v = o[k] { sub(v) } }
        if let items = o["items"] {
            if case .array(let a) = items { a.forEach(sub) } else { sub(items) }
        }
        for k in Self.schemaArrayKeywords { if case .array(let a)? = o[k] { a.forEach(sub) } }
        for k in Self.schemaMapKeywords { if case .object(let m)? = o[k] { m.values.forEach(sub) } }
        if case .object(let deps)? = o["dependencies"] {
            for v in deps.values where v.arrayValue == nil { sub(v) }
        }
    }

    /// Checks, from the main document, that every reachable `$ref` resolves (asking `loader` for documents
    /// not registered) and that every reachable pattern compiles (so that evaluation finds them cached).
    func checkReachable(from mainDocument: String, loader: (String) -> JSONValue?) throws {
        var queue = [SchemaURI.stripFragment(mainDocument)]
        var seen = Set(queue)
        while let doc = queue.popLast() {
            for p in patternsByDocument[doc] ?? [] {
                _ = try regex(p).get()
            }
            for (ref, base) in refsByDocument[doc] ?? [] {
                let abs = SchemaURI.resolve(ref, against: base)
                var target = lookup(abs)
                if target == nil {
                    let docURI = SchemaURI.stripFragment(abs)
                    if resources[docURI] == nil, let loaded = loader(docURI) {
                        _ = addDocument(loaded, retrievalURI: docURI, dialect: SchemaDialect.of(loaded) ?? .modern)
                        target = lookup(abs)
                    }
                }
                guard let found = target else { throw JSONSchemaError.unresolvedReference(abs) }
                resolvedRefs[RefKey(base: base, ref: ref)] = (abs, found)
                if !seen.contains(found.document) {
                    seen.insert(found.document)
                    queue.append(found.document)
                }
            }
        }
    }

    /// A `$ref` as written, with the base URI it is resolved against.
    struct RefKey: Hashable {
        var base: String
        var ref: String
    }

    /// The absolute form of `ref` and what it designates: from `resolvedRefs`, else resolved now.
    func resolve(_ ref: String, base: String) -> (abs: String, target: SchemaResource?) {
        if let known = resolvedRefs[RefKey(base: base, ref: ref)] { return (known.abs, known.target) }
        let abs = SchemaURI.resolve(ref, against: base)
        return (abs, lookup(abs))
    }

    /// The resource a (resolved, absolute) reference designates, with the base URI in effect there.
    func lookup(_ absoluteRef: String) -> SchemaResource? {
        let docURI = SchemaURI.stripFragment(absoluteRef)
        let fragment = SchemaURI.fragment(absoluteRef)
        var res = resources[docURI]
        if res == nil {
            let name = SchemaURI.fileName(docURI)
            if !name.isEmpty, let key = byFileName[name] { res = resources[key] }
        }
        guard let res else { return nil }
        if fragment.isEmpty { return res }
        if fragment.hasPrefix("/") {
            return pointer(res, SchemaURI.percentDecode(fragment))
        }
        let name = SchemaURI.percentDecode(fragment)
        return anchors[res.uri + "#" + name] ?? anchors[docURI + "#" + name]
    }

    /// Follows a JSON Pointer inside a resource, tracking `$id` changes of the base URI.
    func pointer(_ res: SchemaResource, _ pointer: String) -> SchemaResource? {
        var node = res.node
        var base = res.base
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for raw in tokens {
            if let id = node["$id"]?.stringValue, !id.hasPrefix("#"),
                !(res.dialect == .legacy && node["$ref"] != nil)
            {
                base = SchemaURI.stripFragment(SchemaURI.resolve(id, against: base))
            }
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let o):
                guard let next = o[token] else { return nil }
                node = next
            case .array(let a):
                guard let i = Int(token), i >= 0, i < a.count, String(i) == token else { return nil }
                node = a[i]
            default:
                return nil
            }
        }
        var uri = base
        if let id = node["$id"]?.stringValue, !id.hasPrefix("#") {
            uri = SchemaURI.stripFragment(SchemaURI.resolve(id, against: base))
        }
        return SchemaResource(node: node, base: base, uri: uri, dialect: res.dialect, document: res.document)
    }

    /// A compiled regular expression for an ECMA-262 pattern.
    func regex(_ pattern: String) -> Result<NSRegularExpression, JSONSchemaError> {
        lock.lock()
        defer { lock.unlock() }
        if let r = regexCache[pattern] { return r }
        let r: Result<NSRegularExpression, JSONSchemaError>
        do {
            r = .success(try NSRegularExpression(pattern: ECMARegex.translate(pattern), options: []))
        } catch {
            r = .failure(.invalidPattern(pattern, "\(error)"))
        }
        regexCache[pattern] = r
        return r
    }
}

// MARK: - ECMA-262 regex approximation

enum ECMARegex {
    /// Translates the ECMA-262 constructs whose ICU meaning differs: `$` (ICU also matches before a
    /// final line terminator; ECMA only at the end) becomes `\z`; `\d`, `\w` (Unicode in ICU, ASCII in
    /// ECMA) become ASCII classes.
    static func translate(_ p: String) -> String {
        var out = ""
        var inClass = false
        let it = Array(p)
        var i = 0
        while i < it.count {
            let c = it[i]
            if c == "\\", i + 1 < it.count {
                let n = it[i + 1]
                switch n {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\D" : "[^0-9]"
                case "w": out += inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]"
                case "W": out += inClass ? "\\W" : "[^A-Za-z0-9_]"
                default:
                    out.append(c)
                    out.append(n)
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                // '[' is a literal inside an ECMA class but opens a nested set in ICU.
                if c == "[" { out += "\\[" } else { out.append(c) }
            } else if c == "[" {
                inClass = true
                out.append(c)
                // A ']' right after '[' or '[^' is a literal in ICU but closes an empty class in ECMA; rare, keep as is.
                if i + 1 < it.count, it[i + 1] == "^" {
                    out.append("^")
                    i += 1
                }
            } else if c == "$" {
                out += "\\z"
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
