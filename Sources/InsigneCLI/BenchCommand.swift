import ArgumentParser
import Foundation
import InsigneServer
import OpenBadges
import OpenBadgesCrypto

/// `insigne bench`: issue and verify throughput, each as a ratio to raw OpenSSL measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Mesure les débits d'émission et de vérification / measure issue and verify throughput (release build).")

    @Option(help: "Durée de chaque mesure en secondes / seconds per measurement.")
    var duration: Double = 5

    @Option(help: .hidden)
    var profile: String?

    func run() async throws {
        #if DEBUG
            FileHandle.standardError.write(
                Data("Attention : build de débogage, utilisez `make bench` / debug build, use `make bench`\n".utf8))
        #endif
        let key = try PrivateKey.generate(.rsa2048)
        let image = try DemoBadgeArt.png(size: 256)
        let set = IssuerDocumentSet(
            baseURL: "https://badges.example.org", issuerSlug: "bench", issuerName: "Bench",
            issuerURL: "https://example.org",
            issuerEmail: "bench@example.org", publicKeyPEM: key.publicKey.spkiPEM, badgeSlug: "bench",
            badgeName: "Bench",
            badgeDescription: "Benchmark badge", criteria: "None",
            badgeImage: "https://badges.example.org/badges/bench/image.png")
        let signer = try BadgeSigner(key: key, keyID: set.key.id!)
        let request = AssertionRequest(
            badgeClassID: set.badgeClass.id, recipientEmail: "marie.dupont@example.org",
            issuedOn: Date(timeIntervalSinceNow: -60),
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
            throw CLIError(
                fr: "le badge de référence n'est pas valide",
                en: "the reference badge is not valid: \(check.json.encodedString())")
        }

        // Baseline and Insigne alternate in short slices, so a change of machine load affects both alike.
        let rounds = max(4, Int(duration / 0.25))
        let slice = duration / Double(rounds)
        let ob3 = try await OB3BenchSubject(rsaKey: key, carrier: carrier, now: options.now)
        var reference: OB3ReferenceBench?
        if profile == nil {
            do { reference = try OB3ReferenceBench(credential: ob3.diCredential) } catch {
                print("ob3_di_vs_reference ignoré / skipped: \(error)")
            }
        }
        defer { reference?.stop() }
        let subject = Subject(
            key: key, signer: signer, request: request, carrier: carrier, verifier: verifier, baked: baked,
            options: options, signingInput: signingInput, signature: signature, ob3: ob3, reference: reference)
        if let profile {  // one operation in a loop, for `perf record`
            _ = try await subject.rounds(1, slice: duration, only: profile)
            return
        }
        let rates = try await subject.rounds(rounds, slice: slice, only: nil)
        print("Insigne bench — \(String(format: "%.1f", duration)) s per measurement, RSA-2048, 256×256 PNG")
        print(
            "operation".padding(toLength: 44, withPad: " ", startingAt: 0) + "ops/s".leftPad(12) + "ratio".leftPad(10))
        for (name, rate, ratio) in rates.rows {
            print(
                name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%.0f", rate).leftPad(12)
                    + (ratio.map { String(format: "%.3f", $0) } ?? "baseline").leftPad(10))
        }
        print(JSONValue.object(rates.json).encodedString())
    }

    /// Operations per second of each measurement.
    struct Rates {
        var rawSign = 0.0
        var issue = 0.0
        var rawVerify = 0.0
        var verify = 0.0
        var ob3 = OB3Rates()

        mutating func add(_ r: Rates, weight: Double) {
            rawSign += r.rawSign * weight
            issue += r.issue * weight
            rawVerify += r.rawVerify * weight
            verify += r.verify * weight
            ob3.add(r.ob3, weight: weight)
        }

        /// Name, operations per second, ratio to the baseline above it (nil for a baseline).
        var rows: [(String, Double, Double?)] {
            [
                ("OpenSSL RS256 sign (raw)", rawSign, nil),
                ("Insigne issue (build+sign+bake)", issue, issue / rawSign),
                ("OpenSSL RS256 verify (raw)", rawVerify, nil),
                ("Insigne verify (unbake+JWS+checks)", verify, verify / rawVerify),
            ] + ob3.rows(rawSign: rawSign)
        }

        var json: [String: JSONValue] {
            func ratio(_ a: Double, _ b: Double) -> JSONValue { .number((a / b * 1000).rounded() / 1000) }
            return [
                "raw_sign_per_s": .number(rawSign.rounded()), "issue_per_s": .number(issue.rounded()),
                "issue_ratio": ratio(issue, rawSign),
                "raw_verify_per_s": .number(rawVerify.rounded()), "verify_per_s": .number(verify.rounded()),
                "verify_ratio": ratio(verify, rawVerify),
            ].merging(ob3.json(rawSign: rawSign)) { a, _ in a }
        }
    }

    /// What is measured, with everything prepared.
    final class Subject: Sendable {
        let key: PrivateKey
        let signer: BadgeSigner
        let request: AssertionRequest
        let carrier: PreparedPNG
        let verifier: Verifier
        let baked: [UInt8]
        let options: VerificationOptions
        let signingInput: [UInt8]
        let signature: [UInt8]
        let ob3: OB3BenchSubject
        let reference: OB3ReferenceBench?

        init(
            key: PrivateKey, signer: BadgeSigner, request: AssertionRequest, carrier: PreparedPNG, verifier: Verifier,
            baked: [UInt8], options: VerificationOptions, signingInput: [UInt8], signature: [UInt8],
            ob3: OB3BenchSubject, reference: OB3ReferenceBench?
        ) {
            self.key = key
            self.signer = signer
            self.request = request
            self.carrier = carrier
            self.verifier = verifier
            self.baked = baked
            self.options = options
            self.signingInput = signingInput
            self.signature = signature
            self.ob3 = ob3
            self.reference = reference
        }

        /// Build, sign and bake one assertion.
        func issueOnce() throws { _ = try carrier.bake(try signer.issue(request).jws) }

        /// Verify the baked badge once.
        @inline(never)
        func verifyOnce() async throws {
            let report = await verifier.verify(.data(baked), options: options)
            if !report.isValid { throw CLIError(fr: "vérification échouée", en: "verification failed") }
        }

        /// `count` rounds, averaged.
        @inline(never)
        func rounds(_ count: Int, slice: Double, only: String?) async throws -> Rates {
            var rates = Rates()
            for _ in 0..<count {
                rates.add(try await round(slice: slice, only: only), weight: 1 / Double(count))
            }
            return rates
        }

        /// One slice of each measurement, in turn.
        @inline(never)
        func round(slice: Double, only: String?) async throws -> Rates {
            var r = Rates()
            if only == nil {
                r.rawSign = RawOpenSSLBenchmark.rs256SignsPerSecond(key: key, message: signingInput, duration: slice)
            }
            if only == nil || only == "issue" {
                r.issue = try BenchCommand.measure(slice) { try issueOnce() }
            }
            if only == nil {
                r.rawVerify = RawOpenSSLBenchmark.rs256VerifiesPerSecond(
                    key: key.publicKey, signature: signature, message: signingInput, duration: slice)
            }
            if only == "issue" { return r }
            if only == nil || only!.hasPrefix("ob3") {
                r.ob3 = try await ob3Round(slice: slice, only: only)
                if only != nil { return r }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            var n = 0
            var elapsed = 0.0
            repeat {
                for _ in 0..<32 { try await verifyOnce() }
                n += 32
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < slice
            r.verify = Double(n) / elapsed
            return r
        }
    }

    /// Operations per second of `body`, run repeatedly for `seconds`.
    static func measure(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
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

}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
