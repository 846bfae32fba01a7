import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

/// The sign-in source the pages see, set by the test between requests.
final class TestSource: @unchecked Sendable {
    private let lock = NSLock()
    private var key = "A"
    var value: String {
        get { lock.withLock { key } }
        set { lock.withLock { key = newValue } }
    }
}

extension WebHarness {
    /// Runs the trainers' pages with the sign-in source taken from `source` and password hashing on `hasher`.
    func run(
        source: TestSource, hasher: PasswordHashingPool? = nil,
        _ test: @escaping @Sendable (WebBrowser) async throws -> Void
    ) async throws {
        var options = RouteTableOptions()
        options.hasher = hasher
        options.signInSource = { _, _ in SignInSource(key: source.value) }
        // The throttles' clock stands still: their delays (one second after five failed sign-ins, twelve seconds a
        // setup code) must not run out while a loaded machine answers the next request.
        let frozen = Date()
        options.throttleClock = { frozen }
        try await run(options: options, test)
    }
}
