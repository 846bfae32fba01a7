import Foundation

// MARK: - Compiled schema

/// A schema compiled once for the yes/no question "does this instance conform?" (`JSONSchemaValidator.conforms`):
/// every keyword read into a typed field, every `$ref` resolved to its compiled target (cycles allowed), every
/// pattern compiled, formats named by an enum. Checking one instance makes no dictionary look-up by keyword, builds
/// no path and no message: `SchemaEvaluator` (the interpreter over `JSONValue`) runs only when the answer is no, to
/// say why. Both walk the schema the same way (same nesting limit, same `$ref` loop rule, same evaluations counted
/// against the budget), so their verdicts are the same.
final class CompiledSchema: @unchecked Sendable {
    // Written only by `SchemaCompiler` while the validator is made, read-only afterwards.
    enum Kind {
        /// `true`.
        case accept
        /// `false`, or not a schema at all (a number, a string…).
        case reject
        case object
    }

    enum Items {
        case none
        case tuple([CompiledSchema])
        case single(CompiledSchema)
    }

    enum Dependency {
        case names([String])
        case schema(CompiledSchema)
    }

    struct Ref {
        /// The reference's absolute URI, numbered: the `$ref` loop rule compares these.
        var id: Int
        var target: CompiledSchema?
    }

    let kind: Kind
    /// `"type": "array"`: a single value stands for an array of one when `singleValuesAsArrays` is on.
    var wrapsSingleValues = false
    var refs: [Ref] = []
    /// draft-04 to draft-07: `$ref` overrides its siblings.
    var refOnly = false

    var typeMask: UInt8?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    var minimum: Double?
    var minimumIsExclusive = false
    var maximum: Double?
    var maximumIsExclusive = false
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var minLength: Double?
    var maxLength: Double?
    var pattern: (source: String, regex: Result<NSRegularExpression, JSONSchemaError>)?
    /// The pattern matched by hand when it is one of the bundled schemas' (`KnownPattern`).
    var knownPattern: KnownPattern?
    var format: SchemaFormat?

    var prefixItems: [CompiledSchema]?
    var items = Items.none
    var additionalItems: CompiledSchema?
    var minItems: Double?
    var maxItems: Double?
    var uniqueItems = false
    var contains: CompiledSchema?
    var minContains: Double = 1
    var maxContains: Double?

    var properties: [String: CompiledSchema]?
    var patternProperties: [(regex: Result<NSRegularExpression, JSONSchemaError>, schema: CompiledSchema)] = []
    var additionalProperties: CompiledSchema?
    var required: [String] = []
    var propertyNames: CompiledSchema?
    var minProperties: Double?
    var maxProperties: Double?
    var dependencies: [(key: String, dependency: Dependency)] = []

    var allOf: [CompiledSchema]?
    var anyOf: [CompiledSchema]?
    var oneOf: [CompiledSchema]?
    var not: CompiledSchema?
    var ifSchema: CompiledSchema?
    var thenSchema: CompiledSchema?
    var elseSchema: CompiledSchema?

    init(kind: Kind) { self.kind = kind }

    static let accepting = CompiledSchema(kind: .accept)
    static let rejecting = CompiledSchema(kind: .reject)

    // Type bits.
    static let nullBit: UInt8 = 1
    static let booleanBit: UInt8 = 2
    static let numberBit: UInt8 = 4
    static let stringBit: UInt8 = 8
    static let arrayBit: UInt8 = 16
    static let objectBit: UInt8 = 32
    static let integerBit: UInt8 = 64

    static func typeBit(_ name: String) -> UInt8 {
        switch name {
        case "null": nullBit
        case "boolean": booleanBit
        case "number": numberBit
        case "string": stringBit
        case "array": arrayBit
        case "object": objectBit
        case "integer": integerBit
        default: 0
        }
    }

