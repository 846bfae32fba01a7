import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// Small conversions shared by the API handlers.
enum APIFormat {
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
