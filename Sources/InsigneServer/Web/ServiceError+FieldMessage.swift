import Foundation

extension ServiceError {
    /// The message without the `« field » : ` prefix that Validation adds (the page shows it next to the field).
    func fieldMessage(english: Bool) -> String {
        let m = english ? messageEN : messageFR
        for sep in [" » : ", "\": "] {
            if let r = m.range(of: sep), m.hasPrefix("«") || m.hasPrefix("\"") {
                let rest = m[r.upperBound...]
                return rest.prefix(1).uppercased() + rest.dropFirst()
            }
        }
        return m.prefix(1).uppercased() + m.dropFirst()
    }
}
