import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

/// A response with its JSON decoded.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: [UInt8]

    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String { headers[.contentType] ?? "" }

    /// True for an RFC 9457 problem with a French and an English detail.
    var isBilingualProblem: Bool {
        contentType.hasPrefix("application/problem+json") && json["status"]?.numberValue == Double(status.code)
            && !(json["i18n"]?["fr"]?["detail"]?.stringValue ?? "").isEmpty
            && !(json["i18n"]?["en"]?["detail"]?.stringValue ?? "").isEmpty
    }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol

    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = APIHarness.adminToken,
        contentType: String? = "application/json", headers extra: HTTPFields = [:], body: [UInt8]? = nil
    ) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let contentType, body != nil { headers[.contentType] = contentType }
        let r = try await client.executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return APIResponse(status: r.status, headers: r.headers, body: Array(r.body.readableBytesView))
    }

    func get(_ uri: String, token: String? = APIHarness.adminToken, headers: HTTPFields = [:]) async throws
        -> APIResponse
    {
        try await call(.get, uri, token: token, headers: headers)
    }

    func post(
        _ uri: String, json: JSONValue, token: String? = APIHarness.adminToken, headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        try await call(.post, uri, token: token, headers: headers, body: json.encoded())
    }

    func post(
        _ uri: String, raw: String, contentType: String = "application/json", token: String? = APIHarness.adminToken
    ) async throws -> APIResponse {
        try await call(.post, uri, token: token, contentType: contentType, body: Array(raw.utf8))
    }

    /// Awards the demo badge.
    func award(_ email: String, headers: HTTPFields = [:], extra: [String: JSONValue] = [:]) async throws -> APIResponse
    {
        var o = extra
        o["recipient"] = ["email": .string(email), "name": "Camille Martin"]
        return try await post("/api/v1/badges/bientraitance/assertions", json: .object(o), headers: headers)
    }
}
