import Foundation
import InsigneStore

/// Renewed badges in the backpack: the earlier awards of a renewal chain are shown under the newest one, as its
/// history, instead of as badges of their own (they stay in the ZIP export and the personal-data export).
extension Backpack {
    /// The entries with the awards issued here that were renewed by another entry folded into that entry's history
    /// (newest first); the order of the remaining entries is kept.
    static func foldingRenewals(_ entries: [BackpackEntry]) -> [(entry: BackpackEntry, history: [BackpackEntry])] {
        var byID: [String: BackpackEntry] = [:]
        for e in entries {
            if case .issuedHere(let a) = e.origin { byID[a.id] = e }
        }
        /// The newest entry of the chain `e` belongs to (itself when it was not renewed by an entry listed here).
        func head(_ e: BackpackEntry) -> String? {
            guard case .issuedHere(var a) = e.origin else { return nil }
            var steps = 0
            while let next = a.renewedBy, let n = byID[next], case .issuedHere(let na) = n.origin, steps < 1000 {
                a = na
                steps += 1
            }
            return a.id
        }
        var history: [String: [BackpackEntry]] = [:]
        var kept: [BackpackEntry] = []
        for e in entries {
            if let h = head(e), h != e.id {
                history[h, default: []].append(e)
            } else {
                kept.append(e)
            }
        }
        return kept.map { e in
            (e, (history[e.id] ?? []).sorted { ($0.issuedOn ?? "") > ($1.issuedOn ?? "") })
        }
    }
}
