import ArgumentParser
import Foundation
import InsigneServer
import OpenBadgesPDF

/// `insigne certificate --assertion ID --output FILE.pdf`: writes an award's certificate of achievement.
/// Exit 0 written, 1 unknown or revoked award, 2 could not run.
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract:
            "Écrit l'attestation PDF d'un badge attribué / write the PDF certificate of an awarded badge."
    )

    @Option(help: "Identifiant du badge attribué (UUID) / awarded badge id.")
    var assertion: String

    @Option(help: "Fichier PDF à écrire / PDF file to write.")
    var output: String

    @Option(help: "Langue de l'attestation / certificate language: fr, en.")
    var lang: CertificateContent.Language = .fr

    @Option(
        help:
            "Adresse publique du service / public URL (INSIGNE_PUBLIC_URL; by default the award's own).")
    var publicURL: String?

    @OptionGroup var options: DataDirectoryOptions

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let base = publicURL ?? env["INSIGNE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let factory = CertificateFactory(
            db: options.open(), urls: base.map(PublicURLs.init),
            signer: CertificateSigner.fromEnvironment(env))
        let document: CertificateDocument
        do {
            document = try await factory.document(assertionID: assertion, language: lang)
        } catch let e as ServiceError where e.kind == .notFound || e.kind == .gone {
            exitWith(1, CLIError(fr: e.messageFR, en: e.messageEN))
        } catch let e as CertificateError {
            exitWith(
                2,
                CLIError(fr: "attestation impossible : \(e.messageFR)", en: "cannot render: \(e.messageEN)")
            )
        } catch {
            exitWith(
                2,
                CLIError(
                    fr: "attestation impossible : \(error)", en: "cannot make the certificate: \(error)"))
        }
        do { try writeFile(output, document.pdf) } catch {
            exitWith(2, error as? CLIError ?? CLIError(fr: "\(error)", en: "\(error)"))
        }
        print(
            "Attestation écrite / certificate written: \(output) (\(document.pdf.count) octets / bytes)")
    }
}

extension CertificateContent.Language: ExpressibleByArgument {}
