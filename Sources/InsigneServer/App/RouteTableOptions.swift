import Foundation
import Hummingbird

/// What the route table takes besides the services. Production uses the defaults; the tests narrow a limit or fix
/// who a sign-in comes from, and still go through every route and middleware that `buildApplication` serves.
struct RouteTableOptions: Sendable {
    /// Limits of `/verify`; nil: the configuration's (`verifyRateLimitPerMinute`).
    var verifyLimits: VerifyLimits?
    /// Where password hashing runs (sign-in, invitations, erasure); nil: the process-wide pool.
    var hasher: PasswordHashingPool?
    /// Who a sign-in attempt comes from, for throttling; nil: the client address.
    var signInSource: (@Sendable (Request, AppRequestContext) -> SignInSource)?
    /// The time the sign-in throttle and the pre-sign-in rate limits (setup code, password reset) read; nil: the
    /// system clock.
    var throttleClock: (@Sendable () -> Date)?

    /// The defaults, as served.
    init() {}
}
