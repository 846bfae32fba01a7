import Foundation
import Hummingbird

/// A browser asking for an address that no route serves gets the public « Page introuvable » page (with the way
/// back to the home page) instead of an empty 404; other clients and the Admin API keep the plain 404.
struct NotFoundPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard request.method == .get || request.method == .head, HTTP.prefersHTML(request),
                !request.uri.path.hasPrefix("/api/")
            else { throw error }
            var response = Pages.notFound(request, english: Language(request).english)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
