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
        let fields = MetadataFields(object: o)
        clientName = try fields.string("client_name")
        clientURI = try fields.string("client_uri")
        logoURI = try fields.string("logo_uri")
        tosURI = try fields.string("tos_uri")
        policyURI = try fields.string("policy_uri")
        softwareID = try fields.string("software_id")
        softwareVersion = try fields.string("software_version")
        guard o["redirect_uris"] != nil else { throw OAuthError.invalidRedirectURI("redirect_uris is required") }
        redirectURIs = try fields.strings("redirect_uris", default: [])
        try Self.checkOneHost(
            [("client_uri", clientURI), ("logo_uri", logoURI), ("tos_uri", tosURI), ("policy_uri", policyURI)],
            redirectURIs: redirectURIs, allowLoopbackHTTP: allowLoopbackHTTP)
        tokenEndpointAuthMethod = try Self.authMethod(o["token_endpoint_auth_method"])
        grantTypes = try fields.strings("grant_types", default: ["authorization_code"])
        guard grantTypes.allSatisfy(Self.knownGrantTypes.contains), grantTypes.contains("authorization_code") else {
            throw OAuthError.invalidClientMetadata("grant_types: authorization_code (and refresh_token) only")
        }
        responseTypes = try fields.strings("response_types", default: ["code"])
        guard responseTypes == ["code"] else { throw OAuthError.invalidClientMetadata("response_types: code only") }
        scopes = try Self.scopes(o["scope"], grantTypes: grantTypes)
    }

    /// Typed reads of the registration's metadata fields.
    private struct MetadataFields {
        let object: [String: JSONValue]

        /// A required, non-empty, bounded string without control characters.
        func string(_ key: String) throws -> String {
            guard case .string(let s)? = object[key], !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw OAuthError.invalidClientMetadata("\(key) is required (a non-empty string)")
            }
            guard s.count <= ClientRegistration.maxLength, !s.unicodeScalars.contains(where: { $0.value < 0x20 })
            else {
                throw OAuthError.invalidClientMetadata("\(key) is too long or holds control characters")
            }
            return s
        }

        /// An optional non-empty array of strings (10 at most), duplicates removed; `value` when absent.
        func strings(_ key: String, default value: [String]) throws -> [String] {
            switch object[key] {
            case nil, .null?: return value
            case .array(let a)?:
                let s = a.compactMap(\.stringValue)
                guard s.count == a.count, !s.isEmpty, s.count <= ClientRegistration.maxRedirectURIs else {
                    throw OAuthError.invalidClientMetadata("\(key) must be a non-empty array of strings (10 at most)")
                }
                return s.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            default: throw OAuthError.invalidClientMetadata("\(key) must be an array of strings")
            }
        }
    }

    /// Every URL is https (redirect URIs: or loopback http when allowed, and no fragment) and all share one host.
    private static func checkOneHost(
        _ urls: [(key: String, url: String)], redirectURIs: [String], allowLoopbackHTTP: Bool
    ) throws {
        var host: String?
        func checkHost(_ h: String, _ key: String) throws {
            if let host, host != h {
                throw OAuthError.invalidClientMetadata("\(key): every URL must share one host name")
            }
            host = h
        }
        for (key, url) in urls {
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
    }

    /// `token_endpoint_auth_method`: one of `authMethods`, `client_secret_basic` when absent.
    private static func authMethod(_ value: JSONValue?) throws -> String {
        guard case .some(let v) = value, v != .null else { return "client_secret_basic" }
        guard let m = v.stringValue, authMethods.contains(m) else {
            throw OAuthError.invalidClientMetadata("token_endpoint_auth_method must be client_secret_basic")
        }
        return m
    }

    /// The scopes granted: those requested among the offered ones (`offline_access` only with `refresh_token`).
    private static func scopes(_ value: JSONValue?, grantTypes: [String]) throws -> [String] {
        var allowed = OAuth.offered
        if !grantTypes.contains("refresh_token") { allowed.removeAll { $0 == OAuth.offlineAccess } }
        switch value {
        case nil, .null?:
            return allowed
        case .string(let s)?:
            let scopes = OAuth.reduce(OAuth.scopes(s), to: allowed)
            guard !scopes.isEmpty else {
                throw OAuthError.invalidClientMetadata("scope: none of the requested scopes is offered")
            }
            return scopes
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
