import Hummingbird

/// Stub: public referential pages (HTML + JSON) and the referential API land here.
struct ReferentialController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}
