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

/// A seeded service (demo issuer `mutuelle-vivre-ensemble`, badge `bientraitance`, admin token) plus a staff
/// account of `foyers-la-maison`, and helpers to call the API through the router.
struct APIHarness: Sendable {
    let services: ServerServices
    static let adminToken = "test-admin-token"
    static let staffToken = "test-staff-token"
    static let base = "http://127.0.0.1:8080"

    static func make() async throws -> APIHarness {
        var config = ServerConfiguration()
        config.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("insigne-api-tests-\(UUID().uuidString)").path
        config.publicURL = base
        let services = try ServerServices(configuration: config, db: try AppDatabase.inMemory())
        _ = try await DemoSeeder(services: services).seedIfNeeded(adminToken: adminToken)
        try await services.db.writer.write { db in
            try AccountRecord(
                id: "staff-foyers", login: "staff-foyers", displayName: "Équipe Foyers", passwordHash: nil,
                role: .staff,
                issuerID: "foyers-la-maison", createdAt: Date()
            ).insert(db)
            try APITokenRecord(
                tokenHash: SHA256Digest.hexHash(Array(staffToken.utf8)), accountID: "staff-foyers", label: "staff",
                createdAt: Date()
            ).insert(db)
        }
        return APIHarness(services: services)
    }

    func run(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let app = Application(router: buildRouter(services))
        try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }

    func assertionCount() async throws -> Int {
        try await services.db.writer.read { db in try AssertionRecord.fetchCount(db) }
    }
}

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

enum Fixtures {
    static func pngDataURI() throws -> String {
        "data:image/png;base64," + Data(try DemoBadgeArt.png()).base64EncodedString()
    }

    static let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><circle cx="50" cy="50" r="40" fill="#2a6"/></svg>
        """

    static func badge(id: String? = nil, name: String = "Premiers secours", image: String) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "description": "Gestes de premiers secours en établissement.",
            "criteria": ["narrative": "Avoir suivi la formation PSC1 (7 heures)."], "image": .string(image),
            "tags": ["secourisme"],
            "alignment": [["targetName": "PSC1", "targetUrl": "https://www.example.org/psc1", "targetCode": "PSC1"]],
        ]
        if let id { o["id"] = .string(id) }
        return .object(o)
    }
}

@Suite("API building blocks")
struct APIBuildingBlocksTests {
    @Test func slugsFoldAccents() {
        #expect(APIFormat.slug(from: "Établissement Œuvre Sainte-Thérèse") == "etablissement-oeuvre-sainte-therese")
        #expect(APIFormat.slug(from: "  Foyers « La Maison »  ") == "foyers-la-maison")
        #expect(APIFormat.slug(from: "Çà et là — 2025") == "ca-et-la-2025")
        #expect(APIFormat.slug(from: "!!!") == nil)
        #expect((APIFormat.slug(from: String(repeating: "a b ", count: 40)) ?? "").count <= 64)
    }

    @Test func csvWithBOMSemicolonsAndMultilineQuotes() throws {
        let csv =
            "\u{FEFF}email;name;narrative;expires;evidence\r\n"
            + "a@example.org;Alice;\"Ligne 1\r\nLigne 2 avec \"\"guillemets\"\"; et point-virgule\";;https://example.org/p/1\r\n"
            + "\r\n"
            + "b@example.org;Bob;;2099-01-01T00:00:00+01:00;\n"
        let rows = try BatchAwarding.parseCSV(Array(csv.utf8))
        #expect(rows.count == 2)
        #expect(rows[0].line == 2)
        #expect(rows[0].email == "a@example.org")
        #expect(rows[0].narrative == "Ligne 1\r\nLigne 2 avec \"guillemets\"; et point-virgule")
        #expect(rows[0].evidence == [EvidenceRecord(id: "https://example.org/p/1")])
        #expect(rows[1].line == 5)
        #expect(rows[1].expires == "2099-01-01T00:00:00+01:00")
    }

    @Test func csvCommaAndFrenchHeaders() throws {
        let rows = try BatchAwarding.parseCSV(Array("Courriel,Nom\nx@example.org,\"Dupont, Jean\"\n".utf8))
        #expect(rows == [BatchRow(line: 2, email: "x@example.org", name: "Dupont, Jean")])
    }

    @Test func csvErrors() throws {
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("a@example.org,Alice\n".utf8)) }
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("email,colour\n".utf8)) }
        #expect(throws: ServiceError.self) { try BatchAwarding.parseCSV(Array("email,name\n\"open,x\n".utf8)) }
        #expect(throws: ServiceError.self) {
            try BatchAwarding.parseCSV([0x65, 0x6D, 0x61, 0x69, 0x6C, 0x0A, 0xE9, 0x0A])
        }
        let rows = try BatchAwarding.parseCSV(Array("email,name\na@example.org,A,extra\n".utf8))
        #expect(rows.first?.problem != nil)
    }

    @Test func derivedIdempotencyKeysIgnoreCaseAndZoneSpelling() {
        let a = BatchRow(line: 2, email: "Alice@Example.org ", narrative: "x", expires: "2099-01-01T00:00:00Z")
        let b = BatchRow(line: 9, email: "alice@example.org", narrative: "x", expires: "2099-01-01T01:00:00+01:00")
        #expect(
            BatchAwarding.idempotencyKey(for: a, badgeID: "b") == BatchAwarding.idempotencyKey(for: b, badgeID: "b"))
        #expect(
            BatchAwarding.idempotencyKey(for: a, badgeID: "b") != BatchAwarding.idempotencyKey(for: a, badgeID: "c"))
        var c = b
        c.narrative = "y"
        #expect(
            BatchAwarding.idempotencyKey(for: c, badgeID: "b") != BatchAwarding.idempotencyKey(for: b, badgeID: "b"))
    }

    @Test func multipartParsing() throws {
        let body =
            "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nPremiers secours\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b;a.png\"\r\nContent-Type: image/png\r\n\r\n"
            + "\u{1}\u{2}\r\n--XyZ--\r\n"
        let form = try MultipartForm(body: Array(body.utf8), contentType: "multipart/form-data; boundary=\"XyZ\"")
        #expect(form.parts.count == 2)
        #expect(form.field("name") == "Premiers secours")
        #expect(form.part("image")?.filename == "b;a.png")
        #expect(form.part("image")?.body == [1, 2])
        #expect(throws: ServiceError.self) {
            try MultipartForm(
                body: Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx".utf8),
                contentType: "multipart/form-data; boundary=XyZ")
        }
        #expect(throws: ServiceError.self) { try MultipartForm(body: [], contentType: "multipart/form-data") }
    }

    @Test func dataURIs() throws {
        #expect(try APIFormat.imageDataURI("data:image/svg+xml;utf8,%3Csvg%3E", field: "image") == Data("<svg>".utf8))
        #expect(throws: ServiceError.self) {
            try APIFormat.imageDataURI("data:image/gif;base64,R0lGODlh", field: "image")
        }
        #expect(throws: ServiceError.self) { try APIFormat.imageDataURI("https://example.org/x.png", field: "image") }
    }
}
