import Foundation
import OpenBadges
import Testing

@testable import InsigneServer

/// The one date formatter of the server: long dates from the core's `HumanDate`, short ones from formatters created
/// once, every one in Europe/Paris, French and English.
@Suite("Dates: one formatter per language")
struct WebDatesTests {
    /// 7 December 2026, 14:05 in Paris (13:05 UTC).
    static let winter = Date(timeIntervalSince1970: 1_796_648_700)
    /// 15 August 2026, 00:30 in Paris (22:30 UTC the day before).
    static let summer = Date(timeIntervalSince1970: 1_786_746_600)

    @Test func longDatesAreTheCoresRule() {
        #expect(WebDates.long(Self.winter, english: false) == "7 décembre 2026")
        #expect(WebDates.long(Self.winter, english: true) == "7 December 2026")
        #expect(WebDates.long(Self.summer, english: false) == "15 août 2026")
        #expect(WebDates.long("2026-12-01T10:00:00Z", english: false) == "1er décembre 2026")
        #expect(WebDates.long("demain", english: false) == "demain")
        #expect(WebDates.long(nil, english: true) == nil)
    }

    @Test func shortDatesWithAndWithoutTime() {
        #expect(WebDates.display(Self.winter, english: false) == "7 déc. 2026 à 14:05")
        #expect(WebDates.display(Self.winter, english: true) == "7 Dec 2026, 14:05")
        #expect(WebDates.display(Self.winter, english: false, time: false) == "7 déc. 2026")
        #expect(WebDates.display(Self.winter, english: true, time: false) == "7 Dec 2026")
        #expect(WebDates.display(Self.summer, english: true) == "15 Aug 2026, 00:30")
        #expect(WebDates.display(obDate: "2026-12-07T13:05:00Z", english: false) == "7 déc. 2026 à 14:05")
        #expect(WebDates.display(obDate: "pas une date", english: false) == "pas une date")
        #expect(WebDates.display(obDate: nil, english: false) == nil)
    }

    @Test func fixedFormatsAndTheEvidenceNote() {
        #expect(WebDates.mailHeader(Self.winter) == "Mon, 07 Dec 2026 13:05:00 +0000")
        #expect(WebDates.fileStamp(Self.winter) == "20261207-130500")
        #expect(WebDates.todayParis().range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil)
        #expect(
            IssuingService.defaultEvidenceNote(issuer: "Foyers La Maison", now: Self.winter)
                == "Preuves examinées par Foyers La Maison le 7 décembre 2026. / "
                + "Evidence reviewed by Foyers La Maison on 7 December 2026.")
    }

    @Test func formattersAreSharedSafelyAcrossTasks() async {
        let results = await withTaskGroup(of: String.self) { group in
            for i in 0..<64 {
                group.addTask { WebDates.display(Self.winter, english: i % 2 == 0, time: i % 3 == 0) }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(results.count == 4)
    }
}
