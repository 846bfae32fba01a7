import Foundation

// TEMPORARY stand-in (branch refs): replaced at merge time by the real parser/exporter of branch csv.
// Self-contained on purpose; build nothing on its internals.

/// Moodle competency framework CSV (`admin/tool/lpimportcsv`): one framework per file.
public enum MoodleCompetencyCSV {
    /// The header line Moodle writes and expects.
    static let header = [
        "Parent id number", "Id number", "Shortname", "Description", "Description format", "Scale values",
        "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
        "Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy",
    ]

    /// Parses a file (header row, framework row with `Is framework` = 1, then competencies).
    public static func parse(_ data: Data) throws(ReferentialError) -> CompetencyFramework {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw ReferentialError(line: nil, fr: "le fichier n'est pas en UTF-8", en: "the file is not UTF-8")
        }
        let records = try records(text)
        guard let head = records.first, head.fields.count >= 14, head.fields[1] == "Id number" else {
            throw ReferentialError(
                line: 1, fr: "en-tête Moodle attendu (14 colonnes, « Parent id number,Id number,… »)",
                en: "Moodle header expected (14 columns, \"Parent id number,Id number,…\")")
        }
        var framework: CompetencyFramework?
        var items: [Competency] = []
        for r in records.dropFirst() where !(r.fields.count == 1 && r.fields[0].isEmpty) {
            guard r.fields.count == 14 else {
                throw ReferentialError(
                    line: r.line, fr: "14 colonnes attendues, \(r.fields.count) trouvées",
                    en: "14 columns expected, \(r.fields.count) found")
            }
            let f = r.fields
            if f[12] == "1" {
                guard framework == nil else {
                    throw ReferentialError(
                        line: r.line, fr: "un seul référentiel par fichier", en: "one framework per file")
                }
                framework = CompetencyFramework(
                    idNumber: f[1], shortName: f[2], description: f[3], descriptionFormat: Int(f[4]) ?? 1,
                    scaleValues: list(f[5]), scaleConfiguration: f[6], taxonomies: list(f[13]))
                continue
            }
            guard framework != nil else {
                throw ReferentialError(
                    line: r.line, fr: "la ligne du référentiel (Is framework = 1) doit venir en premier",
                    en: "the framework row (Is framework = 1) must come first")
            }
            guard !f[1].isEmpty else {
                throw ReferentialError(line: r.line, fr: "« Id number » vide", en: "empty \"Id number\"")
            }
            items.append(
                Competency(
                    idNumber: f[1], parentIDNumber: f[0].isEmpty ? nil : f[0], shortName: f[2], description: f[3],
                    descriptionFormat: Int(f[4]) ?? 1, scaleValues: list(f[5]), scaleConfiguration: f[6],
                    ruleType: f[7], ruleOutcome: Int(f[8]) ?? 0, ruleConfig: f[9], relatedIDNumbers: list(f[10]),
                    exportID: f[11]))
        }
        guard var result = framework else {
            throw ReferentialError(line: nil, fr: "aucune ligne de référentiel", en: "no framework row")
        }
        result.competencies = items
        return try result.validated()
    }

    /// Writes a framework as a Moodle CSV file (UTF-8, LF line ends).
    public static func export(_ f: CompetencyFramework) -> Data {
        var rows = [header]
        rows.append([
            "", f.idNumber, f.shortName, f.description, String(f.descriptionFormat),
            f.scaleValues.joined(separator: ","),
            f.scaleConfiguration, "", "", "", "", "", "1", f.taxonomies.joined(separator: ","),
        ])
        for c in f.competencies {
            rows.append([
                c.parentIDNumber ?? "", c.idNumber, c.shortName, c.description, String(c.descriptionFormat),
                c.scaleValues.joined(separator: ","), c.scaleConfiguration, c.ruleType, String(c.ruleOutcome),
                c.ruleConfig, c.relatedIDNumbers.joined(separator: ","), c.exportID, "", "",
            ])
        }
        let text = rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        return Data(text.utf8)
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func list(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Records with the physical line where each starts (quoted fields may span lines).
    static func records(_ text: String) throws(ReferentialError) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var start = 1
        var chars = Array(text.unicodeScalars)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                fields.append(field)
                out.append((start, fields))
                fields = []
                field = ""
                line += 1
                start = line
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes {
            throw ReferentialError(line: start, fr: "guillemet non fermé", en: "unterminated quote")
        }
        return out
    }
}
