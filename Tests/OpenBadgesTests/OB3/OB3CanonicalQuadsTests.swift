import Foundation
import LinkedData
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import OpenBadges

/// The issuing fast path (issue 13 point 6) proved equal to the generic one: for hundreds of varied award facts,
/// the canonical N-Quads ``OB3CanonicalQuads`` writes equal `LinkedData.canonicalNQuads` of the built credential
/// (the bytes `DataIntegrity` hashes), both signed forms are byte for byte those of the generic signer, every
/// credential is valid against the official OB 3.0 schema, and the shapes the fast path leaves out are signed by the
/// generic path.
struct OB3CanonicalQuadsTests {
    static let keyID = "https://insigne.example/ob3/keys/of-ed"

    /// What the generic path hashes: RDFC-1.0 of the document and of the proof options.
    static func generic(_ facts: OB3AwardFacts, created: String) throws -> DataIntegrity.Hashes {
        let options: [String: JSONValue] = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": .string(created),
            "verificationMethod": .string(keyID), "proofPurpose": "assertionMethod",
        ]
        return try DataIntegrity.hashes(document: OB3CredentialBuilder.credential(facts), proof: options)
    }

    static func fast(_ facts: OB3AwardFacts, created: String) throws -> (document: String, proof: String)? {
        let checked = try OB3CredentialBuilder.check(facts)
        return OB3CredentialSigner.canonicalForms(facts, checked, created: created, verificationMethod: keyID).map {
            (String(decoding: $0.document, as: UTF8.self), String(decoding: $0.proof, as: UTF8.self))
        }
    }

    @Test func fastCanonicalFormEqualsTheGenericOneForVariedFacts() throws {
        var random = FactsGenerator(seed: 0x1B3_15_5E)
        var fastCount = 0
        var coveredCount = 0
        for n in 0..<400 {
            let (facts, covered) = random.facts(serial: n)
            let created = DateTimeValue(facts.issuedOn.addingTimeInterval(Double(n))).text
            let generic = try Self.generic(facts, created: created)
            let fast = try Self.fast(facts, created: created)
            if covered {
                coveredCount += 1
                #expect(fast != nil, "case \(n) not covered")
            }
            guard let fast else { continue }
            fastCount += 1
            #expect(fast.document == generic.canonicalDocument, "case \(n)")
            #expect(fast.proof == generic.canonicalProof, "case \(n)")
        }
        #expect(coveredCount > 250 && fastCount >= coveredCount)
    }

    @Test func signedFormsAreByteForByteTheGenericOnes() throws {
        let (signer, _) = try OB3CredentialBuilderTests.keys()
        var random = FactsGenerator(seed: 77)
        for n in 0..<60 {
            let (facts, _) = random.facts(serial: n)
            let created = facts.issuedOn.addingTimeInterval(3600)
            let fast = try signer.sign(facts, created: created)
            let generic = try signer.sign(OB3CredentialBuilder.credential(facts), created: created)
            #expect(fast == generic, "case \(n)")
        }
    }

    @Test func everyGeneratedCredentialIsValidAgainstTheOfficialSchema() throws {
        let validator = try OB3CredentialBuilderTests.schema()
        let (signer, _) = try OB3CredentialBuilderTests.keys()
        var random = FactsGenerator(seed: 4242)
        for n in 0..<200 {
            let (facts, covered) = random.facts(serial: n)
            guard covered else { continue }
            let forms = try signer.sign(facts, created: facts.issuedOn)
            let json = try JSONValue(parsing: Array(forms.json.utf8))
            #expect(validator.validate(json) == [], "case \(n)")
        }
    }

    /// The issued `proofValue` is `z` + `Multibase.encodeBase58` of the signature, for signatures and for inputs
    /// of every length up to 80 bytes, with and without leading zero bytes.
    @Test func proofValueIsMultibaseBase58() {
        var rng = SplitMix64(state: 0x5EED_B58)
        #expect(OB3ProofValue.multibase([]) == "z")
        #expect(OB3ProofValue.multibase([0, 0]) == "z11")
        #expect(
            OB3ProofValue.multibase([UInt8](repeating: 0xFF, count: 64)) == "z"
                + Multibase.encodeBase58(
                    [UInt8](repeating: 0xFF, count: 64)))
        for n in 0..<2000 {
            let count = n < 400 ? n % 81 : 64
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if n % 5 == 0, count > 2 { bytes[0] = 0 }
            if n % 10 == 0, count > 2 { bytes[1] = 0 }
            if n % 7 == 0, count > 3 { bytes[count / 2] = 0 }
            #expect(OB3ProofValue.multibase(bytes) == "z" + Multibase.encodeBase58(bytes), "\(bytes)")
        }
    }

    @Test func uncoveredShapesTakeTheGenericPath() throws {
        let (signer, _) = try OB3CredentialBuilderTests.keys()
        var twins = OB3CredentialBuilderTests.facts()
        twins.evidence = [Evidence(name: "Grille"), Evidence(name: "Grille")]
        var urn = OB3CredentialBuilderTests.facts()
        urn.credentialID = "urn:uuid:6f1a4a3e-0c2b-4a8e-9a51-2f6a1c0b7d11"
        var status = OB3CredentialBuilderTests.facts()
        status.credentialStatus = ["id": "https://s.example/1#3", "type": ["BitstringStatusListEntry"]]
        for facts in [twins, urn, status] {
            #expect(try Self.fast(facts, created: "2026-03-01T00:00:00Z") == nil)
            let forms = try signer.sign(facts, created: facts.issuedOn)
            #expect(forms == (try signer.sign(OB3CredentialBuilder.credential(facts), created: facts.issuedOn)))
        }
    }

    @Test func invalidFactsAreRefusedAsByTheBuilder() throws {
        let (signer, _) = try OB3CredentialBuilderTests.keys()
        var bad = OB3CredentialBuilderTests.facts()
        bad.recipientEmail = "pas une adresse"
        #expect(throws: IssuingError.self) { try signer.sign(bad) }
        bad = OB3CredentialBuilderTests.facts()
        bad.expires = bad.issuedOn
        #expect(throws: IssuingError.self) { try signer.sign(bad) }
    }
}

