import Foundation

// MARK: - Evaluation

struct SchemaContext {
    var base: String
    var dialect: SchemaDialect
    var refChain: Set<String>
    var depth: Int
}

/// The evaluations one `validate` may still make; shared by the evaluator's recursive calls.
final class SchemaBudget {
    private var left: Int
    private(set) var exhausted = false

    init(limit: Int) { left = limit }

    /// Takes one evaluation; false once the budget is spent.
    func take() -> Bool {
        if left <= 0 {
            exhausted = true
            return false
        }
        left -= 1
        return true
    }
}

struct SchemaEvaluator {
    let index: SchemaIndex
    let budget: SchemaBudget
    /// JSON-LD reading: a single value where the schema wants an array is a set of one.
    var singleValuesAsArrays = false
    static let maxDepth = 256

    func isValid(_ schema: JSONValue, _ instance: JSONValue, _ ip: String, _ sp: String, _ ctx: SchemaContext) -> Bool {
        var out: [JSONSchemaViolation] = []
        eval(schema, instance, ip, sp, ctx, &out)
        return out.isEmpty
    }

    func violations(_ schema: JSONValue, _ instance: JSONValue, _ ip: String, _ sp: String, _ ctx: SchemaContext)
        -> [JSONSchemaViolation]
    {
        var out: [JSONSchemaViolation] = []
        eval(schema, instance, ip, sp, ctx, &out)
        return out
    }

    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func eval(
        _ schema: JSONValue, _ inst: JSONValue, _ ip: String, _ sp: String, _ ctx: SchemaContext,
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
        guard case .object(let s) = schema, budget.take() else { return }
        if singleValuesAsArrays, s["type"] == "array", inst.arrayValue == nil, inst != .null {
            eval(schema, .array([inst]), ip, sp, ctx, &out)
            return
        }
        if ctx.depth > Self.maxDepth {
            fail("$ref", "schema nesting deeper than \(Self.maxDepth) (recursive $ref?)")
            return
        }
        var ctx = ctx
        ctx.depth += 1
        let legacyRef = ctx.dialect == .legacy && s["$ref"] != nil
        if let id = s["$id"]?.stringValue, !id.hasPrefix("#"), !legacyRef {
            ctx.base = SchemaURI.stripFragment(SchemaURI.resolve(id, against: ctx.base))
        }

        // $ref (and its dynamic variants, treated as static references).
        for key in ["$ref", "$dynamicRef", "$recursiveRef"] {
            guard let ref = s[key]?.stringValue else { continue }
            let (abs, resolved) = index.resolve(ref, base: ctx.base)
            let loopKey = abs + "|" + ip
            if ctx.refChain.contains(loopKey) {
                fail(key, "infinite $ref recursion through \(abs)")
                continue
            }
            guard let target = resolved else {
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
        evalKeywords(s, inst, ip, sp, ctx, &out)
        evalCombinators(s, inst, ip, sp, ctx, &out)
    }

    /// Type, enum, const and the keywords of the instance's own type.
    func evalKeywords(
        _ s: [String: JSONValue], _ inst: JSONValue, _ ip: String, _ sp: String, _ ctx: SchemaContext,
        _ out: inout [JSONSchemaViolation]
    ) {
        func fail(_ keyword: String, _ message: String, at path: String? = nil) {
            out.append(
                JSONSchemaViolation(
                    instancePath: path ?? ip, keyword: keyword, message: message, schemaPath: sp + "/" + keyword))
        }
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
    }

    /// allOf, anyOf, oneOf, not, if/then/else.
    func evalCombinators(
        _ s: [String: JSONValue], _ inst: JSONValue, _ ip: String, _ sp: String, _ ctx: SchemaContext,
        _ out: inout [JSONSchemaViolation]
    ) {
        func fail(_ keyword: String, _ message: String) {
            out.append(
                JSONSchemaViolation(
                    instancePath: ip, keyword: keyword, message: message, schemaPath: sp + "/" + keyword))
        }
        if case .array(let subs)? = s["allOf"] {
            for (i, sub) in subs.enumerated() { eval(sub, inst, ip, sp + "/allOf/\(i)", ctx, &out) }
        }
        if case .array(let subs)? = s["anyOf"] {
            var failures: [[JSONSchemaViolation]] = []
            for (i, sub) in subs.enumerated() {
                let v = violations(sub, inst, ip, sp + "/anyOf/\(i)", ctx)
                if v.isEmpty { break }
                failures.append(v)
            }
            if failures.count == subs.count { failNone("anyOf", failures, ip, sp, &out) }
        }
        if case .array(let subs)? = s["oneOf"] {
            var failures: [[JSONSchemaViolation]] = []
            var matching: [Int] = []
            for (i, sub) in subs.enumerated() {
                let v = violations(sub, inst, ip, sp + "/oneOf/\(i)", ctx)
                if v.isEmpty { matching.append(i) } else { failures.append(v) }
            }
            if matching.isEmpty {
                failNone("oneOf", failures, ip, sp, &out)
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

    /// No alternative of `anyOf` / `oneOf` matches: one violation for the keyword, then, when a single alternative
    /// is of the instance's type (the others fail on `type` right there, e.g. a URI string or a profile object),
    /// that alternative's own violations, which say what is really wrong.
    func failNone(
        _ keyword: String, _ failures: [[JSONSchemaViolation]], _ ip: String, _ sp: String,
        _ out: inout [JSONSchemaViolation]
    ) {
        let details = failures.enumerated().map { Self.summary($0.offset, $0.element) }.joined(separator: "; ")
        out.append(
            JSONSchemaViolation(
                instancePath: ip, keyword: keyword,
                message: "matches none of the \(failures.count) alternatives (\(details))",
                schemaPath: sp + "/" + keyword))
        let ofType = failures.filter { !$0.contains { $0.keyword == "type" && $0.instancePath == ip } }
        if ofType.count == 1 { out.append(contentsOf: ofType[0]) }
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
        if let p = s["pattern"]?.stringValue, str.utf16.count > JSONSchemaValidator.maxPatternInputLength {
            fail("pattern", "a string of \(str.utf16.count) characters is too long to be matched against \(p)", nil)
        } else if let p = s["pattern"]?.stringValue {
            switch index.regex(p) {
            case .success(let re):
                if !Self.matches(re, str) {
                    fail("pattern", "\(Self.short(.string(str))) does not match the pattern \(p)", nil)
                }
            case .failure(let e):
                fail("pattern", "the schema's pattern cannot be compiled: \(e)", nil)
            }
        }
        if let f = s["format"]?.stringValue, let ok = SchemaFormats.check(f, str), !ok {
            fail("format", "\(Self.short(.string(str))) is not a valid \(f)", nil)
        }
    }

    static func matches(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
    }

    // MARK: arrays

    func evalArray(
        _ s: [String: JSONValue], _ a: [JSONValue], _ ip: String, _ sp: String, _ ctx: SchemaContext,
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
        _ s: [String: JSONValue], _ o: [String: JSONValue], _ ip: String, _ sp: String, _ ctx: SchemaContext,
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
                for k in keys where k.utf16.count > JSONSchemaValidator.maxPatternInputLength {
                    fail("patternProperties", "property name too long to be matched against \(p)", at: ip)
                }
                for k in keys where k.utf16.count <= JSONSchemaValidator.maxPatternInputLength && Self.matches(re, k) {
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
                out.append(
                    JSONSchemaViolation(
                        instancePath: ip, keyword: "required", message: "required property \"\(r)\" is missing",
                        schemaPath: sp + "/required", property: r))
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
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            if case .object(let deps)? = s[keyword] { evalDependencies(keyword, deps, o, ip, sp, ctx, &out) }
        }
    }

    /// `dependencies` (draft-07), `dependentRequired` and `dependentSchemas`.
    func evalDependencies(
        _ keyword: String, _ deps: [String: JSONValue], _ o: [String: JSONValue], _ ip: String, _ sp: String,
        _ ctx: SchemaContext, _ out: inout [JSONSchemaViolation]
    ) {
        for (k, dep) in deps.sorted(by: { $0.key < $1.key }) where o[k] != nil {
            if case .array(let names) = dep {
                for n in names.compactMap(\.stringValue) where o[n] == nil {
                    out.append(
                        JSONSchemaViolation(
                            instancePath: ip, keyword: keyword,
                            message: "property \"\(n)\" is required when \"\(k)\" is present",
                            schemaPath: sp + "/" + keyword, property: n))
                }
            } else {
                eval(dep, .object(o), ip, sp + "/\(keyword)/" + Self.escape(k), ctx, &out)
            }
        }
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

    /// At most 80 characters of `v`, made from a clipped copy so that a huge instance costs nothing to show.
    static func short(_ v: JSONValue) -> String {
        let s = clipped(v, depth: 0).encodedString()
        if s.unicodeScalars.count <= 80 { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(77))) + "…"
    }

    static func clipped(_ v: JSONValue, depth: Int) -> JSONValue {
        switch v {
        case .string(let s) where s.unicodeScalars.count > 81:
            return .string(String(String.UnicodeScalarView(s.unicodeScalars.prefix(81))))
        case .array(let a):
            return depth > 2 ? .array([]) : .array(a.prefix(5).map { clipped($0, depth: depth + 1) })
        case .object(let o):
            guard depth <= 2 else { return .object([:]) }
            let keys = o.count > 5 ? Array(o.keys.sorted().prefix(5)) : Array(o.keys)
            return .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, clipped(o[$0]!, depth: depth + 1)) }))
        default:
            return v
        }
    }

    static func summary(_ i: Int, _ v: [JSONSchemaViolation]) -> String {
        let shown = v.prefix(3).map(\.description).joined(separator: ", ")
        return "#\(i): \(shown)\(v.count > 3 ? ", …" : "")"
    }
}
