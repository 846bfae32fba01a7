import Foundation
import OpenBadges

extension CompetencyFramework {
    /// Most competencies a framework may hold (the framework itself not counted).
    public static let maxCompetencies = 10_000
    /// Most characters (Unicode scalars, as Moodle counts them) in an Id number.
    public static let maxIDNumberLength = 100
    /// Most characters (Unicode scalars, as Moodle counts them) in a Shortname.
    public static let maxShortNameLength = 100
    /// Moodle text formats accepted for descriptions: 0 Moodle auto, 1 HTML, 2 plain text, 4 Markdown.
    public static let descriptionFormats: Set<Int> = [0, 1, 2, 4]
    /// Moodle rule outcomes: 0 none, 1 evidence, 2 recommend, 3 complete.
    public static let ruleOutcomes: ClosedRange<Int> = 0...3

    /// Checks the framework's structure and returns a copy whose competencies are in tree order
    /// (depth first, parents before children, siblings in their current order).
    ///
    /// Refused: empty, padded or over-long Id numbers; Id numbers used twice (the framework's included);
    /// empty or over-long Shortnames; a description format other than 0, 1, 2, 4; a rule outcome outside 0…3;
    /// a framework without scale values; a scale configuration that is not JSON (when not empty);
    /// list items (scale values, taxonomies, cross-references) that are empty, padded or hold a comma;
    /// control characters (descriptions may hold tabs and line feeds); a parent that is no competency;
    /// a cycle of parents; more than `maxCompetencies` competencies.
    public func validated() throws(ReferentialError) -> CompetencyFramework {
        try validated(frameworkLine: nil, competencyLines: nil)
    }

    /// The shared validation. With lines (a CSV import), errors carry the line of the faulty record
    /// and items are checked in file order; without (JSON), errors name the competency.
    func validated(frameworkLine: Int?, competencyLines: [Int]?) throws(ReferentialError) -> CompetencyFramework {
        let checker = Checker(framework: self, frameworkLine: frameworkLine, competencyLines: competencyLines)
        try checker.run()
        var copy = self
        copy.competencies = Self.treeOrder(competencies).map { competencies[$0] }
        return copy
    }

    /// Indices of `competencies` in tree order: depth first from the top level, siblings in array order.
    /// Competencies not reachable from the top level (unknown parent, cycle) follow, in array order.
    static func treeOrder(_ competencies: [Competency]) -> [Int] {
        let walk = treeWalk(competencies)
        return walk.order + competencies.indices.filter { !walk.reached[$0] }
    }

    /// The depth-first walk from the top level: the indices met, in order, and which were met.
    static func treeWalk(_ competencies: [Competency]) -> (order: [Int], reached: [Bool]) {
        var children: [String?: [Int]] = [:]
        for (i, c) in competencies.enumerated() { children[c.parentIDNumber, default: []].append(i) }
        var order: [Int] = []
        order.reserveCapacity(competencies.count)
        var reached = [Bool](repeating: false, count: competencies.count)
        var stack: [Int] = (children[nil] ?? []).reversed()
        while let i = stack.popLast() {
            if reached[i] { continue }  // two competencies with the same id number share their children
            reached[i] = true
            order.append(i)
            stack.append(contentsOf: (children[competencies[i].idNumber] ?? []).reversed())
        }
        return (order, reached)
    }
}

/// Runs the checks of `CompetencyFramework.validated()` and builds the errors.
private struct Checker {
    let framework: CompetencyFramework
    let frameworkLine: Int?
    let competencyLines: [Int]?

    /// The line of competency `index` (the framework when nil), when known.
    func line(_ index: Int?) -> Int? {
        guard let index else { return frameworkLine }
        return competencyLines?[index]
    }

    /// "competency « X »" / "the framework" in both languages, to name the faulty item.
    func subject(_ index: Int?) -> (fr: String, en: String) {
        guard let index else { return ("référentiel", "framework") }
        var id = framework.competencies[index].idNumber
        if id.count > 40 { id = id.prefix(40) + "…" }
        return id.isEmpty ? ("compétence", "competency") : ("compétence « \(id) »", "competency “\(id)”")
    }

    func fail(_ index: Int?, _ fr: String, _ en: String) -> ReferentialError {
        let s = subject(index)
        return ReferentialError(line: line(index), fr: "\(s.fr) : \(fr)", en: "\(s.en): \(en)")
    }

