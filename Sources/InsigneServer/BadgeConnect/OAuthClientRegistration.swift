import Foundation
import OpenBadges

/// RFC 7591 client metadata as the provider accepts it (Badge Connect 2.1 §4.3): validated, scopes reduced.
///
/// Every URL must be `https` and all of them must share one host name. Only when `allowLoopbackHTTP` is set
/// (`ServerConfiguration.allowPrivateNetwork`: tests and intranet setups) may a redirect URI be
/// `http://127.0.0.1`, `http://[::1]` or `http://localhost`. Unknown metadata is ignored (RFC 7591 §2).
struct ClientRegistration: Sendable, Equatable {
    var clientName: String
    var clientURI: String
    var logoURI: String
    var tosURI: String
    var policyURI: String
    var softwareID: String
    var softwareVersion: String
    var redirectURIs: [String]
    var tokenEndpointAuthMethod: String
    var grantTypes: [String]
    var responseTypes: [String]
    var scopes: [String]

    static let maxLength = 2000
    static let maxRedirectURIs = 10
    static let authMethods = ["client_secret_basic", "client_secret_post"]
    static let knownGrantTypes = ["authorization_code", "refresh_token"]

    /// Validates a registration request body.
    init(json: JSONValue, allowLoopbackHTTP: Bool) throws {
        guard case .object(let o) = json else { throw OAuthError.invalidClientMetadata("a JSON object is expected") }
        func string(_ key: String) throws -> String {
            guard case .string(let s)? = o[key], !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw OAuthError.invalidClientMetadata("\(key) is required (a non-empty string)")
            }
            guard s.count <= Self.maxLength, !s.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw OAuthError.invalidClientMetadata("\(key) is too long or holds control characters")
            }
            return s
        }
        func strings(_ key: String, default value: [String]) throws -> [String] {
            switch o[key] {
            case nil, .null?: return value
            case .array(let a)?:
                let s = a.compactMap(\.stringValue)
                guard s.count == a.count, !s.isEmpty, s.count <= Self.maxRedirectURIs else {
                    throw OAuthError.invalidClientMetadata("\(key) must be a non-empty array of strings (10 at most)")
                }
                return s.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            default: throw OAuthError.invalidClientMetadata("\(key) must be an array of strings")
            }
        }
        clientName = try string("client_name")
        clientURI = try string("client_uri")
        logoURI = try string("logo_uri")
        tosURI = try string("tos_uri")
        policyURI = try string("policy_uri")
        softwareID = try string("software_id")
        softwareVersion = try string("software_version")
        guard o["redirect_uris"] != nil else { throw OAuthError.invalidRedirectURI("redirect_uris is required") }
        redirectURIs = try strings("redirect_uris", default: [])

        var host: String?
        func checkHost(_ h: String, _ key: String) throws {
            if let host, host != h {
                throw OAuthError.invalidClientMetadata("\(key): every URL must share one host name")
            }
            host = h
        }
        for (key, url) in [
            ("client_uri", clientURI), ("logo_uri", logoURI), ("tos_uri", tosURI), ("policy_uri", policyURI),
        ] {
            guard let h = Self.httpsHost(url, loopbackHTTP: false) else {
                throw OAuthError.invalidClientMetadata("\(key) must be an https URL")
            }
            try checkHost(h, key)
        }
        for uri in redirectURIs {
            guard let h = Self.httpsHost(uri, loopbackHTTP: allowLoopbackHTTP), !uri.contains("#") else {
                throw OAuthError.invalidRedirectURI("every redirect URI must be an https URL without a fragment")
            }
            do { try checkHost(h, "redirect_uris") } catch {
                throw OAuthError.invalidRedirectURI("redirect URIs must share the host name of client_uri")
            }
        }

        if case .some(let v) = o["token_endpoint_auth_method"], v != .null {
            guard let m = v.stringValue, Self.authMethods.contains(m) else {
                throw OAuthError.invalidClientMetadata("token_endpoint_auth_method must be client_secret_basic")
            }
            tokenEndpointAuthMethod = m
        } else {
            tokenEndpointAuthMethod = "client_secret_basic"
        }
        grantTypes = try strings("grant_types", default: ["authorization_code"])
        guard grantTypes.allSatisfy(Self.knownGrantTypes.contains), grantTypes.contains("authorization_code") else {
            throw OAuthError.invalidClientMetadata("grant_types: authorization_code (and refresh_token) only")
        }
        responseTypes = try strings("response_types", default: ["code"])
        guard responseTypes == ["code"] else { throw OAuthError.invalidClientMetadata("response_types: code only") }

        var allowed = OAuth.offered
        if !grantTypes.contains("refresh_token") { allowed.removeAll { $0 == OAuth.offlineAccess } }
        switch o["scope"] {
        case nil, .null?:
            scopes = allowed
        case .string(let s)?:
            scopes = OAuth.reduce(OAuth.scopes(s), to: allowed)
            guard !scopes.isEmpty else {
                throw OAuthError.invalidClientMetadata("scope: none of the requested scopes is offered")
            }
        default:
            throw OAuthError.invalidClientMetadata("scope must be a space-separated string")
        }
    }

    /// The host name of an https URL (or of a loopback http URL when allowed); nil otherwise. Layered on the
    /// server's one URL check (`Validation.webURL`).
    static func httpsHost(_ url: String, loopbackHTTP: Bool) -> String? {
        guard let c = Validation.webURL(url), let scheme = c.scheme?.lowercased(), let host = c.host?.lowercased()
        else { return nil }
        if scheme == "https" { return host }
        if scheme == "http", loopbackHTTP, ["127.0.0.1", "localhost", "[::1]", "::1"].contains(host) { return host }
        return nil
    }

    /// The metadata as registered (echoed in the 201 response and kept in `oauthClient.metadataJSON`).
    var metadata: [String: JSONValue] {
        [
            "client_name": .string(clientName), "client_uri": .string(clientURI), "logo_uri": .string(logoURI),
            "tos_uri": .string(tosURI), "policy_uri": .string(policyURI), "software_id": .string(softwareID),
            "software_version": .string(softwareVersion), "redirect_uris": .array(redirectURIs.map(JSONValue.string)),
            "token_endpoint_auth_method": .string(tokenEndpointAuthMethod),
            "grant_types": .array(grantTypes.map(JSONValue.string)),
            "response_types": .array(responseTypes.map(JSONValue.string)),
            "scope": .string(scopes.joined(separator: " ")),
        ]
    }
}
