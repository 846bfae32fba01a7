import Foundation
import HTTPTypes
import Hummingbird
import MultipartParsing
import NIOCore
import OpenBadges

/// Reading a submission: multipart form, JSON body, raw file or `?url=`; every refusal is a `ServiceError`.
extension VerifyController {
    func parse(_ request: Request) async throws -> Submission {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType =
            contentType.split(separator: ";").first.map { MultipartFormData.trimmed($0).lowercased() } ?? ""
        let kind: String
        switch mediaType {
        case "multipart/form-data": kind = "multipart"
        case "application/json", "application/ld+json": kind = "json"
        case "image/png", "image/svg+xml", "application/pdf", "application/octet-stream": kind = "raw"
        case "":
            throw ServiceError(
                status: .unsupportedMediaType,
                fr: "Type de contenu absent : envoyez un fichier (multipart/form-data) ou du JSON.",
                en: "Missing content type: send a file (multipart/form-data) or JSON.")
        default:
            throw ServiceError(
                status: .unsupportedMediaType,
                fr:
                    "Type de contenu non pris en charge (\(mediaType)) : multipart/form-data, application/json, image/png, image/svg+xml ou application/pdf attendu.",
                en:
                    "Unsupported content type (\(mediaType)): multipart/form-data, application/json, image/png, image/svg+xml or application/pdf expected."
            )
        }
        // Multipart framing adds a little around the file.
        let limit = limits.maxUploadBytes + (kind == "multipart" ? 64 * 1024 : 0)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch  where BodyLimit.isTooLarge(error) {
            throw tooLarge
        }
        guard buffer.readableBytes > 0 else {
            throw ServiceError(
                status: .badRequest, fr: "Requête vide : aucun badge à vérifier.",
                en: "Empty request: no badge to verify.")
        }
        // A form is read in place (only the file part is copied out of the request's buffer).
        if kind == "multipart" { return try parseMultipart(buffer, contentType: contentType) }
        let body = Array(buffer.readableBytesView)
        switch kind {
        case "json": return try parseJSON(body)
        default:
            return Submission(
                input: .data(body),
                recipient: try Self.recipient(request.uri.queryParameters.get("recipient").map { String($0) }))
        }
    }

    var tooLarge: ServiceError {
        let mib = limits.maxUploadBytes / (1024 * 1024)
        let size = mib > 0 ? "\(mib) Mo" : "\(limits.maxUploadBytes / 1024) Ko"
        let sizeEN = mib > 0 ? "\(mib) MiB" : "\(limits.maxUploadBytes / 1024) KiB"
        return ServiceError(
            status: .contentTooLarge, fr: "Fichier trop volumineux : \(size) au maximum.",
            en: "File too large: \(sizeEN) at most.",
            field: "file")
    }

    /// A kept upload that is unknown or expired.
    var uploadGone: ServiceError {
        let minutes = max(1, Int(limits.keptUploadLifetime / 60))
        return ServiceError(
            .gone, field: "file",
            fr:
                "Le fichier vérifié n'est plus conservé (il est effacé après \(minutes) minutes) : choisissez à nouveau le fichier du badge.",
            en:
                "The verified file is no longer kept (it is erased after \(minutes) minutes): choose the badge file again."
        )
    }

