import ArgumentParser
import CompetencyFrameworks
import Foundation
import InsigneStore

/// `insigne referential import FILE` / `export ID` / `list`: the referentials of the service's database.
struct ReferentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referential", abstract: "Import or export a competency framework (Moodle CSV or JSON).",
        subcommands: [ReferentialImportCommand.self, ReferentialExportCommand.self, ReferentialListCommand.self])
}

/// The `--data-dir` option shared by the subcommands: the same database as `insigne serve`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(help: "Dossier des données / data directory (INSIGNE_DATA_DIR, ./data).")
    var dataDir: String?

    /// Opens (and migrates) `<data dir>/insigne.sqlite`; exits 2 when it cannot.
    func open() -> AppDatabase {
        let dir = dataDir ?? ProcessInfo.processInfo.environment["INSIGNE_DATA_DIR"] ?? "./data"
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return try AppDatabase.open(path: URL(fileURLWithPath: dir).appendingPathComponent("insigne.sqlite").path)
        } catch {
            exitWith(
                2,
                CLIError(
                    fr: "base de données illisible dans \(dir) : \(error)",
                    en: "cannot open the database in \(dir): \(error)"))
        }
    }
}

/// `insigne referential import FILE`: exit 0 imported, 1 refused (line and reason), 2 could not run.
struct ReferentialImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Importe un référentiel (CSV Moodle ou JSON) / import a framework.")

    @Argument(help: "Fichier CSV ou JSON / CSV or JSON file.")
    var file: String

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let bytes: [UInt8]
        do { bytes = try readFile(file, limit: 5 * 1024 * 1024) } catch {
            exitWith(2, error as? CLIError ?? CLIError(fr: "\(error)", en: "\(error)"))
        }
        let db = options.open()
        do {
            let framework = try ReferentialFile.parse(Data(bytes))
            let s = try db.importFramework(framework, actor: "cli")
            let f = s.framework
            print(
                """
                \(s.created ? "Importé" : "Réimporté") : \(f.shortName) (\(f.idNumber), id \(f.id)) — \(s.added) ajoutée(s), \
                \(s.updated) modifiée(s), \(s.unchanged) inchangée(s), \(s.retired) retirée(s).
                \(s.created ? "Imported" : "Re-imported"): \(f.shortName) (\(f.idNumber), id \(f.id)) — \(s.added) added, \
                \(s.updated) changed, \(s.unchanged) unchanged, \(s.retired) retired.
                """)
        } catch let e as ReferentialError {
            exitWith(1, "Refusé, rien n'a été enregistré. \(e.messageFR)\nRefused, nothing was stored. \(e.messageEN)")
        } catch {
            exitWith(2, CLIError(fr: "import impossible : \(error)", en: "import failed: \(error)"))
        }
    }
}

/// `insigne referential export ID`: the Moodle CSV (default) or JSON form, on stdout or in a file.
struct ReferentialExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Exporte un référentiel / export a framework (stdout by default).")

    enum Format: String, ExpressibleByArgument { case csv, json }

    @Argument(help: "Identifiant du référentiel (id ou Id number) / framework id or id number.")
    var id: String

    @Option(help: "csv (Moodle) ou json.")
    var format: Format = .csv

    @Option(help: "Fichier de sortie / output file.")
    var output: String?

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let db = options.open()
        let found: CompetencyFramework?
        do {
            found = try db.framework(reference: id).flatMap { try db.coreFramework(id: $0.id) }
        } catch {
            exitWith(2, CLIError(fr: "lecture impossible : \(error)", en: "cannot read: \(error)"))
        }
        guard let framework = found else {
            exitWith(1, CLIError(fr: "référentiel introuvable : \(id)", en: "framework not found: \(id)"))
        }
        let data = format == .csv ? MoodleCompetencyCSV.export(framework) : CompetencyFrameworkJSON.encode(framework)
        if let output {
            do { try writeFile(output, [UInt8](data)) } catch {
                exitWith(2, error as? CLIError ?? CLIError(fr: "\(error)", en: "\(error)"))
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

/// `insigne referential list`: one framework per line (id, id number, competencies, title).
struct ReferentialListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Liste les référentiels / list frameworks.")

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let db = options.open()
        do {
            let counts = try db.frameworkCounts()
            for f in try db.frameworks() {
                let c = counts[f.id] ?? FrameworkCounts()
                print("\(f.id)\t\(f.idNumber)\t\(c.current)\(c.retired > 0 ? " (+\(c.retired))" : "")\t\(f.shortName)")
            }
        } catch {
            exitWith(2, CLIError(fr: "lecture impossible : \(error)", en: "cannot read: \(error)"))
        }
    }
}
