import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// A Badge Connect API answer other than 200: its status, `statusText` and message (DIGEST §4.6).
struct BadgeConnectFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var statusText: String
    var message: String
    var headers: HTTPFields = [:]

    static func validation(_ message: String) -> BadgeConnectFailure {
        BadgeConnectFailure(status: .badRequest, statusText: "REQUEST_VALIDATION_ERROR", message: message)
    }

    /// 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3); `error` is nil when no token was sent.
    static func unauthenticated(_ message: String, error: String?) -> BadgeConnectFailure {
        var f = BadgeConnectFailure(status: .unauthorized, statusText: "UNAUTHENTICATED", message: message)
        f.headers[.wwwAuthenticate] = "Bearer realm=\"insigne\"" + (error.map { ", error=\"\($0)\"" } ?? "")
        return f
    }

    var response: Response {
        var r = BadgeConnectController.envelope(status, statusText, error: message)
        for h in headers { r.headers[h.name] = h.value }
        return r
    }
}

/// The Badge Connect API under `/ims/ob/v2p1`, for OAuth access tokens only (not the admin API tokens).
///
/// `GET /assertions` lists each badge once, newest change first: badges issued here in their hosted JSON-LD form
/// (`assertions`; live, so a revocation shows), stored badges that came signed as their JWS (`signedAssertions`),
/// other stored badges as the JSON-LD that was verified (`assertions`). A badge issued here and pushed back by a
/// client is listed once, as the hosted form (`backpackEntries` merges the copy).
extension BadgeConnectController {
    static let pageLimit = 100

    func addAPIRoutes(to router: RouterGroup<AppRequestContext>) {
        let base = Self.apiPath
        router.get("\(base)/assertions") { req, _ in
            await api(req, scope: OAuth.assertionRead) { try await getAssertions(req, learner: $0) }
        }
        router.post("\(base)/assertions") { req, _ in
            await api(req, scope: OAuth.assertionCreate) { try await postAssertion(req, learner: $0) }
        }
        router.get("\(base)/profile") { req, _ in
            await api(req, scope: OAuth.profileRead) { try await getProfile(learner: $0) }
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on(RouterPath(base + "/**"), method: method) { _, _ in
                Self.envelope(.notFound, "NOT_FOUND", error: "no such Badge Connect endpoint")
            }
        }
        for (path, allowed) in [("/assertions", "GET, POST"), ("/profile", "GET")] {
            for method in [HTTPRequest.Method.put, .patch, .delete] + (path == "/profile" ? [.post] : []) {
                router.on(RouterPath(base + path), method: method) { _, _ in
                    var r = Self.envelope(.methodNotAllowed, "METHOD_NOT_ALLOWED", error: "allowed: \(allowed)")
                    r.headers[HTTPField.Name("Allow")!] = allowed
                    return r
                }
            }
        }
    }

    /// `{"status": {…}}` plus `extra` members; `error` only when there is a message.
    static func envelope(
        _ status: HTTPResponse.Status, _ text: String, error: String? = nil, _ extra: [String: JSONValue] = [:]
    ) -> Response {
        var s: [String: JSONValue] = ["statusCode": .number(Double(status.code)), "statusText": .string(text)]
        if let error { s["error"] = .string(error) }
        var o = extra
        o["status"] = .object(s)
        var r = HTTP.json(.object(o), status: status)
        r.headers[.cacheControl] = "no-store"
        return r
    }

