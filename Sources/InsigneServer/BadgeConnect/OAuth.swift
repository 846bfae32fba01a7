import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges
import OpenBadgesCrypto

/// The provider's OAuth 2.0 vocabulary (Badge Connect 2.1): scopes, PKCE S256, lifetimes, secrets.
enum OAuth {
    static let scopePrefix = "https://purl.imsglobal.org/spec/ob/v2p1/scope/"
    static let assertionRead = scopePrefix + "assertion.readonly"
    static let assertionCreate = scopePrefix + "assertion.create"
    static let profileRead = scopePrefix + "profile.readonly"
    /// Asks for a refresh token.
    static let offlineAccess = "offline_access"
    /// The API scopes listed in the manifest (`offline_access` is accepted too, but it is not an API scope).
    static let apiScopes = [assertionRead, assertionCreate, profileRead]
    /// Every scope a client may be granted, in display order.
    static let offered = apiScopes + [offlineAccess]

    static let codeLifetime: TimeInterval = 600
    static let accessLifetime: TimeInterval = 3600
    static let refreshLifetime: TimeInterval = 180 * 86400

    /// Splits a space-delimited scope string (RFC 6749 §3.3), keeping the first of duplicates.
    static func scopes(_ text: String) -> [String] {
        var seen: Set<String> = []
        return text.split(separator: " ").map(String.init).filter { seen.insert($0).inserted }
    }

    /// The scopes of `requested` that `allowed` contains, in the order of `allowed`.
    static func reduce(_ requested: [String], to allowed: [String]) -> [String] {
        allowed.filter(requested.contains)
    }

    /// The scopes of a token request: all the `granted` ones when none is asked, else the asked ones, which must all
    /// have been granted (`invalid_scope` naming the `exceeding` consent or grant otherwise).
    static func narrowed(_ requested: [String]?, granted: String, exceeding: String) -> Result<[String], OAuthError> {
        let all = scopes(granted)
        guard let requested else { return .success(all) }
        guard requested.allSatisfy(all.contains) else {
            return .failure(.invalidScope("scope exceeds the \(exceeding)"))
        }
        return .success(reduce(requested, to: all))
    }

    /// `BASE64URL-NOPAD(SHA256(ASCII(verifier)))` (RFC 7636 §4.2).
    static func challenge(verifier: String) -> String {
        Base64URL.encode(SHA256Digest.hash(Array(verifier.utf8)))
    }

    /// 43 to 128 unreserved characters (RFC 7636 §4.1).
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(isUnreserved)
    }

    /// An S256 challenge: exactly 43 base64url characters.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43
            && challenge.utf8.allSatisfy { isUnreserved($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "~") }
    }

    /// True when the verifier hashes to the challenge (constant-time comparison).
    static func pkceMatches(verifier: String, challenge: String) -> Bool {
        isValidVerifier(verifier) && WebSecurity.equal(Self.challenge(verifier: verifier), challenge)
    }

    private static func isUnreserved(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// A new secret (client secret, code, token): 32 random bytes, base64url.
    static func newSecret() throws -> String { Base64URL.encode(try SecureRandom.bytes(count: 32)) }

    /// What the database keeps of a secret: its SHA-256, hex.
    static func hash(_ secret: String) -> String { SHA256Digest.hexHash(Array(secret.utf8)) }

    /// Redirect URIs are compared exactly (RFC 6749 §3.1.2.3; no normalisation, no prefix match).
    static func isRegistered(_ redirectURI: String, in registered: [String]) -> Bool {
        registered.contains(redirectURI)
    }

    /// `uri` with the query parameters appended (`?` or `&`), percent-encoded.
    static func redirect(_ uri: String, _ parameters: [(String, String?)]) -> String {
        let query = parameters.compactMap { name, value in
            value.map { "\(Pages.queryEscape(name))=\(Pages.queryEscape($0))" }
        }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }

    /// Headers of every token-endpoint response (RFC 6749 §5.1).
    static let noStore: HTTPFields = [.cacheControl: "no-store", .init("Pragma")!: "no-cache"]

    /// A JSON response that must not be cached.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var r = HTTP.json(value, status: status)
        for h in noStore { r.headers[h.name] = h.value }
        return r
    }
}

/// An OAuth error answered as `{"error", "error_description"}` (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7591 §3.2.2).
struct OAuthError: Error, Sendable, Equatable {
    var code: String
    var description: String
    var status: HTTPResponse.Status = .badRequest

    static func invalidRequest(_ d: String) -> OAuthError { OAuthError(code: "invalid_request", description: d) }
    static func invalidGrant(_ d: String) -> OAuthError { OAuthError(code: "invalid_grant", description: d) }
    static func invalidScope(_ d: String) -> OAuthError { OAuthError(code: "invalid_scope", description: d) }
    static func invalidClientMetadata(_ d: String) -> OAuthError {
        OAuthError(code: "invalid_client_metadata", description: d)
    }
    static func invalidRedirectURI(_ d: String) -> OAuthError {
        OAuthError(code: "invalid_redirect_uri", description: d)
    }
    static let invalidClient = OAuthError(
        code: "invalid_client", description: "client authentication failed", status: .unauthorized)

    /// The JSON error response, never cached; `invalid_client` carries `WWW-Authenticate: Basic`.
    func response() -> Response {
        var r = OAuth.json(["error": .string(code), "error_description": .string(description)], status: status)
        if status == .unauthorized { r.headers[.wwwAuthenticate] = "Basic realm=\"insigne\"" }
        return r
    }
}