    func run() throws(ReferentialError) {
        let count = framework.competencies.count
        if count > CompetencyFramework.maxCompetencies {
            let limit = CompetencyFramework.maxCompetencies
            throw ReferentialError(
                line: competencyLines?[limit],
                fr: "trop de compétences (\(count)) : au plus \(limit.formatted(grouping: " ")) par référentiel",
                en: "too many competencies (\(count)): at most \(limit.formatted(grouping: ",")) per framework")
        }
        // Items in file order when lines are known, else the framework first then the array order.
        var items: [Int?] = [nil] + framework.competencies.indices.map { Optional($0) }
        if competencyLines != nil {
            items.sort { (line($0) ?? 0) < (line($1) ?? 0) }
        }
        var seen: [String: Int?] = [:]
        for item in items {
            try checkFields(item)
            let id = item.map { framework.competencies[$0].idNumber } ?? framework.idNumber
            if let earlier = seen[id] {
                if let earlierLine = line(earlier) {
                    throw fail(
                        item, "Id number « \(id) » déjà utilisé ligne \(earlierLine)",
                        "Id number “\(id)” already used on line \(earlierLine)")
                }
                throw fail(item, "Id number « \(id) » utilisé deux fois", "Id number “\(id)” used twice")
            }
            seen[id] = item
        }
        let ids = Set(framework.competencies.map(\.idNumber))
        for case let index? in items {
            guard let parent = framework.competencies[index].parentIDNumber, !ids.contains(parent) else { continue }
            if parent == framework.idNumber {
                throw fail(
                    index,
                    "le parent « \(parent) » est le référentiel lui-même ; au premier niveau, "
                        + "laisser le parent vide",
                    "parent “\(parent)” is the framework itself; leave the parent empty at the top level")
            }
            throw fail(
                index, "le parent « \(parent) » ne correspond à aucune compétence",
                "parent “\(parent)” matches no competency")
        }
        try checkCycles()
    }

    /// Every competency must be reachable from the top level; otherwise its parents form a cycle.
    func checkCycles() throws(ReferentialError) {
        let competencies = framework.competencies
        let reached = CompetencyFramework.treeWalk(competencies).reached
        guard let start = competencies.indices.first(where: { !reached[$0] }) else { return }
        // Walk up from an unreached competency until an id repeats: the repeat closes the cycle.
        var indexByID: [String: Int] = [:]
        for (i, c) in competencies.enumerated() where indexByID[c.idNumber] == nil { indexByID[c.idNumber] = i }
        var path: [Int] = []
        var position: [Int: Int] = [:]
        var current = start
        while position[current] == nil {
            position[current] = path.count
            path.append(current)
            guard let parent = competencies[current].parentIDNumber, let next = indexByID[parent] else { return }
            current = next
        }
        let cycle = Array(path[position[current]!...])
        // Report the member that comes first (in the file, or in the array).
        let first = cycle.min { (line($0) ?? $0, $0) < (line($1) ?? $1, $1) }!
        let rotated = Array(cycle.drop { $0 != first }) + Array(cycle.prefix { $0 != first }) + [first]
        let chain = rotated.map { competencies[$0].idNumber }.joined(separator: " → ")
        throw fail(
            first, "les parents forment une boucle (\(chain), chaque compétence suivie de son parent)",
            "parents form a cycle (\(chain), each competency followed by its parent)")
    }

