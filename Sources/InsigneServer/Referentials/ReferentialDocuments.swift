import CompetencyFrameworks
import Foundation
import InsigneStore
import OpenBadges

/// The public JSON of referentials, with 1EdTech CASE-like names: a framework is a `CFDocument`, a competency a
/// `CFItem` (`humanCodingScheme` = its code). Described by `Schemas/referentials/*.schema.json`.
struct ReferentialDocuments: Sendable {
    let urls: PublicURLs

    /// The taxonomy name of a depth (`domain`, `competency`, `indicator`), or `level N`.
    static func itemType(_ f: FrameworkRecord, depth: Int) -> String {
        depth < f.taxonomies.count ? f.taxonomies[depth] : "level \(depth + 1)"
    }

    /// Moodle's taxonomy names in French (the files carry the English constants).
    static let frenchTaxonomies = [
        "behaviour": "comportement", "competency": "compétence", "concept": "concept", "domain": "domaine",
        "indicator": "indicateur", "level": "niveau", "outcome": "résultat", "practice": "pratique",
        "proficiency": "maîtrise", "skill": "savoir-faire", "value": "valeur",
    ]

    /// The level name for people: the taxonomy in the page's language.
    static func itemLabel(_ f: FrameworkRecord, depth: Int, english: Bool) -> String {
        guard depth < f.taxonomies.count else { return english ? "level \(depth + 1)" : "niveau \(depth + 1)" }
        let name = f.taxonomies[depth]
        return english ? name : frenchTaxonomies[name.lowercased()] ?? name
    }

    /// The plain text of a description (HTML when format 1), or nil when empty.
    static func plain(_ text: String) -> String? {
        let t = CompetencyFramework.plainText(text)
        return t.isEmpty ? nil : t
    }

    /// A framework as a `CFDocument`.
    func document(_ f: FrameworkRecord, counts: FrameworkCounts) -> JSONValue {
        [
            "identifier": .string(f.id), "uri": .string(urls.referential(f.id)), "idNumber": .string(f.idNumber),
            "title": .string(f.shortName), "description": APIFormat.optional(Self.plain(f.description)),
            "lastChangeDateTime": APIFormat.date(f.updatedAt), "creationDateTime": APIFormat.date(f.createdAt),
            "taxonomies": .array(f.taxonomies.map(JSONValue.string)),
            "scaleValues": .array(f.scaleValues.map(JSONValue.string)),
            "itemCount": APIFormat.int(counts.current), "retiredItemCount": APIFormat.int(counts.retired),
            "exports": ["csv": .string(urls.referentialCSV(f.id)), "json": .string(urls.referentialJSON(f.id))],
        ]
    }

    /// A competency as a `CFItem`.
    func item(_ c: CompetencyRecord, framework f: FrameworkRecord, children: [CompetencyRecord]) -> JSONValue {
        [
            "identifier": .string("\(f.id)/\(c.idNumber)"), "uri": .string(urls.competency(f.id, c.idNumber)),
            "CFDocumentURI": [
                "title": .string(f.shortName), "identifier": .string(f.id), "uri": .string(urls.referential(f.id)),
            ],
            "humanCodingScheme": .string(c.idNumber), "abbreviatedStatement": .string(c.shortName),
            "fullStatement": .string(Self.plain(c.description) ?? c.shortName),
            "CFItemType": .string(Self.itemType(f, depth: c.depth)), "depth": APIFormat.int(c.depth),
            "parentURI": c.parentIDNumber.map { .string(urls.competency(f.id, $0)) } ?? .null,
            "childrenURIs": .array(children.map { .string(urls.competency(f.id, $0.idNumber)) }),
            "retired": .bool(c.retiredAt != nil), "retiredAt": c.retiredAt.map(APIFormat.date) ?? .null,
        ]
    }

    /// A framework with every item (current first, then retired): `{CFDocument, CFItems}`.
    func package(_ f: FrameworkRecord, items: [CompetencyRecord]) -> JSONValue {
        var counts = FrameworkCounts()
        counts.current = items.count { $0.retiredAt == nil }
        counts.retired = items.count - counts.current
        var children: [String: [CompetencyRecord]] = [:]
        for c in items where c.retiredAt == nil {
            if let p = c.parentIDNumber { children[p, default: []].append(c) }
        }
        return [
            "CFDocument": document(f, counts: counts),
            "CFItems": .array(items.map { item($0, framework: f, children: children[$0.idNumber] ?? []) }),
        ]
    }

    /// The alignment object of a competency: code + short name, item URL, plain description, framework title.
    func alignment(_ c: CompetencyRecord, framework f: FrameworkRecord) -> AlignmentRecord {
        AlignmentRecord(
            targetName: String("\(c.idNumber) \(c.shortName)".prefix(500)),
            targetUrl: urls.competency(f.id, c.idNumber),
            targetDescription: Self.plain(c.description), targetFramework: f.shortName, targetCode: c.idNumber)
    }
}
