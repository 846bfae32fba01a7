import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

extension ServiceError {
    /// 415 naming the content types the route accepts.
    static func unsupportedMediaType(_ expected: String) -> ServiceError {
        ServiceError(
            .unsupportedMediaType, fr: "type de contenu non pris en charge : \(expected) attendu",
            en: "unsupported content type: \(expected) expected")
    }
}

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

/// Request bodies.
enum APIBody {
    /// The media type of the request (`application/json`), lowercased, without parameters.
    static func mediaType(_ request: Request) -> String? {
        guard let ct = request.headers[.contentType] else { return nil }
        return ct.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    static func isJSON(_ mediaType: String?) -> Bool {
        guard let m = mediaType else { return true }  // curl without -H: accept JSON
        return m == "application/json" || (m.hasPrefix("application/") && m.hasSuffix("+json"))
    }

    /// The whole body, within the context's upload limit (413 beyond).
    static func bytes(_ request: Request, context: AppRequestContext) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Array(buffer.readableBytesView)
    }

    /// The body as JSON (415 for another content type, 400 when malformed or empty).
    static func json(_ request: Request, context: AppRequestContext) async throws -> JSONValue {
        guard isJSON(mediaType(request)) else { throw ServiceError.unsupportedMediaType("application/json") }
        let bytes = try await bytes(request, context: context)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw ServiceError(.invalid, fr: "corps de requête JSON attendu", en: "a JSON request body is expected")
        }
        return try JSONValue(parsing: bytes, maxDepth: 32)
    }
}

/// Small conversions shared by the API handlers.
enum APIFormat {
    /// A URL slug derived from a name: accents folded to ASCII, lowercase, dashes; nil when nothing is left.
    static func slug(from name: String) -> String? {
        var out = ""
        var dash = false
        let special: [Character: String] = [
            "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th",
        ]
        for ch in name.lowercased().decomposedStringWithCanonicalMapping {
            var piece: String
            if let s = special[ch] {
                piece = s
            } else {
                piece = String(
                    String.UnicodeScalarView(
                        ch.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }))
            }
            piece = String(piece.unicodeScalars.filter { $0.isASCII }.map(Character.init))
            for c in piece {
                if c.isASCII, c.isLetter || c.isNumber {
                    if dash, !out.isEmpty { out.append("-") }
                    dash = false
                    out.append(c)
                } else {
                    dash = true
                }
            }
            if piece.isEmpty { dash = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? nil : boundedID(out)
    }

    /// A slug cut to `Validation.maxIDLength`: a longer one keeps its start and ends with 8 hex digits of its
    /// SHA-256, so two long names that share their beginning still get different ids.
    static func boundedID(_ slug: String) -> String {
        guard slug.utf8.count > Validation.maxIDLength else { return slug }
        var head = String(slug.prefix(Validation.maxIDLength - 9))
        while head.hasSuffix("-") { head.removeLast() }
        return head + "-" + String(SHA256Digest.hexHash(Array(slug.utf8)).prefix(8))
    }

    /// The bytes of a `data:` URI (base64 or percent-encoded) of a PNG or SVG image.
    static func imageDataURI(_ uri: String, field: String) throws -> Data {
        guard uri.count <= Validation.maxImageBytes * 4 / 3 + 200 else {
            throw ServiceError(
                .tooLarge, field: field, fr: "image trop volumineuse (2 Mo au plus)",
                en: "image too large (2 MiB at most)")
        }
        guard uri.lowercased().hasPrefix("data:"), let comma = uri.firstIndex(of: ",") else {
            throw Validation.invalid(
                field, fr: "URI data: attendue (data:image/png;base64,… ou data:image/svg+xml;…)",
                en: "a data: URI is expected (data:image/png;base64,… or data:image/svg+xml;…)")
        }
        let header = uri[uri.index(uri.startIndex, offsetBy: 5)..<comma].lowercased()
        let payload = String(uri[uri.index(after: comma)...])
        let params = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let type = params.first ?? ""
        guard type == "image/png" || type == "image/svg+xml" else {
            throw Validation.invalid(
                field,
                fr: "seules les images PNG ou SVG sont acceptées (reçu : \(type.isEmpty ? "type absent" : type))",
                en: "only PNG or SVG images are accepted (got: \(type.isEmpty ? "no type" : type))")
        }
        if params.contains("base64") {
            let cleaned = payload.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: cleaned) else {
                throw Validation.invalid(field, fr: "base64 invalide", en: "invalid base64")
            }
            return data
        }
        guard let decoded = payload.removingPercentEncoding else {
            throw Validation.invalid(field, fr: "encodage % invalide", en: "invalid percent-encoding")
        }
        return Data(decoded.utf8)
    }

    /// Parses an ISO 8601 date-time that carries a time zone.
    static func dateTime(_ text: String, field: String) throws -> Date {
        guard let d = DateTimeValue(text.trimmingCharacters(in: .whitespaces)) else {
            throw Validation.invalid(
                field, fr: "date ISO 8601 avec fuseau horaire attendue, par exemple 2027-06-30T23:59:59+02:00",
                en: "an ISO 8601 date-time with a time zone is expected, e.g. 2027-06-30T23:59:59+02:00")
        }
        return d.date
    }

    static func date(_ d: Date) -> JSONValue { .string(DateTimeValue(d).text) }

    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    static func int(_ n: Int) -> JSONValue { .number(Double(n)) }

    /// A query parameter as a positive integer within bounds (400 otherwise).
    static func queryInt(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int
    {
        guard let s = request.uri.queryParameters.get(name) else { return value }
        guard let n = Int(s), range.contains(n) else {
            throw Validation.invalid(
                name, fr: "entier entre \(range.lowerBound) et \(range.upperBound) attendu",
                en: "an integer between \(range.lowerBound) and \(range.upperBound) is expected")
        }
        return n
    }

    /// A query parameter as a boolean (`true`/`false`/`1`/`0`), nil when absent.
    static func queryBool(_ request: Request, _ name: String) throws -> Bool? {
        guard let s = request.uri.queryParameters.get(name)?.lowercased() else { return nil }
        switch s {
        case "true", "1", "yes", "oui": return true
        case "false", "0", "no", "non": return false
        default: throw Validation.invalid(name, fr: "true ou false attendu", en: "true or false expected")
        }
    }
}
