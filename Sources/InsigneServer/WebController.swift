import Hummingbird

/// The trainers' pages (sign in, issuers, badge classes, awards, revocations).
struct WebController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}

/// HTML pages for hosted documents when a browser asks (badge, assertion, issuer), with OpenGraph tags.
struct PublicPages: Sendable {
    let services: ServerServices

    /// The page for `path`, or nil to serve the JSON-LD document.
    func render(path: String, request: Request) async throws -> Response? { nil }
}
