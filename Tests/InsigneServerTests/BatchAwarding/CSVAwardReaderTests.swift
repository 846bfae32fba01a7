import CSVText
import Foundation
import InsigneStore
import TestSupport
import Testing

@testable import InsigneServer

/// The bytes of `Fixtures/csv/<name>`.
func csvFixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("csv/\(name)")))
}

@Suite("Bulk award: the CSV files people have")
struct CSVAwardReaderTests {
    func read(_ bytes: [UInt8], _ encoding: CSVTextEncoding = .automatic) throws(CSVAwardReader.Failure) -> [BatchRow] {
        try CSVAwardReader.rows(bytes, maxRows: 100, encoding: encoding)
    }

    func failure(_ bytes: [UInt8], _ encoding: CSVTextEncoding = .automatic) -> CSVAwardReader.Failure? {
        do {
            _ = try read(bytes, encoding)
            return nil
        } catch { return error }
    }

    @Test func frenchExcelWindows1252IsDetectedAndNamesCombined() throws {
        let bytes = try csvFixture("excel-fr-windows-1252.csv")
        for encoding in [CSVTextEncoding.automatic, .windows1252] {
            let rows = try read(bytes, encoding)
            #expect(rows.map(\.email) == ["elodie.lefevre@example.org", "francois.coeur@example.org"])
            #expect(rows.map(\.name) == ["Élodie Lefèvre", "François Cœur"])
            #expect(rows.map(\.narrative) == ["Très bien", "Coût : 20 €"])
            // A French day is read as that day's end in Paris, and stored as YYYY-MM-DD.
            #expect(rows[0].expires == "2030-06-30")
            #expect(rows[0].expiresEndOfDay == WebDates.endOfDayParis("2030-06-30"))
            #expect(rows.allSatisfy { $0.problem == nil })
        }
        // Told UTF-8, the file is refused with what to do.
        let refused = try #require(failure(bytes, .utf8))
        #expect(
            refused.fr
                == "le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 » dans Excel "
                + "ou choisissez l'encodage Windows-1252")
        #expect(refused.en.contains("Windows-1252"))
    }

    @Test func excelUnicodeTextIsUTF16WithTabs() throws {
        let rows = try read(try csvFixture("excel-unicode-utf16le-bom.csv"))
        #expect(rows.map(\.email) == ["zoe.martin@example.org", "leo@example.org"])
        #expect(rows.map(\.name) == ["Zoé Martin", "Léo Dubois"])
        #expect(rows[0].evidence == [EvidenceRecord(id: "https://intranet.example.org/att/7")])
        #expect(rows.map(\.line) == [2, 3])
        // The same text in UTF-16 big-endian with its BOM, even when Windows-1252 was chosen: the BOM wins.
        let text = "Courriel;Nom\r\nana@example.org;Ana Lima\r\n"
        let bigEndian: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let rows16 = try read(bigEndian, .windows1252)
        #expect(rows16.map(\.name) == ["Ana Lima"])
    }

    @Test func moodleUserExportKeepsNamesAndIgnoresItsOtherColumns() throws {
        let rows = try read(try csvFixture("moodle-user-export.csv"))
        #expect(rows.map(\.email) == ["anais.dupont@example.org", "bao.nguyen@example.org"])
        #expect(rows.map(\.name) == ["Anaïs Dupont", "Bao Nguyen"])
        #expect(rows.allSatisfy { $0.problem == nil && $0.narrative == nil && $0.evidence.isEmpty })
    }

    @Test func tabSeparatedUTF8() throws {
        let rows = try read(try csvFixture("tab-separated.csv"))
        #expect(rows.map(\.email) == ["ines@example.org", "hugo@example.org"])
        #expect(rows.map(\.name) == ["Inès Roux", "Hugo Blanc"])
        #expect(rows[0].expires == "2030-01-15" && rows[1].expires == nil)
    }

    @Test func excelSeparatorLineIsSkipped() throws {
        for sep in [";", ",", "\t"] {
            let text = "sep=\(sep)\r\nCourriel\(sep)Nom complet\r\na@x.fr\(sep)Ana Lima\r\n"
            let rows = try read(Array(text.utf8))
            #expect(rows.map(\.name) == ["Ana Lima"] && rows.map(\.line) == [3], "\(sep)")
        }
    }

    @Test func unknownColumnIsNamedWithTheAcceptedOnes() throws {
        let refused = try #require(failure(try csvFixture("unknown-column.csv")))
        #expect(refused.line == 1)
        #expect(refused.fr.hasPrefix("colonne inconnue « Civilité » : renommez-la ou supprimez-la"))
        #expect(refused.fr.contains("Courriel") && refused.fr.contains("Prénom") && refused.fr.contains("Moodle"))
        #expect(refused.en.hasPrefix("unknown column \"Civilité\": rename or remove it (accepted columns: email"))
    }

    @Test func headersInFrenchOrEnglishWhateverTheirCaseAccentsAndSpaces() throws {
        let headers: [(String, CSVAwardColumns.Column)] = [
            ("Prénom", .firstName), ("PRENOM", .firstName), ("First name", .firstName), ("Nom", .lastName),
            ("Last Name", .lastName), ("Nom complet", .name), ("name", .name), ("Courriel", .email),
            ("E-mail", .email), ("Email", .email), ("Adresse électronique", .email), ("Adresse mail", .email),
            ("MAIL", .email), (" Adresse  e-mail ", .email), ("Date", .expires), ("Date d'expiration", .expires),
            ("date d’expiration", .expires), ("Preuve", .evidence), ("Lien", .evidence), ("Commentaire", .narrative),
            ("Récit", .narrative), ("idempotencyKey", .idempotencyKey),
        ]
        for (header, column) in headers {
            #expect(CSVAwardColumns.column(forHeader: header) == column, "\(header)")
        }
        // Only a last name: it is the name; a full name wins over first and last names.
        #expect(try read(Array("Courriel;Nom\na@x.fr;Durand\n".utf8)).first?.name == "Durand")
        #expect(try read(Array("Courriel;Prénom\na@x.fr;Marie\n".utf8)).first?.name == "Marie")
        let full = try read(Array("email,firstname,lastname,name\na@x.fr,M,D,Marie Durand\n".utf8))
        #expect(full.first?.name == "Marie Durand")
    }

    @Test func headerProblemsSayWhatWasFound() throws {
        let twice = try #require(failure(Array("Mail;Courriel\na@x.fr;a@x.fr\n".utf8)))
        #expect(twice.fr == "les colonnes « Mail » et « Courriel » désignent toutes deux « Courriel » : gardez-en une")
        let noAddress = try #require(failure(Array("Prénom;Nom\nMarie;Durand\n".utf8)))
        #expect(noAddress.fr.contains("(trouvé : « Prénom », « Nom »)"))
        #expect(noAddress.en.contains("(found: \"Prénom\", \"Nom\")"))
        let noHeader = try #require(failure(Array("a@x.fr;Marie\n".utf8)))
        #expect(noHeader.fr.hasPrefix("ligne d'en-tête manquante"))
        // A Moodle export without an address column is still refused.
        #expect(failure(Array("username,firstname,lastname\nu,M,D\n".utf8)) != nil)
    }

    @Test func encodingsThatCannotBeReadAreRefusedWithWhatToDo() throws {
        // Zero bytes (UTF-16 without BOM) and bytes Windows-1252 leaves undefined: neither encoding.
        let utf16NoBOM = Array("email\na@x.fr\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        for bytes in [utf16NoBOM, Array("email\n".utf8) + [0x81, 0x0A]] {
            let refused = try #require(failure(bytes))
            #expect(refused.fr.hasPrefix("le fichier n'est ni en UTF-8 ni en Windows-1252"))
            #expect(refused.fr.contains("« CSV UTF-8 »"))
            #expect(refused.en.hasPrefix("the file is neither UTF-8 nor Windows-1252"))
        }
        let chosen = try #require(failure(Array("email\n".utf8) + [0x9D, 0x0A], .windows1252))
        #expect(chosen.fr.hasPrefix("le fichier n'est pas en Windows-1252 (octet 0x9D à la position 6)"))
        let damaged = try #require(failure([0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]))
        #expect(damaged.fr.hasPrefix("le fichier UTF-16 est abîmé"))
        // Valid UTF-8 stays UTF-8 in automatic mode: `Ã©` is not guessed as Windows-1252.
        #expect(try read(Array("email,name\na@x.fr,Zoé\n".utf8)).first?.name == "Zoé")
    }

    @Test func theTemplateReadsBackCleanly() throws {
        #expect(CSVAwardTemplate.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let rows = try read(CSVAwardTemplate.bytes)
        #expect(rows.map(\.email) == ["marie.durand@example.fr", "jean.martin@example.fr"])
        #expect(rows.map(\.name) == ["Marie Durand", "Jean Martin"])
        #expect(rows.allSatisfy { $0.problem == nil })
        #expect(rows[0].expires == "2030-12-31")
        #expect(rows[0].evidence == [EvidenceRecord(id: "https://intranet.example.fr/attestations/42")])
        #expect(rows[1].narrative == "Très bon travail ; à poursuivre")
        // Saved again by French Excel as plain « CSV »: Windows-1252 without BOM, same rows.
        let resaved = Array(CSVAwardTemplate.text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        #expect(try read(resaved) == rows)
    }

    @Test func charsetOfTheAPIRequestChoosesTheEncoding() {
        #expect(BatchAwarding.csvEncoding(contentType: "text/csv") == .automatic)
        #expect(BatchAwarding.csvEncoding(contentType: "text/csv; charset=UTF-8") == .utf8)
        #expect(BatchAwarding.csvEncoding(contentType: "text/csv;charset=\"windows-1252\"") == .windows1252)
        #expect(BatchAwarding.csvEncoding(contentType: "text/csv; header=present; charset=iso-8859-1") == .windows1252)
        #expect(BatchAwarding.csvEncoding(contentType: nil) == .automatic)
    }
}
