import Hummingbird

/// The admin REST API under `/api/v1` (bearer tokens).
struct AdminAPIController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}
