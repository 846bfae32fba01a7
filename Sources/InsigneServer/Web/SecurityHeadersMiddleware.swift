import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import Logging
import NIOCore
import OpenBadges
import OpenBadgesHTTP
import ServiceLifecycle

/// Adds conservative security headers to every response.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        if response.headers[.init("X-Frame-Options")!] == nil {
            response.headers[.init("X-Frame-Options")!] = "DENY"
        }
        return response
    }
}
