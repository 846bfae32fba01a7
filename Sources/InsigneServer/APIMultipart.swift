import Foundation

/// A small, strict `multipart/form-data` parser (RFC 7578): boundary from the Content-Type, CRLF line
/// endings, `Content-Disposition: form-data; name="…"; filename="…"`, limits on parts and header sizes.
struct MultipartForm: Sendable {
    /// One part.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]

        /// The body as UTF-8 text (form fields).
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    var parts: [Part]

    static let maxParts = 64
    static let maxHeaderBytes = 8 * 1024

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

    /// The boundary parameter of a `multipart/form-data` content type.
    static func boundary(contentType: String) throws -> String {
        let params = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard params.first?.lowercased() == "multipart/form-data" else {
            throw error("type multipart/form-data attendu", "multipart/form-data expected")
        }
        for p in params.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            guard p[..<eq].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = p[p.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw error("paramètre boundary invalide", "invalid boundary parameter")
            }
            return value
        }
        throw error("paramètre boundary manquant", "missing boundary parameter")
    }

    /// Parses a body.
    init(body: [UInt8], contentType: String) throws {
        let boundary = Array(try Self.boundary(contentType: contentType).utf8)
        let dashBoundary = Array("--".utf8) + boundary
        let delimiter = Array("\r\n".utf8) + dashBoundary
        // The first delimiter may be preceded by a preamble, or start the body directly.
        var pos: Int
        if body.starts(with: dashBoundary) {
            pos = dashBoundary.count
        } else if let i = Self.find(delimiter, in: body, from: 0) {
            pos = i + delimiter.count
        } else {
            throw Self.error("délimiteur introuvable", "boundary not found")
        }
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" closes the body; otherwise optional whitespace then CRLF.
            if body.count >= pos + 2, body[pos] == 0x2D, body[pos + 1] == 0x2D { break }
            while pos < body.count, body[pos] == 0x20 || body[pos] == 0x09 { pos += 1 }
            guard body.count >= pos + 2, body[pos] == 0x0D, body[pos + 1] == 0x0A else {
                throw Self.error("fin de ligne CRLF attendue après le délimiteur", "CRLF expected after a boundary")
            }
            pos += 2
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: pos - 2) else {
                throw Self.error("en-têtes de partie non terminés", "unterminated part headers")
            }
            guard headerEnd + 2 - pos <= Self.maxHeaderBytes else {
                throw Self.error("en-têtes de partie trop longs", "part headers too long")
            }
            let headerBytes = headerEnd + 2 > pos ? Array(body[pos..<(headerEnd + 2)]) : []
            let contentStart = headerEnd + 4
            guard let end = Self.find(delimiter, in: body, from: max(contentStart - 2, pos)) else {
                throw Self.error("partie non terminée (délimiteur final manquant)", "unterminated part (closing boundary missing)")
            }
            let content = end >= contentStart ? Array(body[contentStart..<end]) : []
            parts.append(try Self.part(headers: headerBytes, body: content))
            guard parts.count <= Self.maxParts else {
                throw Self.error("trop de parties (\(Self.maxParts) au plus)", "too many parts (\(Self.maxParts) at most)")
            }
            pos = end + delimiter.count
        }
        self.parts = parts
    }

    static func part(headers: [UInt8], body: [UInt8]) throws -> Part {
        guard let text = String(validating: headers, as: UTF8.self) else {
            throw error("en-têtes non UTF-8", "headers are not UTF-8")
        }
        var name: String?
        var filename: String?
        var contentType: String?
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw error("en-tête de partie mal formé", "malformed part header")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "content-disposition":
                let params = splitParameters(value)
                guard params.first?.lowercased() == "form-data" else {
                    throw error("Content-Disposition: form-data attendu", "Content-Disposition: form-data expected")
                }
                for p in params.dropFirst() {
                    guard let eq = p.firstIndex(of: "=") else { continue }
                    let k = p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
                    var v = p[p.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                    if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 {
                        v = String(v.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    }
                    if k == "name" { name = v }
                    if k == "filename" { filename = v }
                }
            case "content-type":
                contentType = value.lowercased()
            default:
                break
            }
        }
        guard let name, !name.isEmpty else {
            throw error("partie sans nom (Content-Disposition name)", "part without a name (Content-Disposition name)")
        }
        return Part(name: name, filename: filename, contentType: contentType, body: body)
    }

    /// Splits `a; b="x;y"; c` on semicolons outside quotes.
    static func splitParameters(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in s {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            if c == "\\", quoted {
                escaped = true
                current.append(c)
                continue
            }
            if c == "\"" { quoted.toggle() }
            if c == ";", !quoted {
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current.trimmingCharacters(in: .whitespaces))
        return out
    }

    /// The index of the first occurrence of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = max(0, from)
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
