import Foundation
import Testing

@testable import InsigneServer

@Suite("Validity: ISO 8601 durations and expiry dates")
struct ValidityTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func expiry(_ duration: String, from start: String) throws -> Date {
        try Validity(duration).expiry(from: date(start))
    }

    @Test func threeYearsEighteenMonthsWeeksDays() throws {
        #expect(try Self.expiry("P3Y", from: "2026-12-07T09:30:00Z") == Self.date("2029-12-07T09:30:00Z"))
        #expect(try Self.expiry("P18M", from: "2026-12-07T09:30:00Z") == Self.date("2028-06-07T09:30:00Z"))
        #expect(try Self.expiry("P1Y6M", from: "2026-12-07T00:00:00Z") == Self.date("2028-06-07T00:00:00Z"))
        #expect(try Self.expiry("P6W", from: "2026-12-07T00:00:00Z") == Self.date("2027-01-18T00:00:00Z"))
        #expect(try Self.expiry("P90D", from: "2026-12-07T00:00:00Z") == Self.date("2027-03-07T00:00:00Z"))
        #expect(try Self.expiry("P1M1D", from: "2026-12-31T00:00:00Z") == Self.date("2027-02-01T00:00:00Z"))
    }

    /// A day past the end of the target month becomes its last day (UTC calendar).
    @Test func monthEnds() throws {
        #expect(try Self.expiry("P1M", from: "2027-01-31T12:00:00Z") == Self.date("2027-02-28T12:00:00Z"))
        #expect(try Self.expiry("P1M", from: "2028-01-31T12:00:00Z") == Self.date("2028-02-29T12:00:00Z"))
        #expect(try Self.expiry("P1Y", from: "2028-02-29T08:00:00Z") == Self.date("2029-02-28T08:00:00Z"))
        #expect(try Self.expiry("P4Y", from: "2028-02-29T08:00:00Z") == Self.date("2032-02-29T08:00:00Z"))
        // Years and months are added together: 31 Jan + 1 year 1 month is the end of February of the next year.
        #expect(try Self.expiry("P1Y1M", from: "2027-01-31T00:00:00Z") == Self.date("2028-02-29T00:00:00Z"))
    }

    @Test func canonicalTextAndLabels() throws {
        #expect(try Validity("p3y").description == "P3Y")
        #expect(try Validity(" P1Y6M ").description == "P1Y6M")
        #expect(try Validity("P3Y").label(french: true) == "3 ans")
        #expect(try Validity("P1Y").label(french: true) == "1 an")
        #expect(try Validity("P1Y6M").label(french: true) == "1 an et 6 mois")
        #expect(try Validity("P1Y6M2W").label(french: false) == "1 year, 6 months and 2 weeks")
        #expect(try Validity.optional("  ") == nil)
        #expect(try Validity.optional(nil) == nil)
    }

    @Test func refusedWithAClearMessage() throws {
        for bad in ["3Y", "P", "P3", "PY", "P1D2Y", "P3Y3Y", "P-1Y", "P1.5Y", "P0D", "P101Y", "P1H", "douze"] {
            let e = try #require(throws: ServiceError.self, "\(bad)") { try Validity(bad) }
            #expect(e.field == "validity")
            #expect(e.kind == .invalid)
        }
        let time = try #require(throws: ServiceError.self) { try Validity("PT12H") }
        #expect(time.messageFR.contains("pas en heures ni en minutes"))
        #expect(time.messageEN.contains("not hours or minutes"))
        let malformed = try #require(throws: ServiceError.self) { try Validity("3 ans") }
        #expect(malformed.messageFR.contains("n'est pas une durée ISO 8601 comme P3Y (3 ans)"))
        let long = try #require(throws: ServiceError.self) { try Validity("P1000Y") }
        #expect(long.messageFR.contains("entre un jour et cent ans"))
    }

    @Test func reminderDays() throws {
        #expect(try ReminderDays.parse("7, 90; 30") == [90, 30, 7])
        #expect(try ReminderDays.parse("") == [])
        #expect(try ReminderDays.validated([14]) == [14])
        #expect(throws: ServiceError.self) { try ReminderDays.parse("90, 90") }
        #expect(throws: ServiceError.self) { try ReminderDays.parse("0") }
        #expect(throws: ServiceError.self) { try ReminderDays.parse("dix") }
        #expect(throws: ServiceError.self) { try ReminderDays.validated(Array(1...11)) }
    }
}
