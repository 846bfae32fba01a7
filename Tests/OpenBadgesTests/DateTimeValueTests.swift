import Foundation
import OpenBadges
import Testing

/// OB 2.0 DateTime: ISO 8601 with a time and a mandatory time-zone designator.
struct DateTimeValueTests {
    /// 2016-12-31T23:59:59Z as a Unix timestamp.
    static let reference: TimeInterval = 1_483_228_799

    @Test(arguments: [
        ("2016-12-31T23:59:59Z", 0.0),
        ("2016-12-31T23:59:59z", 0.0),
        ("2016-12-31t23:59:59Z", 0.0),
        ("2016-12-31T23:59:59+00:00", 0.0),
        ("2016-12-31T23:59:59-00:00", 0.0),
        ("2017-01-01T00:59:59+01:00", 0.0),
        ("2017-01-01T00:59:59+0100", 0.0),
        ("2017-01-01T00:59:59+01", 0.0),
        ("2016-12-31T18:29:59-05:30", 0.0),
        ("2016-12-31T23:59:59.5Z", 0.5),
        ("2016-12-31T23:59:59.125+00:00", 0.125),
        ("2017-01-01T00:59:59.25+01:00", 0.25),
    ])
    func acceptsTimeZoneForms(_ text: String, _ fraction: Double) throws {
        let d = try #require(DateTimeValue(text))
        #expect(d.text == text)
        #expect(abs(d.date.timeIntervalSince1970 - (Self.reference + fraction)) < 1e-6)
    }

    @Test(arguments: [
        "2016-12-31T23:59:59",  // no time zone
        "2016-12-31T23:59:59.123",  // no time zone, with fraction
        "2016-12-31",  // date only
        "2016-12-31T23:59Z",  // no seconds
        "2016-12-31 23:59:59Z",  // space instead of T
        "2017-02-30T00:00:00Z",  // 30 February
        "2017-02-29T00:00:00Z",  // non-leap 29 February
        "1900-02-29T00:00:00Z",  // century, not leap
        "2016-04-31T00:00:00Z",  // April has 30 days
        "2016-13-01T00:00:00Z", "2016-00-10T00:00:00Z", "2016-01-00T00:00:00Z", "2016-01-32T00:00:00Z",
        "2016-12-31T24:00:00Z", "2016-12-31T23:60:00Z", "2016-12-31T23:59:61Z",
        "2016-12-31T23:59:59+24:00", "2016-12-31T23:59:59+01:60", "2016-12-31T23:59:59+1",
        "2016-12-31T23:59:59+01:0", "2016-12-31T23:59:59+01:", "2016-12-31T23:59:59+",
        "2016-12-31T23:59:59.Z", "2016-12-31T23:59:59ZZ", "2016-12-31T23:59:59Z ", " 2016-12-31T23:59:59Z",
        "2016-12-31T23:59:59 Z", "2016-12-31T23:59:59UTC", "16-12-31T23:59:59Z", "2016-1-31T23:59:59Z",
        "1483228799", "garbage", "", "２０１６-12-31T23:59:59Z",
    ])
    func refusesMalformedDateTimes(_ text: String) {
        #expect(DateTimeValue(text) == nil)
    }

    @Test func acceptsLeapDays() throws {
        #expect(DateTimeValue("2016-02-29T12:00:00Z") != nil)
        #expect(DateTimeValue("2000-02-29T12:00:00Z") != nil)
        let d = try #require(DateTimeValue("2024-02-29T00:00:00Z"))
        #expect(d.date.timeIntervalSince1970 == 1_709_164_800)
    }

    @Test func comparesInstantsAcrossOffsets() throws {
        let utc = try #require(DateTimeValue("2016-12-31T23:00:00Z"))
        let paris = try #require(DateTimeValue("2017-01-01T00:00:00+01:00"))
        let newYork = try #require(DateTimeValue("2016-12-31T18:00:01-05:00"))
        #expect(utc.date == paris.date)
        #expect(!(utc < paris) && !(paris < utc))
        #expect(paris < newYork)  // 23:00:00Z < 23:00:01Z although the local date is later
        #expect(!(newYork < paris))
        let later = try #require(DateTimeValue("2017-01-01T00:00:00.001+01:00"))
        #expect(utc < later)
    }

    @Test func formatsDatesAsUTCToTheSecond() throws {
        let v = DateTimeValue(Date(timeIntervalSince1970: Self.reference + 0.9))
        #expect(v.text == "2016-12-31T23:59:59Z")
        #expect(v.date.timeIntervalSince1970 == Self.reference)
        #expect(DateTimeValue(Date(timeIntervalSince1970: 0)).text == "1970-01-01T00:00:00Z")
        #expect(DateTimeValue(Date(timeIntervalSince1970: 951_782_400)).text == "2000-02-29T00:00:00Z")
        // The formatted text parses back to the same instant.
        let back = try #require(DateTimeValue(v.text))
        #expect(back.date == v.date)
    }
}