    /// Whether `v` has one of the types in `mask` (as `SchemaEvaluator.hasType`).
    static func hasType(_ v: JSONValue, _ mask: UInt8) -> Bool {
        switch v {
        case .null: return mask & nullBit != 0
        case .bool: return mask & booleanBit != 0
        case .number(let n):
            return mask & numberBit != 0 || (mask & integerBit != 0 && n.isFinite && n == n.rounded())
        case .string: return mask & stringBit != 0
        case .array: return mask & arrayBit != 0
        case .object: return mask & objectBit != 0
        }
    }
}

/// The formats `SchemaFormats` knows, named once.
enum SchemaFormat {
    case dateTime, date, time, uri, uriReference, email, uuid

    init?(_ name: String) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        case "email": self = .email
        case "uuid": self = .uuid
        default: return nil
        }
    }

    func check(_ s: String) -> Bool {
        switch self {
        case .dateTime: SchemaFormats.isDateTime(s)
        case .date: SchemaFormats.isDate(Substring(s))
        case .time: SchemaFormats.isTime(Substring(s))
        case .uri: SchemaFormats.isURI(s, requireScheme: true)
        case .uriReference: SchemaFormats.isURI(s, requireScheme: false)
        case .email: SchemaFormats.isEmail(s)
        case .uuid: SchemaFormats.isUUID(s)
        }
    }
}

// MARK: - Compiler

/// Compiles a schema reachable from the root, following `$ref`s through the index as `SchemaEvaluator` does
/// (same base URI tracking with `$id`, same dialect rule for `$ref` siblings). Each `$ref` target is compiled once,
/// by absolute URI, so recursive schemas become cycles.
final class SchemaCompiler {
    private let index: SchemaIndex
    private var byRef: [String: CompiledSchema] = [:]
    private var refIDs: [String: Int] = [:]

    init(index: SchemaIndex) { self.index = index }

    func compile(_ schema: JSONValue, base: String, dialect: SchemaDialect) -> CompiledSchema {
        switch schema {
        case .bool(true): return .accepting
        case .object(let s):
            let c = CompiledSchema(kind: .object)
            fill(c, s, base: base, dialect: dialect)
            return c
        default: return .rejecting
        }
    }

    private func fill(_ c: CompiledSchema, _ s: [String: JSONValue], base: String, dialect: SchemaDialect) {
        var base = base
        c.wrapsSingleValues = s["type"] == "array"
        let legacyRef = dialect == .legacy && s["$ref"] != nil
        if let id = s["$id"]?.stringValue, !id.hasPrefix("#"), !legacyRef {
            base = SchemaURI.stripFragment(SchemaURI.resolve(id, against: base))
        }
        for key in ["$ref", "$dynamicRef", "$recursiveRef"] {
            guard let ref = s[key]?.stringValue else { continue }
            c.refs.append(compileRef(ref, base: base))
        }
        c.refOnly = legacyRef
        if legacyRef { return }
        fillGeneric(c, s)
        fillNumber(c, s)
        fillString(c, s)
        fillArray(c, s, base: base, dialect: dialect)
        fillObject(c, s, base: base, dialect: dialect)
        fillCombinators(c, s, base: base, dialect: dialect)
    }

    private func compileRef(_ ref: String, base: String) -> CompiledSchema.Ref {
        let (abs, resolved) = index.resolve(ref, base: base)
        let id: Int
        if let known = refIDs[abs] {
            id = known
        } else {
            id = refIDs.count
            refIDs[abs] = id
        }
        guard let target = resolved else { return CompiledSchema.Ref(id: id, target: nil) }
        if let done = byRef[abs] { return CompiledSchema.Ref(id: id, target: done) }
        guard case .object(let s) = target.node else {
            let c = compile(target.node, base: target.base, dialect: target.dialect)
            byRef[abs] = c
            return CompiledSchema.Ref(id: id, target: c)
        }
        let c = CompiledSchema(kind: .object)
        byRef[abs] = c  // before filling: a recursive reference finds it
        fill(c, s, base: target.base, dialect: target.dialect)
        return CompiledSchema.Ref(id: id, target: c)
    }

    private func fillGeneric(_ c: CompiledSchema, _ s: [String: JSONValue]) {
        if let t = s["type"] {
            let names = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            c.typeMask = names.reduce(0) { $0 | CompiledSchema.typeBit($1) }
        }
        if case .array(let values)? = s["enum"] { c.enumValues = values }
        c.constValue = s["const"]
    }

