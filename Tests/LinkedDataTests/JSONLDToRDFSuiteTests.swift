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
            let data = try? Data(
                contentsOf: Self.folder.appendingPathComponent(String(url.dropFirst(Self.prefix.count))))
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
    /// The manifest gives an option this processor does not implement (then the test must be in `skipped`).
    var needsOption = false
    var testDescription: String { id }

    /// Tests not run (24 of 467), with why: each needs a feature or an API option a credential cannot use.
    static let skipped: [String: String] = [
        "#t0118": "produceGeneralizedRdf: blank node predicates are not RDF; no proof hashes them",
        "#tc029": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#tdi09": "rdfDirection (non-normative): Data Integrity drops @direction, as the default toRdf does",
        "#tdi10": "rdfDirection (non-normative): Data Integrity drops @direction, as the default toRdf does",
        "#tdi11": "rdfDirection (non-normative): Data Integrity drops @direction, as the default toRdf does",
        "#tdi12": "rdfDirection (non-normative): Data Integrity drops @direction, as the default toRdf does",
        "#te014": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#te026": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#te038": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#te071": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#te075": "produceGeneralizedRdf: blank node predicates are not RDF; no proof hashes them",
        "#te077": "expandContext API option: a credential carries its own @context",
        "#te115": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#te116": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#tep02": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#ter02": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#ter03": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#ter21": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#ter24": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#ter32": "JSON-LD 1.0 behaviour (credentials are processed as JSON-LD 1.1)",
        "#ter42": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#tpi01": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#tso01": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
        "#ttn01": "processingMode json-ld-1.0 API option (credentials are processed as JSON-LD 1.1)",
    ]

    static func all() -> [ToRDFCase] {
        let url = SuiteLoader.folder.appendingPathComponent("toRdf-manifest.jsonld")
        guard let data = try? Data(contentsOf: url), let manifest = try? LDJSON(parsing: Array(data)) else { return [] }
        return (manifest["sequence"]?.array ?? []).compactMap(entry)
    }

    static func entry(_ e: LDJSON) -> ToRDFCase? {
        guard let id = e["@id"]?.string, let input = e["input"]?.string else { return nil }
        let types = e["@type"]?.array?.compactMap(\.string) ?? []
        let option = e["option"]
        let needsOption =
            option?["specVersion"]?.string == "json-ld-1.0" || option?["processingMode"] != nil
            || option?["produceGeneralizedRdf"] != nil || option?["rdfDirection"] != nil
            || option?["expandContext"] != nil
        var t = ToRDFCase(
            id: id, kind: types.first ?? "", input: input, expect: e["expect"]?.string,
            errorCode: e["expectErrorCode"]?.string, base: option?["base"]?.string)
        t.skipReason = skipped[id]
        t.needsOption = needsOption
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
        #expect(skipped.count == ToRDFCase.skipped.count)
        #expect(all.filter(\.needsOption).allSatisfy { $0.skipReason != nil })
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
        let mine = try RDFC10.canonicalize(quads)
        let theirs = try RDFC10.canonicalize(expected)
        #expect(mine == theirs, "got:\n\(mine)expected:\n\(theirs)")
    }
}
