import Foundation
import OpenBadges

// A small JSON Schema validator for tests (draft-04/06/07, 2019-09 and 2020-12 common keywords).
//
// Supported: type (string or array, "integer"), enum, const, properties, required,
// additionalProperties, patternProperties, propertyNames, items (schema or array) + additionalItems,
// prefixItems, minItems, maxItems, uniqueItems, contains (+ minContains/maxContains), minLength,
// maxLength (Unicode scalars), pattern (ECMA-262 semantics approximated over NSRegularExpression),
// minimum, maximum, exclusiveMinimum/exclusiveMaximum (numeric and draft-04 boolean forms),
// multipleOf, allOf, anyOf, oneOf, not, if/then/else, $ref ($dynamicRef and $recursiveRef are
// treated as plain $ref), $id, $anchor, $defs/definitions, dependencies, dependentRequired,
// dependentSchemas, minProperties, maxProperties, format (date-time, date, time, uri,
// uri-reference, email, uuid; others ignored), boolean schemas.
// Not supported: unevaluatedProperties/unevaluatedItems (ignored), $vocabulary, content* keywords.

/// One schema violation.
public struct JSONSchemaViolation: CustomStringConvertible, Sendable, Equatable {
    /// JSON Pointer (RFC 6901) to the offending location of the instance; "" is the whole document.
    public var instancePath: String
    /// The schema keyword that failed, e.g. "required", "pattern", "additionalProperties".
    public var keyword: String
    /// What is wrong, in English.
    public var message: String
    /// JSON Pointer-like path of the failing keyword inside the schema (after following $ref), for debugging.
    public var schemaPath: String

    public init(instancePath: String, keyword: String, message: String, schemaPath: String = "") {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
        self.schemaPath = schemaPath
    }

    public var description: String {
        "\(instancePath.isEmpty ? "/" : instancePath): [\(keyword)] \(message)"
    }
}

/// Problems found while loading a schema.
public enum JSONSchemaError: Error, CustomStringConvertible, Sendable {
    case unreadableFile(String)
    case invalidJSON(String, String)
    case invalidSchema(String)
    case invalidPattern(String, String)
    case unresolvedReference(String)

    public var description: String {
        switch self {
        case .unreadableFile(let p): "unreadable schema file: \(p)"
        case .invalidJSON(let p, let e): "schema \(p) is not valid JSON: \(e)"
        case .invalidSchema(let r): "invalid schema: \(r)"
        case .invalidPattern(let p, let e): "invalid regular expression \(p): \(e)"
        case .unresolvedReference(let r): "unresolved $ref: \(r)"
        }
    }
}

/// Validates JSON instances against a JSON Schema.
public struct JSONSchemaValidator: Sendable {
    private let index: SchemaIndex
    private let root: JSONValue
    private let rootBase: String
    private let rootDialect: Dialect

    /// Loads a schema; `registry` maps URIs (an `$id`, a file URL or a bare file name) to other schemas
    /// that `$ref` may point to.
    public init(schema: JSONValue, registry: [String: JSONValue] = [:]) throws {
        try self.init(schema: schema, retrievalURI: "", registry: registry.map { ($0.key, $0.value) })
    }

    /// Loads a schema file. Every other `*.json` file of `searchDirectory` (by default the schema's own
    /// directory) is registered under its file URL, its file name and its `$id`, so that `$ref`s such as
    /// `other.json#/definitions/x` or absolute `$id` URIs resolve. Files that are not valid JSON are skipped.
    public init(schemaFile: URL, searchDirectory: URL? = nil) throws {
        let main = try Self.readJSON(schemaFile)
        let dir = searchDirectory ?? schemaFile.deletingLastPathComponent()
        var registry: [(String, JSONValue)] = []
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "json"
        {
            if file.standardizedFileURL.path == schemaFile.standardizedFileURL.path { continue }
            guard let doc = try? Self.readJSON(file) else { continue }
            registry.append((file.standardizedFileURL.absoluteString, doc))
        }
        try self.init(schema: main, retrievalURI: schemaFile.standardizedFileURL.absoluteString, registry: registry)
    }

    private init(schema: JSONValue, retrievalURI: String, registry: [(String, JSONValue)]) throws {
        let index = SchemaIndex()
        let dialect = Dialect.of(schema) ?? .modern
        _ = index.addDocument(schema, retrievalURI: retrievalURI, dialect: dialect)
        for (key, doc) in registry {
            _ = index.addDocument(doc, retrievalURI: key, dialect: Dialect.of(doc) ?? dialect)
        }
        try index.checkReachable(from: retrievalURI)
        self.index = index
        self.root = schema
        self.rootBase = URIRef.stripFragment(retrievalURI)
        self.rootDialect = dialect
    }

