import Foundation
import Testing

@testable import InsigneServer

/// The trainers' bulk page with the CSV files people have, and its template.
@Suite("Bulk award page: CSV files and template")
struct BulkPageCSVTests {
    static let bulk = "/trainer/badges/bientraitance/bulk"

    func upload(
        _ b: WebBrowser, _ data: [UInt8], encoding: String = "automatic", filename: String = "liste.csv"
    ) async throws -> WebBrowser.Page {
        _ = try await b.get(Self.bulk)
        return try await b.postMultipart(
            Self.bulk, [("encoding", encoding)],
            files: [.init(field: "csv", filename: filename, contentType: "text/csv", data: data)])
    }

    @Test func theTemplateDownloadsAndUploadsBackCleanly() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get(Self.bulk)
            #expect(page.body.contains(#"href="/trainer/badges/bientraitance/bulk/template.csv""#))
            #expect(page.body.contains("Télécharger le modèle (CSV)"))
            #expect(page.body.contains(#"<option value="windows-1252">Windows-1252 (Excel)</option>"#))
            let template = try await b.get(Self.bulk + "/template.csv")
            #expect(template.status == .ok)
            #expect(template.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                template.headers[.contentDisposition]
                    == "attachment; filename=\"modele-attribution-bientraitance.csv\"")
            #expect(Array(template.body.utf8) == CSVAwardTemplate.bytes)
            let preview = try await upload(b, Array(template.body.utf8), filename: "modele.csv")
            #expect(preview.status == .ok, "\(preview.body)")
            #expect(preview.body.contains("Marie Durand") && preview.body.contains("Jean Martin"))
            #expect(preview.body.contains("Confirmer l&#39;attribution (2)"))
            #expect(try await b.get("/trainer/badges/unknown/bulk/template.csv").status == .notFound)
        }
    }

    @Test func excelMoodleAndUnicodeFilesArePreviewed() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let cases: [(String, [String])] = [
                ("excel-fr-windows-1252.csv", ["Élodie Lefèvre", "François Cœur"]),
                ("excel-unicode-utf16le-bom.csv", ["Zoé Martin", "Léo Dubois"]),
                ("moodle-user-export.csv", ["Anaïs Dupont", "Bao Nguyen"]),
                ("tab-separated.csv", ["Inès Roux", "Hugo Blanc"]),
            ]
            for (file, names) in cases {
                let preview = try await upload(b, try csvFixture(file))
                #expect(preview.status == .ok, "\(file): \(preview.body)")
                for name in names { #expect(preview.body.contains(name), "\(file): \(name)") }
                #expect(preview.body.contains("Confirmer l&#39;attribution (2)"), "\(file)")
            }
            let chosen = try await upload(b, try csvFixture("excel-fr-windows-1252.csv"), encoding: "windows-1252")
            #expect(chosen.body.contains("Élodie Lefèvre"))
            #expect(chosen.body.contains("Fichier lu en Windows-1252, séparateur point-virgule."))
            let moodle = try await upload(b, try csvFixture("moodle-user-export.csv"))
            #expect(
                moodle.body.contains("Fichier lu en UTF-8, séparateur virgule (export des utilisateurs de Moodle)."))
            let unicode = try await upload(b, try csvFixture("excel-unicode-utf16le-bom.csv"))
            #expect(unicode.body.contains("Fichier lu en UTF-16 LE, séparateur tabulation."))
            #expect(try await h.assertionCount() == 0)
        }
    }

    @Test func wrongEncodingAndUnknownColumnSayWhatToDo() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let utf8 = try await upload(b, try csvFixture("excel-fr-windows-1252.csv"), encoding: "utf-8")
            #expect(utf8.status == .unprocessableContent)
            #expect(utf8.body.contains(#"<option value="utf-8" selected>UTF-8</option>"#))
            #expect(
                utf8.body.contains(
                    "le fichier n&#39;est pas en UTF-8 : enregistrez-le en « CSV UTF-8 » dans Excel "
                        + "ou choisissez l&#39;encodage Windows-1252"))
            let unknown = try await upload(b, try csvFixture("unknown-column.csv"))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("Ligne 1 : colonne inconnue « Civilité » : renommez-la ou supprimez-la"))
            #expect(unknown.body.contains("Courriel (ou E-mail, Adresse électronique, Mail) obligatoire"))
        }
    }
}
