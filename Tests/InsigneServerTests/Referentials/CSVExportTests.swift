import CompetencyFrameworks
import Foundation
import TestSupport
import Testing

@testable import InsigneServer

/// The service's CSV exports open in a spreadsheet without running anything, and shipped frameworks export as
/// they were.
@Suite("CSV exports: formula cells neutralised")
struct CSVExportTests {
    @Test func referentialExportNeutralisesFormulaCells() async throws {
        let h = try await APIHarness.make()
        let formula = #"=HYPERLINK("http://x","y")"#
        var framework = try MoodleCompetencyCSV.parse(Data(tinyCSV.utf8))
        framework.shortName = formula
        framework.competencies[0].description = "@SUM(1+1)"
        framework.competencies[1].shortName = "-2"
        _ = try h.services.db.importFramework(framework, actor: "t")
        let expected = try framework.validated()
        try await h.run { api in
            let csv = try await api.get("/referentials/hyg-1/export.csv", token: nil)
            #expect(csv.status == .ok)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(text.contains(#",HYG-1,"'=HYPERLINK(""http://x"",""y"")","#))
            #expect(text.contains(",'@SUM(1+1),"))
            #expect(text.contains(",-2,"))
            #expect(!text.contains(",=") && !text.contains(",\"=") && !text.contains(",@"))
            // The project's own import reads it back as it was.
            #expect(try MoodleCompetencyCSV.parse(Data(csv.body)) == expected)
        }
    }

    @Test func shippedFrameworksExportByteForByte() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            let csv = try await api.get("/referentials/dees-2007/export.csv", token: nil)
            let shipped = try Data(contentsOf: TestPaths.shared.appendingPathComponent("Referentials/dees-2007.csv"))
            #expect(Data(csv.body) == shipped)
        }
    }
}
