import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Request bodies over a route's limit: one recognition rule, one bilingual message, one 413 per route family.
enum BodyLimit {
    /// True for the errors that mean « body over the limit »: NIO's `collect(upTo:)` error and a 413 `HTTPError`.
    static func isTooLarge(_ error: any Error) -> Bool {
        switch error {
        case is NIOTooManyBytesError: true
        case let e as HTTPError: e.status == .contentTooLarge
        default: false
        }
    }

    /// The limit that was exceeded is NOT taken from the error: once the first fragment has been read, NIO's
    /// `collect(upTo:)` reports only what was left of the budget (8 MiB showed as 8190 KiB). Callers that know
    /// the route's limit name it; the others say « envoyez un fichier plus petit ».

    /// « 8 Mo » / « 8 MiB », « 64 Ko » / « 64 KiB ».
    static func size(_ bytes: Int, english: Bool) -> String {
        if bytes >= 1024 * 1024, bytes % (1024 * 1024) == 0 {
            return "\(bytes / (1024 * 1024)) \(english ? "MiB" : "Mo")"
        }
        if bytes >= 1024 { return "\(bytes / 1024) \(english ? "KiB" : "Ko")" }
        return "\(bytes) \(english ? "bytes" : "octets")"
    }

    /// The message, with the limit when known.
    static func message(limit: Int?) -> (fr: String, en: String) {
        guard let limit else {
            return (
                "Contenu trop volumineux : envoyez un fichier plus petit.",
                "Content too large: send a smaller file."
            )
        }
        return (
            "Contenu trop volumineux : \(size(limit, english: false)) au maximum.",
            "Content too large: \(size(limit, english: true)) at most."
        )
    }

    /// The 413 in the shape of the route family: problem JSON under `/api/`, the OAuth error on `/oauth/`,
    /// the Badge Connect envelope under its API base, otherwise a page (or a problem document for non-browsers).
    static func response(_ request: Request, limit: Int?) -> Response {
        let english = Language(request).english
        let text = message(limit: limit)
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            return HTTP.problem(.contentTooLarge, fr: text.fr, en: text.en, english: english)
        }
        if path.hasPrefix("/oauth/") && path != "/oauth/authorize" {
            return OAuthError(code: "invalid_request", description: text.en, status: .contentTooLarge).response()
        }
        if path.hasPrefix(BadgeConnectController.apiPath + "/") {
            return BadgeConnectController.envelope(.contentTooLarge, "BAD_REQUEST", error: text.en)
        }
        if !HTTP.prefersHTML(request) {
            return HTTP.problem(.contentTooLarge, fr: text.fr, en: text.en, english: english)
        }
        return Pages.message(
            request: request, english: english, title: english ? "Content too large" : "Contenu trop volumineux",
            text: english ? text.en : text.fr, status: .contentTooLarge)
    }
}

/// The outermost middleware: any body-over-limit error that reaches it becomes the route family's 413, and every
/// 413 (whoever produced it) is logged as a warning and closes the connection, so the client cannot keep streaming.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch  where BodyLimit.isTooLarge(error) {
            response = BodyLimit.response(request, limit: nil)
        }
        guard response.status == .contentTooLarge else { return response }
        response.headers[.connection] = "close"
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
        ]
        if let length = request.headers[.contentLength] { metadata["content_length"] = "\(length)" }
        context.logger.warning("request body over the limit: 413, connection closed", metadata: metadata)
        return response
    }
}
