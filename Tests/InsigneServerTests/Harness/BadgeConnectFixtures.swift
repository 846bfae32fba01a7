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

/// Badge Connect fixtures: an https public URL behind a TLS proxy, the RFC 7636 PKCE pair, a client registration,
/// a learner, and the official OB 2.1 JSON Schemas plus Insigne's RFC-shape schemas for the OAuth answers.
enum BadgeConnectFixtures {
    static let publicURL = "https://insigne.example"
    static let apiBase = publicURL + "/ims/ob/v2p1"
    /// RFC 7636 Appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    static let redirectURI = "https://client.example/callback"
    static let learnerLogin = "camille.martin@example.org"
    static let learnerPassword = "une phrase de passe"
    /// What the TLS-terminating proxy adds.
    static let tls: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]

    static func registration(scope: String? = nil, grantTypes: [String] = ["authorization_code", "refresh_token"])
        -> JSONValue
    {
        var o: [String: JSONValue] = [
            "client_name": "Carnet de compétences", "client_uri": "https://client.example/",
            "logo_uri": "https://client.example/logo.png", "tos_uri": "https://client.example/cgu",
            "policy_uri": "https://client.example/confidentialite", "software_id": "carnet-competences",
            "software_version": "1.4.2", "redirect_uris": [.string(redirectURI)],
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": .array(grantTypes.map(JSONValue.string)),
            "response_types": ["code"],
        ]
        if let scope { o["scope"] = .string(scope) }
        return .object(o)
    }

    static let allScopes = (OAuth.apiScopes + [OAuth.offlineAccess]).joined(separator: " ")

    /// An official OB 2.1 schema from `Specs/ob21/schema` (short name, e.g. `getassertions-200`).
    static func ob21Schema(_ name: String) throws -> JSONSchemaValidator {
        let dir = TestPaths.specs.appendingPathComponent("ob21/schema")
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: dir.path)
                .first { $0.contains("v2p1v2p1-\(name)-") && $0.hasSuffix(".json") },
            "schema \(name)")
        return try JSONSchemaValidator(schemaFile: dir.appendingPathComponent(file))
    }

    /// One of Insigne's OAuth response schemas (`Schemas/oauth`).
    static func oauthSchema(_ name: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schemaFile: TestPaths.schemas.appendingPathComponent("oauth/\(name).schema.json"))
    }

    /// Expects `value` to be valid against `schema`.
    static func expectValid(
        _ value: JSONValue, _ schema: JSONSchemaValidator, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let violations = schema.validate(value)
        #expect(violations.isEmpty, "\(violations) in \(value.encodedString())", sourceLocation: sourceLocation)
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    /// The query parameters of a URL.
    static func query(_ url: String) -> [String: String] {
        var out: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { out[item.name] = item.value ?? "" }
        return out
    }

    static func formBody(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { "\(Pages.queryEscape($0.0))=\(Pages.queryEscape($0.1))" }.joined(separator: "&").utf8)
    }
}
