import Foundation
import Testing

@testable import OpenBadges

/// The day of a date in Europe/Paris by arithmetic agrees with `Calendar` (around the clock changes too).
struct HumanDateTests {
    @Test func civilDayAgreesWithTheCalendar() {
        var instants: [Double] = [-1, 0, 1, 86_399, 86_400, 951_782_400, 1_796_601_600, 253_402_214_399, 1e13]
        // Every hour around the March and October changes of 2025 and 2040.
        for change in [1_743_296_400.0, 1_761_440_400, 2_216_682_000, 2_234_826_000] {
            for h in -30...30 { instants.append(change + Double(h) * 3_600 + 0.5) }
        }
        var t = -5_000_000_000.0
        while t < 253_402_214_400 {
            instants.append(t)
            t += 7_777_777.7
        }
        for s in instants {
            let date = Date(timeIntervalSince1970: s)
            let d = HumanDate.calendar.dateComponents([.year, .month, .day], from: date)
            let fast = HumanDate.civilDay(date)
            #expect(fast.year == d.year && fast.month == d.month && fast.day == d.day, "\(s): \(fast) \(d)")
        }
        #expect(HumanDate.format(Date(timeIntervalSince1970: 1_796_601_600), english: false) == "7 décembre 2026")
    }
}
