import Foundation
import OpenBadges
import OpenBadgesCrypto

/// The Open Badges 3.0 rows of `insigne bench`: each subject against its raw OpenSSL operation (or openbadgeslib),
/// measured in the same round.
extension BenchCommand {
    /// Operations per second of the OB 3.0 measurements.
    struct OB3Rates {
        var rawJWTVerify = 0.0
        var jwtVerify = 0.0
        var rawEd25519Verify = 0.0
        var diVerify = 0.0
        var diSign = 0.0
        /// Awards issued per second in both OB 3.0 forms (build + VC-JWT RS256 + eddsa-rdfc-2022).
        var issue = 0.0
        /// Raw RS256 signatures per second measured in turn with ``issue`` (its baseline).
        var issueRawSign = 0.0
        /// openbadgeslib's eddsa-rdfc-2022 verifications per second; nil when it cannot run.
        var reference: Double?

        mutating func add(_ r: OB3Rates, weight: Double) {
            rawJWTVerify += r.rawJWTVerify * weight
            jwtVerify += r.jwtVerify * weight
            rawEd25519Verify += r.rawEd25519Verify * weight
            diVerify += r.diVerify * weight
            diSign += r.diSign * weight
            issue += r.issue * weight
            issueRawSign += r.issueRawSign * weight
            if let theirs = r.reference { reference = (reference ?? 0) + theirs * weight }
        }

        func rows(rawSign: Double) -> [(String, Double, Double?)] {
            var rows: [(String, Double, Double?)] = [
                ("OpenSSL RS256 verify, OB 3.0 JWT (raw)", rawJWTVerify, nil),
                ("Insigne OB 3.0 VC-JWT verify (PNG)", jwtVerify, jwtVerify / rawJWTVerify),
                ("OpenSSL Ed25519 verify (raw)", rawEd25519Verify, nil),
                ("Insigne eddsa-rdfc-2022 verify", diVerify, diVerify / rawEd25519Verify),
                ("OpenSSL RS256 sign (raw, above)", rawSign, nil),
                ("Insigne OB 3.0 build + eddsa-rdfc-2022 sign", diSign, diSign / rawSign),
                ("OpenSSL RS256 sign (raw, with the next)", issueRawSign, nil),
                ("Insigne OB 3.0 issue, JWT + DI (goal ≥ 0.8)", issue, issue / issueRawSign),
            ]
            if let reference {
                rows.append(("openbadgeslib eddsa-rdfc-2022 verify", reference, nil))
                rows.append(("Insigne eddsa-rdfc-2022 verify (same run)", diVerify, diVerify / reference))
            }
            return rows
        }

        func json(rawSign: Double) -> [String: JSONValue] {
            func ratio(_ a: Double, _ b: Double) -> JSONValue { .number((a / b * 1000).rounded() / 1000) }
            var json: [String: JSONValue] = [
                "ob3_raw_jwt_verify_per_s": .number(rawJWTVerify.rounded()),
                "ob3_jwt_verify_per_s": .number(jwtVerify.rounded()),
                "ob3_jwt_verify_ratio": ratio(jwtVerify, rawJWTVerify),
                "raw_ed25519_verify_per_s": .number(rawEd25519Verify.rounded()),
                "ob3_di_verify_per_s": .number(diVerify.rounded()),
                "ob3_di_verify_ratio": ratio(diVerify, rawEd25519Verify),
                "ob3_di_sign_per_s": .number(diSign.rounded()),
                "ob3_di_sign_ratio": ratio(diSign, rawSign),
                "ob3_issue_per_s": .number(issue.rounded()),
                "ob3_issue_raw_sign_per_s": .number(issueRawSign.rounded()),
                "ob3_issue_ratio": ratio(issue, issueRawSign),
                "ob3_issue_ratio_goal": .number(0.8),
            ]
            if let reference {
                json["reference_di_verify_per_s"] = .number((reference * 10).rounded() / 10)
                json["ob3_di_vs_reference"] = .number((diVerify / reference * 10).rounded() / 10)
            }
            return json
        }
    }
}

extension BenchCommand.Subject {
    /// One slice of each OB 3.0 measurement, each baseline just before its subject. With `only`
    /// (`ob3-jwt`, `ob3-di`, `ob3-sign`, `ob3-issue`), that operation alone, for `perf record`.
    @inline(never)
    func ob3Round(slice: Double, only: String?) async throws -> BenchCommand.OB3Rates {
        var r = BenchCommand.OB3Rates()
        if only == nil { r.rawJWTVerify = ob3.rawJWTVerify(slice) }
        if only == nil || only == "ob3-jwt" {
            r.jwtVerify = try await OB3BenchSubject.measure(slice) { try await ob3.jwtVerifyOnce() }
        }
        if only == nil { r.rawEd25519Verify = ob3.rawEd25519Verify(slice) }
        if only == nil || only == "ob3-di" {
            r.diVerify = try await OB3BenchSubject.measure(slice) { try await ob3.diVerifyOnce() }
        }
        if only == nil || only == "ob3-sign" {
            var serial = 0
            r.diSign = try BenchCommand.measure(slice) {
                serial += 1
                try ob3.diSignOnce(serial: serial)
            }
        }
        if only == nil || only == "ob3-issue" {
            (r.issueRawSign, r.issue) = try issueRates(slice: slice, baseline: only == nil)
        }
        if only == nil, let reference {
            r.reference = reference.rate(seconds: slice)
        }
        return r
    }

    /// The OB 3.0 issue rate and its raw RS256 baseline, measured in turn in quarter slices (baseline, issue,
    /// issue, baseline): each rate is the mean of its two quarters, so a change of machine load during the slice
    /// weighs on both alike. Without `baseline` (profiling), the issue alone for the whole slice.
    @inline(never)
    func issueRates(slice: Double, baseline: Bool) throws -> (rawSign: Double, issue: Double) {
        let signer = try ob3.issueSigner()
        var serial = 0
        func issue(_ seconds: Double) throws -> Double {
            try BenchCommand.measure(seconds) {
                serial += 1
                try ob3.issueOnce(serial: serial, signer: signer)
            }
        }
        guard baseline else { return (0, try issue(slice)) }
        func raw(_ seconds: Double) -> Double {
            RawOpenSSLBenchmark.rs256SignsPerSecond(key: key, message: signingInput, duration: seconds)
        }
        let quarter = slice / 4
        let first = raw(quarter)
        let subject = (try issue(quarter) + issue(quarter)) / 2
        return ((first + raw(quarter)) / 2, subject)
    }
}