    static func readJSON(_ url: URL) throws -> JSONValue {
        guard let data = try? Data(contentsOf: url) else { throw JSONSchemaError.unreadableFile(url.path) }
        do {
            return try JSONValue(parsing: [UInt8](data))
        } catch {
            throw JSONSchemaError.invalidJSON(url.path, error.description)
        }
    }

    /// All violations; an empty array means the instance is valid.
    public func validate(_ instance: JSONValue) -> [JSONSchemaViolation] {
        var out: [JSONSchemaViolation] = []
        let ctx = Context(base: rootBase, dialect: rootDialect, refChain: [], depth: 0)
        Evaluator(index: index).eval(root, instance, "", "#", ctx, &out)
        return out
    }

    /// True when the instance has no violation.
    public func isValid(_ instance: JSONValue) -> Bool { validate(instance).isEmpty }
}

// MARK: - Dialects

enum Dialect: Sendable {
    /// draft-03 to draft-07: `$ref` overrides its siblings.
    case legacy
    /// 2019-09 and 2020-12: `$ref` is an applicator among others.
    case modern

    static func of(_ schema: JSONValue) -> Dialect? {
        guard let s = schema["$schema"]?.stringValue else { return nil }
        if s.contains("draft-03") || s.contains("draft-04") || s.contains("draft-06") || s.contains("draft-07") {
            return .legacy
        }
        return .modern
    }
}

// MARK: - URI references (RFC 3986 §5)

enum URIRef {
    struct Parts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var fragment: String?

        var string: String {
            var s = ""
            if let scheme { s += scheme + ":" }
            if let authority { s += "//" + authority }
            s += path
            if let query { s += "?" + query }
            if let fragment { s += "#" + fragment }
            return s
        }
    }

    static func parse(_ s: String) -> Parts {
        var rest = Substring(s)
        var fragment: String?
        if let h = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: h)...])
            rest = rest[..<h]
        }
        var query: String?
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var scheme: String?
        if let c = rest.firstIndex(of: ":"), isScheme(rest[..<c]) {
            scheme = String(rest[..<c])
            rest = rest[rest.index(after: c)...]
        }
        var authority: String?
        if rest.hasPrefix("//") {
            let after = rest.dropFirst(2)
            let end = after.firstIndex(of: "/") ?? after.endIndex
            authority = String(after[..<end])
            rest = after[end...]
        }
        return Parts(scheme: scheme, authority: authority, path: String(rest), query: query, fragment: fragment)
    }

    static func isScheme(_ s: Substring) -> Bool {
        guard let f = s.unicodeScalars.first, f.isASCII, f.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "+" || c == "-" || c == ".")
        }
    }

    static func hasScheme(_ s: String) -> Bool { parse(s).scheme != nil }

    /// Resolves `ref` against `base` (RFC 3986 §5.2.2).
    static func resolve(_ ref: String, against base: String) -> String {
        let r = parse(ref)
        if base.isEmpty { return r.scheme != nil ? withDotsRemoved(r).string : ref }
        let b = parse(base)
        var t = Parts(scheme: nil, authority: nil, path: "", query: nil, fragment: r.fragment)
        if r.scheme != nil {
            t.scheme = r.scheme
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.authority != nil {
                t.authority = r.authority
                t.path = removeDotSegments(r.path)
                t.query = r.query
            } else {
                if r.path.isEmpty {
                    t.path = b.path
                    t.query = r.query ?? b.query
                } else {
                    if r.path.hasPrefix("/") {
                        t.path = removeDotSegments(r.path)
                    } else {
                        t.path = removeDotSegments(merge(b, r.path))
                    }
                    t.query = r.query
                }
                t.authority = b.authority
            }
            t.scheme = b.scheme
        }
        return t.string
    }

    static func withDotsRemoved(_ p: Parts) -> Parts {
        var p = p
        p.path = removeDotSegments(p.path)
        return p
    }

    static func merge(_ b: Parts, _ path: String) -> String {
        if b.authority != nil && b.path.isEmpty { return "/" + path }
        if let slash = b.path.lastIndex(of: "/") { return String(b.path[...slash]) + path }
        return path
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var out = ""
        func dropLastSegment() {
            if let i = out.lastIndex(of: "/") { out = String(out[..<i]) } else { out = "" }
        }
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                dropLastSegment()
            } else if input == "/.." {
                input = "/"
                dropLastSegment()
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let searchFrom = input.first == "/" ? input.index(after: input.startIndex) : input.startIndex
                let end = input[searchFrom...].firstIndex(of: "/") ?? input.endIndex
                out += input[..<end]
                input = input[end...]
            }
        }
        return out
    }

    /// The URI without its fragment.
    static func stripFragment(_ s: String) -> String {
        if let h = s.firstIndex(of: "#") { return String(s[..<h]) }
        return s
    }

    /// The fragment (without '#'), or "" when there is none.
    static func fragment(_ s: String) -> String {
        if let h = s.firstIndex(of: "#") { return String(s[s.index(after: h)...]) }
        return ""
    }

    /// The last path segment, e.g. "other.json".
    static func fileName(_ s: String) -> String {
        let path = parse(stripFragment(s)).path
        if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
        return path
    }

    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        return s.removingPercentEncoding ?? s
    }
}

