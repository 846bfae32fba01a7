import Hummingbird

/// What is left of the former pages controller while the other features' pages become their own types: it only
/// mounts the pages still written as its extensions (referentials, portfolio, backpack, Badge Connect). To be
/// removed once each of them has its own `XPages` type.
struct WebController: PageFeature {
    let services: ServerServices
    /// Where the portfolio pages hash passwords (never on the request's task).
    var hasher = PasswordHashingPool.shared

    /// Adds the pages still written as extensions of this type.
    func addRoutes(to routes: AppRoutes) {
        addPortfolioPages(to: routes)
    }
}
