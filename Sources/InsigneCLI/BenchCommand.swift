import ArgumentParser
import Foundation
import OpenBadges
import OpenBadgesCrypto

/// `insigne bench`: issue and verify throughput, each as a ratio to raw OpenSSL measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Mesure les débits d'émission et de vérification / measure issue and verify throughput (release build).")

    @Option(help: "Durée de chaque mesure en secondes / seconds per measurement.")
    var duration: Double = 2

    @Option(help: .hidden)
    var profile: String?

    func run() async throws {
        #if DEBUG
            FileHandle.standardError.write(Data("Attention : build de débogage, utilisez `make bench` / debug build, use `make bench`\n".utf8))
        #endif
        let key = try PrivateKey.generate(.rsa2048)
        let image = try DemoBadgeArt.png(size: 256)
        let set = IssuerDocumentSet(
            baseURL: "https://badges.example.org", issuerSlug: "bench", issuerName: "Bench", issuerURL: "https://example.org",
            issuerEmail: "bench@example.org", publicKeyPEM: key.publicKey.spkiPEM, badgeSlug: "bench", badgeName: "Bench",
            badgeDescription: "Benchmark badge", criteria: "None", badgeImage: "https://badges.example.org/badges/bench/image.png")
        let signer = try BadgeSigner(key: key, keyID: set.key.id!)
        let request = AssertionRequest(
            badgeClassID: set.badgeClass.id, recipientEmail: "marie.dupont@example.org", issuedOn: Date(timeIntervalSinceNow: -60),
            narrative: "Formation suivie au foyer La Maison.")

        // Baseline input: a real signing input of the same size as Insigne's.
        let sample = try signer.issue(request)
        let parts = sample.jws.split(separator: ".")
        let signingInput = Array("\(parts[0]).\(parts[1])".utf8)
        let signature = Base64URL.decode(parts[2])!

        // The carrier image is validated once, as the service does when a badge class image is stored.
        let carrier = try PreparedPNG(image)

        var loader = set.loader()
        loader.add(set.badgeClass.imageID!, bytes: image, contentType: "image/png")
        let verifier = Verifier(loader: loader)
        let baked = try carrier.bake(sample.jws)
        let options = VerificationOptions(now: Date())
        let check = await verifier.verify(.data(baked), options: options)
        guard check.isValid else {
            throw CLIError(fr: "le badge de référence n'est pas valide", en: "the reference badge is not valid: \(check.json.encodedString())")
        }

        if profile == "verify" {
            _ = try await measureAsync(duration) { _ = await verifier.verify(.data(baked), options: options) }
            return
        }
        if profile == "issue" {
            _ = try measure(duration) { _ = try carrier.bake(try signer.issue(request).jws) }
            return
        }
        let rawSign = RawOpenSSLBenchmark.rs256SignsPerSecond(key: key, message: signingInput, duration: duration)
        let issue = try measure(duration) {
            let signed = try signer.issue(request)
            _ = try carrier.bake(signed.jws)
        }
        let rawVerify = RawOpenSSLBenchmark.rs256VerifiesPerSecond(
            key: key.publicKey, signature: signature, message: signingInput, duration: duration)
        let verify = try await measureAsync(duration) {
            let report = await verifier.verify(.data(baked), options: options)
            if !report.isValid { throw CLIError(fr: "vérification échouée", en: "verification failed") }
        }

        let rows: [(String, Double, String)] = [
            ("OpenSSL RS256 sign (raw)", rawSign, "baseline"),
            ("Insigne issue (build+sign+bake)", issue, String(format: "%.3f", issue / rawSign)),
            ("OpenSSL RS256 verify (raw)", rawVerify, "baseline"),
            ("Insigne verify (unbake+JWS+checks)", verify, String(format: "%.3f", verify / rawVerify)),
        ]
        print("Insigne bench — \(String(format: "%.1f", duration)) s per measurement, RSA-2048, 256×256 PNG")
        print("operation".padding(toLength: 38, withPad: " ", startingAt: 0) + "ops/s".leftPad(12) + "ratio".leftPad(10))
        for (name, rate, ratio) in rows {
            print(name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%.0f", rate).leftPad(12) + ratio.leftPad(10))
        }
        let result: JSONValue = [
            "raw_sign_per_s": .number(rawSign.rounded()), "issue_per_s": .number(issue.rounded()),
            "issue_ratio": .number((issue / rawSign * 1000).rounded() / 1000),
            "raw_verify_per_s": .number(rawVerify.rounded()), "verify_per_s": .number(verify.rounded()),
            "verify_ratio": .number((verify / rawVerify * 1000).rounded() / 1000),
        ]
        print(result.encodedString())
    }

    /// Operations per second of `body`, run repeatedly for `seconds`.
    func measure(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
        try body()  // warm-up
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<8 { try body() }
            n += 8
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(n) / elapsed
    }

    /// Operations per second of an async `body`.
    func measureAsync(_ seconds: Double, _ body: () async throws -> Void) async throws -> Double {
        try await body()
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<32 { try await body() }
            n += 32
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(n) / elapsed
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
