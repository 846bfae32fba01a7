import ArgumentParser
import Foundation
import InsigneServer
import OpenBadges

/// `insigne reminders --data-dir D [--now 2029-11-01T00:00:00Z]`: runs the expiry reminders job once (the server
/// runs it daily; cron may run this instead) and prints one line per message sent, addresses masked.
/// Exit 0 done (even when nothing was due), 2 could not run.
struct RemindersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract:
            "Envoie les rappels d'expiration dus / send the expiry reminders that are due (once; daily with the server)."
    )

    @Option(help: "Date de référence / the date to run at, ISO 8601 (2029-11-01T00:00:00Z; now by default).")
    var now: String?

    @Option(help: "Adresse publique du service / public URL (INSIGNE_PUBLIC_URL), for the links in the messages.")
    var publicURL: String?

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var date = Date()
        if let now {
            guard let parsed = DateTimeValue(now)?.date else {
                exitWith(
                    2,
                    CLIError(
                        fr: "--now : date ISO 8601 attendue (2029-11-01T00:00:00Z) : \(now)",
                        en: "--now: an ISO 8601 date-time is expected (2029-11-01T00:00:00Z): \(now)"))
            }
            date = parsed
        }
        func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        var config = ServerConfiguration()
        config.dataDirectory = options.dataDir ?? value("INSIGNE_DATA_DIR") ?? config.dataDirectory
        config.publicURL = publicURL ?? value("INSIGNE_PUBLIC_URL") ?? config.publicURL
        config.smtpURL = value("INSIGNE_SMTP_URL")
        config.mailFrom = value("INSIGNE_MAIL_FROM")
        let sent: [ReminderSent]
        do {
            sent = try await Reminders(services: ServerServices(configuration: config)).run(now: date)
        } catch let e as ServiceError {
            exitWith(
                2, CLIError(fr: "rappels impossibles : \(e.messageFR)", en: "cannot send reminders: \(e.messageEN)"))
        } catch {
            exitWith(2, CLIError(fr: "rappels impossibles : \(error)", en: "cannot send reminders: \(error)"))
        }
        for s in sent {
            switch s.kind {
            case .reminder:
                let expires = s.expires.map { DateTimeValue($0).text } ?? "-"
                print("rappel / reminder\t\(s.badge)\t\(expires)\t\(s.threshold ?? 0) j/d\t\(s.maskedRecipient)")
            case .digest:
                print("synthèse / digest\t\(s.badge) titulaire(s) / holder(s)\t-\t-\t\(s.maskedRecipient)")
            }
        }
        let reminders = sent.filter { $0.kind == .reminder }.count
        print(
            "Total : \(reminders) rappel(s), \(sent.count - reminders) synthèse(s) / "
                + "\(reminders) reminder(s), \(sent.count - reminders) digest(s)")
    }
}