    /// Runs an API handler for the learner behind the bearer token: TLS, token, scope, then errors as envelopes.
    func api(
        _ request: Request, scope: String, _ body: (AccountRecord) async throws -> Response
    ) async -> Response {
        do {
            guard arrivedOverTLS(request) else {
                throw BadgeConnectFailure(
                    status: .misdirectedRequest, statusText: "BAD_REQUEST", message: "TLS is required")
            }
            let (token, learner) = try await authenticate(request)
            guard OAuth.scopes(token.scopes).contains(scope) else {
                var f = BadgeConnectFailure(
                    status: .forbidden, statusText: "PERMISSION_DENIED", message: "the token lacks the scope \(scope)")
                f.headers[.wwwAuthenticate] =
                    "Bearer realm=\"insigne\", error=\"insufficient_scope\", scope=\"\(scope)\""
                throw f
            }
            return try await body(learner)
        } catch let f as BadgeConnectFailure {
            return f.response
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            return Self.envelope(.contentTooLarge, "BAD_REQUEST", error: "request body too large")
        } catch let e as JSONSyntaxError {
            return BadgeConnectFailure.validation("invalid JSON: \(e.reason) (byte \(e.offset))").response
        } catch {
            return Self.envelope(.internalServerError, "BAD_REQUEST", error: "internal error; please try again later")
        }
    }