// MARK: - Schema index

struct Resource {
    let node: JSONValue
    /// The base URI in effect around the node (its own `$id`, if any, is applied when it is evaluated).
    let base: String
    /// The URI of the node itself (its `$id` resolved), used for anchors.
    let uri: String
    let dialect: Dialect
    let document: String
}

/// Resources by URI, anchors and compiled regular expressions. Filled during `init`, then only read,
/// except for the regex cache, which is protected by a lock.
final class SchemaIndex: @unchecked Sendable {
    var resources: [String: Resource] = [:]
    var anchors: [String: Resource] = [:]
    var byFileName: [String: String] = [:]
    /// Per document key: the ($ref, base) pairs and patterns found in it.
    var refsByDocument: [String: [(ref: String, base: String)]] = [:]
    var patternsByDocument: [String: [String]] = [:]
    private let lock = NSLock()
    private var regexCache: [String: Result<NSRegularExpression, JSONSchemaError>] = [:]

    /// Registers a document and its embedded resources; returns its base URI (its `$id` resolved
    /// against `retrievalURI`).
    func addDocument(_ doc: JSONValue, retrievalURI: String, dialect: Dialect) -> String {
        let docKey = URIRef.stripFragment(retrievalURI)
        var base = docKey
        let draft4 = doc["$schema"]?.stringValue.map { $0.contains("draft-04") || $0.contains("draft-03") } ?? false
        if let id = doc["$id"]?.stringValue ?? (draft4 ? doc["id"]?.stringValue : nil),
            !(dialect == .legacy && doc["$ref"] != nil), !id.hasPrefix("#")
        {
            base = URIRef.stripFragment(URIRef.resolve(id, against: docKey))
        }
        let resource = Resource(node: doc, base: docKey, uri: base, dialect: dialect, document: docKey)
        register(resource, at: docKey)
        register(resource, at: base)
        let name = URIRef.fileName(docKey)
        if !name.isEmpty, byFileName[name] == nil { byFileName[name] = docKey }
        let idName = URIRef.fileName(base)
        if !idName.isEmpty, byFileName[idName] == nil { byFileName[idName] = base }
        var refs: [(String, String)] = []
        var patterns: [String] = []
        walk(doc, base: base, dialect: dialect, document: docKey, isRoot: true, refs: &refs, patterns: &patterns)
        refsByDocument[docKey, default: []].append(contentsOf: refs.map { (ref: $0.0, base: $0.1) })
        patternsByDocument[docKey, default: []].append(contentsOf: patterns)
        return base
    }

