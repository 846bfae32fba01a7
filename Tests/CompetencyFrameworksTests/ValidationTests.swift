import CompetencyFrameworks
import Testing

struct ValidationTests {
    let base = CompetencyFramework(
        idNumber: "F", shortName: "Framework", scaleValues: ["No", "Yes"], scaleConfiguration: "",
        competencies: [
            Competency(idNumber: "B.1", parentIDNumber: "B", shortName: "B.1"),
            Competency(idNumber: "A", shortName: "A"),
            Competency(idNumber: "B", shortName: "B"),
            Competency(idNumber: "A.1", parentIDNumber: "A", shortName: "A.1"),
        ])

    @Test func returnsTheTreeOrderedCopy() throws {
        #expect(try base.validated().competencies.map(\.idNumber) == ["A", "A.1", "B", "B.1"])
    }

    /// Each change must be refused, with a message naming what is wrong.
    @Test(arguments: [
        ("padded id", "starts or ends with a space"),
        ("empty name", "empty Shortname"),
        ("rule outcome 4", "invalid Rule outcome “4”"),
        ("format 3", "invalid Description format “3”"),
        ("comma in scale value", "invalid item “a,b” in Scale values"),
        ("tab in name", "control character U+0009 in Shortname"),
        ("CR in description", "control character U+000D in Description"),
        ("empty parent", "parent “” matches no competency"),
        ("too many", "at most 10,000"),
    ])
    func refusesABrokenField(_ change: String, _ reason: String) throws {
        var f = base
        switch change {
        case "padded id": f.competencies[1].idNumber = "A "
        case "empty name": f.competencies[1].shortName = "  "
        case "rule outcome 4": f.competencies[1].ruleOutcome = 4
        case "format 3": f.descriptionFormat = 3
        case "comma in scale value": f.scaleValues = ["a,b"]
        case "tab in name": f.competencies[0].shortName = "a\tb"
        case "CR in description": f.competencies[0].description = "a\rb"
        case "empty parent": f.competencies[1].parentIDNumber = ""
        default:
            f.competencies = (0...10_000).map { Competency(idNumber: "C\($0)", shortName: "C") }
        }
        let error = try #require(throws: ReferentialError.self) { try f.validated() }
        #expect(error.messageEN.contains(reason), "\(error.messageEN)")
        #expect(error.line == nil)
    }

    @Test func allowsTabsAndLineFeedsInDescriptions() throws {
        var f = base
        f.competencies[0].description = "a\tb\nc"
        #expect(throws: Never.self) { try f.validated() }
    }
}
