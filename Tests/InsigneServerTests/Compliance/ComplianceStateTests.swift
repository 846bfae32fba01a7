import CSVText
import Foundation
import InsigneStore
import OpenBadges
import Testing

@testable import InsigneServer

@Suite("Compliance: states and CSV reading")
struct ComplianceStateTests {
    static let now = ComplianceFixture.now
    static let day = 86_400.0

    static func state(_ award: Bool, _ expiresIn: Double?) -> Compliance.State {
        Compliance.state(
            hasAward: award, expires: expiresIn.map { now.addingTimeInterval($0) }, now: now, windowDays: 90)
    }

    @Test func statesAtTheirBoundaries() {
        #expect(Self.state(false, nil) == .missing)
        #expect(Self.state(true, nil) == .valid)
        #expect(Self.state(true, 90 * Self.day + 1) == .valid)
        #expect(Self.state(true, 90 * Self.day) == .expiringSoon)
        #expect(Self.state(true, 1) == .expiringSoon)
        #expect(Self.state(true, 0) == .expired)
        #expect(Self.state(true, -1) == .expired)
    }

    @Test func reminderWindowIsTheLargestThreshold() {
        func badge(_ days: [Int]) -> BadgeClassRecord {
            BadgeClassRecord(
                id: "b", issuerID: "i", name: "B", description: "", criteriaNarrative: "", imageData: Data(),
                imageType: "png", validity: "P3Y", reminderDays: days, createdAt: Self.now)
        }
        #expect(Compliance.reminderWindowDays(badge([90, 30, 7])) == 90)
        #expect(Compliance.reminderWindowDays(badge([60, 14])) == 60)
        #expect(Compliance.reminderWindowDays(badge([7, 120])) == 120)
        #expect(Compliance.reminderWindowDays(badge([])) == 90)
    }

    @Test func formulaSafeCells() {
        #expect(Compliance.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(Compliance.cell("+33 6") == "'+33 6")
        #expect(Compliance.cell("-1") == "'-1")
        #expect(Compliance.cell("@SUM") == "'@SUM")
        #expect(Compliance.cell("\tx") == "'\tx")
        #expect(Compliance.cell("a;b") == "\"a;b\"")
        #expect(Compliance.cell("Léa") == "Léa")
    }

    static func rows(_ text: [UInt8]) throws -> [RosterCSVReader.Line] {
        try RosterCSVReader.read(text).lines
    }

    @Test func readsMoodleExport() throws {
        let csv =
            "username,firstname,lastname,email,city,institution\r\n"
            + "lmartin,Léa,Martin,lea.martin@example.org,Lyon,Foyers\r\n"
            + "jpetit,Jean,Petit,jean@example.org,,\r\n"
        let lines = try Self.rows(Array(csv.utf8))
        #expect(lines.count == 2)
        #expect(
            lines[0].row
                == RosterImportRow(
                    line: 2, firstName: "Léa", lastName: "Martin", emails: ["lea.martin@example.org"],
                    externalID: "lmartin"))
        #expect(lines[1].row?.externalID == "jpetit")
    }

    @Test func readsFrenchSemicolonFileWithExtraAddressesAndBadLines() throws {
        let csv =
            "\u{FEFF}Prénom;Nom;Courriel;Commentaire\r\n"
            + "Léa;Martin;lea@example.org | lea.perso@example.org;ignoré\r\n"
            + ";;;\r\n"
            + "Jean;Petit;pas-une-adresse;\r\n"
            + "Paul;Durand;;\r\n"
            + ";;anonyme@example.org;\r\n"
        let lines = try Self.rows(Array(csv.utf8))
        #expect(lines.map(\.line) == [2, 4, 5, 6])
        #expect(lines[0].row?.emails == ["lea@example.org", "lea.perso@example.org"])
        #expect(lines[1].problem?.messageFR.contains("pas-une-adresse") == true)
        #expect(lines[2].problem?.messageEN.hasSuffix("address missing") == true)
        #expect(lines[3].problem?.messageEN.hasSuffix("name missing") == true)
    }

    @Test func readsWindows1252() throws {
        var bytes = Array("Prénom;Nom;Courriel\r\n".utf8)
        bytes =
            Array("Pr".utf8) + [0xE9] + Array("nom;Nom;Courriel\r\nL".utf8) + [0xE9] + Array("a;Lef".utf8)
            + [0xE8] + Array("vre;lea@example.org\r\n".utf8)
        let lines = try Self.rows(bytes)
        #expect(lines.first?.row?.firstName == "Léa")
        #expect(lines.first?.row?.lastName == "Lefèvre")
    }

    @Test func refusesUnknownColumnsAndFilesWithoutAddress() {
        #expect(throws: CSVAwardReader.Failure.self) { try Self.rows(Array("Prénom;Nom;Couleur\r\nA;B;C\r\n".utf8)) }
        #expect(throws: CSVAwardReader.Failure.self) { try Self.rows(Array("Prénom;Nom\r\nA;B\r\n".utf8)) }
        #expect(throws: CSVAwardReader.Failure.self) { try Self.rows(Array("".utf8)) }
    }
}
