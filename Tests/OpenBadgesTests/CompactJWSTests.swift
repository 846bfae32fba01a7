import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Compact JWS parsing and the verifier's verdicts on forged, altered or malformed signed badges.
struct CompactJWSTests {
    typealias S = VerifierTestSupport

    // MARK: Structure

    @Test func signsWithHeaderExactlyRS256() throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let parts = signed.jws.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(Base64URL.decode(parts[0]) == Array(#"{"alg":"RS256"}"#.utf8))
        #expect(parts[0] == "eyJhbGciOiJSUzI1NiJ9")
        // Unpadded base64url only.
        #expect(!signed.jws.contains("=") && !signed.jws.contains("+") && !signed.jws.contains("/"))
        let jws = try CompactJWS(signed.jws)
        #expect(jws.header == ["alg": "RS256"])
        #expect(jws.algorithm == "RS256")
        #expect(jws.signature.count == 256)
        #expect(jws.signingInput == Array("\(parts[0]).\(parts[1])".utf8))
        #expect(fixture.key.publicKey.isValidSignature(jws.signature, for: jws.signingInput, algorithm: .rs256))
    }

    @Test func base64URLIsStrictAndUnpadded() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("-_8=") == nil)
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AB C") == nil)
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    static let header = Base64URL.encode(#"{"alg":"RS256"}"#)
    static let payload = Base64URL.encode(#"{"a":1}"#)
    static let sig = Base64URL.encode([1, 2, 3, 4])

    @Test(arguments: [
        "\(header).\(payload)",  // two parts
        "\(header).\(payload).\(sig).\(sig)",  // four parts
        "\(header).\(payload).",  // empty signature
        ".\(payload).\(sig)",  // empty header
        "\(header)..\(sig)",  // empty payload
        "\(header).\(payload).\(sig)=",  // padding
        "\(header).\(payload).ab+c",  // standard base64 alphabet
        "\(header).pay load.\(sig)",  // space
        "\(header).\(payload).A",  // impossible length
        "\(Base64URL.encode("not json")).\(payload).\(sig)",  // header not JSON
        "\(Base64URL.encode("[\"RS256\"]")).\(payload).\(sig)",  // header not an object
        "\(Base64URL.encode(#"{"alg":"RS256","alg":"none"}"#)).\(payload).\(sig)",  // duplicate member
        "\(Base64URL.encode(#"{"alg":"RS256","crit":["exp"],"exp":1}"#)).\(payload).\(sig)",  // crit
        "", "...", "not a jws",
    ])
    func refusesMalformedCompactJWS(_ text: String) {
        #expect(throws: JWSError.self) { try CompactJWS(text) }
    }

    @Test func toleratesSurroundingWhitespaceAndExtraHeaderParameters() throws {
        let h = Base64URL.encode(#"{"typ":"JWT","alg":"RS256"}"#)
        let jws = try CompactJWS("\n  \(h).\(Self.payload).\(Self.sig)\r\n")
        #expect(jws.algorithm == "RS256")
        #expect(jws.header["typ"] == "JWT")
        #expect(jws.payload == Array(#"{"a":1}"#.utf8))
        #expect(jws.signature == [1, 2, 3, 4])
        #expect(jws.compact == "\(h).\(Self.payload).\(Self.sig)")
    }

    @Test func hmacHelperMatchesRFC4231() {
        // RFC 4231 test case 2, and case 6 (key longer than the block size).
        let mac = S.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(
            mac.map { String(format: "%02x", $0) }.joined()
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let long = S.hmacSHA256(
            key: [UInt8](repeating: 0xAA, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(
            long.map { String(format: "%02x", $0) }.joined()
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    // MARK: Verifier verdicts

    /// The fixture's loader, counted, and a fresh (valid) assertion payload.
    func setUp() throws -> (fixture: BadgeFixture, loader: CountingLoader, payload: [UInt8]) {
        let fixture = try BadgeFixture()
        let assertion = try fixture.signer.makeAssertion(fixture.request())
        return (fixture, CountingLoader(fixture.loader()), assertion.json.encoded())
    }

    @Test func genuineBadgeIsValidWithTheCountingLoader() async throws {
        // Control for the tests below: the same set-up verifies when the signature is genuine.
        let (fixture, loader, payload) = try setUp()
        let jws = try CompactJWS.signRS256(payload: payload, key: fixture.key)
        let report = await S.verify(.text(jws), loader: loader)
        #expect(report.verdict == .valid, "\(S.problems(report))")
        #expect(loader.requested.contains(fixture.documents.key.id!))
    }

    @Test(arguments: ["none", "None", "NONE"])
    func algNoneIsForgedWithoutKeyLookup(_ alg: String) async throws {
        let (_, loader, payload) = try setUp()
        let jws = S.jws(header: #"{"alg":"\#(alg)"}"#, payload: payload) { _ in Array("x".utf8) }
        let report = await S.verify(.text(jws), loader: loader)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .forged)
        #expect(report.check("jws.algorithm")?.status == .failed)
        #expect(report.check("signature") == nil)
        #expect(loader.requested.isEmpty, "\(loader.requested)")
    }

    @Test func unsecuredJWSWithEmptySignatureIsNeverValid() async throws {
        let (_, loader, payload) = try setUp()
        let jws = Base64URL.encode(#"{"alg":"none"}"#) + "." + Base64URL.encode(payload) + "."
        for input in [VerificationInput.text(jws), .data(Array(jws.utf8))] {
            let report = await S.verify(input, loader: loader)
            #expect(report.verdict == .invalid)
            #expect(report.outcome != .valid)
        }
        #expect(loader.requested.isEmpty)
    }

    @Test func missingAlgIsForged() async throws {
        let (_, loader, payload) = try setUp()
        let jws = S.jws(header: #"{"typ":"JWT"}"#, payload: payload) { _ in [0] }
        let report = await S.verify(.text(jws), loader: loader)
        #expect(report.outcome == .forged)
        #expect(loader.requested.isEmpty)
    }

    @Test(arguments: ["HS256", "HS384", "HS512", "ES256", "PS256", "RS512", "EdDSA", "rs256"])
    func otherAlgorithmsAreForgedWithoutKeyLookup(_ alg: String) async throws {
        let (fixture, loader, payload) = try setUp()
        // Key confusion: the issuer's public key PEM used as the HMAC secret.
        let secret = Array(fixture.key.publicKey.spkiPEM.utf8)
        let jws = S.jws(header: #"{"alg":"\#(alg)"}"#, payload: payload) { S.hmacSHA256(key: secret, message: $0) }
        let report = await S.verify(.text(jws), loader: loader)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .forged)
        #expect(report.check("jws.algorithm")?.status == .failed)
        #expect(loader.requested.isEmpty, "\(loader.requested)")
    }

    @Test func hs256KeyConfusionWithDocumentPEMIsForged() async throws {
        // Same attack with the PEM text exactly as served in the key document.
        let (fixture, loader, payload) = try setUp()
        let pem = try #require(fixture.documents.key.publicKeyPem)
        let jws = S.jws(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: payload) {
            S.hmacSHA256(key: Array(pem.utf8), message: $0)
        }
        let report = await S.verify(.data(Array(jws.utf8)), loader: loader)
        #expect(report.outcome == .forged)
        #expect(!report.isValid)
        #expect(loader.requested.isEmpty)
    }

    @Test func rs256WithAnotherKeyIsForged() async throws {
        let (fixture, loader, payload) = try setUp()
        let other = try PrivateKey.generate(.rsa2048)
        let jws = try CompactJWS.signRS256(payload: payload, key: other)
        let report = await S.verify(.text(jws), loader: loader)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .forged)
        #expect(report.check("signature")?.status == .failed)
        #expect(report.check("key.authorized")?.status == .passed)
        #expect(loader.requested.contains(fixture.documents.key.id!))
    }

    @Test(arguments: [0, 2, 3, 12, 15, 18])
    func tamperedIssuedOnIsForged(_ position: Int) async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        let original = signed.assertion.issuedOn.text
        var chars = Array(original)
        // Change one digit of the year, hour, minute or second (the date stays valid).
        let digit = try #require(chars[position].wholeNumberValue)
        chars[position] = Character(String(digit == 0 ? 1 : digit - 1))
        let altered = String(chars)
        try #require(DateTimeValue(altered) != nil, "\(altered)")
        let parts = signed.jws.split(separator: ".").map(String.init)
        let payload = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
        let tampered = payload.replacingOccurrences(of: "\"\(original)\"", with: "\"\(altered)\"")
        try #require(tampered != payload)
        let jws = parts[0] + "." + Base64URL.encode(tampered) + "." + parts[2]
        let report = await S.verify(.text(jws), loader: fixture.loader())
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .forged)
        #expect(report.check("signature")?.status == .failed)
    }

    @Test func tamperedRecipientIsForged() async throws {
        let fixture = try BadgeFixture()
        let signed = try fixture.issue()
        var a = signed.assertion
        a.recipient = IdentityObject(
            type: "email", identity: IdentityHash.compute(identifier: "mallory@example.org", salt: "s").text,
            hashed: true, salt: "s")
        let parts = signed.jws.split(separator: ".").map(String.init)
        let jws = parts[0] + "." + Base64URL.encode(a.json.encoded()) + "." + parts[2]
        let report = await S.verify(.text(jws), loader: fixture.loader(), recipient: "mallory@example.org")
        #expect(report.outcome == .forged)
        #expect(!report.isValid)
    }

    @Test func creatorNotListedByIssuerIsForged() async throws {
        let fixture = try BadgeFixture()
        let rogueKeyID = fixture.baseURL + "/keys/rogue"
        let signer = try BadgeSigner(key: fixture.key, keyID: rogueKeyID)
        let signed = try signer.issue(fixture.request())
        var loader = fixture.loader()
        loader.add(
            rogueKeyID,
            json: CryptographicKey(
                id: rogueKeyID, owner: fixture.documents.profile.id, publicKeyPem: fixture.key.publicKey.spkiPEM
            ).json)
        let counting = CountingLoader(loader)
        let report = await S.verify(.text(signed.jws), loader: counting)
        #expect(report.verdict == .invalid)
        #expect(report.outcome == .forged)
        #expect(report.check("key.authorized")?.status == .failed)
        #expect(!counting.requested.contains(rogueKeyID))
    }

    @Test func keyOwnedByAnotherIssuerIsInvalid() async throws {
        var fixture = try BadgeFixture()
        fixture.documents.key.owner = "https://evil.example/issuers/mallory"
        let signed = try fixture.issue()
        let report = await S.verify(.text(signed.jws), loader: fixture.loader())
        #expect(report.verdict == .invalid)
        #expect(report.check("key.owner")?.status == .failed)
        #expect(report.check("signature")?.status != .passed)
    }

    @Test func payloadNotJSONIsMalformed() async throws {
        let fixture = try BadgeFixture()
        for payload in ["not json", "{\"a\":1,}", "", " "] where !payload.isEmpty {
            let jws = try CompactJWS.signRS256(payload: Array(payload.utf8), key: fixture.key)
            let report = await S.verify(.text(jws), loader: fixture.loader())
            #expect(report.verdict == .invalid)
            #expect(report.outcome == .malformed, "\(payload)")
            #expect(report.check("assertion.json")?.status == .failed)
        }
    }

    @Test func payloadJSONArrayIsMalformed() async throws {
        let fixture = try BadgeFixture()
        let assertion = try fixture.signer.makeAssertion(fixture.request())
        for payload: JSONValue in [[assertion.json], "Assertion", 42, nil, [:]] {
            let jws = try CompactJWS.signRS256(payload: payload.encoded(), key: fixture.key)
            let report = await S.verify(.text(jws), loader: fixture.loader())
            #expect(report.verdict == .invalid)
            #expect(report.outcome == .malformed, "\(payload.encodedString())")
        }
    }

    @Test func signedPayloadDeclaringHostedVerificationIsInvalid() async throws {
        let fixture = try BadgeFixture()
        var a = try fixture.signer.makeAssertion(fixture.request())
        a.verification = VerificationObject(type: ["HostedBadge"])
        let jws = try CompactJWS.signRS256(payload: a.json.encoded(), key: fixture.key)
        let report = await S.verify(.text(jws), loader: fixture.loader())
        #expect(report.verdict == .invalid)
        #expect(report.check("assertion.verificationType")?.status == .failed)
    }
}
