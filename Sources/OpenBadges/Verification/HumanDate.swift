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
        let d = calendar.dateComponents([.year, .month, .day], from: date)
        let day = d.day ?? 1
        let month = min(max((d.month ?? 1) - 1, 0), 11)
        if english { return "\(day) \(enMonths[month]) \(d.year ?? 0)" }
        return "\(day == 1 ? "1er" : String(day)) \(frMonths[month]) \(d.year ?? 0)"
    }

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
