import Foundation
import OpenBadges

/// A competency framework (referential): its own fields and its competency tree, any depth
/// (domain → competence → indicator …). Mirrors what Moodle's `tool_lpimportcsv` carries.
public struct CompetencyFramework: Sendable, Equatable, Codable {
    /// Moodle "Id number": the stable identifier (`DEES-2007`).
    public var idNumber: String
    /// Moodle "Shortname": the title.
    public var shortName: String
    /// The description, as given (HTML when `descriptionFormat` is 1).
    public var description: String
    /// Moodle text format: 0 Moodle auto, 1 HTML, 2 plain text, 4 Markdown.
    public var descriptionFormat: Int
    /// The scale's values, lowest first (`Not yet competent`, `Competent`).
    public var scaleValues: [String]
    /// Moodle's scale configuration, kept verbatim (a JSON array as text).
    public var scaleConfiguration: String
    /// Name of each level of the tree, top first (`domain`, `competency`, `indicator`).
    public var taxonomies: [String]
    /// Every competency, parents before children, siblings in file order.
    public var competencies: [Competency]

    /// Creates a framework.
    public init(
        idNumber: String, shortName: String, description: String = "", descriptionFormat: Int = 1,
        scaleValues: [String], scaleConfiguration: String, taxonomies: [String] = [], competencies: [Competency] = []
    ) {
        self.idNumber = idNumber
        self.shortName = shortName
        self.description = description
        self.descriptionFormat = descriptionFormat
        self.scaleValues = scaleValues
        self.scaleConfiguration = scaleConfiguration
        self.taxonomies = taxonomies
        self.competencies = competencies
    }
}

/// One node of a framework's tree.
public struct Competency: Sendable, Equatable, Codable {
    /// Moodle "Id number", unique in its framework (`DC1.1.1`).
    public var idNumber: String
    /// The parent's id number; nil at the top level.
    public var parentIDNumber: String?
    /// Moodle "Shortname" (at most 100 characters).
    public var shortName: String
    /// The description, as given.
    public var description: String
    /// Moodle text format of the description.
    public var descriptionFormat: Int
    /// Scale values when the competency overrides the framework's scale (rare); empty otherwise.
    public var scaleValues: [String]
    /// Scale configuration when overridden; empty otherwise.
    public var scaleConfiguration: String
    /// Moodle "Rule type (optional)", verbatim (a PHP class name or empty).
    public var ruleType: String
    /// Moodle "Rule outcome (optional)": 0 none, 1 evidence, 2 recommend, 3 complete.
    public var ruleOutcome: Int
    /// Moodle "Rule config (optional)", verbatim (`null` or JSON).
    public var ruleConfig: String
    /// Moodle "Cross referenced competency id numbers".
    public var relatedIDNumbers: [String]
    /// Moodle "Exported id (optional)", verbatim.
    public var exportID: String

    /// Creates a competency.
    public init(
        idNumber: String, parentIDNumber: String? = nil, shortName: String, description: String = "",
        descriptionFormat: Int = 1, scaleValues: [String] = [], scaleConfiguration: String = "", ruleType: String = "",
        ruleOutcome: Int = 0, ruleConfig: String = "null", relatedIDNumbers: [String] = [], exportID: String = ""
    ) {
        self.idNumber = idNumber
        self.parentIDNumber = parentIDNumber
        self.shortName = shortName
        self.description = description
        self.descriptionFormat = descriptionFormat
        self.scaleValues = scaleValues
        self.scaleConfiguration = scaleConfiguration
        self.ruleType = ruleType
        self.ruleOutcome = ruleOutcome
        self.ruleConfig = ruleConfig
        self.relatedIDNumbers = relatedIDNumbers
        self.exportID = exportID
    }
}

extension CompetencyFramework {
    /// The competencies whose parent is `idNumber` (top level when nil), in order.
    public func children(of idNumber: String?) -> [Competency] {
        competencies.filter { $0.parentIDNumber == idNumber }
    }

    /// Depth of a competency: 0 at the top level.
    public func depth(of idNumber: String) -> Int {
        var depth = 0
        var current = competencies.first { $0.idNumber == idNumber }?.parentIDNumber
        while let p = current, depth < competencies.count {
            depth += 1
            current = competencies.first { $0.idNumber == p }?.parentIDNumber
        }
        return depth
    }

    /// The taxonomy name of a level (`domain`, `competency`, `indicator`), when the framework names it.
    public func taxonomy(atDepth depth: Int) -> String? {
        depth < taxonomies.count ? taxonomies[depth] : nil
    }

    /// The description as plain text (tags removed, entities decoded), for alignment `targetDescription`.
    public static func plainText(_ description: String) -> String {
        var out = ""
        var inTag = false
        for ch in description {
            if ch == "<" {
                inTag = true
                continue
            }
            if ch == ">" && inTag {
                inTag = false
                out.append(" ")
                continue
            }
            if !inTag { out.append(ch) }
        }
        let entities = [
            "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&nbsp;": " ",
        ]
        for (k, v) in entities { out = out.replacingOccurrences(of: k, with: v) }
        return out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// A referential file refused: where (line, when known) and why, in French and English.
public struct ReferentialError: BilingualError, Equatable {
    /// The physical line (1-based) where the faulty record starts; nil when the whole file is at fault.
    public var line: Int?
    /// French message.
    public var messageFR: String
    /// English message.
    public var messageEN: String

    /// Creates an error.
    public init(line: Int?, fr: String, en: String) {
        self.line = line
        self.messageFR = line.map { "Ligne \($0) : " + fr } ?? fr
        self.messageEN = line.map { "Line \($0): " + en } ?? en
    }

    public var description: String { "\(messageFR) / \(messageEN)" }
}