    func checkFields(_ item: Int?) throws(ReferentialError) {
        let f = framework
        let c = item.map { f.competencies[$0] }
        let idNumber = c?.idNumber ?? f.idNumber
        let shortName = c?.shortName ?? f.shortName
        if idNumber.isEmpty { throw fail(item, "Id number vide", "empty Id number") }
        if idNumber.trimmingCharacters(in: .whitespacesAndNewlines) != idNumber {
            throw fail(
                item, "l'Id number « \(idNumber) » commence ou finit par une espace",
                "Id number “\(idNumber)” starts or ends with a space")
        }
        try checkPlain(item, idNumber, "Id number")
        try checkLength(item, idNumber, "Id number", CompetencyFramework.maxIDNumberLength)
        if shortName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw fail(item, "Shortname vide", "empty Shortname")
        }
        try checkPlain(item, shortName, "Shortname")
        try checkLength(item, shortName, "Shortname", CompetencyFramework.maxShortNameLength)
        try checkDescription(item, c?.description ?? f.description)
        let format = c?.descriptionFormat ?? f.descriptionFormat
        if !CompetencyFramework.descriptionFormats.contains(format) {
            throw ReferentialError.badDescriptionFormat(line: line(item), subject: subject(item), value: String(format))
        }
        let scaleValues = c?.scaleValues ?? f.scaleValues
        if c == nil && scaleValues.isEmpty {
            throw fail(item, "valeurs d'échelle (Scale values) absentes", "no Scale values")
        }
        try checkList(item, scaleValues, "Scale values")
        let scaleConfiguration = c?.scaleConfiguration ?? f.scaleConfiguration
        try checkPlain(item, scaleConfiguration, "Scale configuration")
        if !scaleConfiguration.isEmpty {
            do {
                _ = try JSONValue(parsing: scaleConfiguration)
            } catch {
                throw fail(
                    item,
                    "Scale configuration n'est pas du JSON valide (\(error.reason), octet \(error.offset))",
                    "Scale configuration is not valid JSON (\(error.reason), byte \(error.offset))")
            }
        }
        guard let c else {
            try checkList(item, f.taxonomies, "Taxonomy")
            return
        }
        if let parent = c.parentIDNumber { try checkPlain(item, parent, "Parent id number") }
        try checkPlain(item, c.ruleType, "Rule type")
        if !CompetencyFramework.ruleOutcomes.contains(c.ruleOutcome) {
            throw ReferentialError.badRuleOutcome(
                line: line(item), subject: subject(item), value: String(c.ruleOutcome))
        }
        try checkPlain(item, c.ruleConfig, "Rule config")
        try checkList(item, c.relatedIDNumbers, "Cross referenced competency id numbers")
        try checkPlain(item, c.exportID, "Exported id")
    }

    func checkLength(_ item: Int?, _ value: String, _ column: String, _ limit: Int) throws(ReferentialError) {
        let length = value.unicodeScalars.count
        if length > limit {
            throw fail(
                item, "\(column) trop long (\(length) caractères, au plus \(limit))",
                "\(column) too long (\(length) characters, at most \(limit))")
        }
    }

    /// No control character at all.
    func checkPlain(_ item: Int?, _ value: String, _ column: String) throws(ReferentialError) {
        if let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw controlCharacter(item, bad, column)
        }
    }

    /// No control character other than tab and line feed.
    func checkDescription(_ item: Int?, _ value: String) throws(ReferentialError) {
        let bad = value.unicodeScalars.first {
            $0.properties.generalCategory == .control && $0 != "\t" && $0 != "\n"
        }
        if let bad { throw controlCharacter(item, bad, "Description") }
    }

    func controlCharacter(_ item: Int?, _ scalar: Unicode.Scalar, _ column: String) -> ReferentialError {
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        return fail(item, "caractère de contrôle \(code) dans \(column)", "control character \(code) in \(column)")
    }

    /// Items of a comma-separated list: not empty, not padded, no comma, no control character.
    func checkList(_ item: Int?, _ values: [String], _ column: String) throws(ReferentialError) {
        for value in values {
            try checkPlain(item, value, column)
            if value.isEmpty || value.contains(",") || value.trimmingCharacters(in: .whitespaces) != value {
                throw fail(
                    item, "élément « \(value) » invalide dans \(column) (vide, avec virgule ou espaces autour)",
                    "invalid item “\(value)” in \(column) (empty, with a comma or surrounding spaces)")
            }
        }
    }
}

extension ReferentialError {
    /// A description format other than 0, 1, 2, 4 (shared with the CSV reader for non-numbers).
    static func badDescriptionFormat(line: Int?, subject: (fr: String, en: String), value: String) -> ReferentialError {
        ReferentialError(
            line: line,
            fr: "\(subject.fr) : Description format « \(value) » invalide (0, 1, 2 ou 4 attendu)",
            en: "\(subject.en): invalid Description format “\(value)” (0, 1, 2 or 4 expected)")
    }

    /// A rule outcome other than 0…3 (shared with the CSV reader for non-numbers).
    static func badRuleOutcome(line: Int?, subject: (fr: String, en: String), value: String) -> ReferentialError {
        ReferentialError(
            line: line,
            fr: "\(subject.fr) : Rule outcome « \(value) » invalide (entier de 0 à 3 attendu)",
            en: "\(subject.en): invalid Rule outcome “\(value)” (integer 0 to 3 expected)")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Int {
    /// The number with thousands grouped by `separator` (`10 000`, `10,000`), independent of the locale.
    func formatted(grouping separator: String) -> String {
        var digits = String(self.magnitude)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (self < 0 ? "-" : "") + groups.joined(separator: separator)
    }
}
