import CompetencyFrameworks
import Foundation
import InsigneStore
import OpenBadges

/// A requested alignment: a full Open Badges object, or a reference to a stored competency.
enum AlignmentInput: Sendable, Equatable {
    case object(AlignmentRecord)
    case reference(framework: String, code: String)
    /// A code typed without its framework: accepted when exactly one framework has it.
    case code(String)
}

/// Turns alignment requests (objects, `{framework, code}` references, or a codes text) into alignment objects.
struct ReferentialAlignment: Sendable {
    let db: AppDatabase
    let documents: ReferentialDocuments

    init(services: ServerServices) {
        db = services.db
        documents = ReferentialDocuments(urls: services.urls)
    }

    /// Resolves every reference (unknown or retired ones: `.invalid` naming `field`); duplicates are dropped.
    func resolve(_ inputs: [AlignmentInput], field: String = "alignment") throws -> [AlignmentRecord] {
        var out: [AlignmentRecord] = []
        for input in inputs {
            let a: AlignmentRecord
            switch input {
            case .object(let o): a = o
            case .reference(let fw, let code): a = try resolve(framework: fw, code: code, field: field)
            case .code(let code):
                let c = try competency(code: code, field: field)
                guard let f = try db.framework(id: c.frameworkID) else {
                    throw ServiceError.notFound("Référentiel", c.frameworkID)
                }
                a = documents.alignment(c, framework: f)
            }
            if !out.contains(where: { $0.targetUrl == a.targetUrl }) { out.append(a) }
        }
        return out
    }

    /// The current competencies a codes text names (see `parseCodes`), in order, without duplicates.
    func competencies(codes text: String, field: String) throws -> [CompetencyRecord] {
        var out: [CompetencyRecord] = []
        for input in try Self.parseCodes(text, field: field) {
            let c: CompetencyRecord
            switch input {
            case .object: continue
            case .reference(let fw, let code): c = try competency(framework: fw, code: code, field: field).0
            case .code(let code): c = try competency(code: code, field: field)
            }
            if !out.contains(where: { $0.frameworkID == c.frameworkID && $0.idNumber == c.idNumber }) { out.append(c) }
        }
        return out
    }

    /// A code without its framework: exactly one current competency must have it (case-insensitive).
    func competency(code: String, field: String) throws -> CompetencyRecord {
        let found = try db.currentCompetencies(code: code)
        guard found.count == 1 else {
            if found.isEmpty {
                throw Validation.invalid(field, fr: "code inconnu : \(code)", en: "unknown code: \(code)")
            }
            let names = found.map(\.frameworkID).joined(separator: ", ")
            throw Validation.invalid(
                field,
                fr:
                    "« \(code) » existe dans plusieurs référentiels (\(names)) : écrivez par exemple \(found[0].frameworkID)/\(code)",
                en: "\"\(code)\" exists in several referentials (\(names)): write e.g. \(found[0].frameworkID)/\(code)")
        }
        return found[0]
    }

    /// One reference.
    func resolve(framework reference: String, code: String, field: String) throws -> AlignmentRecord {
        let (c, f) = try competency(framework: reference, code: code, field: field)
        return documents.alignment(c, framework: f)
    }

    /// One reference, as the stored competency and its framework.
    func competency(framework reference: String, code: String, field: String) throws -> (
        CompetencyRecord, FrameworkRecord
    ) {
        guard let f = try db.framework(reference: reference) else {
            throw Validation.invalid(
                field, fr: "référentiel inconnu : \(reference)", en: "unknown referential: \(reference)")
        }
        let found =
            try db.competency(frameworkID: f.id, idNumber: code)
            ?? db.competencies(frameworkID: f.id).first { $0.idNumber.lowercased() == code.lowercased() }
        guard let c = found else {
            throw Validation.invalid(
                field, fr: "code inconnu dans \(f.idNumber) : \(code)", en: "unknown code in \(f.idNumber): \(code)")
        }
        guard c.retiredAt == nil else {
            throw Validation.invalid(
                field, fr: "\(c.idNumber) ne figure plus dans \(f.idNumber) (retiré)",
                en: "\(c.idNumber) is no longer in \(f.idNumber) (retired)")
        }
        return (c, f)
    }

    /// Parses a codes text: one framework per line (`DEES-2007: DC1.1.1, DC1.1.2`), `dees-2007/DC1.1.1` tokens, or
    /// bare codes (`DC1.1.1`, resolved when only one framework has them).
    static func parseCodes(_ text: String, field: String) throws -> [AlignmentInput] {
        var out: [AlignmentInput] = []
        let separators: (Character) -> Bool = { $0 == "," || $0 == ";" || $0.isWhitespace }
        for line in text.split(whereSeparator: \.isNewline) {
            if let colon = line.firstIndex(of: ":"), !line[..<colon].contains("/") {
                let fw = line[..<colon].trimmingCharacters(in: .whitespaces)
                let codes = line[line.index(after: colon)...].split(whereSeparator: separators)
                guard !fw.isEmpty, !codes.isEmpty else {
                    throw Validation.invalid(
                        field, fr: "ligne incomplète : « \(line) »", en: "incomplete line: \"\(line)\"")
                }
                out += codes.map { .reference(framework: fw, code: String($0)) }
                continue
            }
            for token in line.split(whereSeparator: separators) {
                guard let slash = token.firstIndex(of: "/") else {
                    out.append(.code(String(token)))
                    continue
                }
                guard slash != token.startIndex, token.index(after: slash) != token.endIndex else {
                    throw Validation.invalid(
                        field,
                        fr: "« \(token) » : écrivez DEES-2007: DC1.1.1 ou dees-2007/DC1.1.1",
                        en: "\"\(token)\": write DEES-2007: DC1.1.1 or dees-2007/DC1.1.1")
                }
                out.append(
                    .reference(framework: String(token[..<slash]), code: String(token[token.index(after: slash)...])))
            }
        }
        return out
    }
}

