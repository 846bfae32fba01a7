import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Hashed recipient identities (DIGEST §1.4) and what BadgeSigner does with the recipient's email.
struct IdentityHashTests {
    static let vectors: [(identifier: String, salt: String?, expected: String)] = [
        ("mayze", nil, "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"),
        ("a@example.com", "Kosher", "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"),
        ("nobody@example.org", "deadsea", "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"),
    ]

    @Test(arguments: vectors)
    func computesPublishedVectors(_ v: (identifier: String, salt: String?, expected: String)) throws {
        #expect(IdentityHash.compute(identifier: v.identifier, salt: v.salt).text == v.expected)
        let parsed = try #require(IdentityHash(v.expected))
        #expect(parsed.matches(identifier: v.identifier, salt: v.salt))
        #expect(!parsed.matches(identifier: v.identifier + " ", salt: v.salt))
        #expect(!parsed.matches(identifier: v.identifier.uppercased(), salt: v.salt))
        #expect(!parsed.matches(identifier: v.identifier, salt: (v.salt ?? "") + "x"))
    }

    @Test(arguments: vectors)
    func matchesUppercaseHex(_ v: (identifier: String, salt: String?, expected: String)) throws {
        let hex = v.expected.dropFirst("sha256$".count)
        let upper = try #require(IdentityHash("sha256$" + hex.uppercased()))
        #expect(upper.matches(identifier: v.identifier, salt: v.salt))
        #expect(upper.hexDigest == String(hex))
        let upperAlg = try #require(IdentityHash("SHA256$" + hex))
        #expect(upperAlg.algorithm == .sha256)
    }

    @Test func emptySaltIsTheSameAsNoSalt() {
        #expect(
            IdentityHash.compute(identifier: "mayze", salt: "").text
                == IdentityHash.compute(identifier: "mayze", salt: nil).text)
    }

    @Test func computesAndMatchesMD5Form() throws {
        // md5("mayze") and md5("a@example.com" + "Kosher"), computed independently (Python hashlib).
        #expect(
            IdentityHash.compute(identifier: "mayze", salt: nil, algorithm: .md5).text
                == "md5$5e36a192d84cbdde83e633fce5540cb9")
        let h = try #require(IdentityHash("md5$DDD142639A792E74751EE7E129237EFA"))
        #expect(h.algorithm == .md5)
        #expect(h.matches(identifier: "a@example.com", salt: "Kosher"))
        #expect(!h.matches(identifier: "a@example.com", salt: nil))
    }

    @Test(arguments: [
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c",  // 63 digits
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6a",  // 65 digits
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60cg",  // not hex
        "md5$5e36a192d84cbdde83e633fce5540cb",  // 31 digits
        "md5$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6",  // sha256 length under md5
        "sha1$2aae6c35c94fcfb415dbe95f408b9ce91ee846ed", "sha512$00", "7a1a1b3f", "sha256",
        "sha256 7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6", "", "mayze@example.org",
    ])
    func refusesMalformedHashes(_ text: String) {
        #expect(IdentityHash(text) == nil)
    }

    // MARK: BadgeSigner and the recipient's email

    @Test func signerSaltsEachAssertionFreshly() throws {
        let fixture = try BadgeFixture()
        let a = try fixture.signer.makeAssertion(fixture.request(email: "marie.dupont@example.org"))
        let b = try fixture.signer.makeAssertion(fixture.request(email: "marie.dupont@example.org"))
        let saltA = try #require(a.recipient.salt)
        let saltB = try #require(b.recipient.salt)
        for salt in [saltA, saltB] {
            #expect(salt.utf8.count == 32)
            #expect(salt.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
        }
        #expect(saltA != saltB)
        #expect(a.recipient.identity != b.recipient.identity)
        #expect(a.id != b.id)
        for assertion in [a, b] {
            #expect(assertion.recipient.type == "email")
            #expect(assertion.recipient.hashed)
            #expect(assertion.recipient.identity.hasPrefix("sha256$"))
            let hash = try #require(IdentityHash(assertion.recipient.identity))
            #expect(hash.matches(identifier: "marie.dupont@example.org", salt: assertion.recipient.salt))
        }
    }

    @Test func signerUsesVersion4UUIDs() throws {
        let fixture = try BadgeFixture()
        let pattern = try Regex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        var seen = Set<String>()
        for _ in 0..<20 {
            let a = try fixture.signer.makeAssertion(fixture.request())
            #expect(a.id.wholeMatch(of: pattern) != nil, "\(a.id)")
            seen.insert(a.id)
        }
        #expect(seen.count == 20)
    }

    @Test(arguments: ["  Marie.Dupont@Example.ORG\n", "MARIE.DUPONT@EXAMPLE.ORG", "\tmarie.dupont@example.org "])
    func signerNormalisesTheEmailAndNeverWritesIt(_ email: String) throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.signer.issue(fixture.request(email: email))
        let hash = try #require(IdentityHash(signed.assertion.recipient.identity))
        #expect(hash.matches(identifier: "marie.dupont@example.org", salt: signed.assertion.recipient.salt))
        #expect(!hash.matches(identifier: email, salt: signed.assertion.recipient.salt))

        let json = signed.assertion.json.encodedString().lowercased()
        let jws = try CompactJWS(signed.jws)
        let payload = String(decoding: jws.payload, as: UTF8.self).lowercased()
        for text in [json, payload, signed.jws.lowercased()] {
            #expect(!text.contains("marie.dupont"))
            #expect(!text.contains("example.org\""))
            #expect(!text.contains("@example"))
        }
        // The JWS payload is exactly the assertion's deterministic JSON.
        #expect(jws.payload == signed.assertion.json.encoded())
    }

    @Test(arguments: [
        "", "   ", "nobody", "a@b", "@example.org", "marie@", "marie@.example.org", "marie@example.org.",
        "marie@@example.org", "ma rie@example.org", "marie@exa mple.org", "<marie@example.org>",
        "marie@example.org\u{0}",
        "a@b@example.org",
    ])
    func signerRefusesInvalidEmails(_ email: String) throws {
        let fixture = try BadgeFixture()
        #expect(throws: IssuingError.self) { try fixture.signer.makeAssertion(fixture.request(email: email)) }
    }

    @Test func signerRefusesExpiryNotAfterIssue() throws {
        let fixture = try BadgeFixture()
        let issued = Date(timeIntervalSince1970: 1_700_000_000)
        for expires in [
            issued, issued.addingTimeInterval(-1), issued.addingTimeInterval(0.5), issued.addingTimeInterval(-86400),
        ] {
            #expect(throws: IssuingError.self) {
                try fixture.signer.makeAssertion(fixture.request(issuedOn: issued, expires: expires))
            }
        }
        let ok = try fixture.signer.makeAssertion(
            fixture.request(issuedOn: issued, expires: issued.addingTimeInterval(1)))
        #expect(ok.expires?.text == "2023-11-14T22:13:21Z")
        #expect(ok.issuedOn.text == "2023-11-14T22:13:20Z")
    }

    @Test func signerRefusesNonRSAKeys() throws {
        for type in [KeyType.p256, .ed25519] {
            let key = try PrivateKey.generate(type)
            #expect(throws: IssuingError.self) { try BadgeSigner(key: key, keyID: "https://badges.example.org/keys/k") }
        }
    }
}
