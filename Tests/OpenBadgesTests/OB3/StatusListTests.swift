import Foundation
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import TestSupport
import Testing

/// OB 3.0 `credentialStatus` (ISSUE12 point 4): Bitstring Status List decoding and checking, suspension, list
/// proofs and validity, and the 1EdTech revocation list. A list whose proof fails gives an indeterminate status.
struct StatusListTests {
    typealias S = OB3Support
    static let listURL = "https://issuer.example/status/1"

    func problems(_ r: VerificationReport) -> String { VerifierTestSupport.problems(r) }

    /// A 16 KiB bitstring with `set` bits on.
    static func bitstring(_ set: [Int], bytes: Int = 16_384) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: bytes)
        for i in set { b[i / 8] |= 0x80 >> UInt8(i % 8) }
        return b
    }

    @Test func bitsAreReadLeftMostFirst() throws {
        for index in [0, 7, 8, 131_071] {
            let list = try BitstringStatusList(encodedList: BitstringStatusList.encode(Self.bitstring([index])))
            #expect(list.bitCount == 131_072)
            for probe in [0, 1, 7, 8, 9, 131_070, 131_071] {
                #expect(list.bit(at: probe) == (probe == index), "set \(index), probe \(probe)")
            }
            #expect(list.bit(at: 131_072) == nil)
        }
        let first = try BitstringStatusList(encodedList: BitstringStatusList.encode(Self.bitstring([0])))
        #expect(first.bytes[0] == 0x80)
    }

    @Test func badListsAreRefused() throws {
        // Too short (spec minimum 131,072 bits), too large once inflated (zip bomb), not GZIP, not base64url.
        #expect(throws: OB3FormatError.self) {
            try BitstringStatusList(encodedList: BitstringStatusList.encode(Self.bitstring([], bytes: 1000)))
        }
        let bomb = try BitstringStatusList.encode([UInt8](repeating: 0, count: BitstringStatusList.maximumBytes + 1))
        #expect(bomb.count < 40_000)
        do {
            _ = try BitstringStatusList(encodedList: bomb)
            Issue.record("a list over 16 MiB was accepted")
        } catch {
            #expect(error.fr.contains("trop grande"))
        }
        let zlib = "u" + Base64URL.encode(try Zlib.deflate(Self.bitstring([])))
        #expect(throws: OB3FormatError.self) { try BitstringStatusList(encodedList: zlib) }
        #expect(throws: OB3FormatError.self) { try BitstringStatusList(encodedList: "zAAAA") }
        #expect(throws: OB3FormatError.self) { try BitstringStatusList(encodedList: "u") }
        // gzip round trip through zlib itself.
        let data = Array("Insigne".utf8)
        #expect(try Zlib.gunzip(Zlib.gzip(data), maxBytes: 100) == data)
    }

    @Test func entriesAreRead() throws {
        let e = try BitstringStatusListEntry(
            [
                "type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": 42,
                "statusListCredential": .string(Self.listURL),
            ])
        #expect(e.statusListIndex == 42 && e.statusSize == 1 && e.statusPurpose == "suspension")
        #expect(throws: OB3FormatError.self) {
            try BitstringStatusListEntry(
                ["statusPurpose": "revocation", "statusListIndex": "-1", "statusListCredential": "https://x"])
        }
        #expect(throws: OB3FormatError.self) {
            try BitstringStatusListEntry(["statusPurpose": "revocation", "statusListIndex": "1"])
        }
    }

    // MARK: End to end

    struct Issuer {
        let key: PrivateKey
        let did: String
        let kid: String
        init() throws {
            key = try PrivateKey.generate(.ed25519)
            (did, kid) = S.didKey(key)
        }

        func jwt(_ claims: JSONValue, key other: PrivateKey? = nil) throws -> String {
            try VCJWT.sign(claims: claims, key: other ?? key, algorithm: .edDSA, header: ["kid": .string(kid)])
        }

        /// A badge whose status is entry `index` of the list, for `purpose`.
        func badge(index: Int, purpose: String = "revocation", size: Int? = nil, id: String? = nil) throws -> String {
            guard case .object(var o) = S.credential(issuer: did) else { return "" }
            if let id { o["id"] = .string(id) }
            var entry: [String: JSONValue] = [
                "id": .string("\(StatusListTests.listURL)#\(index)"), "type": "BitstringStatusListEntry",
                "statusPurpose": .string(purpose), "statusListIndex": .string(String(index)),
                "statusListCredential": .string(StatusListTests.listURL),
            ]
            if let size { entry["statusSize"] = .number(Double(size)) }
            o["credentialStatus"] = .object(entry)
            return try jwt(S.claims(.object(o)))
        }

        /// The status list credential as a VC-JWT.
        func list(
            _ set: [Int], purpose: String = "revocation", validUntil: String? = nil, signer: PrivateKey? = nil
        ) throws -> [UInt8] {
            var o: [String: JSONValue] = [
                "@context": ["https://www.w3.org/ns/credentials/v2"], "id": .string(StatusListTests.listURL),
                "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": .string(did),
                "validFrom": "2026-01-01T00:00:00Z", "iss": .string(did),
                "credentialSubject": [
                    "id": .string(StatusListTests.listURL + "#list"), "type": "BitstringStatusList",
                    "statusPurpose": .string(purpose),
                    "encodedList": .string(try BitstringStatusList.encode(StatusListTests.bitstring(set))),
                ],
            ]
            if let validUntil { o["validUntil"] = .string(validUntil) }
            return Array(try jwt(.object(o), key: signer).utf8)
        }
    }

    func verify(_ badge: String, list: [UInt8]?) async -> VerificationReport {
        var loader = StaticDocumentLoader()
        if let list { loader.add(Self.listURL, bytes: list, contentType: "application/vc+jwt") }
        return await S.verify(.text(badge), loader: loader)
    }

    @Test(arguments: [0, 7, 8, 131_071])
    func aSetBitRevokes(_ index: Int) async throws {
        let issuer = try Issuer()
        let revoked = await verify(try issuer.badge(index: index), list: try issuer.list([index]))
        #expect(revoked.outcome == .revoked, "\(problems(revoked))")
        #expect(revoked.check("revocation")?.message.fr == "L'émetteur a révoqué ce badge")
        let neighbour = index == 0 ? 1 : index - 1
        let clear = await verify(try issuer.badge(index: neighbour), list: try issuer.list([index]))
        #expect(clear.outcome == .valid, "\(problems(clear))")
        #expect(clear.check("revocation")?.status == .passed)
    }

    @Test func suspensionIsItsOwnOutcome() async throws {
        let issuer = try Issuer()
        let r = await verify(
            try issuer.badge(index: 5, purpose: "suspension"), list: try issuer.list([5], purpose: "suspension"))
        #expect(r.outcome == .suspended, "\(problems(r))")
        #expect(r.verdict == .invalid)
        #expect(r.outcome.summary.fr.contains("peut être levée"))
    }

    @Test func untrustworthyListsGiveAnIndeterminateStatus() async throws {
        let issuer = try Issuer()
        let badge = try issuer.badge(index: 5)
        let other = try PrivateKey.generate(.ed25519)
        let cases: [(String, [UInt8]?, String)] = [
            ("unreachable", nil, "inaccessible"),
            ("wrong purpose", try issuer.list([5], purpose: "suspension"), "ne sert pas"),
            ("forged list", try issuer.list([], signer: other), "preuve invalide"),
            ("expired list", try issuer.list([], validUntil: "2026-02-01T00:00:00Z"), "expiré"),
        ]
        for (name, list, words) in cases {
            let r = await verify(badge, list: list)
            #expect(r.outcome == .unverifiable, "\(name): \(problems(r))")
            #expect(r.check("revocation")?.message.fr.contains(words) == true, "\(name): \(problems(r))")
        }
        let wide = await verify(try issuer.badge(index: 5, size: 2), list: try issuer.list([]))
        #expect(wide.outcome == .unverifiable)
    }

    /// The 1EdTech validator's Bitstring fixture with its own list (bit 23 set) served: the list's Data Integrity
    /// proof cannot be checked yet, so the status stays indeterminate (the validator, which does not check the
    /// list's proof, says revoked).
    @Test func bitstringFixtureWithItsList() async throws {
        let folder = OB3ValidatorFixtureTests.folder.appendingPathComponent("bit-string-list")
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("credential-status-revoked.json")))
        let list = [UInt8](try Data(contentsOf: folder.appendingPathComponent("testlist")))
        let json = try JSONValue(parsing: bytes)
        let url = try #require(json["credentialStatus"]?["statusListCredential"]?.stringValue)
        var loader = StaticDocumentLoader()
        loader.add(url, bytes: list, contentType: "application/json")
        let listed = try BitstringStatusList(
            encodedList: try #require(JSONValue(parsing: list)["credentialSubject"]?["encodedList"]?.stringValue))
        #expect(listed.bit(at: 23) == true && listed.bit(at: 22) == false)
        let r = await VerifierTestSupport.verify(.data(bytes), loader: loader, now: OB3ValidatorFixtureTests.now)
        #expect(r.outcome == .unverifiable, "\(problems(r))")
        #expect(r.check("revocation")?.message.fr.contains("preuve non vérifiée") == true, "\(problems(r))")
    }

    @Test func oneEdTechRevocationListFixture() async throws {
        let folder = OB3ValidatorFixtureTests.folder
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("credential-status-revoked.json")))
        let json = try JSONValue(parsing: bytes)
        let listURL = json["credentialStatus"]?["id"]?.stringValue ?? ""
        let id = json["id"] ?? .null
        for (listed, outcome) in [(true, VerificationOutcome.revoked), (false, .unverifiable)] {
            let list: JSONValue = [
                "id": .string(listURL),
                "revokedCredentials": listed ? [["id": id, "revocationReason": "Fraude"]] : [],
            ]
            let r = await VerifierTestSupport.verify(
                .data(bytes), loader: S.loader([listURL: list]), now: OB3ValidatorFixtureTests.now)
            // Not listed: the Data Integrity proof (not checked yet) keeps it indeterminate.
            #expect(r.outcome == outcome, "\(problems(r))")
            if listed { #expect(r.assertion?.revocationReason == "Fraude") }
        }
    }
}