    /// The access token of `Authorization: Bearer …` and its learner (401 otherwise).
    func authenticate(_ request: Request) async throws -> (OAuthTokenRecord, AccountRecord) {
        guard let header = request.headers[.authorization] else {
            throw BadgeConnectFailure.unauthenticated("an access token is required", error: nil)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let found = try await store.accessToken(parts[1].trimmingCharacters(in: .whitespaces))
        else {
            throw BadgeConnectFailure.unauthenticated(
                "invalid, expired or revoked access token", error: "invalid_token")
        }
        return found
    }

    // MARK: - Assertions

    /// `GET /assertions?limit&offset&since`, with `Link` and `X-Total-Count`.
    func getAssertions(_ request: Request, learner: AccountRecord) async throws -> Response {
        let q = request.uri.queryParameters
        func integer(_ name: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
            guard let s = q.get(name) else { return value }
            guard let n = Int(s), range.contains(n) else {
                throw BadgeConnectFailure.validation(
                    "\(name) must be an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return n
        }
        let limit = try integer("limit", 1...Int.max, default: Self.pageLimit)
        let offset = try integer("offset", 0...Int.max, default: 0)
        let since: Date?
        if let s = q.get("since") {
            guard let d = DateTimeValue(s), s.range(of: #"(Z|z|[+-]\d\d:?\d\d)$"#, options: .regularExpression) != nil
            else { throw BadgeConnectFailure.validation("since must be an ISO 8601 date-time with a time zone") }
            since = d.date
        } else {
            since = nil
        }
        let entries = try await services.backpackEntries(learnerID: learner.id)
            .filter { since == nil || $0.updatedAt > since! }
        let pageSize = min(limit, Self.pageLimit)
        let page = offset < entries.count ? Array(entries[offset..<min(entries.count, offset + pageSize)]) : []
        var assertions: [JSONValue] = []
        var signed: [JSONValue] = []
        for e in page {
            if case .stored = e.origin, let jws = e.jws {
                signed.append(.string(jws))
            } else {
                assertions.append(e.assertion)
            }
        }
        var r = Self.envelope(.ok, "OK", ["assertions": .array(assertions), "signedAssertions": .array(signed)])
        r.headers[.init("X-Total-Count")!] = String(entries.count)
        if let link = pagingLinks(total: entries.count, limit: pageSize, offset: offset, since: q.get("since")) {
            r.headers[.init("Link")!] = link
        }
        return r
    }

    /// RFC 8288 links `first`, `last`, `next` (when more follow) and `prev` (when offset > 0).
    func pagingLinks(total: Int, limit: Int, offset: Int, since: String?) -> String? {
        func url(_ offset: Int) -> String {
            var s = "\(urls.base)\(Self.apiPath)/assertions?limit=\(limit)&offset=\(offset)"
            if let since { s += "&since=" + Pages.queryEscape(since) }
            return s
        }
        let last = total == 0 ? 0 : ((total - 1) / limit) * limit
        var links = ["<\(url(0))>; rel=\"first\"", "<\(url(last))>; rel=\"last\""]
        if offset + limit < total { links.append("<\(url(offset + limit))>; rel=\"next\"") }
        if offset > 0 { links.append("<\(url(max(0, min(offset - limit, last))))>; rel=\"prev\"") }
        return links.joined(separator: ", ")
    }

    /// `POST /assertions`: `{"assertion": {…}}` or `{"signedAssertion": "JWS"}` (the JWS wins), verified and kept.
    func postAssertion(_ request: Request, learner: AccountRecord) async throws -> Response {
        guard APIBody.isJSON(APIBody.mediaType(request)) else {
            throw BadgeConnectFailure(
                status: .unsupportedMediaType, statusText: "BAD_REQUEST", message: "application/json expected")
        }
        let bytes = Array(try await request.body.collect(upTo: 1024 * 1024).readableBytesView)
        guard case .object(let o) = try JSONValue(parsing: bytes, maxDepth: 32) else {
            throw BadgeConnectFailure.validation("a JSON object is expected")
        }
        if let extra = o.keys.sorted().first(where: { $0 != "assertion" && $0 != "signedAssertion" }) {
            throw BadgeConnectFailure.validation("unknown member \(extra) (assertion or signedAssertion only)")
        }
        let input: String
        let type: String
        if let signedAssertion = o["signedAssertion"], signedAssertion != .null {
            guard case .string(let jws) = signedAssertion else {
                throw BadgeConnectFailure.validation("signedAssertion must be a string (JWS compact serialization)")
            }
            input = jws.trimmingCharacters(in: .whitespacesAndNewlines)
            type = "application/jwt"
        } else if let assertion = o["assertion"], assertion != .null {
            guard case .object(let a) = assertion, a["id"]?.stringValue != nil, a["type"] != nil else {
                throw BadgeConnectFailure.validation("assertion must be an object with an id and a type")
            }
            input = assertion.encodedString()
            type = "application/ld+json"
        } else {
            throw BadgeConnectFailure.validation("assertion or signedAssertion is required")
        }
        do {
            _ = try await services.importToBackpack(
                learnerID: learner.id, input: .text(input), source: .badgeConnect, originalData: Data(input.utf8),
                originalType: type)
        } catch let e as ServiceError where e.kind == .unprocessable {
            let text = e.field == "recipient" ? "RECIPIENT_PROFILE_MISMATCH" : "INVALID_BADGE"
            throw BadgeConnectFailure(status: .badRequest, statusText: text, message: e.messageEN)
        }
        return Self.envelope(.ok, "OK")
    }

    // MARK: - Profile

    /// `GET /profile`: the learner as an OB 2.0 Profile (name, verified addresses).
    func getProfile(learner: AccountRecord) async throws -> Response {
        let emails = try await services.learnerEmails(accountID: learner.id)
        var profile: [String: JSONValue] = [
            "@context": "https://w3id.org/openbadges/v2", "id": .string(Self.profileID(learner.id)), "type": "Profile",
            "name": .string(learner.displayName),
        ]
        if emails.count == 1 {
            profile["email"] = .string(emails[0])
        } else if !emails.isEmpty {
            profile["email"] = .array(emails.map(JSONValue.string))
        }
        return Self.envelope(.ok, "OK", ["profile": .object(profile)])
    }

    /// A stable `urn:uuid:` for an account (its own UUID, or one derived from its id).
    static func profileID(_ accountID: String) -> String {
        if let uuid = UUID(uuidString: accountID) { return "urn:uuid:" + uuid.uuidString.lowercased() }
        var b = Array(SHA256Digest.hash(Array("insigne-learner:\(accountID)".utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x80  // version 8 (name-based, custom hash)
        b[8] = (b[8] & 0x3F) | 0x80
        let u = UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
        return "urn:uuid:" + u.uuidString.lowercased()
    }
}
