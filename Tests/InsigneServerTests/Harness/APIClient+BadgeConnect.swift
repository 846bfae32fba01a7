import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// Badge Connect calls: OAuth forms and API calls through the TLS-terminating proxy.
extension APIClient {
    /// A form POST to an OAuth endpoint through the TLS proxy, with client Basic authentication when given.
    func oauthForm(_ uri: String, _ fields: [(String, String)], basic: (String, String)?) async throws -> APIResponse {
        var headers = BadgeConnectFixtures.tls
        if let basic { headers[.authorization] = BadgeConnectFixtures.basic(basic.0, basic.1) }
        return try await call(
            .post, uri, token: nil, contentType: "application/x-www-form-urlencoded", headers: headers,
            body: BadgeConnectFixtures.formBody(fields))
    }

    /// A Badge Connect API call through the TLS proxy with an access token.
    func badgeConnect(
        _ method: HTTPRequest.Method, _ path: String, token: String?, json: JSONValue? = nil
    ) async throws -> APIResponse {
        var headers = BadgeConnectFixtures.tls
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await call(method, "/ims/ob/v2p1" + path, token: nil, headers: headers, body: json?.encoded())
    }
}
