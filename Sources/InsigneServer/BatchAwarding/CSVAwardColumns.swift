import CSVText
import Foundation

/// The header row of a bulk-award CSV: which column each field is, by French or English names, case, accents,
/// spaces and punctuation ignored (`Prénom`, `Nom`, `Courriel`, `E-mail`, `Adresse électronique`, `Date
/// d'expiration`…). Moodle's user export (`username,firstname,lastname,email,…`) is recognised by its own column
/// names, and its other columns (`city`, `institution`…) are ignored; any other file must name only known columns.
struct CSVAwardColumns: Sendable, Equatable {
    /// The columns a field can be.
    enum Column: String, Sendable, CaseIterable {
        case email, name, firstName, lastName, narrative, expires, evidence, idempotencyKey

        /// How the messages name the column, French then English.
        var label: (fr: String, en: String) {
            switch self {
            case .email: ("Courriel", "email")
            case .name: ("Nom complet", "name")
            case .firstName: ("Prénom", "firstname")
            case .lastName: ("Nom", "lastname")
            case .narrative: ("Commentaire", "narrative")
            case .expires: ("Date d'expiration", "expires")
            case .evidence: ("Preuve", "evidence")
            case .idempotencyKey: ("Clé", "idempotencyKey")
            }
        }
    }

    /// The column of each header field, by position (fields of no column are absent).
    var byIndex: [Int: Column]
    /// The file is Moodle's user export (unknown columns were ignored).
    var isMoodleExport: Bool

    /// The accepted header names, folded (see `fold`).
    private static let aliases: [String: Column] = {
        let table: [Column: [String]] = [
            .email: [
                "email", "mail", "courriel", "mel", "adressecourriel", "adresseelectronique", "adressemail",
                "adresseemail", "adressedecourriel", "adressedemessagerie", "emailaddress", "recipientemail",
            ],
            .name: [
                "name", "nomcomplet", "fullname", "recipientname", "prenomnom", "prenometnom", "nomprenom",
                "nometprenom", "displayname",
            ],
            .firstName: ["prenom", "firstname", "givenname"],
            .lastName: ["nom", "lastname", "nomdefamille", "surname", "familyname"],
            .narrative: [
                "narrative", "recit", "commentaire", "commentaires", "comment", "observation", "observations",
            ],
            .expires: [
                "expires", "expire", "expiration", "date", "dateexpiration", "datedexpiration", "expirationdate",
                "datedefin", "valablejusquau", "expirele",
            ],
            .evidence: ["evidence", "preuve", "preuves", "lien", "liens", "link", "links"],
            .idempotencyKey: ["idempotencykey", "cle", "cledidempotence"],
        ]
        return Dictionary(uniqueKeysWithValues: table.flatMap { column, names in names.map { ($0, column) } })
    }()

    /// The accepted columns as the messages list them.
    static let acceptedFR =
        "Courriel (ou E-mail, Adresse électronique, Mail) obligatoire, Prénom, Nom, Nom complet, "
        + "Date d'expiration, Preuve (ou Lien), Commentaire (ou Récit), Clé ; ou en anglais email, firstname, "
        + "lastname, name, expires, evidence, narrative, idempotencyKey ; ou l'export des utilisateurs de Moodle"
    static let acceptedEN =
        "email (or Courriel, E-mail, Mail) required, firstname, lastname, name, expires, evidence, narrative, "
        + "idempotencyKey; or the French names Prénom, Nom, Nom complet, Date d'expiration, Preuve, Commentaire; "
        + "or Moodle's user export"

    /// `header` lowercased, accents removed, only letters and digits kept: `Adresse électronique` →
    /// `adresseelectronique`.
    static func fold(_ header: String) -> String {
        let plain = header.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return String(plain.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
    }

    /// The column a header names, nil when unknown.
    static func column(forHeader header: String) -> Column? { aliases[fold(header)] }

    /// The columns of a header row; an unknown column (outside a Moodle export), a column given twice or no
    /// address column throws, naming what was found and what is accepted.
    init(header: CSVRecord) throws(CSVAwardReader.Failure) {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let folded = Set(names.map(Self.fold))
        isMoodleExport =
            folded.contains("username") && folded.contains("email")
            && (folded.contains("firstname") || folded.contains("lastname"))
        byIndex = [:]
        var seen: [Column: String] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty {
            guard let column = Self.column(forHeader: name) else {
                if isMoodleExport { continue }
                throw Self.unknown(name, index: i, line: header.line)
            }
            if let first = seen[column] {
                throw CSVAwardReader.Failure(
                    line: header.line,
                    fr: "les colonnes « \(first) » et « \(name) » désignent toutes deux « \(column.label.fr) » : "
                        + "gardez-en une",
                    en: "the columns \"\(first)\" and \"\(name)\" both mean \"\(column.label.en)\": keep one")
            }
            seen[column] = name
            byIndex[i] = column
        }
        guard seen[.email] != nil else {
            let present = names.filter { !$0.isEmpty }
            let foundFR = present.map { "« \($0) »" }.joined(separator: ", ")
            let foundEN = present.map { "\"\($0)\"" }.joined(separator: ", ")
            throw CSVAwardReader.Failure(
                line: header.line,
                fr: "aucune colonne d'adresse électronique dans la ligne d'en-tête (trouvé : \(foundFR)) ; "
                    + "ajoutez une colonne « Courriel » (colonnes reconnues : \(Self.acceptedFR))",
                en: "no email column in the header row (found: \(foundEN)); add an \"email\" column "
                    + "(accepted columns: \(Self.acceptedEN))")
        }
    }

    /// The failure for an unknown header field: a missing header row when the first field is an address.
    private static func unknown(_ name: String, index: Int, line: Int) -> CSVAwardReader.Failure {
        if index == 0, name.contains("@") {
            return CSVAwardReader.Failure(
                line: line,
                fr: "ligne d'en-tête manquante : la première ligne doit nommer les colonnes, par exemple "
                    + "« Prénom;Nom;Courriel » (colonnes reconnues : \(acceptedFR))",
                en: "header row missing: the first line must name the columns, for example \"email,name\" "
                    + "(accepted columns: \(acceptedEN))")
        }
        return CSVAwardReader.Failure(
            line: line,
            fr: "colonne inconnue « \(name) » : renommez-la ou supprimez-la (colonnes reconnues : \(acceptedFR))",
            en: "unknown column \"\(name)\": rename or remove it (accepted columns: \(acceptedEN))")
    }
}
