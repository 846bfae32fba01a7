import CompetencyFrameworks
import Foundation
import TestSupport
import Testing

/// `Fixtures/referentials/<name>`.
func referential(_ name: String) throws -> Data {
    try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("referentials/\(name)"))
}

/// What each shipped file must hold, counted by hand from the files.
struct ShippedReferential: Sendable, CustomTestStringConvertible {
    var file: String
    var idNumber: String
    var topLevel: [String]
    /// Number of competencies at depth 0, 1, 2 …
    var perDepth: [Int]
    var taxonomies: [String]
    /// Whether the file already lists its rows in tree order (then export gives its bytes back).
    var inTreeOrder: Bool

    var testDescription: String { file }
}

let shippedReferentials: [ShippedReferential] = [
    ShippedReferential(
        file: "dees-2007.csv", idNumber: "DEES-2007", topLevel: ["DC1", "DC2", "DC3", "DC4"], perDepth: [4, 19, 79],
        taxonomies: ["domain", "competency", "indicator"], inTreeOrder: true),
    ShippedReferential(
        file: "c2i2.csv", idNumber: "C2i2ms", topLevel: ["MS1", "MS2", "MS3", "MS4"], perDepth: [4, 14],
        taxonomies: ["domain", "competency"], inTreeOrder: true),
    ShippedReferential(
        file: "pix.csv", idNumber: "PIX", topLevel: ["1", "2", "3", "4", "5"], perDepth: [5, 16],
        taxonomies: ["domain", "competency"], inTreeOrder: false),
    ShippedReferential(
        file: "digcomp-2.2.csv", idNumber: "DigComp-2.2", topLevel: ["1", "2", "3", "4", "5"], perDepth: [5, 21],
        taxonomies: ["domain", "competency"], inTreeOrder: true),
]

/// Where each bad file must be refused (nil: the whole file) and a piece of the English reason.
let badReferentials: [String: (line: Int?, reason: String)] = [
    "empty.csv": (nil, "empty file"),
    "blank-lines-only.csv": (nil, "empty file"),
    "not-utf8.csv": (4, "not UTF-8"),
    "missing-header.csv": (1, "looks like a data row"),
    "short-header.csv": (1, "13 columns instead of 14"),
    "wrong-column-count.csv": (4, "13 columns instead of 14"),
    "unterminated-quote.csv": (4, "unterminated quote"),
    "text-after-closing-quote.csv": (4, "after a closing quote"),
    "no-framework-row.csv": (nil, "no framework row"),
    "two-framework-rows.csv": (4, "the first is on line 2"),
    "framework-row-with-parent.csv": (3, "has a parent"),
    "bad-is-framework.csv": (4, "invalid Is framework “yes”"),
    "empty-id-number.csv": (4, "empty Id number"),
    "duplicate-id-number.csv": (5, "“D1.1” already used on line 4"),
    "id-number-too-long.csv": (4, "Id number too long (101 characters"),
    "shortname-too-long.csv": (4, "Shortname too long (101 characters"),
    "empty-shortname.csv": (4, "empty Shortname"),
    "unknown-parent.csv": (5, "parent “D9” matches no competency"),
    "parent-is-framework.csv": (3, "is the framework itself"),
    "parent-cycle.csv": (4, "cycle (D2 → D2.1 → D2,"),
    "self-parent.csv": (4, "cycle (D2 → D2,"),
    "bad-description-format.csv": (4, "invalid Description format “3”"),
    "non-numeric-description-format.csv": (4, "invalid Description format “html”"),
    "bad-rule-outcome.csv": (4, "invalid Rule outcome “complete”"),
    "no-scale-values.csv": (2, "no Scale values"),
    "bad-scale-configuration.csv": (2, "Scale configuration is not valid JSON"),
    "control-character.csv": (4, "control character U+0007 in Shortname"),
]

struct MoodleCompetencyCSVTests {
    @Test(arguments: shippedReferentials)
    func importsShippedReferential(_ expected: ShippedReferential) throws {
        let framework = try MoodleCompetencyCSV.parse(try referential(expected.file))
        #expect(framework.idNumber == expected.idNumber)
        #expect(framework.taxonomies == expected.taxonomies)
        #expect(framework.scaleValues == ["Not yet competent", "Competent"])
        #expect(framework.descriptionFormat == 1)
        #expect(framework.children(of: nil).map(\.idNumber) == expected.topLevel)
        var perDepth: [Int] = []
        for c in framework.competencies {
            let depth = framework.depth(of: c.idNumber)
            while perDepth.count <= depth { perDepth.append(0) }
            perDepth[depth] += 1
        }
        #expect(perDepth == expected.perDepth)
        #expect(framework.competencies.count == expected.perDepth.reduce(0, +))
    }

