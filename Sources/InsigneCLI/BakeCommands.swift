import ArgumentParser
import Foundation
import OpenBadges

/// `insigne bake`: embeds a signed (JWS) or hosted (JSON) assertion in a PNG or SVG.
struct BakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bake",
        abstract: "Intègre une assertion dans une image PNG ou SVG / bake an assertion into a PNG or SVG image.")

    @Option(help: "Image PNG ou SVG / PNG or SVG image.")
    var image: String

    @Option(help: "Fichier contenant un JWS compact ou une assertion JSON hébergée / JWS or hosted assertion JSON.")
    var assertion: String

    @Option(help: "Fichier de sortie / output file.")
    var output: String

    func run() throws {
        do {
            let imageBytes = try readFile(image)
            let text = String(decoding: try readFile(assertion, limit: 1 << 20), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let baked: [UInt8]
            if CompactJWS.looksLikeJWS(text) {
                do { _ = try CompactJWS(text) } catch {
                    throw CLIError(fr: "JWS invalide : \(error.messageFR)", en: "invalid JWS: \(error.messageEN)")
                }
                baked = try BadgeBaker.bake(image: imageBytes, jws: text).bytes
            } else if text.hasPrefix("{") {
                let parsed: Assertion
                do { parsed = try Assertion(document: try JSONValue(parsing: text)) } catch let e as ModelError {
                    throw CLIError(fr: e.messageFR, en: e.messageEN)
                } catch {
                    throw CLIError(fr: "assertion JSON invalide : \(error)", en: "invalid assertion JSON: \(error)")
                }
                guard parsed.verification.isHosted else {
                    throw CLIError(
                        fr: "une assertion SignedBadge se cuit sous forme de JWS : signez-la d'abord (insigne sign)",
                        en: "a SignedBadge assertion is baked as a JWS: sign it first (insigne sign)")
                }
                baked = try BadgeBaker.bake(image: imageBytes, hostedAssertion: parsed).bytes
            } else {
                throw CLIError(
                    fr: "le fichier d'assertion ne contient ni JWS compact ni JSON",
                    en: "the assertion file holds neither a compact JWS nor JSON")
            }
            try writeFile(output, baked)
            print("Badge écrit / badge written: \(output) (\(baked.count) octets / bytes)")
        } catch let e as CLIError {
            exitWith(2, e)
        } catch let e as BakingError {
            exitWith(2, CLIError(fr: e.messageFR, en: e.messageEN))
        } catch {
            exitWith(2, CLIError(fr: "cuisson impossible : \(error)", en: "baking failed: \(error)"))
        }
    }
}

/// `insigne unbake`: prints the embedded JWS or JSON; exit 1 when the image carries none.
struct UnbakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unbake",
        abstract: "Affiche l'assertion intégrée à une image / print the assertion baked into an image.")

    @Argument(help: "Image PNG ou SVG / PNG or SVG image.")
    var file: String

    func run() throws {
        do {
            let extracted = try BadgeBaker.extract(from: try readFile(file))
            print(extracted.text)
        } catch let e as CLIError {
            exitWith(2, e)
        } catch let e as BakingError {
            exitWith(1, CLIError(fr: e.messageFR, en: e.messageEN))
        }
    }
}
