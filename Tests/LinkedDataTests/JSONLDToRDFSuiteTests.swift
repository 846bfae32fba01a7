import Foundation
import LinkedData
import TestSupport
import Testing

/// Serves the suite's own documents: `https://w3c.github.io/json-ld-api/tests/…` maps to
/// `../shared/Specs/json-ld-api/tests/…` (a test double; the real loader is `BundledContexts`).
struct SuiteLoader: ContextLoader {
    static let prefix = "https://w3c.github.io/json-ld-api/tests/"
    static let folder = TestPaths.specs.appendingPathComponent("json-ld-api/tests")

    func document(for url: String) throws -> LDJSON {
        guard url.hasPrefix(Self.prefix),
            let data = try? Data(contentsOf: Self.folder.appendingPathComponent(String(url.dropFirst(Self.prefix.count))))
        else { throw LinkedDataError.unknownContext(url) }
        return try LDJSON(parsing: Array(data))
    }
}

/// One entry of `json-ld-api/tests/toRdf-manifest.jsonld`.
struct ToRDFCase: CustomTestStringConvertible, Sendable {
    var id: String
    var kind: String
    var input: String
    var expect: String?
    var errorCode: String?
    var base: String?
    var skipReason: String?
    var testDescription: String { id }

    /// Tests not run, with why: each needs a feature a credential cannot use.
    static let skipped: [String: String] = [:]

    static func all() -> [ToRDFCase] {
        let url = SuiteLoader.folder.appendingPathComponent("toRdf-manifest.jsonld")
        guard let data = try? Data(contentsOf: url), let manifest = try? LDJSON(parsing: Array(data)) else { return [] }
        return (manifest["sequence"]?.array ?? []).compactMap(entry)
    }

    static func entry(_ e: LDJSON) -> ToRDFCase? {
        guard let id = e["@id"]?.string, let input = e["input"]?.string else { return nil }
        let types = e["@type"]?.array?.compactMap(\.string) ?? []
        let option = e["option"]
        var t = ToRDFCase(
            id: id, kind: types.first ?? "", input: input, expect: e["expect"]?.string,
            errorCode: e["expectErrorCode"]?.string, base: option?["base"]?.string)
        t.skipReason = skipped[id]
        if option?["specVersion"]?.string == "json-ld-1.0" || option?["processingMode"]?.string == "json-ld-1.0" {
            t.skipReason = "JSON-LD 1.0 processing mode only (credentials are processed as JSON-LD 1.1)"
        } else if option?["produceGeneralizedRdf"] != nil {
            t.skipReason = "generalized RDF (blank node predicates) is not RDF; a proof never hashes it"
        } else if option?["rdfDirection"] != nil {
            t.skipReason = "rdfDirection i18n-datatype/compound-literal: not used by Data Integrity (direction dropped)"
        } else if option?["expandContext"] != nil {
            t.skipReason = "expandContext API option: a credential carries its own @context"
        } else if option?["normative"] == .bool(false) {
            t.skipReason = "non-normative test"
        }
        return t
    }

    static var runnable: [ToRDFCase] { all().filter { $0.skipReason == nil } }

    func read(_ path: String) throws -> String {
        try String(contentsOf: SuiteLoader.folder.appendingPathComponent(path), encoding: .utf8)
    }
}

struct JSONLDToRDFSuiteTests {
    @Test func theSuiteIsThereAndTheSkipsAreFew() {
        let all = ToRDFCase.all()
        let skipped = all.filter { $0.skipReason != nil }
        print("JSON-LD toRdf suite: \(all.count) tests, \(all.count - skipped.count) run, \(skipped.count) skipped")
        #expect(all.count == 467)
        #expect(skipped.count < 40)
    }

    @Test(arguments: ToRDFCase.runnable)
    func w3cTest(_ t: ToRDFCase) throws {
        let input = try LDJSON(parsing: Array(try t.read(t.input).utf8))
        let base = t.base ?? SuiteLoader.prefix + t.input
        if t.kind == "jld:NegativeEvaluationTest" {
            do {
                let quads = try LinkedData.toRDF(input, loader: SuiteLoader(), base: base)
                Issue.record("expected \(t.errorCode ?? "an error"), got \(quads.count) quads")
            } catch {
                #expect(error.code == t.errorCode)
            }
            return
        }
        let quads = try LinkedData.toRDF(input, loader: SuiteLoader(), base: base)
        guard t.kind == "jld:PositiveEvaluationTest", let expect = t.expect else { return }
        let expected = try NQuads.parse(try t.read(expect))
        #expect(try RDFC10.canonicalize(quads) == (try RDFC10.canonicalize(expected)))
    }
}
