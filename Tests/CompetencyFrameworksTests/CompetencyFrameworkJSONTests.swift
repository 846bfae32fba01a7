import CompetencyFrameworks
import Foundation
import Testing

struct CompetencyFrameworkJSONTests {
    /// A small framework as JSON, written by hand; `competencies` is spliced in.
    func json(competencies: String) -> Data {
        Data(
            """
            {"idNumber": "F", "shortName": "Framework", "description": "", "descriptionFormat": 1,
             "scaleValues": ["No", "Yes"], "scaleConfiguration": "", "taxonomies": ["domain"],
             "competencies": [\(competencies)]}
            """.utf8)
    }

    func competency(_ id: String, parent: String? = nil) -> String {
        let parentKey = parent.map { #""parentIDNumber": "\#($0)", "# } ?? ""
        return """
            {\(parentKey)"idNumber": "\(id)", "shortName": "Name \(id)", "description": "", "descriptionFormat": 1,
             "scaleValues": [], "scaleConfiguration": "", "ruleType": "", "ruleOutcome": 0, "ruleConfig": "null",
             "relatedIDNumbers": [], "exportID": ""}
            """
    }

    @Test(arguments: shippedReferentials)
    func roundTripsShippedReferential(_ expected: ShippedReferential) throws {
        let framework = try MoodleCompetencyCSV.parse(try referential(expected.file))
        let encoded = CompetencyFrameworkJSON.encode(framework)
        #expect(try CompetencyFrameworkJSON.decode(encoded) == framework)
        #expect(CompetencyFrameworkJSON.encode(try CompetencyFrameworkJSON.decode(encoded)) == encoded)
    }

    @Test func decodesHandWrittenJSONIntoTreeOrder() throws {
        let data = json(
            competencies: [competency("A.1", parent: "A"), competency("B"), competency("A")]
                .joined(separator: ","))
        let framework = try CompetencyFrameworkJSON.decode(data)
        #expect(framework.competencies.map(\.idNumber) == ["B", "A", "A.1"])
        #expect(framework.competencies[2].parentIDNumber == "A")
        #expect(framework.scaleValues == ["No", "Yes"])
    }

    @Test func encodesWithSortedKeysAndNoParentAtTheTop() throws {
        let text = String(
            decoding: CompetencyFrameworkJSON.encode(
                try CompetencyFrameworkJSON.decode(
                    json(competencies: competency("A") + "," + competency("A.1", parent: "A")))), as: UTF8.self)
        #expect(text.components(separatedBy: "parentIDNumber").count == 2)
        let keys = ["competencies", "description", "descriptionFormat", "idNumber", "scaleConfiguration"]
        let positions = keys.map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.contains("\n"))
    }

    @Test func refusesADuplicateID() throws {
        let data = json(
            competencies: [competency("A"), competency("A.1", parent: "A"), competency("A.1")]
                .joined(separator: ","))
        let error = try #require(throws: ReferentialError.self) { try CompetencyFrameworkJSON.decode(data) }
        #expect(error.line == nil)
        #expect(error.messageEN.contains("“A.1” used twice"), "\(error.messageEN)")
        #expect(error.messageFR.contains("« A.1 »"), "\(error.messageFR)")
    }

    @Test func refusesTheFrameworkIDReusedByACompetency() throws {
        let error = try #require(throws: ReferentialError.self) {
            try CompetencyFrameworkJSON.decode(json(competencies: competency("F")))
        }
        #expect(error.messageEN.contains("“F” used twice"), "\(error.messageEN)")
    }

    @Test func refusesAnUnknownParent() throws {
        let data = json(competencies: competency("A") + "," + competency("B.1", parent: "B"))
        let error = try #require(throws: ReferentialError.self) { try CompetencyFrameworkJSON.decode(data) }
        #expect(error.line == nil)
        #expect(error.messageEN.contains("competency “B.1”: parent “B” matches no competency"), "\(error.messageEN)")
        #expect(error.messageFR.contains("compétence « B.1 »"), "\(error.messageFR)")
    }

    @Test func refusesACycle() throws {
        let data = json(
            competencies: competency("A", parent: "C") + "," + competency("B", parent: "A") + ","
                + competency("C", parent: "B"))
        let error = try #require(throws: ReferentialError.self) { try CompetencyFrameworkJSON.decode(data) }
        #expect(error.messageEN.contains("A → C → B → A"), "\(error.messageEN)")
    }

    @Test func refusesAMissingField() throws {
        let data = Data(#"{"idNumber": "F", "shortName": "Framework"}"#.utf8)
        let error = try #require(throws: ReferentialError.self) { try CompetencyFrameworkJSON.decode(data) }
        #expect(error.messageEN.contains("missing field"), "\(error.messageEN)")
    }

    @Test func refusesNonJSON() throws {
        let error = try #require(throws: ReferentialError.self) { try CompetencyFrameworkJSON.decode(Data("{".utf8)) }
        #expect(!error.messageFR.isEmpty && !error.messageEN.isEmpty)
    }
}
