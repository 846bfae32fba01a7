import Foundation
import OpenBadges

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
        /// openbadgeslib's eddsa-rdfc-2022 verifications per second; nil when it cannot run.
        var reference: Double?

        mutating func add(_ r: OB3Rates, weight: Double) {
            rawJWTVerify += r.rawJWTVerify * weight
            jwtVerify += r.jwtVerify * weight
            rawEd25519Verify += r.rawEd25519Verify * weight
            diVerify += r.diVerify * weight
            diSign += r.diSign * weight
            issue += r.issue * weight
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
                ("Insigne OB 3.0 issue, JWT + DI (goal ≥ 0.8)", issue, issue / rawSign),
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
                "ob3_issue_ratio": ratio(issue, rawSign),
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
            let signer = try ob3.issueSigner()
            var serial = 0
            r.issue = try BenchCommand.measure(slice) {
                serial += 1
                try ob3.issueOnce(serial: serial, signer: signer)
            }
        }
        if only == nil, let reference {
            r.reference = reference.rate(seconds: slice)
        }
        return r
    }
}
