import Foundation

/// An OB 2.0 DateTime: ISO 8601 with a time and a mandatory time-zone designator. The original text is kept.
public struct DateTimeValue: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The text as written in the document.
    public let text: String
    /// The instant it denotes.
    public let date: Date

    /// Parses `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm|±hhmm|±hh)`; nil when malformed or without a time zone.
    public init?(_ text: String) {
        guard let d = DateTimeValue.parse(Array(text.utf8)) else { return nil }
        self.text = text
        self.date = d
    }

    /// Formats an instant as UTC with a `Z` designator, to the second.
    public init(_ date: Date) {
        let t = date.timeIntervalSince1970.rounded(.down)
        self.date = Date(timeIntervalSince1970: t)
        self.text = DateTimeValue.format(self.date)
    }

    public var description: String { text }

    public static func < (a: DateTimeValue, b: DateTimeValue) -> Bool { a.date < b.date }
    public static func == (a: DateTimeValue, b: DateTimeValue) -> Bool { a.text == b.text }

    static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        func p(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(parts.tm_year + 1900, 4))-\(p(parts.tm_mon + 1, 2))-\(p(parts.tm_mday, 2))T"
            + "\(p(parts.tm_hour, 2)):\(p(parts.tm_min, 2)):\(p(parts.tm_sec, 2))Z"
    }

    static func parse(_ b: [UInt8]) -> Date? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2)
        else { return nil }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
            let second = digits(2)
        else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }  // the time zone is mandatory
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), oh <= 23 else { return nil }
            var om = 0
            if i < b.count {
                _ = expect(UInt8(ascii: ":"))
                guard let m = digits(2), m <= 59 else { return nil }
                om = m
            }
            offset = sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
        guard i == b.count else { return nil }
        guard (1...12).contains(month), hour <= 23, minute <= 59, second <= 60, day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
