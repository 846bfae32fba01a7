import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

/// The verifier's fixture: the shared harness without loopback fetches, and helpers to call it.
struct VerifyFixture {
    let harness: WebHarness
    var services: ServerServices { harness.services }

    static func make() async throws -> VerifyFixture {
        VerifyFixture(harness: try await WebHarness.make(allowPrivateNetwork: false))
    }

    func award(_ email: String = "marie.dupont@example.org") async throws -> AssertionRecord {
        try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: email), actor: "test"
        ).record
    }

    /// The application as served, with the given `/verify` limits.
    func app(limits: VerifyLimits = VerifyLimits()) -> some ApplicationProtocol {
        var options = RouteTableOptions()
        options.verifyLimits = limits
        return harness.application(options)
    }

    /// The application as served, with the configured limits.
    func fullApp() -> some ApplicationProtocol { harness.application() }
}
