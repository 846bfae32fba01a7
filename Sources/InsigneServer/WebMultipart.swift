import Foundation

/// A small, strict `multipart/form-data` parser (RFC 7578) for the trainers' upload forms.
enum WebMultipart {
    /// One part: a form field or a file.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    struct Failure: Error, Equatable {
        var reason: String
    }

    static let maxParts = 50

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for f in fields.dropFirst() {
            let kv = f.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var b = kv[1].trimmingCharacters(in: .whitespaces)
            if b.count >= 2, b.hasPrefix("\""), b.hasSuffix("\"") { b = String(b.dropFirst().dropLast()) }
            guard (1...70).contains(b.utf8.count), b.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f || $0 == 0x20 }) else { return nil }
            return b
        }
        return nil
    }

    /// Parses the body; throws on any structural problem (missing boundary, unterminated part, bad headers).
    static func parse(_ body: [UInt8], boundary: String) throws -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard var pos = find(delimiter, in: body, from: 0) else { throw Failure(reason: "boundary not found") }
        var parts: [Part] = []
        while true {
            pos += delimiter.count
            // Closing delimiter?
            if body.count >= pos + 2, body[pos] == UInt8(ascii: "-"), body[pos + 1] == UInt8(ascii: "-") { return parts }
            // Transport padding, then CRLF.
            while pos < body.count, body[pos] == 0x20 || body[pos] == 0x09 { pos += 1 }
            guard body.count >= pos + 2, body[pos] == 13, body[pos + 1] == 10 else { throw Failure(reason: "malformed delimiter line") }
            pos += 2
            guard let headerEnd = find(crlf + crlf, in: body, from: pos) else { throw Failure(reason: "unterminated headers") }
            guard headerEnd - pos <= 8192 else { throw Failure(reason: "headers too long") }
            let headerText = String(decoding: body[pos..<headerEnd], as: UTF8.self)
            var part = Part(name: "", body: [])
            var hasName = false
            for line in headerText.components(separatedBy: "\r\n") where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { throw Failure(reason: "malformed header") }
                let hname = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let hvalue = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch hname {
                case "content-disposition":
                    let params = parameters(hvalue)
                    guard params.type == "form-data", let name = params.values["name"] else {
                        throw Failure(reason: "bad content-disposition")
                    }
                    part.name = name
                    part.filename = params.values["filename"]
                    hasName = true
                case "content-type":
                    part.contentType = hvalue
                default:
                    break
                }
            }
            guard hasName else { throw Failure(reason: "part without a name") }
            let dataStart = headerEnd + 4
            guard let next = find(crlf + delimiter, in: body, from: dataStart) else { throw Failure(reason: "unterminated part") }
            part.body = Array(body[dataStart..<next])
            parts.append(part)
            guard parts.count <= maxParts else { throw Failure(reason: "too many parts") }
            pos = next + 2
        }
    }

    /// `form-data; name="x"; filename="y"` → type and parameters (quoted strings with backslash escapes).
    static func parameters(_ value: String) -> (type: String, values: [String: String]) {
        let u = Array(value.unicodeScalars)
        var i = 0
        var type = ""
        while i < u.count, u[i] != ";" { type.unicodeScalars.append(u[i]); i += 1 }
        var values: [String: String] = [:]
        while i < u.count {
            i += 1  // ';'
            while i < u.count, u[i] == " " || u[i] == "\t" { i += 1 }
            var key = ""
            while i < u.count, u[i] != "=", u[i] != ";" { key.unicodeScalars.append(u[i]); i += 1 }
            var val = ""
            if i < u.count, u[i] == "=" {
                i += 1
                if i < u.count, u[i] == "\"" {
                    i += 1
                    while i < u.count, u[i] != "\"" {
                        if u[i] == "\\", i + 1 < u.count { i += 1 }
                        val.unicodeScalars.append(u[i])
                        i += 1
                    }
                    i += 1
                    while i < u.count, u[i] != ";" { i += 1 }
                } else {
                    while i < u.count, u[i] != ";" { val.unicodeScalars.append(u[i]); i += 1 }
                }
            }
            let k = key.trimmingCharacters(in: .whitespaces).lowercased()
            if !k.isEmpty { values[k] = val.trimmingCharacters(in: .whitespaces) }
        }
        return (type.trimmingCharacters(in: .whitespaces).lowercased(), values)
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, start <= hay.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = hay.count - needle.count
        return hay.withUnsafeBufferPointer { h in
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
