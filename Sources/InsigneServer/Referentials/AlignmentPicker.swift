import Foundation
import InsigneStore

/// The alignment picker, a part of the trainers' badge class forms (new badge class, and the alignment page of
/// `ReferentialPages`): the referentials' competencies to tick or type, and the alignment a posted form asks for.
struct AlignmentPicker: Sendable {
    let services: ServerServices

    /// The picker's data: every current competency, grouped by framework, checked when aligned; plus the
    /// alignments that point outside the referentials (kept unless unticked).
    func data(_ env: PageEnv, form: WebForm?, current: [AlignmentRecord], error: String? = nil) throws
        -> [String: Any]
    {
        let docs = ReferentialDocuments(urls: services.urls)
        var checked = Set(current.map(\.targetUrl))
        if let form { checked = Set((form.values["align"] ?? []).compactMap { Self.pickedURL($0, docs.urls) }) }
        var known = Set<String>()
        let groups: [[String: Any]] = try services.db.frameworks().map { f in
            let items: [[String: Any]] = try services.db.competencies(frameworkID: f.id, includeRetired: false).map {
                c in
                let url = docs.urls.competency(f.id, c.idNumber)
                known.insert(url)
                return [
                    "value": "\(f.id)/\(c.idNumber)", "code": c.idNumber, "name": c.shortName, "depth": min(c.depth, 3),
                    "checked": checked.contains(url), "search": "\(c.idNumber) \(c.shortName)".lowercased(),
                ]
            }
            let n = items.count { ($0["checked"] as? Bool) == true }
            return [
                "id": f.id, "title": f.shortName, "idNumber": f.idNumber, "items": items, "open": n > 0,
                "selectedCount": n > 0 ? env.text("\(n) choisie(s)", "\(n) selected") : "",
            ]
        }
        let kept = Set(form?.values["keep"] ?? current.map(\.targetUrl))
        let others: [[String: Any]] = current.filter { !known.contains($0.targetUrl) }.map {
            ["url": $0.targetUrl, "name": $0.targetName, "checked": kept.contains($0.targetUrl)]
        }
        var data: [String: Any] = [
            "groups": groups, "hasGroups": !groups.isEmpty, "others": others, "hasOthers": !others.isEmpty,
            "codes": form?["alignCodes"] ?? "", "js": StaticAssets.href("referentials.js"),
            "l": [
                "legend": env.text("Compétences visées (alignement)", "Competencies (alignment)"),
                "help": env.text(
                    "Cochez les compétences que ce badge atteste ; elles figureront dans le badge avec un lien vers leur page publique.",
                    "Tick the competencies this badge certifies; the badge will list them with a link to their public page."
                ),
                "search": env.text("Filtrer par code ou mots", "Filter by code or words"),
                "codes": env.text("Ou saisissez des codes", "Or type codes"),
                "codesHelp": env.text(
                    "Un référentiel par ligne, par exemple « DEES-2007: DC1.1.1, DC1.1.2 », ou « dees-2007/DC1.1.1 ».",
                    "One framework per line, for example \"DEES-2007: DC1.1.1, DC1.1.2\", or \"dees-2007/DC1.1.1\"."),
                "others": env.text("Autres alignements (hors référentiels)", "Other alignments (outside frameworks)"),
                "none": env.text(
                    "Aucun référentiel importé : voir « Référentiels ».",
                    "No framework imported yet: see \"Referentials\"."),
            ],
        ]
        if let error { data["error"] = error }
        return data
    }

    /// The item URL of a picked `framework/code` value.
    static func pickedURL(_ value: String, _ urls: PublicURLs) -> String? {
        guard let slash = value.firstIndex(of: "/") else { return nil }
        return urls.competency(String(value[..<slash]), String(value[value.index(after: slash)...]))
    }

    /// The alignment a picker form asks for: ticked competencies, typed codes, kept outside alignments.
    func alignment(from form: WebForm, current: [AlignmentRecord]) throws -> [AlignmentRecord] {
        var inputs: [AlignmentInput] = []
        for v in form.values["align"] ?? [] {
            guard let slash = v.firstIndex(of: "/") else { continue }
            inputs.append(.reference(framework: String(v[..<slash]), code: String(v[v.index(after: slash)...])))
        }
        inputs += try ReferentialAlignment.parseCodes(form["alignCodes"], field: "alignment")
        let keep = Set(form.values["keep"] ?? [])
        inputs += current.filter { keep.contains($0.targetUrl) }.map(AlignmentInput.object)
        return try ReferentialAlignment(services: services).resolve(inputs)
    }
}
