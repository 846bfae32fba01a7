import Hummingbird

/// Stub: the Badge Connect 2.1 provider (manifest, RFC 7591 registration, OAuth 2.0 + PKCE, API) lands here.
struct BadgeConnectController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {}
}
