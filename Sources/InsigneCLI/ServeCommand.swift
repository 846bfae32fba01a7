import ArgumentParser
import Foundation
import Hummingbird
import InsigneServer

/// `insigne serve`: the issuer service (hosted documents, API, verification page, trainers' pages).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Démarre le service / start the service (options or INSIGNE_HOST, INSIGNE_PORT, INSIGNE_DATA_DIR, INSIGNE_PUBLIC_URL)."
    )

    @Option(help: "Interface d'écoute / listen address (INSIGNE_HOST).")
    var host: String?

    @Option(help: "Port (INSIGNE_PORT, 8080).")
    var port: Int?

    @Option(help: "Dossier des données / data directory (INSIGNE_DATA_DIR, ./data).")
    var dataDir: String?

    @Option(help: "Adresse publique / public URL (INSIGNE_PUBLIC_URL, http://127.0.0.1:8080).")
    var publicURL: String?

    @Flag(help: "Ne pas créer les données de démonstration / no demo data.")
    var noDemo = false

    @Flag(help: "Le vérificateur peut joindre des adresses privées / verifier may fetch private addresses.")
    var allowPrivateNetwork = false

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var config = ServerConfiguration()
        config.host = host ?? env["INSIGNE_HOST"] ?? config.host
        if let p = port ?? env["INSIGNE_PORT"].flatMap(Int.init) { config.port = p }
        config.dataDirectory = dataDir ?? env["INSIGNE_DATA_DIR"] ?? config.dataDirectory
        config.publicURL = publicURL ?? env["INSIGNE_PUBLIC_URL"] ?? "http://\(config.host):\(config.port)"
        config.adminToken = env["INSIGNE_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        config.seedDemo = !noDemo
        config.certificateSigner = CertificateSigner.fromEnvironment(env)
        config.allowPrivateNetwork = allowPrivateNetwork || env["INSIGNE_ALLOW_PRIVATE_NETWORK"] == "1"
        guard (1...65535).contains(config.port) else {
            exitWith(2, CLIError(fr: "port invalide : \(config.port)", en: "invalid port: \(config.port)"))
        }
        let app = try await buildApplication(config)
        print("Insigne écoute sur / listening on http://\(config.host):\(config.port) — public: \(config.publicURL)")
        try await app.runService()
    }
}
