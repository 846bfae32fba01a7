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

    @Option(
        help:
            "Mandataires de confiance (adresses ou CIDR, séparés par des virgules) dont X-Forwarded-For est cru / trusted proxies, comma-separated addresses or CIDRs (INSIGNE_TRUSTED_PROXIES)."
    )
    var trustedProxies: String?

    @Option(help: "Secondes sans requête avant fermeture / idle timeout in seconds (INSIGNE_IDLE_TIMEOUT, 60).")
    var idleTimeout: Double?

    @Option(
        help:
            "Secondes pour recevoir un en-tête, ou entre deux morceaux d'un corps / read timeout in seconds (INSIGNE_READ_TIMEOUT, 30)."
    )
    var readTimeout: Double?

    @Option(
        help: "Secondes pendant lesquelles une réponse peut rester non lue / write timeout (INSIGNE_WRITE_TIMEOUT, 30)."
    )
    var writeTimeout: Double?

    @Option(
        help:
            "Vérifications par minute et par client sur /verify / verifications per minute (INSIGNE_VERIFY_PER_MINUTE, 30)."
    )
    var verifyPerMinute: Int?

    @Option(
        help:
            "Serveur de courrier / mail server: smtp://hote:25, smtp://utilisateur:mot-de-passe@hote:587?starttls=required, smtps://hote:465 (INSIGNE_SMTP_URL; sans lui, data/outbox/)."
    )
    var smtpURL: String?

    @Option(help: "Expéditeur des messages / sender address (INSIGNE_MAIL_FROM, ne-pas-repondre@<hôte public>).")
    var mailFrom: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var config = ServerConfiguration()
        config.host = host ?? env["INSIGNE_HOST"] ?? config.host
        if let p = port ?? env["INSIGNE_PORT"].flatMap(Int.init) { config.port = p }
        config.dataDirectory = dataDir ?? env["INSIGNE_DATA_DIR"] ?? config.dataDirectory
        config.publicURL = publicURL ?? env["INSIGNE_PUBLIC_URL"] ?? "http://\(config.host):\(config.port)"
        config.adminToken = env["INSIGNE_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        config.seedDemo = !noDemo
        config.smtpURL = (smtpURL ?? env["INSIGNE_SMTP_URL"]).flatMap { $0.isEmpty ? nil : $0 }
        config.mailFrom = (mailFrom ?? env["INSIGNE_MAIL_FROM"]).flatMap { $0.isEmpty ? nil : $0 }
        config.certificateSigner = CertificateSigner.fromEnvironment(env)
        config.allowPrivateNetwork = allowPrivateNetwork || env["INSIGNE_ALLOW_PRIVATE_NETWORK"] == "1"
        guard (1...65535).contains(config.port) else {
            exitWith(2, CLIError(fr: "port invalide : \(config.port)", en: "invalid port: \(config.port)"))
        }
        if let list = trustedProxies ?? env["INSIGNE_TRUSTED_PROXIES"] {
            do { config.trustedProxies = try TrustedProxies(parsing: list) } catch let e as TrustedProxiesError {
                exitWith(2, CLIError(fr: e.fr, en: e.en))
            }
        }
        func seconds(_ option: Double?, _ name: String, default value: Double) -> Double {
            guard let s = option ?? env[name].map({ Double($0) ?? .nan }) else { return value }
            guard s.isFinite, s > 0, s <= 86_400 else {
                exitWith(
                    2,
                    CLIError(
                        fr: "\(name) : durée invalide (secondes, entre 0 et 86400)",
                        en: "\(name): invalid duration (seconds, between 0 and 86400)"))
            }
            return s
        }
        config.timeouts = ConnectionTimeouts(
            idle: seconds(idleTimeout, "INSIGNE_IDLE_TIMEOUT", default: config.timeouts.idle),
            read: seconds(readTimeout, "INSIGNE_READ_TIMEOUT", default: config.timeouts.read),
            write: seconds(writeTimeout, "INSIGNE_WRITE_TIMEOUT", default: config.timeouts.write))
        if let n = verifyPerMinute ?? env["INSIGNE_VERIFY_PER_MINUTE"].map({ Int($0) ?? 0 }) {
            guard n > 0 else {
                exitWith(
                    2,
                    CLIError(
                        fr: "INSIGNE_VERIFY_PER_MINUTE : nombre entier positif attendu",
                        en: "INSIGNE_VERIFY_PER_MINUTE: a positive integer is expected"))
            }
            config.verifyRateLimitPerMinute = n
        }
        let app = try await buildApplication(config)
        print("Insigne écoute sur / listening on http://\(config.host):\(config.port) — public: \(config.publicURL)")
        try await app.runService()
    }
}