    @Test(arguments: shippedReferentials)
    func listsShippedCompetenciesInTreeOrder(_ expected: ShippedReferential) throws {
        let framework = try MoodleCompetencyCSV.parse(try referential(expected.file))
        var seen: Set<String> = []
        for c in framework.competencies {
            if let parent = c.parentIDNumber { #expect(seen.contains(parent), "\(c.idNumber) before its parent") }
            seen.insert(c.idNumber)
        }
        // Each subtree is contiguous: a competency's parent is on the path from the top to the previous one.
        var path: [String?] = [nil]
        for c in framework.competencies {
            while let last = path.last, last != c.parentIDNumber { path.removeLast() }
            guard !path.isEmpty else {
                Issue.record("\(c.idNumber) comes after its parent's subtree")
                return
            }
            path.append(c.idNumber)
        }
    }

    @Test(arguments: shippedReferentials)
    func roundTripsShippedReferentialByteForByte(_ expected: ShippedReferential) throws {
        let original = try referential(expected.file)
        let framework = try MoodleCompetencyCSV.parse(original)
        let exported = MoodleCompetencyCSV.export(framework)
        #expect(try MoodleCompetencyCSV.parse(exported) == framework)
        #expect(MoodleCompetencyCSV.export(try MoodleCompetencyCSV.parse(exported)) == exported)
        if expected.inTreeOrder {
            #expect(exported == original)
        } else {
            #expect(exported != original)
            #expect(exported.count == original.count)
        }
    }

    @Test func readsSemicolonCRLFAndBOMLikeCommaLF() throws {
        let comma = try MoodleCompetencyCSV.parse(try referential("good/comma-lf.csv"))
        let semicolon = try MoodleCompetencyCSV.parse(try referential("good/semicolon-crlf-bom.csv"))
        #expect(semicolon == comma)
        #expect(comma.competencies[0].description.contains("\n<li>premier point ; virgule, \"guillemets\"</li>\n"))
        #expect(!semicolon.competencies[0].description.contains("\r"))
    }

    @Test func readsRowsInAnyOrderIntoTreeOrder() throws {
        let shuffled = try MoodleCompetencyCSV.parse(try referential("good/out-of-order.csv"))
        #expect(shuffled.competencies.map(\.idNumber) == ["A", "A.1", "A.1.1", "A.2", "B", "B.1"])
        #expect(shuffled == (try MoodleCompetencyCSV.parse(try referential("good/comma-lf.csv"))))
    }

    @Test func readsEveryColumnOfTheSmallFramework() throws {
        let f = try MoodleCompetencyCSV.parse(try referential("good/comma-lf.csv"))
        #expect(f.idNumber == "MINI")
        #expect(f.shortName == "Mini référentiel ; test")
        #expect(f.description == "<p>Un référentiel minimal,\nsur deux lignes.</p>")
        #expect(f.scaleConfiguration == #"[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]"#)
        #expect(f.taxonomies == ["domain", "competency", "indicator"])
        let a2 = try #require(f.competencies.first { $0.idNumber == "A.2" })
        #expect(a2.ruleType == #"core_competency\competency_rule_all"#)
        #expect(a2.ruleOutcome == 1)
        #expect(a2.description == "")
        let b1 = try #require(f.competencies.first { $0.idNumber == "B.1" })
        #expect(b1.relatedIDNumbers == ["A.1", "A.2"])
        #expect(b1.descriptionFormat == 4)
        #expect(b1.exportID == "6")
        #expect(b1.ruleConfig == "null")
        #expect(f.competencies.first { $0.idNumber == "A.1.1" }?.descriptionFormat == 2)
    }

    @Test func exportsTheSmallFrameworkAsItsFile() throws {
        let file = try referential("good/comma-lf.csv")
        for name in ["good/comma-lf.csv", "good/semicolon-crlf-bom.csv", "good/out-of-order.csv"] {
            #expect(MoodleCompetencyCSV.export(try MoodleCompetencyCSV.parse(try referential(name))) == file, "\(name)")
        }
    }

    @Test func exportsQuotingOnlyWhenNeeded() {
        let framework = CompetencyFramework(
            idNumber: "F", shortName: "Say \"hi\"", description: "a\nb", descriptionFormat: 2,
            scaleValues: ["No", "Yes"], scaleConfiguration: "", taxonomies: ["level"],
            competencies: [
                Competency(idNumber: "C2", parentIDNumber: "C1", shortName: "x;y", exportID: "7"),
                Competency(idNumber: "C1", shortName: "a, b", description: "", relatedIDNumbers: ["C2"]),
            ])
        let expected = [
            MoodleCompetencyCSV.header.joined(separator: ","),
            #",F,"Say ""hi""","a"#,
            #"b",2,"No,Yes",,,,,,,1,level"#,
            #",C1,"a, b",,1,,,,0,null,C2,,,"#,
            #"C1,C2,x;y,,1,,,,0,null,,7,,"#,
            "",
        ].joined(separator: "\n")
        #expect(String(decoding: MoodleCompetencyCSV.export(framework), as: UTF8.self) == expected)
    }

    @Test func roundTripsAwkwardText() throws {
        let framework = CompetencyFramework(
            idNumber: "Ünï-1", shortName: " spaced ; \"quoted\", comma ", description: "<p>a\r\nb</p>\n\tc",
            descriptionFormat: 0, scaleValues: ["Pas encore", "Acquis", "Expert"],
            scaleConfiguration: #"[{"scaleid":"3"}]"#, taxonomies: [],
            competencies: [
                Competency(
                    idNumber: "1", shortName: "\"", description: "\n", ruleOutcome: 3, ruleConfig: "",
                    relatedIDNumbers: ["2", "x y"], exportID: "e,1"),
                Competency(
                    idNumber: "2", parentIDNumber: "1", shortName: "é,", scaleValues: ["a b"],
                    scaleConfiguration: "null", ruleType: "t"),
            ])
        // A CR inside a description is refused: use the LF form for the round trip.
        var lf = framework
        lf.description = "<p>a\nb</p>\n\tc"
        let exported = MoodleCompetencyCSV.export(lf)
        #expect(try MoodleCompetencyCSV.parse(exported) == lf)
        #expect(MoodleCompetencyCSV.export(try MoodleCompetencyCSV.parse(exported)) == exported)
    }

    @Test func neutralisesFormulaCellsOnExport() throws {
        let formula = #"=HYPERLINK("http://x","y")"#
        let framework = CompetencyFramework(
            idNumber: "F", shortName: formula, description: "@SUM(A1)", descriptionFormat: 2,
            scaleValues: ["Non", "Oui"], scaleConfiguration: "", taxonomies: [],
            competencies: [Competency(idNumber: "C1", shortName: "+1+1", description: "- premier point")])
        let exported = MoodleCompetencyCSV.export(framework)
        let text = String(decoding: exported, as: UTF8.self)
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows[1] == #",F,"'=HYPERLINK(""http://x"",""y"")",'@SUM(A1),2,"Non,Oui",,,,,,,1,"#)
        #expect(rows[2] == ",C1,'+1+1,'- premier point,1,,,,0,null,,,,")
        for cell in text.split(whereSeparator: { $0 == "," || $0 == "\n" }) {
            let bare = cell.hasPrefix("\"") ? cell.dropFirst() : cell
            #expect(bare.first.map { !"=+@\t\r".contains($0) } ?? true, "\(cell)")
        }
        #expect(try MoodleCompetencyCSV.parse(exported) == framework)
    }

    @Test func roundTripsNegativeNumbersThroughImport() throws {
        let framework = CompetencyFramework(
            idNumber: "-2", shortName: "-2", description: "-2", descriptionFormat: 2,
            scaleValues: ["-2", "-1", "0", "+1"], scaleConfiguration: "", taxonomies: [],
            competencies: [
                Competency(
                    idNumber: "C1", shortName: "-2", description: "-1 point", scaleValues: ["-2"], ruleOutcome: 2)
            ])
        let exported = MoodleCompetencyCSV.export(framework)
        let rows = String(decoding: exported, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(rows[1] == #",-2,-2,-2,2,"'-2,-1,0,+1",,,,,,,1,"#)
        #expect(rows[2] == ",C1,-2,'-1 point,1,-2,,,2,null,,,,")
        let back = try MoodleCompetencyCSV.parse(exported)
        #expect(back == framework)
        #expect(MoodleCompetencyCSV.export(back) == exported)
    }

    @Test func acceptsEmptyFormatAndOutcomeAsDefaults() throws {
        let csv =
            MoodleCompetencyCSV.header.joined(separator: ",") + "\n"
            + ",F,Framework,,,Yes,,,,,,,1,\n"
            + ",C,Competency,,,,,,,,,,0,\n"
        let f = try MoodleCompetencyCSV.parse(Data(csv.utf8))
        #expect(f.descriptionFormat == 1)
        #expect(f.competencies.first?.descriptionFormat == 1)
        #expect(f.competencies.first?.ruleOutcome == 0)
        #expect(f.competencies.first?.ruleConfig == "")
    }

    @Test func acceptsAHeaderWithOtherColumnNames() throws {
        let header = "Parent,Id,Name,Text,Format,Scale,Config,Rule,Outcome,Rule config,Related,Export,Framework?,Levels"
        let csv = header + "\n,F,Framework,,1,Yes,,,,,,,1,\n"
        #expect(try MoodleCompetencyCSV.parse(Data(csv.utf8)).idNumber == "F")
    }

    @Test func hasMoodlesFourteenColumns() {
        #expect(
            MoodleCompetencyCSV.header.joined(separator: ",") == """
                Parent id number,Id number,Shortname,Description,Description format,Scale values,Scale configuration,\
                Rule type (optional),Rule outcome (optional),Rule config (optional),\
                Cross referenced competency id numbers,Exported id (optional),Is framework,Taxonomy
                """)
    }

    @Test func coversEveryBadFile() throws {
        let directory = TestPaths.fixtures.appendingPathComponent("referentials/bad")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
        #expect(Set(files) == Set(badReferentials.keys))
    }

    @Test(arguments: badReferentials.keys.sorted())
    func refusesBadFile(_ name: String) throws {
        let expected = try #require(badReferentials[name])
        let data = try referential("bad/\(name)")
        let error = try #require(throws: ReferentialError.self) { try MoodleCompetencyCSV.parse(data) }
        #expect(error.line == expected.line)
        #expect(error.messageEN.contains(expected.reason), "\(error.messageEN)")
        #expect(!error.messageFR.isEmpty && !error.messageEN.isEmpty)
        #expect(error.messageFR != error.messageEN)
        if let line = expected.line {
            #expect(error.messageFR.hasPrefix("Ligne \(line) : "))
            #expect(error.messageEN.hasPrefix("Line \(line): "))
        }
    }

    @Test func refusesMoreThanTheRowLimit() throws {
        var csv = MoodleCompetencyCSV.header.joined(separator: ",") + "\n,F,Framework,,1,Yes,,,,,,,1,\n"
        for i in 1...10_000 { csv += ",C\(i),Competency \(i),,1,,,,0,null,,,,\n" }
        #expect(try MoodleCompetencyCSV.parse(Data(csv.utf8)).competencies.count == 10_000)
        csv += ",C10001,One too many,,1,,,,0,null,,,,\n"
        let error = try #require(throws: ReferentialError.self) { try MoodleCompetencyCSV.parse(Data(csv.utf8)) }
        #expect(error.line == 10_003)
        #expect(error.messageEN.contains("at most 10,001"))
        #expect(error.messageFR.contains("au plus 10 001"))
    }

    @Test func refusesAFileAboveFiveMebibytes() throws {
        let data = Data(repeating: UInt8(ascii: " "), count: 5 * 1024 * 1024 + 1)
        let error = try #require(throws: ReferentialError.self) { try MoodleCompetencyCSV.parse(data) }
        #expect(error.line == nil)
        #expect(error.messageEN.contains("5 MiB"))
        #expect(error.messageFR.contains("5 Mo"))
    }

    @Test func reportsTheLineWhereAMultiLineRecordStarts() throws {
        let csv =
            MoodleCompetencyCSV.header.joined(separator: ",") + "\n,F,Framework,\"a\nb\nc\",1,Yes,,,,,,,1,\n"
            + "\n,C,Competency,\"x\r\ny\",1,,,,0,null,,,,\n,C,Again,,1,,,,0,null,,,,\n"
        let error = try #require(throws: ReferentialError.self) { try MoodleCompetencyCSV.parse(Data(csv.utf8)) }
        #expect(error.line == 8)
        #expect(error.messageEN.contains("already used on line 6"))
    }
}
