import ArgumentParser
import Foundation
import InsigneServer
import OpenBadges
import OpenBadgesCrypto

/// `insigne demo`: the end-to-end round trip, visibly: key, documents, award, sign, bake, verify.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Démonstration de bout en bout / end-to-end demo (key → sign → bake → verify).")

    @Option(help: "Dossier de travail / working directory.")
    var dir: String = "demo"

    @Option(help: "Adresse publique des documents / public base URL of the documents.")
    var baseURL: String = "http://127.0.0.1:8080"

    func run() async throws {
        do {
            try await demo()
        } catch let e as CLIError {
            exitWith(2, e)
        } catch {
            exitWith(2, CLIError(fr: "démonstration interrompue : \(error)", en: "demo failed: \(error)"))
        }
    }

    func step(_ n: Int, _ fr: String, _ en: String) {
        print("\n\(n). \(fr)\n   \(en)")
    }

    func demo() async throws {
        let fm = FileManager.default
        let docsDir = (dir as NSString).appendingPathComponent("documents")
        let keyDir = (dir as NSString).appendingPathComponent("keys")
        try fm.createDirectory(atPath: docsDir, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: keyDir, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

        print("Insigne — démonstration Open Badges 2.0 / Open Badges 2.0 demo (\(dir)/)")
        step(1, "Clé de l'émetteur (RSA-2048, fichier 0600)", "Issuer key (RSA-2048, file mode 0600)")
        let keyPath = (keyDir as NSString).appendingPathComponent("private.pem")
        let key: PrivateKey
        if fm.fileExists(atPath: keyPath) {
            key = try loadPrivateKey(keyPath)
            print("   réutilisée / reused: \(keyPath)")
        } else {
            key = try PrivateKey.generate(.rsa2048)
            try writeFile(keyPath, Array(try key.pkcs8PEM().utf8), privateFile: true)
            try writeFile((keyDir as NSString).appendingPathComponent("public.pem"), Array(key.publicKey.spkiPEM.utf8))
            print("   \(keyPath)")
        }

        step(2, "Documents hébergés de l'émetteur (JSON-LD)", "Issuer's hosted documents (JSON-LD)")
        let image = try DemoBadgeArt.png()
        try writeFile(path("badge.png"), image)
        try writeFile(path("badge.svg"), Array(DemoBadgeArt.svg.utf8))
        let set = IssuerDocumentSet(
            baseURL: baseURL, issuerSlug: "mutuelle-vivre-ensemble", issuerName: "Mutuelle Vivre Ensemble",
            issuerURL: "https://www.mutuelle-vivre-ensemble.example",
            issuerEmail: "formation@mutuelle-vivre-ensemble.example",
            publicKeyPEM: key.publicKey.spkiPEM, badgeSlug: "bientraitance", badgeName: "Bientraitance",
            badgeDescription: "Formation obligatoire à la bientraitance des personnes accompagnées.",
            criteria: "Avoir suivi la formation « Bientraitance » (7 heures) et validé l'étude de cas finale.",
            badgeImage: "data:image/png;base64," + Data(image).base64EncodedString(),
            tags: ["bientraitance", "formation"])
        for (n, d) in zip(["issuer", "key", "revocation-list", "badgeclass"], set.documents) {
            let file = (docsDir as NSString).appendingPathComponent("\(n).json")
            try writeFile(file, Array((d.json.prettyString() + "\n").utf8))
            print("   \(file)  →  \(d.url)")
        }

        step(
            3, "Attribution et signature (RS256, sel aléatoire, courriel haché)",
            "Award and signature (RS256, random salt, hashed email)")
        let signer = try BadgeSigner(key: key, keyID: set.key.id!)
        let recipient = "marie.dupont@example.org"
        let signed = try signer.issue(
            AssertionRequest(
                badgeClassID: set.badgeClass.id, recipientEmail: recipient, issuedOn: Date(),
                narrative: "Formation suivie le \(DateTimeValue(Date()).text.prefix(10)) au foyer La Maison."))
        try writeFile(path("assertion.json"), Array((signed.assertion.json.prettyString() + "\n").utf8))
        try writeFile(path("assertion.jws"), Array((signed.jws + "\n").utf8))
        print("   \(path("assertion.json")) (\(signed.assertion.id))")
        print("   \(path("assertion.jws")) (\(signed.jws.count) caractères / characters)")

        step(4, "Cuisson dans l'image (PNG iTXt, SVG)", "Baking into the image (PNG iTXt, SVG)")
        let png = try BadgeBaker.bake(image: image, jws: signed.jws).bytes
        let svg = try BadgeBaker.bake(image: Array(DemoBadgeArt.svg.utf8), jws: signed.jws).bytes
        try writeFile(path("badge-baked.png"), png)
        try writeFile(path("badge-baked.svg"), svg)
        print("   \(path("badge-baked.png")) (\(png.count) octets / bytes)")
        print("   \(path("badge-baked.svg")) (\(svg.count) octets / bytes)")

        step(
            5, "Vérification (documents servis hors ligne depuis \(docsDir))",
            "Verification (documents served offline from \(docsDir))")
        let verifier = Verifier(loader: set.loader())
        let report = await verifier.verify(
            .data(png), options: VerificationOptions(now: Date(), recipient: RecipientIdentifier(value: recipient)))
        print(VerifyCommand.renderReport(report).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

        step(6, "Ce que voit un employeur dans d'autres cas", "What an employer sees in other cases")
        let wrong = await verifier.verify(
            .data(png),
            options: VerificationOptions(now: Date(), recipient: RecipientIdentifier(value: "paul@example.org")))
        print("   autre personne / other person:  \(wrong.verdict.rawValue) — \(wrong.summary.fr)")
        var tampered = signed.assertion
        tampered.issuedOn = DateTimeValue(Date(timeIntervalSinceNow: -86400 * 400))
        let parts = signed.jws.split(separator: ".")
        let forgedJWS = "\(parts[0]).\(Base64URL.encode(tampered.json.encoded())).\(parts[2])"
        let forged = await verifier.verify(.text(forgedJWS), options: VerificationOptions(now: Date()))
        print("   contenu modifié / altered:      \(forged.verdict.rawValue) — \(forged.summary.fr)")
        var revokedSet = set
        revokedSet.revocationList.revokedAssertions = [
            .init(id: signed.assertion.id, revocationReason: "Attribué par erreur")
        ]
        let revoked = await Verifier(loader: revokedSet.loader()).verify(
            .data(png), options: VerificationOptions(now: Date()))
        print("   révoqué / revoked:              \(revoked.verdict.rawValue) — \(revoked.summary.fr)")
        let expired = await verifier.verify(
            .data(png), options: VerificationOptions(now: Date(timeIntervalSinceNow: -3600)))
        print("   horloge en retard / early clock: \(expired.verdict.rawValue) — \(expired.summary.fr)")

        print(
            """

            Essayez / try:
              .build/debug/insigne verify \(path("badge-baked.png")) --documents \(docsDir) --recipient \(recipient)
              .build/debug/insigne unbake \(path("badge-baked.svg"))
            """)
        if !report.isValid { throw ExitCode(1) }
    }
}

extension VerifyCommand {
    /// The French text rendering used by `verify` and `demo`.
    static func renderReport(_ r: VerificationReport) -> String { render(r, english: false) }
}
