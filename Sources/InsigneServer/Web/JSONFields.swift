import Foundation
import OpenBadges

/// JSON type names for messages.
private func typeNames(_ t: String) -> (fr: String, en: String) {
    switch t {
    case "object": ("un objet", "an object")
    case "array": ("un tableau", "an array")
    case "string": ("une chaîne", "a string")
    case "number": ("un nombre", "a number")
    case "integer": ("un nombre entier", "an integer")
    case "boolean": ("un booléen", "a boolean")
    default: ("null", "null")
    }
}

/// Typed reading of a JSON object: every mistake is a 400 naming the field (French and English).
struct JSONFields {
    let object: [String: JSONValue]
    let prefix: String

    /// Wraps `value`, which must be an object; `field` names it in messages (empty for the request body).
    init(_ value: JSONValue, field: String = "") throws {
        guard case .object(let o) = value else {
            throw JSONFields.wrongType(field.isEmpty ? "body" : field, expected: "object", got: value.typeName)
        }
        object = o
        prefix = field.isEmpty ? "" : field + "."
    }

    static func wrongType(_ field: String, expected: String, got: String) -> ServiceError {
        let e = typeNames(expected)
        let g = typeNames(got)
        return Validation.invalid(field, fr: "\(e.fr) est attendu, pas \(g.fr)", en: "expected \(e.en), not \(g.en)")
    }

    static func missing(_ field: String) -> ServiceError {
        Validation.invalid(field, fr: "champ obligatoire manquant", en: "required field missing")
    }

    func name(_ key: String) -> String { prefix + key }

    /// Rejects fields the API does not know (typos must not be silently ignored).
    func allowOnly(_ keys: Set<String>) throws {
        if let extra = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Validation.invalid(
                name(extra), fr: "champ inconnu (champs admis : \(keys.sorted().joined(separator: ", ")))",
                en: "unknown field (allowed: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let v?: throw JSONFields.wrongType(name(key), expected: "string", got: v.typeName)
        }
    }

    /// A string that is present and not blank.
    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw JSONFields.missing(name(key)) }
        guard !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Validation.invalid(name(key), fr: "ne doit pas être vide", en: "must not be empty")
        }
        return s
    }

    /// An optional string; blank counts as absent.
    func optionalString(_ key: String) throws -> String? {
        guard let s = try string(key), !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return s
    }

    func int(_ key: String) throws -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let n)? where n == n.rounded() && abs(n) < 1e15: return Int(n)
        case let v?:
            throw JSONFields.wrongType(
                name(key), expected: "integer", got: v.typeName == "number" ? "number" : v.typeName)
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let v?: throw JSONFields.wrongType(name(key), expected: "boolean", got: v.typeName)
        }
    }

    func array(_ key: String) throws -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let a)?: return a
        case let v?: throw JSONFields.wrongType(name(key), expected: "array", got: v.typeName)
        }
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let a = try array(key) else { return nil }
        return try a.enumerated().map { i, v in
            guard case .string(let s) = v else {
                throw JSONFields.wrongType("\(name(key))[\(i)]", expected: "string", got: v.typeName)
            }
            return s
        }
    }

    func objectArray(_ key: String) throws -> [JSONFields]? {
        guard let a = try array(key) else { return nil }
        return try a.enumerated().map { i, v in try JSONFields(v, field: "\(name(key))[\(i)]") }
    }

    func nested(_ key: String) throws -> JSONFields? {
        switch object[key] {
        case nil, .null?: return nil
        case let v?: return try JSONFields(v, field: name(key))
        }
    }
}
