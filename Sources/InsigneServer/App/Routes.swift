import Foundation
import Hummingbird
import InsigneStore

/// The route groups of the service, each with its middleware; every feature adds its routes to the groups it
/// serves with `addRoutes(to:)`. Built only by `buildRouter`, the one place that knows every mount point.
struct AppRoutes {
    /// Hosted documents, files, `/verify`, public referential pages and the standard wire formats (OAuth, Badge
    /// Connect): no session; each answers its own errors in the format its clients expect.
    let open: RouterGroup<AppRequestContext>
    /// HTML pages anyone may open (sign-in, invitations, published evidence): session read when present.
    let publicPages: RouterGroup<AppRequestContext>
    /// HTML pages for any signed-in account (learners' portfolio and backpack, sign-out).
    let signedInPages: RouterGroup<AppRequestContext>
    /// HTML pages for trainers and administrators (`/trainer…`).
    let staffPages: RouterGroup<AppRequestContext>
    /// The Admin API under `/api/v1`: bearer token, errors as problem documents.
    let api: RouterGroup<AppRequestContext>

    init(router: Router<AppRequestContext>, services: ServerServices) {
        open = router.group()
        let shared = SharedPages(services: services)
        func pages(_ policy: PagePolicy) -> RouterGroup<AppRequestContext> {
            router.group().add(
                middleware: PageMiddleware(
                    policy: policy, sessions: shared.sessions, secureCookies: shared.secureCookies,
                    errorPage: { shared.errorPage($0, status: $1, message: $2) }))
        }
        publicPages = pages(.anyone)
        signedInPages = pages(.signedIn)
        staffPages = pages(.staff)
        api = router.group("api/v1")
            .add(middleware: ProblemMiddleware())
            .add(middleware: BearerAuthenticator(db: services.db))
    }
}

/// The router: global middleware (body limit, client address, security headers, browsers' 404 page), then every feature's routes.
public func buildRouter(_ services: ServerServices) -> Router<AppRequestContext> {
    buildRouter(services, options: RouteTableOptions())
}

/// The router, `options` replacing a limit or a test seam.
func buildRouter(_ services: ServerServices, options: RouteTableOptions) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: BodyLimitMiddleware())
    router.add(middleware: ClientAddressMiddleware(trusted: services.configuration.trustedProxies))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: NotFoundPageMiddleware())
    let hasher = options.hasher ?? PasswordHashingPool.shared
    var signIn = SignInPages(services: services, hasher: hasher)
    if let source = options.signInSource { signIn.signInSource = source }
    if let clock = options.throttleClock { signIn.now = clock }
    let verifyLimits = options.verifyLimits ?? VerifyLimits(configuration: services.configuration)
    let verify = VerifyController(services: services, limits: verifyLimits)
    let routes = AppRoutes(router: router, services: services)
    routes.open.get("/health") { _, _ in "ok" }
    StaticAssets.addRoutes(to: routes)
    PublicDocumentsController(services: services).addRoutes(to: routes)
    OB3CredentialsController(services: services).addRoutes(to: routes)
    CertificateController(services: services).addRoutes(to: routes)
    verify.addRoutes(to: routes)
    ReferentialController(services: services).addRoutes(to: routes)
    BadgeConnectController(services: services).addRoutes(to: routes)
    AdminAPIController(services: services).addRoutes(to: routes)
    HomePages(services: services).addRoutes(to: routes)
    signIn.addRoutes(to: routes)
    var passwordReset = PasswordResetPages(services: services, hasher: hasher)
    var setup = FirstAdminSetupPages(services: services, hasher: hasher)
    if let source = options.signInSource {
        passwordReset.clientSource = source
        setup.clientSource = source
    }
    if let clock = options.throttleClock {
        passwordReset.now = clock
        setup.now = clock
    }
    passwordReset.addRoutes(to: routes)
    setup.addRoutes(to: routes)
    AccountPages(services: services, hasher: hasher).addRoutes(to: routes)
    TrainerPages(services: services).addRoutes(to: routes)
    BatchPages(services: services).addRoutes(to: routes)
    ReferentialPages(services: services).addRoutes(to: routes)
    BackpackPages(services: services).addRoutes(to: routes)
    BadgeConnectPages(services: services).addRoutes(to: routes)
    PortfolioPages(services: services, hasher: hasher).addRoutes(to: routes)
    ReviewPages(services: services).addRoutes(to: routes)
    MembersPages(services: services, hasher: hasher).addRoutes(to: routes)
    PersonalDataPages(services: services, hasher: hasher).addRoutes(to: routes)
    RosterPages(services: services).addRoutes(to: routes)
    CompliancePages(services: services).addRoutes(to: routes)
    ClaimPages(services: services, hasher: hasher).addRoutes(to: routes)
    return router
}

/// The page machinery no feature owns: the error page and the sessions of the page middleware.
private struct SharedPages: PageFeature {
    let services: ServerServices
}
