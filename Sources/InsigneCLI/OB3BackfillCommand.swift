import ArgumentParser
import Foundation
import InsigneServer

/// `insigne ob3-backfill --data-dir D --public-url URL`: gives every award made before OB 3.0 issuing its OB 3.0
/// credential (signed once, then stored; awards that have one keep it). Exit 0 done, 2 could not run.
struct OB3BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ob3-backfill",
        abstract:
            "Crée le justificatif Open Badges 3.0 des attributions anciennes / make the OB 3.0 credential of older awards."
    )

    @Option(help: "Adresse publique du service / public URL (INSIGNE_PUBLIC_URL): the credentials' ids use it.")
    var publicURL: String?

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        var config = ServerConfiguration()
        config.dataDirectory = options.dataDir ?? value("INSIGNE_DATA_DIR") ?? config.dataDirectory
        config.publicURL = publicURL ?? value("INSIGNE_PUBLIC_URL") ?? config.publicURL
        do {
            let (made, skipped) = try await ServerServices(configuration: config).issuing.backfillOB3(actor: "cli")
            print(
                "\(made) justificatif(s) OB 3.0 créé(s), \(skipped) ignoré(s) / \(made) OB 3.0 credential(s) made, "
                    + "\(skipped) skipped")
        } catch let e as ServiceError {
            exitWith(2, CLIError(fr: "rattrapage impossible : \(e.messageFR)", en: "cannot backfill: \(e.messageEN)"))
        } catch {
            exitWith(2, CLIError(fr: "rattrapage impossible : \(error)", en: "cannot backfill: \(error)"))
        }
    }
}
