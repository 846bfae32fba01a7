import CSVText
import Foundation
import InsigneStore
import OpenBadges

/// Reads a roster CSV with the bulk award's reader (`CSVAwardReader.records`: UTF-8/BOM, UTF-16, Windows-1252;
/// `,` `;` or tab; 4 MiB at most) and its header names (`CSVAwardColumns`: `Prénom;Nom;Courriel`, `email,name`,
/// Moodle's user export…), plus an identifier column (`username`, `Identifiant`, `Matricule`). The bulk award's
/// other columns (comment, expiry, evidence, key) are accepted and ignored, so an award file is also a roster; an
/// address cell may hold several addresses separated by spaces or `|` (the first is the main one).
enum RosterCSVReader {
    /// Most rows of one import.
    static let maxRows = 10_000

    /// A line read: the row to import, or why it is refused.
    struct Line: Sendable {
        var line: Int
        var row: RosterImportRow?
        var email: String
        var problem: ServiceError?
    }

    /// The columns a roster reads.
    enum Column: Equatable { case email, name, firstName, lastName, externalID, ignored }

    /// The identifier columns, folded (`CSVAwardColumns.fold`).
    static let externalIDNames: Set<String> = ["username", "identifiant", "login", "matricule", "externalid"]

    /// Reads the lines of a roster file; a malformed file throws the reader's `Failure` (413 when too large).
    static func read(_ input: [UInt8], encoding: CSVTextEncoding = .automatic) throws(CSVAwardReader.Failure)
        -> (lines: [Line], summary: (fr: String, en: String))
    {
        let (records, detected, delimiter) = try CSVAwardReader.records(input, maxRows: maxRows, encoding: encoding)
        let content = records.filter { !$0.isBlank }
        let sepLine = content.first.map { $0.fields.count == 2 && $0.fields[0].lowercased() == "sep=" } ?? false
        guard let header = content.dropFirst(sepLine ? 1 : 0).first else {
            throw CSVAwardReader.Failure(line: 0, fr: "fichier CSV vide", en: "empty CSV file")
        }
        let (columns, moodle) = try self.columns(header)
        let lines = records.filter { $0.line > header.line && !$0.isBlank }.map { line($0, columns: columns) }
        let reading = CSVAwardReader.Reading(
            rows: [], encoding: detected, delimiter: delimiter, isMoodleExport: moodle)
        return (lines, reading.summary)
    }

    /// The column of each header field: the award columns by their names (an identifier column besides), unknown
    /// columns refused unless the file is Moodle's export.
    static func columns(_ header: CSVRecord) throws(CSVAwardReader.Failure) -> ([Column], Bool) {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let folded = names.map(CSVAwardColumns.fold)
        let moodle =
            folded.contains("username") && folded.contains("email")
            && (folded.contains("firstname") || folded.contains("lastname"))
        var columns: [Column] = []
        for (name, f) in zip(names, folded) {
            if externalIDNames.contains(f) {
                columns.append(columns.contains(.externalID) ? .ignored : .externalID)
                continue
            }
            switch CSVAwardColumns.column(forHeader: name) {
            case .email?: columns.append(.email)
            case .name?: columns.append(.name)
            case .firstName?: columns.append(.firstName)
            case .lastName?: columns.append(.lastName)
            case .some: columns.append(.ignored)
            case nil:
                guard moodle || name.isEmpty else {
                    throw CSVAwardReader.Failure(
                        line: header.line,
                        fr: "colonne inconnue « \(name) » : renommez-la ou supprimez-la (colonnes reconnues : "
                            + "Prénom, Nom, Courriel, Identifiant ; ou l'export des utilisateurs de Moodle)",
                        en: "unknown column \"\(name)\": rename or remove it (accepted columns: firstname, "
                            + "lastname, email, username; or Moodle's user export)")
                }
                columns.append(.ignored)
            }
        }
        guard columns.contains(.email) else {
            throw CSVAwardReader.Failure(
                line: header.line,
                fr: "aucune colonne d'adresse électronique dans la ligne d'en-tête : ajoutez une colonne « Courriel »",
                en: "no email column in the header row: add an \"email\" column")
        }
        return (columns, moodle)
    }

    /// One line: trimmed cells, the addresses of every address column, the names (a full name alone becomes the
    /// last name); a line without an address or a name, or with an invalid address, is refused.
    static func line(_ record: CSVRecord, columns: [Column]) -> Line {
        var emails: [String] = []
        var values: [Column: String] = [:]
        for (i, field) in record.fields.enumerated() where i < columns.count {
            let t = field.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { continue }
            if columns[i] == .email {
                emails += t.split(whereSeparator: { $0.isWhitespace || $0 == "|" }).map(String.init)
            } else if values[columns[i]] == nil {
                values[columns[i]] = t
            }
        }
        var out = Line(line: record.line, row: nil, email: emails.first ?? "", problem: nil)
        let lastName = values[.lastName] ?? values[.name] ?? ""
        let firstName = values[.lastName] == nil ? "" : (values[.firstName] ?? "")
        if emails.isEmpty {
            out.problem = Validation.invalid("email", fr: "adresse manquante", en: "address missing")
        } else if let bad = emails.first(where: { !Validation.isEmail(EmailNormalization.normalize($0)) }) {
            out.problem = Validation.invalid(
                "email", fr: "adresse électronique invalide « \(bad) »", en: "invalid email address \"\(bad)\"")
        } else if lastName.isEmpty && (values[.firstName] ?? "").isEmpty {
            out.problem = Validation.invalid("lastname", fr: "nom manquant", en: "name missing")
        } else if (lastName + firstName).count > 200 || (values[.externalID]?.count ?? 0) > 200 {
            out.problem = Validation.invalid("name", fr: "nom trop long", en: "name too long")
        } else {
            out.row = RosterImportRow(
                line: record.line, firstName: lastName.isEmpty ? "" : firstName,
                lastName: lastName.isEmpty ? (values[.firstName] ?? "") : lastName, emails: emails,
                externalID: values[.externalID])
        }
        return out
    }
}
