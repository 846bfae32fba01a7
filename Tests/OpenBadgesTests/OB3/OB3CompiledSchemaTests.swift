import Foundation
import TestSupport
import Testing

@testable import OpenBadges

/// The compiled yes/no schema check (`JSONSchemaValidator.conforms`, what `validate` asks first) gives the verdict of
/// the full walk that names violations: on the OB 3.0 examples and the 1EdTech fixtures against the three bundled
/// schemas, on altered copies of them, and at every budget around what a credential costs.
struct OB3CompiledSchemaTests {
    static let examples = TestPaths.specs.appendingPathComponent("ob3/examples")
    static let fixtures = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")

    static func documents() throws -> [(name: String, json: JSONValue)] {
        var out: [(String, JSONValue)] = []
        for folder in [examples, fixtures] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            for name in names where name.hasSuffix(".json") {
                if let json = try? TestPaths.loadJSON(folder.appendingPathComponent(name)) { out.append((name, json)) }
            }
        }
        return out
    }

    static func validators() throws -> [(OB3Schema, JSONSchemaValidator)] {
        try OB3Schema.allCases.map { ($0, try $0.validator.get()) }
    }

    /// `conforms` and the full walk agree, with and without single values read as arrays.
    static func expectSameVerdict(_ validator: JSONSchemaValidator, _ doc: JSONValue, _ label: String) {
        for single in [false, true] {
            var fast = validator
            fast.singleValuesAsArrays = single
            var full = fast
            full.checksCompiledFirst = false
            let violations = full.validate(doc)
            #expect(fast.conforms(doc) == violations.isEmpty, "\(label) single=\(single): \(violations.prefix(3))")
            #expect(fast.validate(doc) == violations, "\(label) single=\(single)")
        }
    }

    /// Each top-level member removed, replaced by a string, a number, null, an empty array and an empty object.
    static func alterations(of doc: JSONValue) -> [(String, JSONValue)] {
        guard case .object(let o) = doc else { return [] }
        var out: [(String, JSONValue)] = []
        for key in o.keys.sorted() {
            var removed = o
            removed[key] = nil
            out.append(("-\(key)", .object(removed)))
            for (i, value) in [JSONValue.string("x"), 1, .null, [], [:]].enumerated() {
                var changed = o
                changed[key] = value
                out.append(("\(key)=\(i)", .object(changed)))
            }
        }
        if case .object(var subject)? = o["credentialSubject"] {
            for key in subject.keys.sorted() {
                let saved = subject[key]
                subject[key] = [:]
                var changed = o
                changed["credentialSubject"] = .object(subject)
                out.append(("credentialSubject.\(key)={}", .object(changed)))
                subject[key] = saved
            }
        }
        return out
    }

    @Test func examplesAndFixturesHaveTheSameVerdict() throws {
        let docs = try Self.documents()
        #expect(docs.count > 20)
        var conforming = 0
        for (schema, validator) in try Self.validators() {
            for (name, doc) in docs {
                Self.expectSameVerdict(validator, doc, "\(schema) \(name)")
                Self.expectSameVerdict(validator, OB3Schema.schemaView(of: doc), "\(schema) view of \(name)")
                if validator.conforms(OB3Schema.schemaView(of: doc)) { conforming += 1 }
            }
        }
        #expect(conforming > 5)
    }

    @Test func alteredCredentialsHaveTheSameVerdict() throws {
        let docs = try Self.documents().filter { $0.name.contains("complete") || $0.name.hasPrefix("simple.") }
        #expect(!docs.isEmpty)
        for (schema, validator) in try Self.validators() {
            for (name, doc) in docs {
                for (change, altered) in Self.alterations(of: OB3Schema.schemaView(of: doc)) {
                    Self.expectSameVerdict(validator, altered, "\(schema) \(name) \(change)")
                }
            }
        }
    }

    /// At every budget from nothing to a little more than a full check costs, both say the same (too small a
    /// budget makes both refuse the document).
    @Test func everyBudgetHasTheSameVerdict() throws {
        let doc = OB3Schema.schemaView(
            of: try TestPaths.loadJSON(
                Self.examples.appendingPathComponent(
                    "complete-openbadgecredential.json")))
        var validator = try OB3Schema.achievementCredential.validator.get()
        validator.singleValuesAsArrays = true
        #expect(validator.conforms(doc))
        var needed = 0
        for budget in stride(from: 0, through: 20_000, by: 1) {
            validator.maxEvaluations = budget
            var full = validator
            full.checksCompiledFirst = false
            let verdict = full.validate(doc).isEmpty
            #expect(validator.conforms(doc) == verdict, "budget \(budget)")
            if verdict {
                needed = budget
                break
            }
        }
        #expect(needed > 50)
    }

    /// The VC-JWT view's dates (`nbf` / `exp` written as `validFrom` / `validUntil`) are what ISO8601DateFormatter
    /// writes, whole seconds, UTC.
    @Test func claimDatesAreWrittenAsTheFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var seconds: [Double] = [0, 0.5, 59, 86_399, 86_400, 951_782_400, 951_868_799.9, 1_796_601_600, 4_107_542_399]
        seconds += [253_402_300_799, 253_402_300_800, -1, -86_400.5, 1e12]
        var t = 12_345.0
        while t < 253_402_300_800 {
            seconds.append(t)
            t = t * 1.37 + 86_399
        }
        for s in seconds {
            let expected = formatter.string(from: Date(timeIntervalSince1970: s.rounded(.down)))
            #expect(OB3Schema.dateText(s) == expected, "\(s)")
        }
    }
}
