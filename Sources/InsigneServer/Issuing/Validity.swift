import Foundation

/// How long an award of a badge class stays valid: an ISO 8601 duration in years, months, weeks and days
/// (`P3Y`, `P18M`, `P1Y6M`, `P6W`, `P90D`). Durations with a time part (`PT12H`) are refused: a day is the finest
/// grain that makes sense for a badge.
///
/// The expiry is computed in the Gregorian calendar in UTC, keeping the time of day: years and months are added
/// first, together, and a day past the end of the target month becomes its last day (31 January + `P1M` → 28 or
/// 29 February; 29 February + `P1Y` → 28 February), then weeks and days are added.
struct Validity: Sendable, Equatable, CustomStringConvertible {
    var years = 0
    var months = 0
    var weeks = 0
    var days = 0

    /// The canonical text (`P1Y6M`).
    var description: String {
        var s = "P"
        if years > 0 { s += "\(years)Y" }
        if months > 0 { s += "\(months)M" }
        if weeks > 0 { s += "\(weeks)W" }
        if days > 0 { s += "\(days)D" }
        return s
    }

    /// Parses `PnYnMnWnD` (each part optional, at least one, in this order; upper-case or lower-case letters).
    /// Throws a 400 on the field `field` otherwise, or when the duration is zero or longer than 100 years.
    init(_ text: String, field: String = "validity") throws {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        if s.hasPrefix("P"), s.contains("T") {
            throw Validation.invalid(
                field,
                fr: "« \(text) » : seules les durées en années, mois, semaines ou jours sont acceptées "
                    + "(P3Y, P18M, P6W, P90D), pas en heures ni en minutes",
                en: "\"\(text)\": only durations in years, months, weeks or days are accepted "
                    + "(P3Y, P18M, P6W, P90D), not hours or minutes")
        }
        var rest = Substring(s)
        guard rest.first == "P", rest.count > 1 else { throw Self.malformed(text, field: field) }
        rest = rest.dropFirst()
        var order = Array("YMWD")
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCII).prefix(while: \.isNumber)
            guard !digits.isEmpty, digits.count <= 6, let n = Int(digits) else {
                throw Self.malformed(text, field: field)
            }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let index = order.firstIndex(of: unit) else {
                throw Self.malformed(text, field: field)
            }
            order.removeSubrange(...index)
            rest = rest.dropFirst()
            switch unit {
            case "Y": years = n
            case "M": months = n
            case "W": weeks = n
            default: days = n
            }
        }
        let totalDays = years * 366 + months * 31 + weeks * 7 + days
        guard totalDays > 0, totalDays <= 36_600 else {
            throw Validation.invalid(
                field, fr: "« \(text) » : la durée doit être comprise entre un jour et cent ans",
                en: "\"\(text)\": the duration must be between one day and a hundred years")
        }
    }

    /// The parsed duration, or nil for nil or an empty text (no validity).
    static func optional(_ text: String?, field: String = "validity") throws -> Validity? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return try Validity(t, field: field)
    }

    private static func malformed(_ text: String, field: String) -> ServiceError {
        Validation.invalid(
            field,
            fr: "« \(text) » n'est pas une durée ISO 8601 comme P3Y (3 ans), P18M (18 mois), P6W (6 semaines) "
                + "ou P90D (90 jours)",
            en: "\"\(text)\" is not an ISO 8601 duration such as P3Y (3 years), P18M (18 months), P6W (6 weeks) "
                + "or P90D (90 days)")
    }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// When an award issued at `issuedOn` expires (see the type's documentation for month ends).
    func expiry(from issuedOn: Date) -> Date {
        var date = issuedOn
        let totalMonths = years * 12 + months
        if totalMonths > 0 {
            date = Self.calendar.date(byAdding: .month, value: totalMonths, to: date) ?? date
        }
        let totalDays = weeks * 7 + days
        if totalDays > 0 {
            date = Self.calendar.date(byAdding: .day, value: totalDays, to: date) ?? date
        }
        return date
    }

    /// A short label for pages: « 3 ans », « 1 an et 6 mois », « 90 jours ».
    func label(french: Bool) -> String {
        func part(_ n: Int, _ fr: (String, String), _ en: (String, String)) -> String? {
            guard n > 0 else { return nil }
            let (one, many) = french ? fr : en
            return "\(n) \(n == 1 ? one : many)"
        }
        let parts = [
            part(years, ("an", "ans"), ("year", "years")), part(months, ("mois", "mois"), ("month", "months")),
            part(weeks, ("semaine", "semaines"), ("week", "weeks")), part(days, ("jour", "jours"), ("day", "days")),
        ].compactMap { $0 }
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + (french ? " et " : " and ") + parts.last!
    }
}

/// The reminder thresholds of a badge class: days before expiry, at most 10, each between 1 and 3650, distinct,
/// kept from the largest to the smallest. The first one is also the window of « expire bientôt ».
enum ReminderDays {
    /// The thresholds a badge class gets when none are given.
    static let defaults = [90, 30, 7]

    /// Checks and sorts thresholds (400 on the field `field` otherwise).
    static func validated(_ days: [Int], field: String = "reminders") throws -> [Int] {
        guard days.count <= 10, days.allSatisfy({ (1...3650).contains($0) }), Set(days).count == days.count else {
            throw Validation.invalid(
                field, fr: "au plus 10 rappels, chacun entre 1 et 3650 jours avant l'expiration, sans doublon",
                en: "at most 10 reminders, each between 1 and 3650 days before expiry, without duplicates")
        }
        return days.sorted(by: >)
    }

    /// Reads `90, 30, 7` (commas, semicolons or spaces); empty means no reminder.
    static func parse(_ text: String, field: String = "reminders") throws -> [Int] {
        let items = text.split(whereSeparator: { ",; ".contains($0) }).map(String.init)
        let days = try items.map { item -> Int in
            guard let n = Int(item) else {
                throw Validation.invalid(
                    field, fr: "« \(item) » n'est pas un nombre de jours", en: "\"\(item)\" is not a number of days")
            }
            return n
        }
        return try validated(days, field: field)
    }
}