/// Generates one badge class per competency of a level of a framework, for one issuer (idempotent: a competency
/// that already has its badge for this issuer is skipped).
struct ReferentialBadgeGenerator: Sendable {
    let services: ServerServices

    /// What a run did.
    struct Outcome: Sendable {
        var created: [BadgeClassRecord] = []
        var skipped: [String] = []
    }

    /// The badge class id for a competency, scoped to the issuer: `foyers-la-maison-dees-2007-dc1-1`.
    static func badgeID(issuerID: String, framework: String, code: String) -> String {
        BadgeClassIDs.derived(issuerID: issuerID, name: "\(framework)-\(code)") ?? BadgeClassIDs.bounded(issuerID)
    }

    /// The id generated before ids were scoped to their issuer (`dees-2007-dc1-1`): still this issuer's badge when
    /// it belongs to it.
    static func legacyBadgeID(framework: String, code: String) -> String {
        BadgeClassIDs.slug(from: "\(framework)-\(code)") ?? framework
    }

    func generate(frameworkID: String, issuerID: String, depth: Int, actor: String) async throws -> Outcome {
        guard let f = try services.db.framework(id: frameworkID) else {
            throw ServiceError.notFound("Référentiel / referential", frameworkID)
        }
        let all = try services.db.competencies(frameworkID: f.id, includeRetired: false)
        let level = all.filter { $0.depth == depth }
        guard !level.isEmpty else {
            throw Validation.invalid(
                "level", fr: "aucune compétence au niveau \(depth) de \(f.idNumber)",
                en: "no competency at level \(depth) of \(f.idNumber)")
        }
        let docs = ReferentialDocuments(urls: services.urls)
        let top = all.filter { $0.depth == 0 }
        var outcome = Outcome()
        for c in level {
            let id = Self.badgeID(issuerID: issuerID, framework: f.id, code: c.idNumber)
            let legacyID = Self.legacyBadgeID(framework: f.id, code: c.idNumber)
            if try await services.issuing.badgeClass(id: id) != nil {
                outcome.skipped.append(id)
                continue
            }
            if try await services.issuing.badgeClass(id: legacyID)?.issuerID == issuerID {
                outcome.skipped.append(legacyID)
                continue
            }
            let children = all.filter { $0.parentIDNumber == c.idNumber }
            let parent = all.first { $0.idNumber == c.parentIDNumber }
            var description = "Compétence \(c.idNumber) du référentiel « \(f.shortName) »"
            if let parent { description += " (\(parent.idNumber) : \(parent.shortName))" }
            description += "."
            if let full = ReferentialDocuments.plain(c.description), full != c.shortName, full.count < 4000 {
                description += " " + full
            }
            var criteria = "Maîtriser la compétence \(c.idNumber) « \(c.shortName) »"
            if children.isEmpty {
                criteria += "."
            } else {
                criteria += ", dont les indicateurs sont :\n\n"
                criteria += children.map {
                    "\($0.idNumber) \(ReferentialDocuments.plain($0.description) ?? $0.shortName)"
                }
                .joined(separator: "\n")
            }
            let domain = top.firstIndex { $0.idNumber == (depth == 0 ? c.idNumber : Self.root(of: c, in: all)) } ?? 0
            let rank =
                (all.filter { $0.parentIDNumber == c.parentIDNumber && $0.depth == depth }
                    .firstIndex { $0.idNumber == c.idNumber } ?? 0) + 1
            let badge = BadgeClassRecord(
                id: id, issuerID: issuerID, name: String("\(c.idNumber) \(c.shortName)".prefix(200)),
                description: String(description.prefix(5000)), criteriaNarrative: String(criteria.prefix(20000)),
                imageData: Data(try BadgeArtwork.competencyPNG(domain: domain, rank: rank)), imageType: "png",
                tags: [String(f.idNumber.prefix(60)), String(c.idNumber.prefix(60))],
                alignment: [docs.alignment(c, framework: f)] + children.map { docs.alignment($0, framework: f) },
                createdAt: Date())
            do {
                outcome.created.append(try await services.issuing.createBadgeClass(badge, actor: actor))
            } catch let e as ServiceError where e.kind == .conflict {
                outcome.skipped.append(id)  // created meanwhile by another request
            }
        }
        return outcome
    }

    /// The id number of the top-level ancestor of a competency.
    static func root(of c: CompetencyRecord, in all: [CompetencyRecord]) -> String {
        var current = c
        var steps = 0
        while let p = current.parentIDNumber, let parent = all.first(where: { $0.idNumber == p }), steps < 64 {
            current = parent
            steps += 1
        }
        return current.idNumber
    }
}
