import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges

/// `POST /verify` (JSON report) and `GET /verify` (the employer's page).
struct VerifyController: Sendable {
    let services: ServerServices
    let limits: VerifyLimits
    let limiter: RateLimiter
    /// Files uploaded from the page, kept a short time to check them against another address.
    let keptUploads: UploadStash

    init(services: ServerServices, limits: VerifyLimits = VerifyLimits()) {
        self.services = services
        self.limits = limits
        limiter = RateLimiter(capacity: limits.burst, perMinute: limits.perMinute, maxKeys: limits.maxClients)
        keptUploads = UploadStash(
            lifetime: limits.keptUploadLifetime, maxCount: limits.keptUploadCount,
            maxTotalBytes: limits.keptUploadBytes)
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
        /// The bytes of a file part (kept for the page's « Vérifier pour une autre adresse »).
        var uploaded: [UInt8]?
        /// The token of the kept upload this submission reuses.
        var keptUpload: String?
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

    /// The page of the newest renewal of one of our own awards (given by its page, `/assertions/<id>`), if any.
    func renewalPage(_ ownPage: String?) async -> String? {
        guard let path = ownPage, path.hasPrefix("/assertions/"),
            let a = try? await services.issuing.assertion(id: String(path.dropFirst("/assertions/".count))),
            a.renewedBy != nil, let newest = try? await services.issuing.newestRenewal(of: a)
        else { return nil }
        return "/assertions/" + newest.id
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
            page.renewal = await renewalPage(page.report?.assertion.flatMap(page.ownPage))
            page.keptUpload = s.keptUpload ?? s.uploaded.flatMap { keptUploads.put($0) }
            page.keptMinutes = Int(limits.keptUploadLifetime / 60)
            return page.render()
        }
        var response = HTTP.bytes(report.encodedJSON(), status: .ok, contentType: "application/json; charset=utf-8")
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
}
