import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges

/// Limits of the verification endpoint.
struct VerifyLimits: Sendable {
    /// Largest file accepted (multipart part or raw body), and largest JSON body.
    var maxUploadBytes: Int = 5 * 1024 * 1024
    /// Verifications per client per minute (token bucket refill rate).
    var perMinute: Double = 30
    /// Bucket size: how many verifications a client may make in a burst.
    var burst: Double = 30
    /// Remembered clients before idle buckets are pruned.
    var maxClients: Int = 10_000
    /// Who a request comes from, for the rate limit.
    var clientKey: @Sendable (Request, AppRequestContext) -> String = VerifyLimits.remoteAddressKey

    /// The defaults.
    init() {}

    /// The limits the configuration asks for: `verifyRateLimitPerMinute` per minute and as burst; nil: unlimited.
    init(configuration: ServerConfiguration) {
        if let n = configuration.verifyRateLimitPerMinute {
            perMinute = Double(max(1, n))
            burst = Double(max(1, n))
        } else {
            perMinute = 1_000_000_000
            burst = 1_000_000_000
        }
    }

    /// The client address (`context.clientAddress`: the peer, or the client behind a trusted proxy).
    static func remoteAddressKey(_ request: Request, _ context: AppRequestContext) -> String {
        context.clientAddress
    }
}

/// A token bucket per key. Thread-safe; the clock is passed in so tests control time.
final class RateLimiter: @unchecked Sendable {
    let capacity: Double
    let refillPerSecond: Double
    let maxKeys: Int
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Date)] = [:]

    init(capacity: Double, perMinute: Double, maxKeys: Int = 10_000) {
        self.capacity = max(1, capacity)
        refillPerSecond = max(perMinute, 0.001) / 60
        self.maxKeys = maxKeys
    }

    /// Takes one token for `key`: nil when allowed, else the seconds to wait before the next token.
    func take(_ key: String, now: Date = Date()) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? (capacity, now)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(capacity, bucket.tokens + elapsed * refillPerSecond)
        bucket.updated = now
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= maxKeys { prune(now: now) }
            buckets[key] = bucket
            return nil
        }
        buckets[key] = bucket
        return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
    }

    /// Forgets buckets that have refilled (they behave exactly like new ones); if none has, forgets all.
    private func prune(now: Date) {
        buckets = buckets.filter {
            $0.value.tokens + now.timeIntervalSince($0.value.updated) * refillPerSecond < capacity
        }
        if buckets.count >= maxKeys { buckets.removeAll(keepingCapacity: true) }
    }
}

/// `POST /verify` (JSON report) and `GET /verify` (the employer's page).
struct VerifyController: Sendable {
    let services: ServerServices
    let limits: VerifyLimits
    let limiter: RateLimiter

