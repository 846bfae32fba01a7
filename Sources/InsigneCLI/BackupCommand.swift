import ArgumentParser
import Foundation
import InsigneServer
import InsigneStore

/// `insigne backup`: a consistent copy of the database with SQLite's online backup API, while the service runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copie la base pendant le service / online database backup (SQLite backup API).")

    @Option(help: "Répertoire des données / data directory (INSIGNE_DATA_DIR, ./data).")
    var dataDir: String?

    @Option(help: "Fichier de la copie, nouveau / new file for the copy (0600).")
    var to: String

    func run() async throws {
        var config = ServerConfiguration()
        config.dataDirectory =
            dataDir ?? ProcessInfo.processInfo.environment["INSIGNE_DATA_DIR"] ?? config.dataDirectory
        let path = config.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            exitWith(2, CLIError(fr: "base introuvable : \(path)", en: "database not found: \(path)"))
        }
        guard !FileManager.default.fileExists(atPath: to) else {
            exitWith(2, CLIError(fr: "le fichier existe déjà : \(to)", en: "the file already exists: \(to)"))
        }
        let start = Date()
        do {
            try AppDatabase.open(path: path).backup(to: to)
        } catch {
            exitWith(2, CLIError(fr: "copie impossible : \(error)", en: "backup failed: \(error)"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? Int) ?? 0
        print(
            "Copie faite / backup done: \(to) (\(size / 1_048_576) MiB, "
                + String(format: "%.1f s)", Date().timeIntervalSince(start)))
    }
}