    private func register(_ r: Resource, at uri: String) {
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
        _ node: JSONValue, base: String, dialect: Dialect, document: String, isRoot: Bool,
        refs: inout [(String, String)], patterns: inout [String]
    ) {
        guard case .object(let o) = node else { return }
        let outer = base
        var base = base
        let refOverrides = dialect == .legacy && o["$ref"] != nil
        if !isRoot, let id = o["$id"]?.stringValue, !refOverrides {
            let resolved = URIRef.resolve(id, against: base)
            if id.hasPrefix("#") {
                let anchor = URIRef.fragment(resolved)
                anchors[URIRef.stripFragment(resolved) + "#" + anchor] = Resource(
                    node: node, base: outer, uri: base, dialect: dialect, document: document)
            } else {
                base = URIRef.stripFragment(resolved)
                register(Resource(node: node, base: outer, uri: base, dialect: dialect, document: document), at: base)
            }
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if let a = o[key]?.stringValue {
                anchors[base + "#" + a] = Resource(
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

    /// Checks, from the main document, that every reachable `$ref` resolves (loading `file:` documents
    /// from disk when needed) and that every reachable pattern compiles.
    func checkReachable(from mainDocument: String) throws {
        var queue = [URIRef.stripFragment(mainDocument)]
        var seen = Set(queue)
        while let doc = queue.popLast() {
            for p in patternsByDocument[doc] ?? [] {
                _ = try regex(p).get()
            }
            for (ref, base) in refsByDocument[doc] ?? [] {
                let abs = URIRef.resolve(ref, against: base)
                var target = lookup(abs)
                if target == nil {
                    let docURI = URIRef.stripFragment(abs)
                    if docURI.hasPrefix("file:"), resources[docURI] == nil, let url = URL(string: docURI),
                        let loaded = try? JSONSchemaValidator.readJSON(url)
                    {
                        _ = addDocument(loaded, retrievalURI: docURI, dialect: Dialect.of(loaded) ?? .modern)
                        target = lookup(abs)
                    }
                }
                guard let found = target else { throw JSONSchemaError.unresolvedReference(abs) }
                if !seen.contains(found.document) {
                    seen.insert(found.document)
                    queue.append(found.document)
                }
            }
        }
    }

    /// The resource a (resolved, absolute) reference designates, with the base URI in effect there.
    func lookup(_ absoluteRef: String) -> Resource? {
        let docURI = URIRef.stripFragment(absoluteRef)
        let fragment = URIRef.fragment(absoluteRef)
        var res = resources[docURI]
        if res == nil {
            let name = URIRef.fileName(docURI)
            if !name.isEmpty, let key = byFileName[name] { res = resources[key] }
        }
        guard let res else { return nil }
        if fragment.isEmpty { return res }
        if fragment.hasPrefix("/") {
            return pointer(res, URIRef.percentDecode(fragment))
        }
        let name = URIRef.percentDecode(fragment)
        return anchors[res.uri + "#" + name] ?? anchors[docURI + "#" + name]
    }

    /// Follows a JSON Pointer inside a resource, tracking `$id` changes of the base URI.
    func pointer(_ res: Resource, _ pointer: String) -> Resource? {
        var node = res.node
        var base = res.base
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for raw in tokens {
            if let id = node["$id"]?.stringValue, !id.hasPrefix("#"),
                !(res.dialect == .legacy && node["$ref"] != nil)
            {
                base = URIRef.stripFragment(URIRef.resolve(id, against: base))
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
            uri = URIRef.stripFragment(URIRef.resolve(id, against: base))
        }
        return Resource(node: node, base: base, uri: uri, dialect: res.dialect, document: res.document)
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

// MARK: - Evaluation

struct Context {
    var base: String
    var dialect: Dialect
    var refChain: Set<String>
    var depth: Int
}

struct Evaluator {
    let index: SchemaIndex
    static let maxDepth = 256

    func isValid(_ schema: JSONValue, _ instance: JSONValue, _ ip: String, _ sp: String, _ ctx: Context) -> Bool {
        var out: [JSONSchemaViolation] = []
        eval(schema, instance, ip, sp, ctx, &out)
        return out.isEmpty
    }

    func violations(_ schema: JSONValue, _ instance: JSONValue, _ ip: String, _ sp: String, _ ctx: Context)
        -> [JSONSchemaViolation]
    {
        var out: [JSONSchemaViolation] = []
        eval(schema, instance, ip, sp, ctx, &out)
        return out
    }

    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func eval(
        _ schema: JSONValue, _ inst: JSONValue, _ ip: String, _ sp: String, _ ctx: Context,
        _ out: inout [JSONSchemaViolation]
    ) {
        func fail(_ keyword: String, _ message: String, at path: String? = nil) {
            out.append(
                JSONSchemaViolation(
                    instancePath: path ?? ip, keyword: keyword, message: message, schemaPath: sp + "/" + keyword))
        }
        switch schema {
        case .bool(true): return
        case .bool(false):
            out.append(
                JSONSchemaViolation(
                    instancePath: ip, keyword: "false", message: "no value is allowed here (schema false)",
                    schemaPath: sp))
            return
        case .object: break
        default:
            out.append(
                JSONSchemaViolation(
                    instancePath: ip, keyword: "schema",
                    message: "invalid schema (a \(schema.typeName), not an object or boolean)", schemaPath: sp))
            return
        }
        guard case .object(let s) = schema else { return }
        if ctx.depth > Self.maxDepth {
            fail("$ref", "schema nesting deeper than \(Self.maxDepth) (recursive $ref?)")
            return
        }
        var ctx = ctx
        ctx.depth += 1
        let legacyRef = ctx.dialect == .legacy && s["$ref"] != nil
        if let id = s["$id"]?.stringValue, !id.hasPrefix("#"), !legacyRef {
            ctx.base = URIRef.stripFragment(URIRef.resolve(id, against: ctx.base))
        }

        // $ref (and its dynamic variants, treated as static references).
        for key in ["$ref", "$dynamicRef", "$recursiveRef"] {
            guard let ref = s[key]?.stringValue else { continue }
            let abs = URIRef.resolve(ref, against: ctx.base)
            let loopKey = abs + "|" + ip
            if ctx.refChain.contains(loopKey) {
                fail(key, "infinite $ref recursion through \(abs)")
                continue
            }
            guard let target = index.lookup(abs) else {
                fail(key, "unresolved reference \(abs)")
                continue
            }
            var sub = ctx
            sub.base = target.base
            sub.dialect = target.dialect
            sub.refChain.insert(loopKey)
            eval(target.node, inst, ip, abs, sub, &out)
        }
        if legacyRef { return }

        // type
        if let t = s["type"] {
            let names = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            if !names.contains(where: { Self.hasType(inst, $0) }) {
                fail("type", "expected \(names.joined(separator: " or ")), found \(Self.typeName(inst))")
            }
        }
        if case .array(let values)? = s["enum"], !values.contains(inst) {
            let list = values.prefix(12).map { $0.encodedString() }.joined(separator: ", ")
            fail("enum", "\(Self.short(inst)) is not one of: \(list)\(values.count > 12 ? ", …" : "")")
        }
        if let c = s["const"], c != inst {
            fail("const", "expected \(Self.short(c)), found \(Self.short(inst))")
        }

        switch inst {
        case .number(let n): evalNumber(s, n, fail)
        case .string(let str): evalString(s, str, fail)
        case .array(let a): evalArray(s, a, ip, sp, ctx, &out)
        case .object(let o): evalObject(s, o, ip, sp, ctx, &out)
        default: break
        }

        // Combinators.
        if case .array(let subs)? = s["allOf"] {
            for (i, sub) in subs.enumerated() { eval(sub, inst, ip, sp + "/allOf/\(i)", ctx, &out) }
        }
        if case .array(let subs)? = s["anyOf"] {
            var details: [String] = []
            var matched = false
            for (i, sub) in subs.enumerated() {
                let v = violations(sub, inst, ip, sp + "/anyOf/\(i)", ctx)
                if v.isEmpty {
                    matched = true
                    break
                }
                details.append(Self.summary(i, v))
            }
            if !matched {
                fail("anyOf", "matches none of the \(subs.count) alternatives (\(details.joined(separator: "; ")))")
            }
        }
        if case .array(let subs)? = s["oneOf"] {
            var details: [String] = []
            var matching: [Int] = []
            for (i, sub) in subs.enumerated() {
                let v = violations(sub, inst, ip, sp + "/oneOf/\(i)", ctx)
                if v.isEmpty { matching.append(i) } else { details.append(Self.summary(i, v)) }
            }
            if matching.isEmpty {
                fail("oneOf", "matches none of the \(subs.count) alternatives (\(details.joined(separator: "; ")))")
            } else if matching.count > 1 {
                fail(
                    "oneOf",
                    "matches alternatives \(matching.map(String.init).joined(separator: ", ")); exactly one is allowed")
            }
        }
        if let n = s["not"], isValid(n, inst, ip, sp + "/not", ctx) {
            fail("not", "must not match the schema under \"not\"")
        }
        if let cond = s["if"] {
            if isValid(cond, inst, ip, sp + "/if", ctx) {
                if let then = s["then"] { eval(then, inst, ip, sp + "/then", ctx, &out) }
            } else if let els = s["else"] {
                eval(els, inst, ip, sp + "/else", ctx, &out)
            }
        }
    }

    // MARK: numbers

    func evalNumber(_ s: [String: JSONValue], _ n: Double, _ fail: (String, String, String?) -> Void) {
        if let m = s["minimum"]?.numberValue {
            if s["exclusiveMinimum"]?.boolValue == true {
                if !(n > m) { fail("exclusiveMinimum", "\(Self.num(n)) must be greater than \(Self.num(m))", nil) }
            } else if n < m {
                fail("minimum", "\(Self.num(n)) is less than the minimum \(Self.num(m))", nil)
            }
        }
        if let m = s["maximum"]?.numberValue {
            if s["exclusiveMaximum"]?.boolValue == true {
                if !(n < m) { fail("exclusiveMaximum", "\(Self.num(n)) must be less than \(Self.num(m))", nil) }
            } else if n > m {
                fail("maximum", "\(Self.num(n)) is greater than the maximum \(Self.num(m))", nil)
            }
        }
        if let m = s["exclusiveMinimum"]?.numberValue, !(n > m) {
            fail("exclusiveMinimum", "\(Self.num(n)) must be greater than \(Self.num(m))", nil)
        }
        if let m = s["exclusiveMaximum"]?.numberValue, !(n < m) {
            fail("exclusiveMaximum", "\(Self.num(n)) must be less than \(Self.num(m))", nil)
        }
        if let m = s["multipleOf"]?.numberValue, m > 0, !Self.isMultiple(n, of: m) {
            fail("multipleOf", "\(Self.num(n)) is not a multiple of \(Self.num(m))", nil)
        }
    }

    static func isMultiple(_ n: Double, of m: Double) -> Bool {
        if n == n.rounded(), m == m.rounded(), abs(n) < 9e15, abs(m) < 9e15 {
            return n.truncatingRemainder(dividingBy: m) == 0
        }
        let q = n / m
        guard q.isFinite else { return false }
        return abs(q - q.rounded()) <= 1e-9 * max(1, abs(q))
    }

    // MARK: strings

    func evalString(_ s: [String: JSONValue], _ str: String, _ fail: (String, String, String?) -> Void) {
        let count = str.unicodeScalars.count
        if let m = s["minLength"]?.numberValue, Double(count) < m {
            fail("minLength", "length \(count) is shorter than \(Self.num(m))", nil)
        }
        if let m = s["maxLength"]?.numberValue, Double(count) > m {
            fail("maxLength", "length \(count) is longer than \(Self.num(m))", nil)
        }
        if let p = s["pattern"]?.stringValue {
            switch index.regex(p) {
            case .success(let re):
                if !Self.matches(re, str) {
                    fail("pattern", "\(Self.short(.string(str))) does not match the pattern \(p)", nil)
                }
            case .failure(let e):
                fail("pattern", "the schema's pattern cannot be compiled: \(e)", nil)
            }
        }
        if let f = s["format"]?.stringValue, let ok = Formats.check(f, str), !ok {
            fail("format", "\(Self.short(.string(str))) is not a valid \(f)", nil)
        }
    }

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
    }

    // MARK: arrays

    func evalArray(
        _ s: [String: JSONValue], _ a: [JSONValue], _ ip: String, _ sp: String, _ ctx: Context,
        _ out: inout [JSONSchemaViolation]
    ) {
        func fail(_ keyword: String, _ message: String) {
            out.append(
                JSONSchemaViolation(
                    instancePath: ip, keyword: keyword, message: message, schemaPath: sp + "/" + keyword))
        }
        var prefixCount = 0
        if case .array(let prefix)? = s["prefixItems"] {
            for (i, sub) in prefix.enumerated() where i < a.count {
                eval(sub, a[i], ip + "/\(i)", sp + "/prefixItems/\(i)", ctx, &out)
            }
            prefixCount = prefix.count
        }
        if let items = s["items"] {
            if case .array(let tuple) = items {
                for (i, sub) in tuple.enumerated() where i < a.count {
                    eval(sub, a[i], ip + "/\(i)", sp + "/items/\(i)", ctx, &out)
                }
                if let extra = s["additionalItems"], a.count > tuple.count {
                    for i in tuple.count..<a.count {
                        if extra == .bool(false) {
                            out.append(
                                JSONSchemaViolation(
                                    instancePath: ip + "/\(i)", keyword: "additionalItems",
                                    message: "no item is allowed beyond the first \(tuple.count)",
                                    schemaPath: sp + "/additionalItems"))
                        } else {
                            eval(extra, a[i], ip + "/\(i)", sp + "/additionalItems", ctx, &out)
                        }
                    }
                }
            } else if a.count > prefixCount {
                for i in prefixCount..<a.count {
                    if items == .bool(false) {
                        out.append(
                            JSONSchemaViolation(
                                instancePath: ip + "/\(i)", keyword: "items",
                                message: "no item is allowed beyond the first \(prefixCount)", schemaPath: sp + "/items"
                            ))
                    } else {
                        eval(items, a[i], ip + "/\(i)", sp + "/items", ctx, &out)
                    }
                }
            }
        }
        if let m = s["minItems"]?.numberValue, Double(a.count) < m {
            fail("minItems", "\(a.count) items, fewer than \(Self.num(m))")
        }
        if let m = s["maxItems"]?.numberValue, Double(a.count) > m {
            fail("maxItems", "\(a.count) items, more than \(Self.num(m))")
        }
        if s["uniqueItems"]?.boolValue == true {
            var seen: [JSONValue: Int] = [:]
            for (i, v) in a.enumerated() {
                if let j = seen[v] {
                    fail("uniqueItems", "items \(j) and \(i) are equal")
                    break
                }
                seen[v] = i
            }
        }
        if let c = s["contains"] {
            let n = a.enumerated().filter { isValid(c, $0.element, ip + "/\($0.offset)", sp + "/contains", ctx) }.count
            let minC = s["minContains"]?.numberValue ?? 1
            if Double(n) < minC {
                fail(
                    "contains",
                    minC == 1
                        ? "no item matches the \"contains\" schema"
                        : "\(n) items match \"contains\", fewer than \(Self.num(minC))")
            }
            if let maxC = s["maxContains"]?.numberValue, Double(n) > maxC {
                fail("maxContains", "\(n) items match \"contains\", more than \(Self.num(maxC))")
            }
        }
    }

    // MARK: objects

    func evalObject(
        _ s: [String: JSONValue], _ o: [String: JSONValue], _ ip: String, _ sp: String, _ ctx: Context,
        _ out: inout [JSONSchemaViolation]
    ) {
        func fail(_ keyword: String, _ message: String, at path: String? = nil) {
            out.append(
                JSONSchemaViolation(
                    instancePath: path ?? ip, keyword: keyword, message: message, schemaPath: sp + "/" + keyword))
        }
        let keys = o.keys.sorted()
        var evaluated = Set<String>()
        if case .object(let props)? = s["properties"] {
            for k in keys {
                guard let sub = props[k] else { continue }
                evaluated.insert(k)
                eval(sub, o[k]!, ip + "/" + Self.escape(k), sp + "/properties/" + Self.escape(k), ctx, &out)
            }
        }
        if case .object(let pp)? = s["patternProperties"] {
            for (p, sub) in pp.sorted(by: { $0.key < $1.key }) {
                guard case .success(let re) = index.regex(p) else {
                    fail("patternProperties", "the schema's pattern \(p) cannot be compiled")
                    continue
                }
                for k in keys where Self.matches(re, k) {
                    evaluated.insert(k)
                    eval(sub, o[k]!, ip + "/" + Self.escape(k), sp + "/patternProperties/" + Self.escape(p), ctx, &out)
                }
            }
        }
        if let ap = s["additionalProperties"] {
            for k in keys where !evaluated.contains(k) {
                if ap == .bool(false) {
                    fail("additionalProperties", "property \"\(k)\" is not allowed", at: ip + "/" + Self.escape(k))
                } else {
                    eval(ap, o[k]!, ip + "/" + Self.escape(k), sp + "/additionalProperties", ctx, &out)
                }
            }
        }
        if case .array(let req)? = s["required"] {
            for r in req.compactMap(\.stringValue) where o[r] == nil {
                fail("required", "required property \"\(r)\" is missing")
            }
        }
        if let pn = s["propertyNames"] {
            for k in keys {
                let v = violations(pn, .string(k), ip + "/" + Self.escape(k), sp + "/propertyNames", ctx)
                if !v.isEmpty {
                    fail(
                        "propertyNames",
                        "property name \"\(k)\" is invalid: \(v.map(\.message).joined(separator: "; "))")
                }
            }
        }
        if let m = s["minProperties"]?.numberValue, Double(o.count) < m {
            fail("minProperties", "\(o.count) properties, fewer than \(Self.num(m))")
        }
        if let m = s["maxProperties"]?.numberValue, Double(o.count) > m {
            fail("maxProperties", "\(o.count) properties, more than \(Self.num(m))")
        }
        func requireDependencies(_ keyword: String, _ deps: [String: JSONValue]) {
            for (k, dep) in deps.sorted(by: { $0.key < $1.key }) where o[k] != nil {
                if case .array(let names) = dep {
                    for n in names.compactMap(\.stringValue) where o[n] == nil {
                        fail(keyword, "property \"\(n)\" is required when \"\(k)\" is present")
                    }
                } else {
                    eval(dep, .object(o), ip, sp + "/\(keyword)/" + Self.escape(k), ctx, &out)
                }
            }
        }
        if case .object(let deps)? = s["dependencies"] { requireDependencies("dependencies", deps) }
        if case .object(let deps)? = s["dependentRequired"] { requireDependencies("dependentRequired", deps) }
        if case .object(let deps)? = s["dependentSchemas"] { requireDependencies("dependentSchemas", deps) }
    }

    // MARK: helpers

    static func hasType(_ v: JSONValue, _ name: String) -> Bool {
        switch (name, v) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
            ("array", .array), ("object", .object):
            return true
        case ("integer", .number(let n)):
            return n.isFinite && n == n.rounded()
        default:
            return false
        }
    }

    static func typeName(_ v: JSONValue) -> String {
        if case .number(let n) = v, n.isFinite, n == n.rounded() { return "integer" }
        return v.typeName
    }

    static func num(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func short(_ v: JSONValue) -> String {
        let s = v.encodedString()
        if s.unicodeScalars.count <= 80 { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(77))) + "…"
    }

    static func summary(_ i: Int, _ v: [JSONSchemaViolation]) -> String {
        let shown = v.prefix(3).map(\.description).joined(separator: ", ")
        return "#\(i): \(shown)\(v.count > 3 ? ", …" : "")"
    }
}

// MARK: - Formats

enum Formats {
    /// nil when the format is unknown (ignored), else whether the string conforms.
    static func check(_ format: String, _ s: String) -> Bool? {
        switch format {
        case "date-time": return isDateTime(s)
        case "date": return isDate(Substring(s))
        case "time": return isTime(Substring(s))
        case "uri": return isURI(s, requireScheme: true)
        case "uri-reference": return isURI(s, requireScheme: false)
        case "email": return isEmail(s)
        case "uuid": return isUUID(s)
        default: return nil
        }
    }

    static func digits(_ s: Substring, _ n: Int) -> Int? {
        guard s.count == n, s.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(s)
    }

    /// RFC 3339 `full-date`.
    static func isDate(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = digits(parts[0], 4), let m = digits(parts[1], 2), let d = digits(parts[2], 2)
        else {
            return false
        }
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    /// RFC 3339 `full-time` (the time-zone offset is mandatory).
    static func isTime(_ s: Substring) -> Bool {
        var rest = s
        var offsetOK = false
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest = rest.dropLast()
            offsetOK = true
        } else if rest.count > 6 {
            let off = rest.suffix(6)
            let sign = off.first
            if sign == "+" || sign == "-" {
                let hm = off.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
                if hm.count == 2, let h = digits(hm[0], 2), let m = digits(hm[1], 2), h <= 23, m <= 59 {
                    offsetOK = true
                    rest = rest.dropLast(6)
                }
            }
        }
        guard offsetOK else { return false }
        var frac: Substring = ""
        if let dot = rest.firstIndex(of: ".") {
            frac = rest[rest.index(after: dot)...]
            rest = rest[..<dot]
            guard !frac.isEmpty, frac.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        }
        let hms = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, let h = digits(hms[0], 2), let m = digits(hms[1], 2), let sec = digits(hms[2], 2) else {
            return false
        }
        return h <= 23 && m <= 59 && sec <= 60
    }

    /// RFC 3339 `date-time`: full-date "T" full-time, with a mandatory time zone.
    static func isDateTime(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(s[..<t]) && isTime(s[s.index(after: t)...])
    }

    static let uriChars: Set<Unicode.Scalar> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".unicodeScalars)

    /// RFC 3986 URI (absolute, with a scheme) or URI reference; ASCII only, valid percent-escapes,
    /// at most one '#'.
    static func isURI(_ s: String, requireScheme: Bool) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard uriChars.contains(c) else { return false }
            if c == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].properties.isASCIIHexDigit,
                    scalars[i + 2].properties.isASCIIHexDigit
                else {
                    return false
                }
                i += 2
            }
            i += 1
        }
        if s.filter({ $0 == "#" }).count > 1 { return false }
        let parts = URIRef.parse(s)
        if requireScheme && parts.scheme == nil { return false }
        if let auth = parts.authority, parts.scheme != nil, auth.isEmpty, parts.scheme?.lowercased() != "file" {
            return false
        }
        return true
    }

    /// A pragmatic e-mail address check (RFC 5321 dot-atom local part, host name domain).
    static func isEmail(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at]
        let domain = s[s.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, !domain.isEmpty, domain.count <= 253 else { return false }
        let atext = Set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)
        for part in local.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.unicodeScalars.allSatisfy({ atext.contains($0) }) else { return false }
        }
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-",
                label.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                })
            else { return false }
        }
        return true
    }

    static func isUUID(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }
    }
}
