import Foundation

// A JSON Schema validator (draft-04/06/07, 2019-09 and 2020-12 common keywords) over `JSONValue`: used at run
// time on untrusted credentials (the official OB 3.0 schemas, `OB3Schema`) and by the tests on emitted documents.
// No network, no disk: every schema a `$ref` may reach is given to `init` (or by its `loader`).
//
// Bounded work on hostile instances: evaluation nesting is capped (`SchemaEvaluator.maxDepth`), every run has a
// budget of schema evaluations (`maxEvaluations`), and strings longer than `maxPatternInputLength` are not handed
// to the regex engine (NSRegularExpression has no timeout): they fail `pattern`. Patterns come from the schema
// (trusted), are compiled once when the validator is made and cached.
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
    /// For `required` (and `dependencies`/`dependentRequired`): the missing property.
    public var property: String?

    public init(
        instancePath: String, keyword: String, message: String, schemaPath: String = "", property: String? = nil
    ) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
        self.schemaPath = schemaPath
        self.property = property
    }

    /// The JSON Pointer of what is wrong: the missing property itself for `required`.
    public var pointer: String {
        guard let property else { return instancePath }
        return instancePath + "/" + SchemaEvaluator.escape(property)
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
    private let rootDialect: SchemaDialect
    /// The same schema compiled for the yes/no question (see `CompiledSchema`).
    private let compiled: CompiledSchema

    /// Loads a schema; `registry` maps URIs (an `$id`, a file URL or a bare file name) to other schemas
    /// that `$ref` may point to.
    public init(schema: JSONValue, registry: [String: JSONValue] = [:]) throws {
        try self.init(schema: schema, retrievalURI: "", registry: registry.map { (uri: $0.key, schema: $0.value) })
    }

    /// Loads a schema retrieved from `retrievalURI` (the base of its relative `$ref`s when it has no `$id`).
    /// `registry` lists other schemas by URI; `loader` is asked, while the validator is made, for any other
    /// document a reachable `$ref` names (e.g. a `file:` URL in tests); nil when unknown.
    public init(
        schema: JSONValue, retrievalURI: String, registry: [(uri: String, schema: JSONValue)],
        loader: (String) -> JSONValue? = { _ in nil }
    ) throws {
        let index = SchemaIndex()
        let dialect = SchemaDialect.of(schema) ?? .modern
        _ = index.addDocument(schema, retrievalURI: retrievalURI, dialect: dialect)
        for (key, doc) in registry {
            _ = index.addDocument(doc, retrievalURI: key, dialect: SchemaDialect.of(doc) ?? dialect)
        }
        try index.checkReachable(from: retrievalURI, loader: loader)
        self.index = index
        self.root = schema
        self.rootBase = SchemaURI.stripFragment(retrievalURI)
        self.rootDialect = dialect
        self.compiled = SchemaCompiler(index: index).compile(
            schema, base: SchemaURI.stripFragment(retrievalURI), dialect: dialect)
    }

    /// How many schema evaluations one `validate` may make before it gives up with a `budget` violation.
    public var maxEvaluations = 1_000_000
    /// When true, a single value where the schema wants an array (`"type": "array"`) is read as an array of one,
    /// as JSON-LD does (`"proof": {…}` for `"proof": [{…}]`): for reading documents others wrote. Off by default.
    public var singleValuesAsArrays = false
    /// Longest string (in UTF-16 code units) matched against a `pattern`; longer ones fail it unmatched.
    public static let maxPatternInputLength = 100_000

    /// When true (the default), `validate` first asks the compiled schema whether the instance conforms and walks
    /// the schema again to name the violations only when it does not. False: always the full walk (tests compare).
    public var checksCompiledFirst = true

    /// All violations; an empty array means the instance is valid.
    public func validate(_ instance: JSONValue) -> [JSONSchemaViolation] {
        if checksCompiledFirst, conforms(instance) { return [] }
        var out: [JSONSchemaViolation] = []
        let ctx = SchemaContext(base: rootBase, dialect: rootDialect, refChain: [], depth: 0)
        let budget = SchemaBudget(limit: maxEvaluations)
        let evaluator = SchemaEvaluator(index: index, budget: budget, singleValuesAsArrays: singleValuesAsArrays)
        evaluator.eval(root, instance, "", "#", ctx, &out)
        if budget.exhausted {
            out.append(
                JSONSchemaViolation(
                    instancePath: "", keyword: "budget",
                    message: "the document is too complex to be checked (more than \(maxEvaluations) evaluations)"))
        }
        return out
    }

    /// True when the instance has no violation: the compiled check alone, which names nothing and stops at the
    /// first decisive failure (same verdict as `validate(instance).isEmpty`, budget included).
    public func conforms(_ instance: JSONValue) -> Bool {
        SchemaCheck.conforms(
            instance, to: compiled, budget: maxEvaluations, singleValuesAsArrays: singleValuesAsArrays)
    }

    /// True when the instance has no violation.
    public func isValid(_ instance: JSONValue) -> Bool { conforms(instance) }
}

// MARK: - Dialects

enum SchemaDialect: Sendable {
    /// draft-03 to draft-07: `$ref` overrides its siblings.
    case legacy
    /// 2019-09 and 2020-12: `$ref` is an applicator among others.
    case modern

    static func of(_ schema: JSONValue) -> SchemaDialect? {
        guard let s = schema["$schema"]?.stringValue else { return nil }
        if s.contains("draft-03") || s.contains("draft-04") || s.contains("draft-06") || s.contains("draft-07") {
            return .legacy
        }
        return .modern
    }
}