    func parseMultipart(_ body: ByteBuffer, contentType: String) throws -> Submission {
        guard let boundary = MultipartFormData.boundary(contentType: contentType) else {
            throw ServiceError(
                status: .badRequest, fr: "Formulaire mal formé : délimiteur (boundary) absent ou invalide.",
                en: "Malformed form: missing or invalid boundary.")
        }
        let parts: [MultipartPart]
        do {
            parts = try body.withUnsafeReadableBytes { (raw) throws(MultipartFormData.Malformed) in
                try MultipartFormData.parse(bytes: raw.assumingMemoryBound(to: UInt8.self), boundary: boundary)
            }
        } catch {
            throw ServiceError(
                status: .badRequest, fr: "Formulaire mal formé (\(error.reason)).",
                en: "Malformed form (\(error.reason)).")
        }
        func text(_ name: String) throws -> String? {
            guard let part = parts.first(where: { $0.name == name }) else { return nil }
            guard part.body.count <= 4096, let s = String(validating: part.body, as: UTF8.self) else {
                throw ServiceError(
                    status: .badRequest, fr: "Champ « \(name) » illisible.", en: "Unreadable field \"\(name)\".",
                    field: name)
            }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        for part in parts where !["file", "recipient", "url", "upload", "lang"].contains(part.name) {
            throw ServiceError(
                status: .badRequest, fr: "Champ inconnu : « \(part.name) ».", en: "Unknown field: \"\(part.name)\".",
                field: part.name)
        }
        let recipient = try Self.recipient(try text("recipient"))
        if let file = parts.first(where: { $0.name == "file" }), !file.body.isEmpty {
            guard file.body.count <= limits.maxUploadBytes else { throw tooLarge }
            return Submission(input: .data(file.body), recipient: recipient, uploaded: file.body)
        }
        if let token = try text("upload") {
            guard UploadStash.isToken(token), let kept = keptUploads.get(token) else { throw uploadGone }
            return Submission(input: .data(kept), recipient: recipient, keptUpload: token)
        }
        if let url = try text("url") {
            return Submission(input: try Self.urlInput(url), recipient: recipient, url: url)
        }
        throw ServiceError(
            status: .badRequest, fr: "Choisissez le fichier du badge (PNG ou SVG) ou indiquez son adresse.",
            en: "Choose the badge file (PNG or SVG) or give its address.", field: "file")
    }

    func parseJSON(_ body: [UInt8]) throws -> Submission {
        let json: JSONValue
        do { json = try JSONValue(parsing: body, maxDepth: 64) } catch {
            throw ServiceError(
                status: .badRequest, fr: "JSON invalide : \(error.reason) (octet \(error.offset)).",
                en: "Invalid JSON: \(error.reason) (byte \(error.offset)).")
        }
        guard let object = json.objectValue else {
            throw ServiceError(
                status: .badRequest,
                fr: "Un objet JSON est attendu : {\"jws\"|\"url\"|\"assertion\": …, \"recipient\": …}.",
                en: "A JSON object is expected: {\"jws\"|\"url\"|\"assertion\": …, \"recipient\": …}.")
        }
        for key in object.keys.sorted() where !["jws", "url", "assertion", "recipient"].contains(key) {
            throw ServiceError(
                status: .badRequest, fr: "Champ inconnu : « \(key) ».", en: "Unknown field: \"\(key)\".", field: key)
        }
        let given = ["jws", "url", "assertion"].filter { object[$0] != nil }
        guard given.count == 1, let key = given.first, let value = object[key] else {
            throw ServiceError(
                status: .badRequest, fr: "Indiquez exactement un des champs « jws », « url » ou « assertion ».",
                en: "Give exactly one of the fields \"jws\", \"url\" or \"assertion\".")
        }
        var recipient: String?
        switch object["recipient"] {
        case nil, .null?: recipient = nil
        case .string(let s)?: recipient = try Self.recipient(s)
        case let other?:
            throw ServiceError(
                status: .badRequest, fr: "« recipient » doit être une adresse e-mail (chaîne), pas \(other.typeName).",
                en: "\"recipient\" must be an email address (string), not \(other.typeName).", field: "recipient")
        }
        let input: VerificationInput
        var url: String?
        switch (key, value) {
        case ("jws", .string(let s)):
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard CompactJWS.looksLikeJWS(t) else {
                throw ServiceError(
                    status: .badRequest,
                    fr: "« jws » doit être un JWS compact (trois segments base64url séparés par des points).",
                    en: "\"jws\" must be a compact JWS (three base64url segments separated by dots).", field: "jws")
            }
            input = .text(t)
        case ("url", .string(let s)):
            input = try Self.urlInput(s)
            url = s
        case ("assertion", .object):
            input = .text(value.encodedString())
        case ("assertion", .string(let s)):
            guard s.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") else {
                throw ServiceError(
                    status: .badRequest, fr: "« assertion » doit être l'objet JSON de l'assertion.",
                    en: "\"assertion\" must be the assertion JSON object.",
                    field: "assertion")
            }
            input = .text(s)
        default:
            throw ServiceError(
                status: .badRequest,
                fr:
                    "Type incorrect pour « \(key) » : \(key == "assertion" ? "objet" : "chaîne") attendu, \(value.typeName) reçu.",
                en:
                    "Wrong type for \"\(key)\": \(key == "assertion" ? "object" : "string") expected, got \(value.typeName).",
                field: key)
        }
        return Submission(input: input, recipient: recipient, url: url)
    }

    /// An http(s) URL to verify.
    static func urlInput(_ s: String) throws -> VerificationInput {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.utf8.count <= 2048, let url = URL(string: t),
            ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else {
            throw ServiceError(
                status: .badRequest, fr: "Adresse invalide : une adresse http(s) de badge est attendue.",
                en: "Invalid address: an http(s) badge URL is expected.",
                field: "url")
        }
        return .url(url)
    }

    /// The expected recipient's email, checked for shape only (comparison is the verifier's business).
    static func recipient(_ s: String?) throws -> String? {
        guard let s else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return nil }
        let at = t.firstIndex(of: "@")
        guard t.utf8.count <= 320, let at, at != t.startIndex, t.index(after: at) != t.endIndex,
            !t.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw ServiceError(
                status: .badRequest, fr: "Adresse e-mail du destinataire invalide.",
                en: "Invalid recipient email address.",
                field: "recipient")
        }
        return t
    }
}
