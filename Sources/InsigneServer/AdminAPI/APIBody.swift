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
