import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges

/// How a `ServiceError` travels over HTTP: its status, a problem document (API), or the HTML error page (pages,
/// through `PageMiddleware`).
extension ServiceError: HTTPResponseError {
    /// The HTTP status of the kind.
    public var status: HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .unauthorized: .unauthorized
        case .tooLarge: .contentTooLarge
        case .serverError: .internalServerError
        case .unsupportedMediaType: .unsupportedMediaType
        case .unprocessable: .unprocessableContent
        case .gone: .gone
        case .tooManyRequests: .tooManyRequests
        }
    }

    /// The problem document, in the request's language.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        problemResponse(english: Language(request).english)
    }

    /// The RFC 9457 problem document with both languages, `Retry-After` and `WWW-Authenticate` when set.
    func problemResponse(english: Bool) -> Response {
        var r = HTTP.problem(status, fr: messageFR, en: messageEN, field: field, english: english, extra: extra)
        if let retryAfter { r.headers[.retryAfter] = String(retryAfter) }
        if let challenge { r.headers[.wwwAuthenticate] = challenge }
        return r
    }

    /// An error with an HTTP status instead of a kind (statuses without a kind count as server errors).
    init(status: HTTPResponse.Status, fr: String, en: String, field: String? = nil) {
        let kind: Kind =
            switch status.code {
            case 400: .invalid
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 410: .gone
            case 413: .tooLarge
            case 415: .unsupportedMediaType
            case 422: .unprocessable
            case 429: .tooManyRequests
            default: .serverError
            }
        self.init(kind, field: field, fr: fr, en: en)
    }

    /// Any error as a `ServiceError`: service errors as they are, malformed JSON and oversized bodies with their
    /// message, Hummingbird's `HTTPError` with its status; anything else is a 500 that never echoes internals.
    init(_ error: any Error) {
        switch error {
        case let e as ServiceError:
            self = e
        case let e as JSONSyntaxError:
            self.init(
                .invalid, fr: "JSON invalide : \(e.reason) (octet \(e.offset))",
                en: "Invalid JSON: \(e.reason) (byte \(e.offset))", underlying: e)
        case _ where BodyLimit.isTooLarge(error):
            let text = BodyLimit.message(limit: nil)
            self.init(.tooLarge, fr: text.fr, en: text.en, underlying: error)
        case let e as HTTPError:
            self.init(
                status: e.status, fr: e.body ?? Problem.frenchTitle(e.status), en: e.body ?? e.status.reasonPhrase)
            underlying = e
        default:
            self.init(
                .serverError, fr: "Erreur interne ; réessayez plus tard.",
                en: "Internal error; please try again later.",
                underlying: error)
        }
    }
}

/// Problem documents (RFC 9457) for the API.
enum Problem {
    /// The French title of a status.
    static func frenchTitle(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Requête invalide"
        case 401: "Authentification requise"
        case 403: "Accès refusé"
        case 404: "Introuvable"
        case 409: "Conflit"
        case 410: "Supprimé"
        case 413: "Contenu trop volumineux"
        case 415: "Type de contenu non pris en charge"
        case 422: "Contenu non traitable"
        case 429: "Trop de requêtes"
        default: "Erreur du serveur"
        }
    }
}

/// Turns every error thrown under a route group into a problem document (the API group); 5xx are logged.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let e = ServiceError(error)
            if e.kind == .serverError {
                context.logger.error("\(request.method.rawValue) \(request.uri.path): \(error)")
            }
            return e.problemResponse(english: Language(request).english)
        }
    }
}
