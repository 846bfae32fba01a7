import Foundation
import HTTPTypes
import Hummingbird

/// Serves the hosted documents: JSON-LD (`application/ld+json; charset=utf-8`, or `application/json` when that is
/// all the client accepts), HTML for browsers when a page exists, images with ETags.
struct PublicDocumentsController: Sendable {
    let services: ServerServices

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        for path in [
            "/issuers/:id", "/issuers/:id/revocations", "/issuers/:id/image", "/keys/:id", "/badges/:id",
            "/badges/:id/image", "/assertions/:id", "/assertions/:id/badge.png", "/assertions/:id/badge.svg",
            "/ob3/issuers/:id", "/ob3/keys/:id",
        ] {
            router.get(RouterPath(path)) { request, context in try await self.serve(request, context: context) }
            router.head(RouterPath(path)) { request, context in
                let r = try await self.serve(request, context: context)
                return Response(status: r.status, headers: r.headers)
            }
        }
    }

    func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = request.uri.path
        if HTTP.prefersHTML(request),
            let page = try await HostedDocumentPages(services: services).render(path: path, request: request)
        {
            return page
        }
        let doc: PublicDocument?
        do {
            doc = try await services.resolver.resolve(path: path)
        } catch let e as ServiceError where e.kind == .notFound {
            return HTTP.text("\(e.messageFR)\n\(e.messageEN)\n", status: .notFound)
        }
        guard let doc else { return HTTP.text("introuvable / not found\n", status: .notFound) }
        var headers: HTTPFields = [:]
        headers[.cacheControl] = doc.json == nil ? "public, max-age=300" : "no-cache"
        headers[.accessControlAllowOrigin] = "*"
        if let etag = doc.etag {
            headers[.eTag] = etag
            if HTTP.ifNoneMatch(request, etag: etag) {
                return Response(status: .notModified, headers: headers)
            }
        }
        var contentType = doc.contentType
        if doc.json != nil, HTTP.wantsPlainJSON(request) { contentType = "application/json; charset=utf-8" }
        return HTTP.bytes(doc.body, status: .init(code: doc.status), contentType: contentType, headers: headers)
    }
}