    private func fillNumber(_ c: CompiledSchema, _ s: [String: JSONValue]) {
        c.minimum = s["minimum"]?.numberValue
        c.minimumIsExclusive = s["exclusiveMinimum"]?.boolValue == true
        c.maximum = s["maximum"]?.numberValue
        c.maximumIsExclusive = s["exclusiveMaximum"]?.boolValue == true
        c.exclusiveMinimum = s["exclusiveMinimum"]?.numberValue
        c.exclusiveMaximum = s["exclusiveMaximum"]?.numberValue
        if let m = s["multipleOf"]?.numberValue, m > 0 { c.multipleOf = m }
    }

    private func fillString(_ c: CompiledSchema, _ s: [String: JSONValue]) {
        c.minLength = s["minLength"]?.numberValue
        c.maxLength = s["maxLength"]?.numberValue
        if let p = s["pattern"]?.stringValue {
            c.pattern = (p, index.regex(p))
            c.knownPattern = KnownPattern(source: p)
        }
        if let f = s["format"]?.stringValue { c.format = SchemaFormat(f) }
    }

    private func fillArray(_ c: CompiledSchema, _ s: [String: JSONValue], base: String, dialect: SchemaDialect) {
        func sub(_ v: JSONValue) -> CompiledSchema { compile(v, base: base, dialect: dialect) }
        if case .array(let prefix)? = s["prefixItems"] { c.prefixItems = prefix.map(sub) }
        if let items = s["items"] {
            if case .array(let tuple) = items {
                c.items = .tuple(tuple.map(sub))
                c.additionalItems = s["additionalItems"].map(sub)
            } else {
                c.items = .single(sub(items))
            }
        }
        c.minItems = s["minItems"]?.numberValue
        c.maxItems = s["maxItems"]?.numberValue
        c.uniqueItems = s["uniqueItems"]?.boolValue == true
        c.contains = s["contains"].map(sub)
        c.minContains = s["minContains"]?.numberValue ?? 1
        c.maxContains = s["maxContains"]?.numberValue
    }

    private func fillObject(_ c: CompiledSchema, _ s: [String: JSONValue], base: String, dialect: SchemaDialect) {
        func sub(_ v: JSONValue) -> CompiledSchema { compile(v, base: base, dialect: dialect) }
        if case .object(let props)? = s["properties"] { c.properties = props.mapValues(sub) }
        if case .object(let pp)? = s["patternProperties"] {
            c.patternProperties = pp.map { (regex: index.regex($0.key), schema: sub($0.value)) }
        }
        c.additionalProperties = s["additionalProperties"].map(sub)
        if case .array(let req)? = s["required"] { c.required = req.compactMap(\.stringValue) }
        c.propertyNames = s["propertyNames"].map(sub)
        c.minProperties = s["minProperties"]?.numberValue
        c.maxProperties = s["maxProperties"]?.numberValue
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            guard case .object(let deps)? = s[keyword] else { continue }
            for (k, dep) in deps {
                if case .array(let names) = dep {
                    c.dependencies.append((k, .names(names.compactMap(\.stringValue))))
                } else {
                    c.dependencies.append((k, .schema(sub(dep))))
                }
            }
        }
    }

    private func fillCombinators(
        _ c: CompiledSchema, _ s: [String: JSONValue], base: String, dialect: SchemaDialect
    ) {
        func sub(_ v: JSONValue) -> CompiledSchema { compile(v, base: base, dialect: dialect) }
        if case .array(let subs)? = s["allOf"] { c.allOf = subs.map(sub) }
        if case .array(let subs)? = s["anyOf"] { c.anyOf = subs.map(sub) }
        if case .array(let subs)? = s["oneOf"] { c.oneOf = subs.map(sub) }
        c.not = s["not"].map(sub)
        if let cond = s["if"] {
            c.ifSchema = sub(cond)
            c.thenSchema = s["then"].map(sub)
            c.elseSchema = s["else"].map(sub)
        }
    }
}
