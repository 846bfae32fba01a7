import Foundation
import HTTPTypes
import OpenBadges
import TestSupport
import Testing

@testable import InsigneServer

/// `Schemas/openapi.json` is the API's description (source of truth); `Schemas/openapi.yaml` is generated from it.
@Suite("OpenAPI description")
struct OpenAPITests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]

    static func document() throws -> JSONValue {
        let url = TestPaths.schemas.appendingPathComponent("openapi.json")
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }

    /// Every `METHOD /path` the document describes.
    static func operations(_ doc: JSONValue) -> Set<String> {
        var ops: Set<String> = []
        for (path, item) in doc["paths"]?.objectValue ?? [:] {
            for m in methods where item[m] != nil { ops.insert("\(m.uppercased()) \(path)") }
        }
        return ops
    }

    /// Resolves a local JSON pointer (`#/components/schemas/X`).
    static func resolve(_ pointer: String, in doc: JSONValue) -> JSONValue? {
        guard pointer.hasPrefix("#/") else { return nil }
        var node: JSONValue? = doc
        for raw in pointer.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[token]
        }
        return node
    }

    static func refs(_ value: JSONValue, into out: inout [String]) {
        switch value {
        case .object(let o):
            if case .string(let r)? = o["$ref"] { out.append(r) }
            for v in o.values { refs(v, into: &out) }
        case .array(let a):
            for v in a { refs(v, into: &out) }
        default:
            break
        }
    }

    @Test func structurallyValid() throws {
        let doc = try Self.document()
        #expect(doc["openapi"]?.stringValue?.hasPrefix("3.") == true)
        #expect(doc["info"]?["title"]?.stringValue?.isEmpty == false)
        #expect(doc["info"]?["version"]?.stringValue?.isEmpty == false)
        #expect(doc["components"]?["securitySchemes"]?["bearer"]?["scheme"]?.stringValue == "bearer")
        let paths = try #require(doc["paths"]?.objectValue)
        #expect(!paths.isEmpty)
        for (path, item) in paths {
            #expect(path.hasPrefix("/"))
            let params = Set(
                path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for m in Self.methods {
                guard let op = item[m] else { continue }
                let responses = try #require(op["responses"]?.objectValue, "\(m) \(path)")
                #expect(!responses.isEmpty, "\(m) \(path)")
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(m) \(path) has a success response")
                for (code, r) in responses {
                    #expect(r["$ref"] != nil || r["description"]?.stringValue != nil, "\(m) \(path) \(code)")
                }
                #expect(op["operationId"]?.stringValue != nil, "\(m) \(path)")
                // Every path template parameter is declared.
                let declared = ((item["parameters"]?.arrayValue ?? []) + (op["parameters"]?.arrayValue ?? []))
                    .filter { $0["in"]?.stringValue == "path" }.compactMap { $0["name"]?.stringValue }
                #expect(Set(declared) == params, "\(m) \(path)")
            }
        }
        var refs: [String] = []
        Self.refs(doc, into: &refs)
        #expect(!refs.isEmpty)
        for r in refs { #expect(Self.resolve(r, in: doc) != nil, "unresolved $ref \(r)") }
        // Operation ids are unique.
        let ids = paths.values.flatMap { item in Self.methods.compactMap { item[$0]?["operationId"]?.stringValue } }
        #expect(Set(ids).count == ids.count)
    }

    @Test func describesExactlyTheRegisteredRoutes() throws {
        let documented = Self.operations(try Self.document())
        let registered = Set(AdminAPIController.Endpoint.allCases.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == registered)
        // Operation ids match the endpoint table.
        let doc = try Self.document()
        for e in AdminAPIController.Endpoint.allCases {
            #expect(doc["paths"]?[e.path]?[e.method.rawValue.lowercased()]?["operationId"]?.stringValue == e.rawValue)
        }
    }

    @Test func yamlDescribesTheSameRoutes() throws {
        let yaml = try String(contentsOf: TestPaths.schemas.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var ops: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" "), !line.hasPrefix("#"), !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                var p = String(line.dropFirst(2).dropLast())
                if p.hasPrefix("'") || p.hasPrefix("\"") { p = String(p.dropFirst().dropLast()) }
                currentPath = p
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path = currentPath {
                let key = String(line.dropFirst(4).dropLast())
                if Self.methods.contains(key) { ops.insert("\(key.uppercased()) \(path)") }
            }
        }
        #expect(!ops.isEmpty)
        #expect(ops == Self.operations(try Self.document()))
    }

    /// Every documented operation answers through the API (never a route miss), and requires a token.
    @Test func everyDocumentedRouteIsServed() async throws {
        let h = try await APIHarness.make()
        let ops = Self.operations(try Self.document()).sorted()
        try await h.run { api in
            for op in ops {
                let parts = op.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPRequest.Method(rawValue: parts[0])!
                let uri =
                    "/api/v1"
                    + parts[1].replacingOccurrences(of: "{id}", with: "probe-unknown")
                    .replacingOccurrences(of: "{memberId}", with: "mem_probe")
                let body: [UInt8]? = method == .post ? Array("{}".utf8) : nil
                let anonymous = try await api.call(method, uri, token: nil, body: body)
                #expect(anonymous.status == .unauthorized, "\(op)")
                #expect(anonymous.isBilingualProblem, "\(op)")
                let r = try await api.call(method, uri, body: body)
                #expect(r.status != .notFound || r.isBilingualProblem, "\(op) is not routed")
                #expect(r.status.code < 500, "\(op)")
            }
        }
    }
}
