import Foundation
import OpenBadges

/// The one way the server writes dates, in Europe/Paris, French and English. Long dates for people
/// (« 1er décembre 2026 » / "1 December 2026") are the core's `HumanDate`, shared with the verifier; short ones
/// (« 7 déc. 2026 à 14:05 » / "7 Dec 2026, 14:05") for lists, the `YYYY-MM-DD` of date inputs and the mail
/// `Date:` header use formatters created once (a `DateFormatter` is expensive to create).
enum WebDates {
    /// The organisations' time zone (the core's `HumanDate.timeZone`).
    static let paris = HumanDate.timeZone

    /// « 7 décembre 2026 » / "7 December 2026" (« 1er » on the first of the month).
    static func long(_ date: Date, english: Bool) -> String { HumanDate.format(date, english: english) }

    /// An Open Badges date (ISO 8601) as a long date, the text as found when it is not one, nil when absent.
    static func long(_ text: String?, english: Bool) -> String? { HumanDate.format(text, english: english) }

    /// A short date for lists, in Paris time: « 7 déc. 2026 à 14:05 » / "7 Dec 2026, 14:05", or without the time.
    static func display(_ date: Date, english: Bool, time: Bool = true) -> String {
        switch (english, time) {
        case (false, true): frenchWithTime.string(from: date)
        case (false, false): french.string(from: date)
        case (true, true): englishWithTime.string(from: date)
        case (true, false): englishDay.string(from: date)
        }
    }

    /// An OB DateTime text (`2026-12-07T10:00:00Z`) as a short date with its time; the text as found when it is
    /// not one, nil when absent.
    static func display(obDate text: String?, english: Bool) -> String? {
        guard let text else { return nil }
        guard let d = iso.date(from: text) else { return text }
        return display(d, english: english)
    }

    /// Today in Paris as `YYYY-MM-DD` (for the date input's `min`).
    static func todayParis() -> String { day.string(from: Date()) }

    /// `YYYY-MM-DD` → the last second of that day in Europe/Paris.
    static func endOfDayParis(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil else { return nil }
        let p = t.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]), (1970...9999).contains(p[0]) else {
            return nil
        }
        let cal = HumanDate.calendar
        let c = DateComponents(year: p[0], month: p[1], day: p[2], hour: 23, minute: 59, second: 59)
        guard let d = cal.date(from: c), cal.component(.day, from: d) == p[2] else { return nil }
        return d
    }

    /// The `Date:` header of a mail (RFC 5322, UTC, English): `Mon, 07 Dec 2026 09:38:04 +0000`.
    static func mailHeader(_ date: Date) -> String { mail.string(from: date) }

    /// A UTC time stamp for file names: `20261207-093804`.
    static func fileStamp(_ date: Date) -> String { stamp.string(from: date) }

    private static let french = CachedFormatter("d MMM yyyy", locale: "fr_FR")
    private static let frenchWithTime = CachedFormatter("d MMM yyyy 'à' HH:mm", locale: "fr_FR")
    private static let englishDay = CachedFormatter("d MMM yyyy", locale: "en_GB")
    private static let englishWithTime = CachedFormatter("d MMM yyyy, HH:mm", locale: "en_GB")
    private static let day = CachedFormatter("yyyy-MM-dd", locale: "en_US_POSIX")
    private static let mail = CachedFormatter(
        "EEE, dd MMM yyyy HH:mm:ss +0000", locale: "en_US_POSIX", timeZone: TimeZone(identifier: "UTC")!)
    private static let stamp = CachedFormatter(
        "yyyyMMdd-HHmmss", locale: "en_US_POSIX", timeZone: TimeZone(identifier: "UTC")!)
    private static let iso = CachedISOParser()
}

/// A `DateFormatter` created once and shared: its use is serialised, so any task may call it.
private final class CachedFormatter: @unchecked Sendable {
    private let formatter = DateFormatter()
    private let lock = NSLock()

    /// A formatter with a fixed `pattern` in `locale`, in Paris time unless told otherwise.
    init(_ pattern: String, locale: String, timeZone: TimeZone = WebDates.paris) {
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
    }

    /// The formatted date.
    func string(from date: Date) -> String { lock.withLock { formatter.string(from: date) } }
}

/// An `ISO8601DateFormatter` created once and shared, serialised like `CachedFormatter`.
private final class CachedISOParser: @unchecked Sendable {
    private let formatter = ISO8601DateFormatter()
    private let lock = NSLock()

    /// The date of an ISO 8601 date-time (`2026-12-07T10:00:00Z`), nil when the text is not one.
    func date(from text: String) -> Date? { lock.withLock { formatter.date(from: text) } }
}
