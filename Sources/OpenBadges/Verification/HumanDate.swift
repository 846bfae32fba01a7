import Foundation

/// Dates for people, one rule for the verifier's messages, the pages and the CLI: « 7 décembre 2026 » /
/// "7 December 2026", the calendar day in Europe/Paris (the organisations' time zone). Reports keep ISO 8601.
public enum HumanDate {
    /// The time zone the day is taken in.
    public static let timeZone: TimeZone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 0)!

    static let frMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    static let enMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    /// The Gregorian calendar in `timeZone`.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = HumanDate.timeZone
        return c
    }()

    /// « 1er décembre 2026 », « 7 décembre 2026 » / "7 December 2026".
    public static func format(_ date: Date, english: Bool) -> String {
        let (year, month1, day) = civilDay(date)
        let month = min(max(month1 - 1, 0), 11)
        if english { return "\(day) \(enMonths[month]) \(year)" }
        return "\(day == 1 ? "1er" : String(day)) \(frMonths[month]) \(year)"
    }

    /// Year, month (1–12) and day of `date` in `timeZone`. From 1970 to 9999: the zone's offset for that hour
    /// (cached: since 1970 offsets change on the hour) and the Gregorian arithmetic; outside, `calendar` itself
    /// (local mean time, Julian days before 1582…). (`Calendar.dateComponents` costs microseconds.)
    static func civilDay(_ date: Date) -> (year: Int, month: Int, day: Int) {
        let t = date.timeIntervalSince1970
        guard t >= 0, t < 253_402_214_400 else {
            let d = calendar.dateComponents([.year, .month, .day], from: date)
            return (d.year ?? 0, d.month ?? 1, d.day ?? 1)
        }
        let seconds = Int(t.rounded(.down))
        let hour = seconds >= 0 ? seconds / 3_600 : (seconds - 3_599) / 3_600
        let offset = offsetCache.offset(hour: hour) {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3_600))
        }
        let local = seconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return civilDate(days: days)
    }

    /// Proleptic Gregorian year, month (1–12) and day of `days` since 1970-01-01 (H. Hinnant's algorithm).
    static func civilDate(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The zone's offset by UTC hour, at most a few thousand hours kept.
    final class OffsetCache: @unchecked Sendable {
        private let lock = NSLock()
        private var offsets: [Int: Int] = [:]

        func offset(hour: Int, compute: () -> Int) -> Int {
            lock.lock()
            if let known = offsets[hour] {
                lock.unlock()
                return known
            }
            lock.unlock()
            let value = compute()
            lock.lock()
            if offsets.count >= 4_096 { offsets.removeAll(keepingCapacity: true) }
            offsets[hour] = value
            lock.unlock()
            return value
        }
    }

    static let offsetCache = OffsetCache()

    /// The date in French and English.
    public static func text(_ date: Date) -> LocalizedText {
        LocalizedText(fr: format(date, english: false), en: format(date, english: true))
    }

    /// An Open Badges date (ISO 8601) formatted, or the text as found when it is not a date.
    public static func format(_ text: String?, english: Bool) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = DateTimeValue(text) else { return text }
        return format(value.date, english: english)
    }
}
