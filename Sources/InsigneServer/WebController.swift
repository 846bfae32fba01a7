import Hummingbird

/// The trainers' pages (sign in, issuers, badge classes, awards, revocations).
struct WebController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}
