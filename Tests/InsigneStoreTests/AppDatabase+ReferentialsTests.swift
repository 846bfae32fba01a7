import CompetencyFrameworks
import Foundation
import GRDB
import TestSupport
import Testing

@testable import InsigneStore

/// Importing referentials into the store: first import, re-import of a changed file, refusals.
@Suite("Referential import")
struct ReferentialImportTests {
    static func dees() throws -> CompetencyFramework {
        let url = TestPaths.shared.appendingPathComponent("Referentials/dees-2007.csv")
        return try MoodleCompetencyCSV.parse(try Data(contentsOf: url))
    }

    @Test func importsTheDEESTree() throws {
        let db = try AppDatabase.inMemory()
        let s = try db.importFramework(try Self.dees(), actor: "test")
        #expect(s.created)
        #expect(s.framework.id == "dees-2007")
        #expect(s.framework.idNumber == "DEES-2007")
        #expect(s.added == 4 + 19 + 79)
        #expect(s.updated == 0 && s.retired == 0)
        let items = try db.competencies(frameworkID: "dees-2007")
        #expect(items.map(\.depth).filter { $0 == 0 }.count == 4)
        #expect(items.map(\.depth).filter { $0 == 1 }.count == 19)
        #expect(items.map(\.depth).filter { $0 == 2 }.count == 79)
        let c = try #require(try db.competency(frameworkID: "dees-2007", idNumber: "DC1.1.1"))
        #expect(c.parentIDNumber == "DC1.1")
        #expect(items.first?.idNumber == "DC1")
        #expect(try db.coreFramework(id: "dees-2007") == (try Self.dees()))
        #expect(
            try db.frameworkCounts()["dees-2007"] == FrameworkCounts(current: 102, retired: 0, byDepth: [4, 19, 79]))
        #expect(try db.framework(reference: "DEES-2007")?.id == "dees-2007")
        #expect(try db.searchCompetencies("écoute attentive").map(\.idNumber) == ["DC1.1.3"])
    }

    @Test func reimportUpdatesAndRetiresWithoutDeleting() throws {
        let db = try AppDatabase.inMemory()
        _ = try db.importFramework(try Self.dees(), actor: "test")
        var changed = try Self.dees()
        changed.shortName = "DEES 2007 (révisé)"
        changed.competencies.removeAll { $0.idNumber == "DC1.1.4" }
        let i = try #require(changed.competencies.firstIndex { $0.idNumber == "DC1.1.1" })
        changed.competencies[i].shortName = "Recueillir et analyser des informations"
        let s = try db.importFramework(changed, actor: "test")
        #expect(!s.created)
        #expect(s.framework.id == "dees-2007")
        #expect(s.framework.shortName == "DEES 2007 (révisé)")
        #expect(s.added == 0)
        #expect(s.updated >= 1)
        #expect(s.retired == 1)
        #expect(s.added + s.updated + s.unchanged == 101)
        #expect(try db.frameworks().count == 1)
        // The retired item is kept (a badge aligned to its URL still finds it), flagged, and left out of exports.
        let gone = try #require(try db.competency(frameworkID: "dees-2007", idNumber: "DC1.1.4"))
        #expect(gone.retiredAt != nil)
        #expect(try db.coreFramework(id: "dees-2007")?.competencies.contains { $0.idNumber == "DC1.1.4" } == false)
        #expect(
            try db.competency(frameworkID: "dees-2007", idNumber: "DC1.1.1")?.shortName
                == "Recueillir et analyser des informations")
        // Importing the original again brings it back.
        let back = try db.importFramework(try Self.dees(), actor: "test")
        #expect(back.retired == 0)
        #expect(try db.competency(frameworkID: "dees-2007", idNumber: "DC1.1.4")?.retiredAt == nil)
        let audit = try db.writer.read { db in
            try AuditEventRecord.filter { $0.action == "framework.reimport" }.fetchCount(db)
        }
        #expect(audit == 2)
    }

    @Test func refusedFrameworkStoresNothing() throws {
        let db = try AppDatabase.inMemory()
        var duplicate = try Self.dees()
        duplicate.competencies.append(duplicate.competencies[3])
        #expect(throws: ReferentialError.self) { try db.importFramework(duplicate, actor: "test") }
        var orphan = try Self.dees()
        orphan.competencies[5].parentIDNumber = "DC9"
        #expect(throws: ReferentialError.self) { try db.importFramework(orphan, actor: "test") }
        #expect(try db.frameworks().isEmpty)
        #expect(try db.writer.read { db in try CompetencyRecord.fetchCount(db) } == 0)
        // A refused re-import leaves the stored version untouched.
        _ = try db.importFramework(try Self.dees(), actor: "test")
        duplicate.shortName = "changed"
        #expect(throws: ReferentialError.self) { try db.importFramework(duplicate, actor: "test") }
        #expect(try db.framework(id: "dees-2007")?.shortName == (try Self.dees()).shortName)
        #expect(try db.competencies(frameworkID: "dees-2007").count == 102)
    }

    @Test func slugsStayUniqueAcrossIdNumbers() throws {
        let db = try AppDatabase.inMemory()
        var a = try Self.dees()
        a.competencies = []
        var b = a
        b.idNumber = "dees 2007"
        #expect(try db.importFramework(a, actor: "t").framework.id == "dees-2007")
        #expect(try db.importFramework(b, actor: "t").framework.id == "dees-2007-2")
    }
}
