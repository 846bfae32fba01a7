import Foundation
import LinkedData
import TestSupport
import Testing

/// One entry of the W3C RDFC-1.0 manifest (`../shared/Specs/rdf-canon/tests/manifest.jsonld`).
struct RDFCTestCase: CustomTestStringConvertible, Sendable {
    var id: String
    var type: String
    var action: String
    var result: String?
    var sha384: Bool
    var testDescription: String { id }

    static let folder = TestPaths.specs.appendingPathComponent("rdf-canon/tests")

    static func all() -> [RDFCTestCase] {
        let url = folder.appendingPathComponent("manifest.jsonld")
        guard let data = try? Data(contentsOf: url), let manifest = try? LDJSON(parsing: Array(data)) else { return [] }
        return (manifest["entries"]?.array ?? []).compactMap { e in
            guard let id = e["id"]?.string, let type = e["type"]?.string, let action = e["action"]?.string else {
                return nil
            }
            return RDFCTestCase(
                id: id, type: type, action: action, result: e["result"]?.string,
                sha384: e["hashAlgorithm"]?.string == "SHA384")
        }
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: Self.folder.appendingPathComponent(path), encoding: .utf8)
    }
}

struct RDFC10SuiteTests {
    @Test func theSuiteIsThere() {
        #expect(RDFCTestCase.all().count == 86)
    }

    @Test(arguments: RDFCTestCase.all())
    func w3cTest(_ t: RDFCTestCase) throws {
        let input = try NQuads.parse(try t.text(t.action))
        let canon = RDFC10(hashAlgorithm: t.sha384 ? .sha384 : .sha256)
        switch t.type {
        case "rdfc:RDFC10EvalTest":
            #expect(try canon.canonicalize(input).nquads == (try t.text(t.result!)))
        case "rdfc:RDFC10MapTest":
            let expected = try LDJSON(parsing: Array(try t.text(t.result!).utf8))
            let issued = try canon.canonicalize(input).issued
            #expect(LDJSON.object(issued.mapValues { .string($0) }) == expected)
        case "rdfc:RDFC10NegativeEvalTest":
            #expect(throws: LinkedDataError.tooComplex(limit: RDFC10.defaultWorkLimit)) {
                try canon.canonicalize(input)
            }
        default:
            Issue.record("unknown test type \(t.type)")
        }
    }

    @Test func aPoisonGraphStopsAtTheLimitQuickly() throws {
        let input = try NQuads.parse(
            try RDFCTestCase(id: "", type: "", action: "", sha384: false).text("rdfc10/test074-in.nq"))
        let start = Date()
        #expect(throws: LinkedDataError.tooComplex(limit: RDFC10.defaultWorkLimit)) { try RDFC10().canonicalize(input) }
        let seconds = Date().timeIntervalSince(start)
        print("RDFC-1.0 poison graph (test074) stopped at the default limit in \(seconds) s")
        #expect(seconds < 10)
    }

    @Test func theWorkEveryLegitimateSuiteTestNeedsIsFarBelowTheDefaultLimit() throws {
        var most = 0
        for t in RDFCTestCase.all() where t.type != "rdfc:RDFC10NegativeEvalTest" {
            most = max(most, try RDFC10().canonicalize(NQuads.parse(try t.text(t.action))).work)
        }
        print("RDFC-1.0 suite: the most work a positive test needs is \(most) (limit \(RDFC10.defaultWorkLimit))")
        #expect(most * 4 <= RDFC10.defaultWorkLimit)
    }

    @Test func nquadsSyntaxErrorsNameTheLine() {
        #expect(throws: NQuadsSyntaxError.self) { try NQuads.parse("<a:b> <c:d> \"x\" .\n\"lit\" <c:d> <e:f> .\n") }
        #expect(throws: NQuadsSyntaxError.self) { try NQuads.parse("<a:b> <c:d> <e:f>\n") }
        #expect(throws: NQuadsSyntaxError.self) { try NQuads.parse("<a:b> _:p <e:f> .\n") }
    }
}
