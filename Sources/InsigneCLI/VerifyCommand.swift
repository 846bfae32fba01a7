import ArgumentParser
import Foundation
import OpenBadges
import OpenBadgesHTTP

/// `insigne verify`: verifies a baked image, a certificate PDF, a JWS, assertion JSON or a hosted URL.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Vérifie un badge / verify a badge (exit 0 valid, 1 invalid, 2 could not run or indeterminate).")

    @Argument(help: "Fichier (PNG, SVG, PDF, JWS, JSON), adresse http(s) ou JWS / file, URL or JWS.")
    var input: String

    @Option(help: "Adresse électronique attendue du destinataire / expected recipient email.")
    var recipient: String?

    @Flag(help: "Rapport JSON / JSON report.")
    var json = false

    @Flag(help: "Autoriser les adresses privées et locales / allow private and loopback addresses.")
    var allowPrivateNetwork = false

    @Option(help: "Dossier de documents JSON-LD servis hors ligne, par leur « id » / offline documents by id.")
    var documents: String?

    @Option(help: "Langue du rapport texte / text report language (fr|en).")
    var lang: String = "fr"

    @Option(help: .hidden)
    var now: String?

    func run() async throws {
        let verificationInput: VerificationInput
        if input.hasPrefix("http://") || input.hasPrefix("https://") {
            guard let url = URL(string: input) else {
                exitWith(2, CLIError(fr: "adresse invalide : \(input)", en: "invalid URL: \(input)"))
            }
            verificationInput = .url(url)
        } else if FileManager.default.fileExists(atPath: input) {
            do { verificationInput = .data(try readFile(input)) } catch { exitWith(2, error as! CLIError) }
        } else if CompactJWS.looksLikeJWS(input) {
            verificationInput = .text(input)
        } else {
            exitWith(2, CLIError(fr: "fichier introuvable : \(input)", en: "file not found: \(input)"))
        }
        var date = Date()
        if let now {
            guard let d = DateTimeValue(now) else {
                exitWith(2, CLIError(fr: "date invalide : \(now)", en: "invalid date: \(now)"))
            }
            date = d.date
        }
        var config = HTTPLoaderConfiguration()
        config.addressPolicy = allowPrivateNetwork ? .allowAll : .publicOnly
        var loader: any DocumentLoader = HTTPDocumentLoader(configuration: config)
        if let documents {
            do { loader = try offlineLoader(directory: documents, fallback: loader) } catch {
                exitWith(2, error as? CLIError ?? CLIError(fr: "\(error)", en: "\(error)"))
            }
        }
        let report = await Verifier(loader: loader).verify(
            verificationInput,
            options: VerificationOptions(now: date, recipient: recipient.map { RecipientIdentifier(value: $0) }))
        if json {
            print(report.json.prettyString())
        } else {
            print(Self.render(report, english: lang == "en"))
        }
        switch report.verdict {
        case .valid: return
        case .invalid: throw ExitCode(1)
        case .indeterminate: throw ExitCode(2)
        }
    }

    static func render(_ r: VerificationReport, english: Bool) -> String {
        func t(_ l: LocalizedText) -> String { english ? l.en : l.fr }
        let verdict: String
        switch r.verdict {
        case .valid: verdict = english ? "VALID" : "VALIDE"
        case .invalid: verdict = english ? "INVALID" : "NON VALIDE"
        case .indeterminate: verdict = english ? "INDETERMINATE" : "INDÉTERMINÉ"
        }
        var lines = ["\(english ? "Verdict" : "Verdict") : \(verdict) — \(t(r.summary))"]
        if let a = r.assertion {
            if let name = a.badgeName { lines.append("  Badge : \(name)") }
            if let issuer = a.issuerName ?? a.issuerID {
                lines.append("  \(english ? "Issuer" : "Émetteur") : \(issuer)")
            }
            if let d = HumanDate.format(a.issuedOn, english: english) {
                lines.append("  \(english ? "Issued on" : "Émis le") : \(d)")
            }
            if let d = HumanDate.format(a.expires, english: english) {
                lines.append("  \(english ? "Expires" : "Expire le") : \(d)")
            }
            if let reason = a.revocationReason {
                lines.append("  \(english ? "Revocation reason" : "Motif de révocation") : \(reason)")
            }
        }
        lines.append((english ? "Checks: " : "Contrôles : ") + t(r.countText))
        let width = r.checks.map(\.id.count).max() ?? 0
        for c in r.checks {
            let mark = c.status == .passed ? "✓" : (c.status == .failed ? "✗" : "–")
            lines.append("  \(mark) \(c.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(t(c.message))")
            if let detail = c.detail {
                let pad = String(repeating: " ", count: width + 6)
                lines.append(pad + (english ? "technical detail: " : "détail technique : ") + t(detail))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A loader serving every `*.json` file of `directory` at the URL in its `id`, then asking `fallback`.
func offlineLoader(directory: String, fallback: any DocumentLoader) throws -> StaticDocumentLoader {
    var loader = StaticDocumentLoader(fallback: fallback)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
        throw CLIError(fr: "dossier introuvable : \(directory)", en: "directory not found: \(directory)")
    }
    for name in names.sorted() where name.hasSuffix(".json") {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let json = try? JSONValue(parsing: try readFile(path, limit: 4 << 20)), let id = json["id"]?.stringValue,
            id.hasPrefix("http")
        else { continue }
        loader.add(id, json: json)
    }
    return loader
}
