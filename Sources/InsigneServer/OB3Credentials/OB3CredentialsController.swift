import Foundation
import Hummingbird

/// Serves the OB 3.0 forms of awards (issue 13 point 4) through the shared `PublicDocumentResolver`, like the
/// OB 2.0 hosted documents: `/ob3/credentials/{id}`, `…/credential.jwt`, `…/badge.png`, `…/badge.svg`, and the
/// badge classes' `Achievement` at `/ob3/achievements/{id}`.
struct OB3CredentialsController: Sendable {
    let services: ServerServices

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let documents = PublicDocumentsController(services: services)
        for path in [
            "/ob3/credentials/:id", "/ob3/credentials/:id/credential.jwt", "/ob3/credentials/:id/badge.png",
            "/ob3/credentials/:id/badge.svg", "/ob3/achievements/:id",
        ] {
            routes.open.get(RouterPath(path)) { request, context in try await documents.serve(request, context: context)
            }
            routes.open.head(RouterPath(path)) { request, context in
                let r = try await documents.serve(request, context: context)
                return Response(status: r.status, headers: r.headers)
            }
        }
    }
}