/// Varied award facts from a seed: unicode, quotes, backslashes, control characters, long texts, odd URLs, every
/// optional member absent or present, several evidence items, alignments, tags. `covered` says whether the fast
/// path must take them (only `http(s)` ids without dot segments, no two identical blank nodes).
struct FactsGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(state: seed) }

    mutating func next() -> UInt64 { rng.next() }

    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[int(values.count)] }

    static let pieces = [
        "a", "Sauveteur", " ", "é", "Ω≈ç√", "œuvre", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}",
        "\u{08}", "\u{0C}", "😀", "<b>", "_:b0", "@id", "https://x.example/", "« citation »", "\u{2028}", "{}", "'",
    ]

    mutating func text() -> String {
        if chance(3) { return String(repeating: "Texte long, très long. ", count: 200 + int(100)) }
        var s = ""
        for _ in 0..<(1 + int(6)) { s += pick(Self.pieces) }
        return s
    }

    mutating func optionalText() -> String? { chance(40) ? nil : chance(10) ? "" : text() }

    static let bases = [
        "https://insigne.example", "http://localhost:8080", "https://exämple.fr/badges",
        "https://a.example/p?q=1&r=%20",
        "https://a.example:8443/~x/(y)",
    ]
    static let uncovered = ["urn:uuid:1234", "https://a.example/../x", "relative/x", "https://a.example/a b", ""]

    /// An id; `covered` becomes false when it is one the fast path leaves to the generic path.
    mutating func iri(_ path: String, _ covered: inout Bool) -> String {
        if chance(2) {
            covered = false
            return pick(Self.uncovered)
        }
        return pick(Self.bases) + path
    }

    mutating func facts(serial: Int) -> (OB3AwardFacts, covered: Bool) {
        var covered = true
        let issuer = OB3IssuerFacts(
            id: iri("/ob3/issuers/\(serial)", &covered), name: text(),
            url: chance(50) ? "https://of.example/\(text())" : nil, email: chance(50) ? "contact@of.example" : nil,
            description: optionalText(), image: chance(50) ? iri("/issuers/\(serial)/image", &covered) : nil,
            parentOrg: chance(30)
                ? ["id": .string(iri("/ob3/issuers/parent", &covered)), "type": ["Profile"], "name": .string(text())]
                : nil)
        var alignments: [AlignmentObject] = []
        for _ in 0..<int(4) {
            alignments.append(
                AlignmentObject(
                    targetName: text(), targetUrl: "https://ref.example/\(text())", targetDescription: optionalText(),
                    targetFramework: optionalText(), targetCode: optionalText()))
        }
        if Set(alignments.map { "\($0)" }).count < alignments.count { covered = false }
        let achievement = OB3AchievementFacts(
            id: iri("/ob3/achievements/\(int(5))", &covered), name: text(), description: chance(10) ? "" : text(),
            criteriaURL: chance(50) ? nil : chance(10) ? "" : iri("/criteria/\(serial)", &covered),
            criteriaNarrative: optionalText(), image: chance(80) ? iri("/badges/\(serial)/image", &covered) : nil,
            alignment: alignments,
            achievementType: pick(["Badge", "Certificate", "ext:Atelier", "ext:Visite_guidee-1.0"]),
            tags: (0..<int(5)).map { _ in pick(["sst", "secourisme", text()]) },
            related: (0..<int(3)).map { _ in iri("/badges/\(int(3))", &covered) })
        var evidence: [Evidence] = []
        for _ in 0..<int(4) {
            evidence.append(
                Evidence(
                    id: chance(40) ? iri("/evidence/\(int(4))", &covered) : nil, narrative: optionalText(),
                    name: optionalText(), description: optionalText(), genre: optionalText(),
                    audience: optionalText()))
        }
        let blankEvidence = evidence.filter { $0.id == nil }
        if Set(blankEvidence.map { "\($0)" }).count < blankEvidence.count { covered = false }
        let issued = Date(timeIntervalSince1970: 1_700_000_000 + Double(int(100_000_000)) + Double(int(1000)) / 1000)
        let facts = OB3AwardFacts(
            credentialID: iri("/ob3/credentials/\(serial)", &covered), issuer: issuer, achievement: achievement,
            recipientEmail: "marie.dupont+\(serial)@example.org", salt: String(next(), radix: 16), issuedOn: issued,
            expires: chance(50) ? issued.addingTimeInterval(Double(1 + int(1000)) * 86_400) : nil,
            narrative: optionalText(), evidence: evidence,
            credentialStatus: chance(70)
                ? OB3CredentialBuilder.revocationEntry(
                    listURL: iri("/ob3/issuers/\(serial)/status/revocation", &covered), index: int(131_072)) : nil)
        return (facts, covered)
    }
}
