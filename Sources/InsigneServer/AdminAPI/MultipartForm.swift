import Foundation
// The strict parser lives in its own pure module (fuzzed without the server); re-exported for the whole server.
@_exported import MultipartParsing

/// A parsed `multipart/form-data` body with field accessors (the API's view of `MultipartFormData`).
struct MultipartForm: Sendable {
    /// One part.
    typealias Part = MultipartPart

    var parts: [Part]

    /// The first part with this name.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }
    /// Every part with this name.
    func all(_ name: String) -> [Part] { parts.filter { $0.name == name } }
    /// A text field, trimmed; nil when absent or blank.
    func field(_ name: String) -> String? {
        guard let p = part(name), p.filename == nil else { return nil }
        let t = p.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    static func error(_ fr: String, _ en: String) -> ServiceError {
        ServiceError(.invalid, fr: "multipart/form-data invalide : \(fr)", en: "invalid multipart/form-data: \(en)")
    }

    /// Parses a `multipart/form-data` body with the shared strict parser.
    init(body: [UInt8], contentType: String) throws {
        guard let boundary = MultipartFormData.boundary(contentType: contentType) else {
            throw Self.error("délimiteur (boundary) absent ou invalide", "missing or invalid boundary")
        }
        do {
            parts = try MultipartFormData.parse(body, boundary: boundary)
        } catch {
            throw Self.error(error.reason, error.reason)
        }
    }
}

extension MultipartPart {
    /// The body as UTF-8 text (form fields).
    var text: String { String(decoding: body, as: UTF8.self) }
}
