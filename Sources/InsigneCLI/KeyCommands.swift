import ArgumentParser
import Foundation
import OpenBadges
import OpenBadgesCrypto

extension KeyType: ExpressibleByArgument {}

/// `insigne keygen`: a new issuer key pair.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Génère une paire de clés d'émetteur / generate an issuer key pair (private.pem 0600, public.pem).")

    @Option(help: "Dossier de sortie / output directory.")
    var out: String

    @Option(help: "rsa2048 | rsa3072 | p256 | ed25519 (OB 2.0 signed badges need RSA).")
    var type: KeyType = .rsa2048

    @Flag(help: "Remplacer une clé existante / overwrite an existing key.")
    var force = false

    func run() throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let privatePath = (out as NSString).appendingPathComponent("private.pem")
            let publicPath = (out as NSString).appendingPathComponent("public.pem")
            if FileManager.default.fileExists(atPath: privatePath), !force {
                throw CLIError(
                    fr: "une clé existe déjà : \(privatePath) (utilisez --force pour la remplacer)",
                    en: "a key already exists: \(privatePath) (use --force to replace it)")
            }
            let key = try PrivateKey.generate(type)
            let passphrase = ProcessInfo.processInfo.environment["INSIGNE_KEY_PASSPHRASE"]
            try writeFile(privatePath, Array(try key.pkcs8PEM(passphrase: passphrase).utf8), privateFile: true)
            try writeFile(publicPath, Array(key.publicKey.spkiPEM.utf8))
            print("Clé privée / private key: \(privatePath) (0600\(passphrase == nil ? "" : ", chiffrée / encrypted"))")
            print("Clé publique / public key: \(publicPath) (\(key.algorithm))")
        } catch let e as CLIError {
            exitWith(2, e)
        } catch {
            exitWith(2, CLIError(fr: "génération impossible : \(error)", en: "key generation failed: \(error)"))
        }
    }
}

/// Loads a private key; an encrypted one takes its passphrase from `INSIGNE_KEY_PASSPHRASE`.
func loadPrivateKey(_ path: String) throws -> PrivateKey {
    let pem = String(decoding: try readFile(path, limit: 1 << 20), as: UTF8.self)
    do {
        return try PrivateKey(pem: pem, passphrase: ProcessInfo.processInfo.environment["INSIGNE_KEY_PASSPHRASE"])
    } catch let e as CryptoError where e.code == .wrongPassphrase {
        throw CLIError(
            fr: "clé chiffrée : phrase de passe absente ou fausse (variable INSIGNE_KEY_PASSPHRASE)",
            en: "encrypted key: missing or wrong passphrase (INSIGNE_KEY_PASSPHRASE)")
    } catch {
        throw CLIError(fr: "clé privée illisible : \(path)", en: "unreadable private key: \(path) (\(error))")
    }
}

/// `insigne sign`: signs an assertion JSON document, prints the compact JWS.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Signe une assertion (RS256) et affiche le JWS compact / sign an assertion, print the compact JWS.")

    @Option(help: "Clé privée RSA (PEM) / RSA private key (PEM).")
    var key: String

    @Option(help: "Assertion Open Badges 2.0 (JSON), vérification SignedBadge / OB 2.0 assertion JSON.")
    var assertion: String

    func run() throws {
        do {
            let privateKey = try loadPrivateKey(key)
            guard case .rsa = privateKey.algorithm else {
                throw CLIError(
                    fr: "Open Badges 2.0 exige une clé RSA (RS256), pas \(privateKey.algorithm)",
                    en: "Open Badges 2.0 requires an RSA key (RS256), not \(privateKey.algorithm)")
            }
            let json: JSONValue
            do { json = try JSONValue(parsing: try readFile(assertion, limit: 1 << 20)) } catch let e as JSONSyntaxError
            {
                throw CLIError(fr: "assertion : \(e)", en: "assertion: \(e)")
            }
            let parsed: Assertion
            do { parsed = try Assertion(document: json) } catch {
                throw CLIError(fr: error.messageFR, en: error.messageEN)
            }
            guard parsed.verification.isSigned else {
                throw CLIError(
                    fr: "l'assertion doit déclarer « verification »: {\"type\": \"SignedBadge\", \"creator\": …}",
                    en: "the assertion must declare \"verification\": {\"type\": \"SignedBadge\", \"creator\": …}")
            }
            if parsed.recipient.hashed == false, parsed.recipient.type == "email" {
                FileHandle.standardError.write(
                    Data(
                        "Attention : adresse du destinataire en clair / warning: plaintext recipient email\n".utf8))
            }
            print(try CompactJWS.signRS256(payload: json.encoded(), key: privateKey))
        } catch let e as CLIError {
            exitWith(2, e)
        } catch {
            exitWith(2, CLIError(fr: "signature impossible : \(error)", en: "signing failed: \(error)"))
        }
    }
}
