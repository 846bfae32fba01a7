import Foundation
import InsigneStore

/// The validity and reminder fields of the badge class forms (creation and editing): a select « Durée de
/// validité » (none, 1, 2, 3 or 5 years, other) with an ISO 8601 field for « autre », and the reminder days.
enum ValidityForm {
    /// The select's preset durations.
    static let presets = ["P1Y", "P2Y", "P3Y", "P5Y"]

    /// The form values of a stored badge class (`validityChoice`, `validity`, `reminders`).
    static func values(validity: String?, reminders: [Int]) -> [String: String] {
        let choice = validity.map { presets.contains($0) ? $0 : "other" } ?? ""
        return [
            "validityChoice": choice, "validity": choice == "other" ? validity ?? "" : "",
            "reminders": reminders.map(String.init).joined(separator: ", "),
        ]
    }

    /// The options of the select, the chosen one selected.
    static func options(_ env: PageEnv, chosen: String) -> [[String: Any]] {
        var items: [(String, String)] = [("", env.text("Aucune (pas d'expiration)", "None (no expiry)"))]
        for p in presets {
            items.append((p, (try? Validity(p))?.label(french: !env.english) ?? p))
        }
        items.append(("other", env.text("Autre durée…", "Other duration…")))
        return items.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosen] }
    }

    /// Reads the fields: the validity (nil: none) and the reminder days; what is wrong goes into `errors`.
    static func read(_ form: WebForm, _ env: PageEnv, errors: inout [String: String]) -> (String?, [Int]) {
        var validity: String?
        let choice = form["validityChoice"]
        let text = choice == "other" || choice.isEmpty && form.optional("validity") != nil ? form["validity"] : choice
        do {
            validity = try Validity.optional(text)?.description
            if choice == "other", validity == nil {
                errors["validity"] = env.text(
                    "Indiquez la durée, par exemple P18M (18 mois).", "Give the duration, for example P18M (18 months)."
                )
            }
        } catch let e as ServiceError {
            errors["validity"] = e.fieldMessage(english: env.english)
        } catch {}
        var reminders = ReminderDays.defaults
        do {
            reminders = try ReminderDays.parse(form["reminders"])
        } catch let e as ServiceError {
            errors["reminders"] = e.fieldMessage(english: env.english)
        } catch {}
        return (validity, reminders)
    }
}