    init(services: ServerServices, limits: VerifyLimits = VerifyLimits()) {
        self.services = services
        self.limits = limits
        limiter = RateLimiter(capacity: limits.burst, perMinute: limits.perMinute, maxKeys: limits.maxClients)
    }

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        router.get("/verify") { request, context in await self.get(request, context: context) }
        router.head("/verify") { request, context in
            let r = await self.get(request, context: context)
            return Response(status: r.status, headers: r.headers)
        }
        router.post("/verify") { request, context in await self.post(request, context: context) }
    }

    /// What was submitted.
    struct Submission {
        var input: VerificationInput
        var recipient: String?
        var url: String?
    }

    // MARK: Handlers

    func get(_ request: Request, context: AppRequestContext) async -> Response {
        let english = Language(request).english
        let url = request.uri.queryParameters.get("url")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let recipient =
            request.uri.queryParameters.get("recipient")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !url.isEmpty else {
            return VerifyPage(request: request, english: english).render()
        }
        // `?url=` runs the verification: a browser gets the page with the result, other clients the JSON report.
        let html = HTTP.prefersHTML(request) || request.headers[.accept] == nil
        if let retry = limiter.take(limits.clientKey(request, context)) {
            return tooManyRequests(request, retry: retry, html: html, english: english)
        }
        do {
            let submission = Submission(
                input: try Self.urlInput(url), recipient: try Self.recipient(recipient.isEmpty ? nil : recipient),
                url: url)
            return await verify(submission, request: request, html: html, english: english)
        } catch let e as ServiceError {
            return failure(e, request: request, html: html, english: english, url: url, recipient: recipient)
        } catch {
            return failure(Self.unexpected, request: request, html: html, english: english)
        }
    }

    func post(_ request: Request, context: AppRequestContext) async -> Response {
        let english = Language(request).english
        let html = HTTP.prefersHTML(request)
        if let retry = limiter.take(limits.clientKey(request, context)) {
            return tooManyRequests(request, retry: retry, html: html, english: english)
        }
        var submission: Submission?
        do {
            let s = try await parse(request)
            submission = s
            return await verify(s, request: request, html: html, english: english)
        } catch let e as ServiceError {
            return failure(e, request: request, html: html, english: english, recipient: submission?.recipient)
        } catch {
            return failure(Self.unexpected, request: request, html: html, english: english)
        }
    }

    static let unexpected = ServiceError(
        status: .badRequest, fr: "Requête illisible.", en: "Unreadable request.")

    func verify(_ s: Submission, request: Request, html: Bool, english: Bool) async -> Response {
        let options = VerificationOptions(
            now: Date(), recipient: s.recipient.map { RecipientIdentifier(type: "email", value: $0) })
        let report = await services.verifier.verify(s.input, options: options)
        if html {
            var page = VerifyPage(request: request, english: english)
            page.report = report
            page.recipient = s.recipient
            page.url = s.url
            page.urls = services.urls
            return page.render()
        }
        var response = HTTP.json(report.json)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func failure(
        _ e: ServiceError, request: Request, html: Bool, english: Bool, url: String? = nil, recipient: String? = nil
    ) -> Response {
        if html {
            var page = VerifyPage(request: request, english: english)
            page.error = english ? e.messageEN : e.messageFR
            page.status = e.status
            page.recipient = recipient
            page.url = url
            return page.render()
        }
        return HTTP.problem(e.status, fr: e.messageFR, en: e.messageEN, field: e.field, english: english)
    }

    func tooManyRequests(_ request: Request, retry: Int, html: Bool, english: Bool) -> Response {
        let e = ServiceError(
            status: .tooManyRequests,
            fr: "Trop de vérifications depuis votre adresse : réessayez dans \(retry) s.",
            en: "Too many verifications from your address: try again in \(retry) s.")
        var response = failure(e, request: request, html: html, english: english)
        response.headers[.retryAfter] = String(retry)
        return response
    }

    // MARK: Parsing

    func parse(_ request: Request) async throws -> Submission {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType =
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
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
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: limit)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch  where BodyLimit.isTooLarge(error) {
            throw tooLarge
        }
        guard !body.isEmpty else {
            throw ServiceError(
                status: .badRequest, fr: "Requête vide : aucun badge à vérifier.",
                en: "Empty request: no badge to verify.")
        }
        switch kind {
        case "multipart": return try parseMultipart(body, contentType: contentType)
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

    func parseMultipart(_ body: [UInt8], contentType: String) throws -> Submission {
        guard let boundary = MultipartFormData.boundary(contentType: contentType) else {
            throw ServiceError(
                status: .badRequest, fr: "Formulaire mal formé : délimiteur (boundary) absent ou invalide.",
                en: "Malformed form: missing or invalid boundary.")
        }
        let parts: [MultipartPart]
        do { parts = try MultipartFormData.parse(body, boundary: boundary) } catch {
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
        for part in parts where !["file", "recipient", "url", "lang"].contains(part.name) {
            throw ServiceError(
                status: .badRequest, fr: "Champ inconnu : « \(part.name) ».", en: "Unknown field: \"\(part.name)\".",
                field: part.name)
        }
        let recipient = try Self.recipient(try text("recipient"))
        if let file = parts.first(where: { $0.name == "file" }), !file.body.isEmpty {
            guard file.body.count <= limits.maxUploadBytes else { throw tooLarge }
            return Submission(input: .data(file.body), recipient: recipient)
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

// MARK: - The page

/// The employer's page, with or without a result.
struct VerifyPage {
    let request: Request
    let english: Bool
    var report: VerificationReport?
    var error: String?
    var status: HTTPResponse.Status = .ok
    var recipient: String?
    var url: String?
    var urls: PublicURLs?

    init(request: Request, english: Bool) {
        self.request = request
        self.english = english
    }

    func render() -> Response {
        let t = strings
        var c = Pages.layoutContext(
            request: request, english: english,
            title: report.map { "\(headline($0.outcome)) — \(t["title"]!)" } ?? t["title"]!)
        c["t"] = t
        c["error"] = Pages.opt(error)
        c["recipient"] = recipient ?? ""
        c["url"] = url ?? ""
        c["result"] = Pages.opt(report.map(resultContext))
        return Pages.render("verification.verify", c, status: status)
    }

    var strings: [String: String] {
        english
            ? [
                "title": "Verify a digital badge",
                "lead":
                    "A candidate sent you a badge? Drop the file here to check, in a few seconds, that it is authentic, current, not revoked and really theirs.",
                "fileLabel": "Badge file",
                "fileHint":
                    "The file as received: PNG or SVG image, or PDF certificate of achievement (5 MiB at most).",
                "dropHint": "Drag and drop the file here, or choose it:", "chosen": "Selected file:",
                "urlLabel": "Or the badge's web address",
                "urlHint": "The link shown on the badge's page, e.g. https://…/assertions/…",
                "recipientLabel": "Email address of the person", "optional": "optional",
                "recipientHint":
                    "To confirm the badge was issued to them. It is only used for this check and is not stored.",
                "submit": "Verify the badge", "again": "Verify another badge",
                "howTitle": "What is checked",
                "how1": "the signature of the issuing organisation (the badge has not been altered);",
                "how2": "that the issuer has not revoked it;", "how3": "its dates (issued, expiry);",
                "how4": "if you give their email address, that it was issued to that person.",
                "privacy": "Files are verified in memory and not kept.",
                "errorTitle": "The verification could not start",
            ]
            : [
                "title": "Vérifier un badge numérique",
                "lead":
                    "Un candidat vous a transmis un badge ? Déposez le fichier ici pour vérifier en quelques secondes qu'il est authentique, valable, non révoqué et qu'il lui a bien été délivré.",
                "fileLabel": "Fichier du badge",
                "fileHint":
                    "Le fichier tel que reçu : image PNG ou SVG, ou attestation de réussite PDF (5 Mo au maximum).",
                "dropHint": "Glissez-déposez le fichier ici, ou choisissez-le :", "chosen": "Fichier choisi :",
                "urlLabel": "Ou l'adresse web du badge",
                "urlHint": "Le lien affiché sur la page du badge, par exemple https://…/assertions/…",
                "recipientLabel": "Adresse e-mail de la personne", "optional": "facultatif",
                "recipientHint":
                    "Pour confirmer que le badge lui a été délivré. Elle sert uniquement à cette vérification et n'est pas conservée.",
                "submit": "Vérifier le badge", "again": "Vérifier un autre badge",
                "howTitle": "Ce qui est vérifié",
                "how1": "la signature de l'organisme émetteur (le badge n'a pas été modifié) ;",
                "how2": "que l'émetteur ne l'a pas révoqué ;", "how3": "ses dates (émission, expiration) ;",
                "how4": "si vous indiquez son adresse e-mail, qu'il a bien été délivré à cette personne.",
                "privacy": "Les fichiers sont vérifiés en mémoire et ne sont pas conservés.",
                "errorTitle": "La vérification n'a pas pu commencer",
            ]
    }

    func headline(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid: english ? "Valid badge" : "Badge valide"
        case .revoked: english ? "Revoked badge" : "Badge révoqué"
        case .expired: english ? "Expired badge" : "Badge expiré"
        case .forged: english ? "Forged badge" : "Badge falsifié"
        case .recipientMismatch: english ? "Not issued to this person" : "Badge non délivré à cette personne"
        case .notABadge: english ? "This file is not a badge" : "Ce fichier n'est pas un badge"
        case .malformed: english ? "Malformed badge" : "Badge mal formé"
        case .notYetValid: english ? "Badge not yet valid" : "Badge pas encore valide"
        case .unverifiable: english ? "Verification impossible for now" : "Vérification impossible pour le moment"
        case .invalid: english ? "Invalid badge" : "Badge non valide"
        case .damaged: english ? "Damaged or modified file" : "Fichier endommagé ou modifié"
        case .notFound: english ? "Badge not found at its issuer" : "Badge introuvable chez son émetteur"
        }
    }

    /// What the outcome means for the employer (the banner's headline already names it).
    func sentence(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid:
            english
                ? "It is authentic, current, and its issuer has not revoked it."
                : "Il est authentique, en cours de validité, et son émetteur ne l'a pas révoqué."
        case .revoked:
            english
                ? "Its issuer withdrew it: it is no longer valid." : "Son émetteur l'a retiré : il n'est plus valable."
        case .expired:
            english
                ? "It was issued, but its validity date has passed."
                : "Il a bien été délivré, mais sa date de validité est dépassée."
        case .forged:
            english
                ? "Its signature does not match the issuer, or its content was altered: do not accept it."
                : "Sa signature ne correspond pas à l'émetteur, ou son contenu a été modifié : ne l'acceptez pas."
        case .recipientMismatch:
            english
                ? "The badge is authentic but was not issued to the email address you entered. Check the address with the person."
                : "Le badge est authentique, mais il n'a pas été délivré à l'adresse e-mail indiquée. Vérifiez l'adresse avec la personne."
        case .notABadge:
            english
                ? "The file contains no digital badge (Open Badges). Ask the person for the badge file as they received it (PNG or SVG)."
                : "Le fichier ne contient pas de badge numérique (Open Badges). Demandez à la personne le fichier du badge tel qu'elle l'a reçu (PNG ou SVG)."
        case .unverifiable:
            english
                ? "One of the issuer's documents could not be reached. Try again in a few minutes."
                : "Un document de l'émetteur est inaccessible. Réessayez dans quelques minutes."
        case .damaged:
            english
                ? "The file was damaged or modified after it was issued: it cannot be accepted as it is. Ask the person for the file exactly as they received it."
                : "Le fichier a été endommagé ou modifié après sa création : il ne peut pas être accepté tel quel. Demandez à la personne le fichier exactement tel qu'elle l'a reçu."
        case .notFound:
            english
                ? "This badge does not exist (any more) at its issuer: its issuer does not publish it. Do not accept it without asking the issuer."
                : "Ce badge n'existe pas (ou plus) chez son émetteur : celui-ci ne le publie pas. Ne l'acceptez pas sans interroger l'émetteur."
        case .malformed, .notYetValid, .invalid:
            (english ? outcome.summary.en : outcome.summary.fr)
                + (english ? " See the details of the checks." : " Consultez le détail des vérifications.")
        }
    }

    /// The public page of one of our own assertions (hosted URL or the signed form's `urn:uuid`).
    func ownPage(_ a: AssertionSummary) -> String? {
        guard let urls, let id = a.id else { return nil }
        if id.hasPrefix(urls.base + "/assertions/") { return String(id.dropFirst(urls.base.count)) }
        if id.hasPrefix("urn:uuid:"), a.badgeID?.hasPrefix(urls.base + "/") == true {
            return "/assertions/" + Pages.queryEscape(String(id.dropFirst("urn:uuid:".count)))
        }
        return nil
    }

    /// green: valid; orange: nothing proves forgery but the badge cannot be accepted as is; red: forged or not theirs.
    static func tone(_ outcome: VerificationOutcome) -> String {
        switch outcome {
        case .valid: "ok"
        case .expired, .notYetValid, .unverifiable, .notABadge: "warn"
        case .revoked, .forged, .recipientMismatch, .malformed, .invalid, .damaged, .notFound: "bad"
        }
    }

    /// The badge image to show: a path of this server, or a data: image; nothing else is hotlinked.
    func displayImage(_ src: String?) -> String? {
        guard let src else { return nil }
        if let base = urls?.base, src.hasPrefix(base + "/") { return String(src.dropFirst(base.count)) }
        let lower = src.prefix(32).lowercased()
        if (lower.hasPrefix("data:image/png;") || lower.hasPrefix("data:image/svg+xml;")
            || lower.hasPrefix("data:image/svg+xml,"))
            && src.utf8.count <= 2 * 1024 * 1024
        {
            return src
        }
        return nil
    }

    func resultContext(_ report: VerificationReport) -> [String: Any] {
        let outcome = report.outcome
        var r: [String: Any] = [
            "tone": Self.tone(outcome), "outcome": outcome.rawValue, "headline": headline(outcome),
            "icon": outcome == .valid ? "✓" : (Self.tone(outcome) == "bad" ? "✕" : "!"),
            "sentence": sentence(outcome),
            "reason": false, "badge": false, "recipientNote": false,
            "rt": english
                ? [
                    "reason": "Reason:", "issuer": "Issued by", "issuedOn": "Awarded on", "expires": "Expires on",
                    "noExpiry": "Does not expire", "page": "See the badge's page", "checks": "Details of the checks:",
                    "detail": "Technical detail:",
                ]
                : [
                    "reason": "Motif :", "issuer": "Délivré par", "issuedOn": "Décerné le", "expires": "Expire le",
                    "noExpiry": "Sans date d'expiration", "page": "Voir la page du badge",
                    "checks": "Détail des vérifications :",
                    "detail": "Détail technique :",
                ],
        ]
        if outcome == .revoked, let reason = report.assertion?.revocationReason, !reason.isEmpty {
            r["reason"] = reason
        }
        if let a = report.assertion, a.badgeName != nil || a.issuerName != nil {
            let name = a.badgeName ?? (english ? "Badge" : "Badge")
            r["badge"] =
                [
                    "name": name,
                    "description": Pages.opt(a.badgeDescription),
                    "image": Pages.opt(displayImage(a.badgeImage)),
                    "imageAlt": english ? "Badge image: \(name)" : "Image du badge : \(name)",
                    "issuerName": Pages.opt(a.issuerName),
                    "issuedOn": Pages.opt(WebDates.long(a.issuedOn, english: english)),
                    "expires": Pages.opt(WebDates.long(a.expires, english: english)),
                    "noExpiry": a.expires == nil,
                    "page": Pages.opt(ownPage(a)),
                ] as [String: Any]
        }
        if let check = report.check("recipient"), outcome == .valid || outcome == .recipientMismatch {
            switch check.status {
            case .skipped:
                r["recipientNote"] =
                    english
                    ? "You did not give an email address: the badge is authentic, but nothing shows it belongs to the person presenting it. Enter their address to check."
                    : "Vous n'avez pas indiqué d'adresse e-mail : le badge est authentique, mais rien ne montre qu'il appartient à la personne qui le présente. Indiquez son adresse pour le vérifier."
            case .passed:
                r["recipientNote"] = recipientNote(report.recipientMatch)
            case .failed:
                break
            }
        }
        let checks = report.checks.map { c -> [String: Any] in
            [
                "status": c.status.rawValue,
                "statusLabel": Self.statusLabel(c.status, english: english),
                "message": english ? c.message.en : c.message.fr,
                "detail": Pages.opt(c.detail.map { english ? $0.en : $0.fr }),
            ]
        }
        r["checks"] = checks
        r["countText"] = english ? report.countText.en : report.countText.fr
        r["openChecks"] = outcome != .valid
        return r
    }

    /// Which form of the address typed matched: as typed, or its normalised form.
    func recipientNote(_ match: RecipientMatch?) -> String {
        let typed = recipient ?? (english ? "this address" : "cette adresse")
        let normalized = recipient.map(EmailNormalization.normalize) ?? typed
        if match == .normalized, normalized != typed {
            return english
                ? "Issued to \(typed): the badge was issued to its normalised form “\(normalized)” (spaces removed, lower case), the same address."
                : "Délivré à \(typed) : le badge a été délivré à sa forme normalisée « \(normalized) » (espaces retirés, minuscules), c'est la même adresse."
        }
        if match == .normalized {
            return english
                ? "Issued to \(typed) (written differently in the badge, same address once normalised)."
                : "Délivré à \(typed) (écrite autrement dans le badge, même adresse une fois normalisée)."
        }
        return english
            ? "Issued to \(typed), the address as you typed it."
            : "Délivré à \(typed), l'adresse telle que vous l'avez saisie."
    }

    static func statusLabel(_ s: VerificationCheck.Status, english: Bool) -> String {
        switch s {
        case .passed: english ? "Passed" : "Réussi"
        case .failed: english ? "Failed" : "Échec"
        case .skipped: english ? "Not checked" : "Non vérifié"
        }
    }
}
