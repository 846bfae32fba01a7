import Foundation
import InsigneStore

/// How a piece of evidence is shown on the learner's, the reviewers' and the shared pages: template data, its
/// kind and status in words, file sizes.
enum EvidenceView {
    /// The status of a piece: its label, CSS class and code.
    static func status(_ s: EvidenceItemRecord.Status, _ env: PageEnv) -> [String: Any] {
        let (fr, en, css) =
            switch s {
            case .draft: ("Brouillon", "Draft", "neutral")
            case .submitted: ("Envoyée pour examen", "Submitted for review", "neutral")
            case .accepted: ("Acceptée", "Accepted", "good")
            case .changesRequested: ("À reprendre", "Changes requested", "bad")
            }
        return ["label": env.text(fr, en), "css": css, "code": s.rawValue]
    }

    /// The kind of a piece in words.
    static func kind(_ k: EvidenceItemRecord.Kind, _ env: PageEnv) -> String {
        switch k {
        case .file: env.text("Fichier", "File")
        case .narrative: env.text("Récit écrit", "Written narrative")
        case .link: env.text("Lien", "Link")
        }
    }

    /// Template data for a piece; `names` from `competencyNamesByCode`, `share` the share-link token it is seen
    /// through (its links keep it).
    static func data(_ p: Portfolio.Piece, _ env: PageEnv, names: [String: String], share: String? = nil) -> [String:
        Any]
    {
        let i = p.item
        let suffix = share.map { "?share=" + $0 } ?? ""
        var d: [String: Any] = [
            "id": i.id, "title": i.title, "kind": kind(i.kind, env), "status": status(i.status, env),
            "url": "/evidence/\(i.id)" + suffix, "isFile": i.kind == .file, "isLink": i.kind == .link,
            "isNarrative": i.kind == .narrative,
            "editable": i.status == .draft || i.status == .changesRequested,
            "created": WebDates.display(i.createdAt, english: env.english, time: false),
            "tags": p.tags.map { t in
                [
                    "code": t.competencyIDNumber, "framework": t.frameworkID,
                    "name": names[t.frameworkID + "|" + t.competencyIDNumber] ?? "",
                ]
            },
            "hasTags": !p.tags.isEmpty,
        ]
        if let g = i.genre { d["genre"] = g }
        if let s = i.description { d["description"] = s }
        if let n = i.narrative { d["narrative"] = n }
        if let l = i.linkURL { d["linkURL"] = l }
        if let c = i.reviewComment, !c.isEmpty { d["reviewComment"] = c }
        if let at = i.reviewedAt { d["reviewed"] = WebDates.display(at, english: env.english) }
        if let at = i.submittedAt { d["submitted"] = WebDates.display(at, english: env.english) }
        if let b = p.blob {
            d["file"] =
                [
                    "name": i.fileName ?? "", "type": b.mediaType, "size": byteSize(b.size, env),
                    "url": "/evidence/\(i.id)/file" + suffix, "isImage": b.mediaType.hasPrefix("image/"),
                ] as [String: Any]
        }
        return d
    }

    /// A file size in words (« 12 Ko », « 1,5 Mo »).
    static func byteSize(_ n: Int, _ env: PageEnv) -> String {
        if n < 1024 { return env.text("\(n) octets", "\(n) bytes") }
        if n < 1024 * 1024 { return env.text("\(n / 1024) Ko", "\(n / 1024) KiB") }
        let mb = (Double(n) / 1_048_576 * 10).rounded() / 10
        return env.english ? "\(mb) MiB" : "\(mb) Mo".replacingOccurrences(of: ".", with: ",")
    }
}
