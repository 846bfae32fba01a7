import Foundation

/// The OB 2.0 JSON-LD context IRI.
public let openBadgesV2Context = "https://w3id.org/openbadges/v2"

/// A reference to a linked node: an IRI string, or the embedded object.
public enum NodeReference<Node: Sendable & Equatable>: Sendable, Equatable {
    case iri(String)
    case embedded(Node)

    /// The IRI, or the embedded node's `id` when it has one.
    public func id(_ nodeID: (Node) -> String?) -> String? {
        switch self {
        case .iri(let s): s
        case .embedded(let n): nodeID(n)
        }
    }
}

/// Reads the members of one JSON-LD node, reporting problems as `ModelError`s named after the class.
struct ObjectReader {
    let type: String
    let members: [String: JSONValue]
    private(set) var consumed: [String] = []

    init(_ value: JSONValue, as type: String, property: String? = nil) throws(ModelError) {
        guard case .object(let o) = value else {
            throw ModelError(
                type, property: property,
                fr: "\(type) : un objet JSON est attendu (reçu : \(value.typeName))",
                en: "\(type): a JSON object is expected (got \(value.typeName))")
        }
        self.type = type
        self.members = o
        consumed.reserveCapacity(16)
    }

    /// Members not read by the model: kept as extensions.
    var extensions: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (k, v) in members where k != "@context" && !consumed.contains(k) { out[k] = v }
        return out
    }

    mutating func raw(_ key: String) -> JSONValue? {
        consumed.append(key)
        if let v = members[key], v != .null { return v }
        return nil
    }

    mutating func string(_ key: String) throws(ModelError) -> String? {
        guard let v = raw(key) else { return nil }
        // JSON-LD: ["x"] is the same as "x".
        if case .array(let a) = v, a.count == 1, case .string(let s) = a[0] { return s }
        guard case .string(let s) = v else { throw .wrongType(type, key, expected: "une chaîne / a string", got: v) }
        return s
    }

    mutating func requiredString(_ key: String) throws(ModelError) -> String {
        guard let s = try string(key) else { throw .missing(type, key) }
        guard !s.isEmpty else {
            throw .invalid(type, key, fr: "ne doit pas être vide", en: "must not be empty")
        }
        return s
    }

    mutating func bool(_ key: String) throws(ModelError) -> Bool? {
        guard let v = raw(key) else { return nil }
        guard case .bool(let b) = v else { throw .wrongType(type, key, expected: "un booléen / a boolean", got: v) }
        return b
    }

    mutating func strings(_ key: String) throws(ModelError) -> [String] {
        guard let v = raw(key) else { return [] }
        var out: [String] = []
        for e in v.oneOrMany {
            guard case .string(let s) = e else {
                throw .wrongType(type, key, expected: "une chaîne ou une liste de chaînes / string(s)", got: e)
            }
            out.append(s)
        }
        return out
    }

    /// `type`: one value or many; must include one of `accepted` (plain, `obi:` or full IRI forms).
    mutating func types(accepting accepted: [String], required: Bool = true) throws(ModelError) -> [String] {
        let list = try strings("type")
        if list.isEmpty {
            if required { throw .missing(type, "type") }
            return []
        }
        let names = list.map(ObjectReader.localTypeName)
        guard names.contains(where: accepted.contains) else {
            throw .invalid(
                type, "type",
                fr: "doit contenir « \(accepted[0]) » (reçu : \(list.joined(separator: ", ")))",
                en: "must include \"\(accepted[0])\" (got \(list.joined(separator: ", ")))")
        }
        return list
    }

    static func localTypeName(_ t: String) -> String {
        for prefix in typePrefixes where t.hasPrefix(prefix) {
            return String(t.dropFirst(prefix.count))
        }
        return t
    }

    /// The prefixes of the OB 2.0 vocabulary's type names (built once, not on every call).
    static let typePrefixes = ["https://w3id.org/openbadges#", "http://w3id.org/openbadges#", "obi:"]

    mutating func dateTime(_ key: String) throws(ModelError) -> DateTimeValue? {
        guard let s = try string(key) else { return nil }
        guard let d = DateTimeValue(s) else {
            throw .invalid(
                type, key,
                fr: "n'est pas une date ISO 8601 avec heure et fuseau horaire : \(s)",
                en: "is not an ISO 8601 date-time with a time zone: \(s)")
        }
        return d
    }

    mutating func requiredDateTime(_ key: String) throws(ModelError) -> DateTimeValue {
        guard let d = try dateTime(key) else { throw .missing(type, key) }
        return d
    }

    /// An @id-typed property holding one node: IRI string or embedded object.
    mutating func node<N>(
        _ key: String, decode: (JSONValue) throws(ModelError) -> N
    ) throws(ModelError) -> NodeReference<N>? {
        guard let v = raw(key) else { return nil }
        var value = v
        if case .array(let a) = v {
            guard a.count == 1 else {
                throw .invalid(type, key, fr: "n'accepte qu'une seule valeur", en: "takes a single value")
            }
            value = a[0]
        }
        switch value {
        case .string(let s):
            guard !s.isEmpty else { throw .invalid(type, key, fr: "ne doit pas être vide", en: "must not be empty") }
            return .iri(s)
        case .object: return .embedded(try decode(value))
        default: throw .wrongType(type, key, expected: "une IRI ou un objet / an IRI or an object", got: value)
        }
    }

    /// An @id-typed property holding one or many nodes.
    mutating func nodes<N>(
        _ key: String, decode: (JSONValue) throws(ModelError) -> N
    ) throws(ModelError) -> [NodeReference<N>] {
        guard let v = raw(key) else { return [] }
        var out: [NodeReference<N>] = []
        for e in v.oneOrMany {
            switch e {
            case .string(let s): out.append(.iri(s))
            case .object: out.append(.embedded(try decode(e)))
            default: throw .wrongType(type, key, expected: "une IRI ou un objet / an IRI or an object", got: e)
            }
        }
        return out
    }
}

/// Helpers for writing nodes.
extension Dictionary where Key == String, Value == JSONValue {
    mutating func set(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }

    mutating func set(_ key: String, strings: [String]) {
        if strings.count == 1 {
            self[key] = .string(strings[0])
        } else if !strings.isEmpty {
            self[key] = .array(strings.map(JSONValue.string))
        }
    }

    mutating func set<N>(_ key: String, _ ref: NodeReference<N>?, encode: (N) -> JSONValue) {
        switch ref {
        case .iri(let s): self[key] = .string(s)
        case .embedded(let n): self[key] = encode(n)
        case nil: break
        }
    }
}

/// Checks that a top-level document declares the OB 2.0 context.
func checkContext(_ value: JSONValue, type: String) throws(ModelError) {
    guard let ctx = value["@context"] else { throw .missing(type, "@context") }
    let ok = ctx.oneOrMany.contains { $0.stringValue == openBadgesV2Context }
    guard ok else {
        throw ModelError(
            type, property: "@context",
            fr: "\(type) : le contexte « \(openBadgesV2Context) » (Open Badges 2.0) est requis",
            en: "\(type): the context \"\(openBadgesV2Context)\" (Open Badges 2.0) is required")
    }
}
