import OpenBadgesCrypto
import Testing

/// Keys generated once per test process (RSA-3072 generation is slow).
enum GeneratedKeys {
    static let all: [KeyType: PrivateKey] = {
        var keys: [KeyType: PrivateKey] = [:]
        for type in KeyType.allCases {
            keys[type] = try? PrivateKey.generate(type)
        }
        return keys
    }()

    static func key(_ type: KeyType, sourceLocation: SourceLocation = #_sourceLocation) throws -> PrivateKey {
        try #require(all[type], "generation of \(type) failed", sourceLocation: sourceLocation)
    }
}

struct KeyGenerationTests {
    @Test(arguments: KeyType.allCases)
    func generate(type: KeyType) throws {
        let key = try GeneratedKeys.key(type)
        #expect(key.algorithm == type.algorithm)
        #expect(key.publicKey.algorithm == type.algorithm)
        #expect(!key.publicKey.spkiDER.isEmpty)
    }

    @Test func generatedKeysDiffer() throws {
        let a = try PrivateKey.generate(.ed25519)
        let b = try PrivateKey.generate(.ed25519)
        #expect(a.publicKey != b.publicKey)
    }

    @Test func algorithmDescriptions() {
        #expect(KeyAlgorithm.rsa(bits: 2048).description == "RSA-2048")
        #expect(KeyAlgorithm.p256.description == "P-256")
        #expect(KeyAlgorithm.ed25519.description == "Ed25519")
        #expect(KeyAlgorithm.p256.signatureAlgorithm == .es256)
        #expect(SignatureAlgorithm(rawValue: "EdDSA") == .edDSA)
    }
}

struct PEMTests {
    @Test(arguments: KeyType.allCases)
    func unencryptedRoundTrip(type: KeyType) throws {
        let key = try GeneratedKeys.key(type)
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reloaded = try PrivateKey(pem: pem)
        #expect(reloaded.publicKey == key.publicKey)
        #expect(reloaded.algorithm == key.algorithm)
    }

    @Test(arguments: KeyType.allCases)
    func encryptedRoundTrip(type: KeyType) throws {
        let key = try GeneratedKeys.key(type)
        let pem = try key.pkcs8PEM(passphrase: "s3cret pass")
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        let reloaded = try PrivateKey(pem: pem, passphrase: "s3cret pass")
        #expect(reloaded.publicKey == key.publicKey)

        #expect(cryptoError { _ = try PrivateKey(pem: pem, passphrase: "wrong") }?.code == .wrongPassphrase)
        #expect(cryptoError { _ = try PrivateKey(pem: pem) }?.code == .wrongPassphrase)
        #expect(cryptoError { _ = try PrivateKey(pem: pem, passphrase: "") }?.code == .wrongPassphrase)
    }

    @Test func encryptedPEMUsesAES256CBC() throws {
        // The PBES2 parameters are inside the DER; AES-256-CBC's OID 2.16.840.1.101.3.4.1.42 ends 01 2a.
        let pem = try GeneratedKeys.key(.p256).pkcs8PEM(passphrase: "pw")
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(
            base64URLDecode(body.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")))
        let aes256cbc: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]
        let pbes2: [UInt8] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]
        #expect(der.firstRange(of: aes256cbc) != nil)
        #expect(der.firstRange(of: pbes2) != nil)
    }

    @Test func unencryptedKeyIgnoresPassphrase() throws {
        let pem = try GeneratedKeys.key(.ed25519).pkcs8PEM()
        #expect(try PrivateKey(pem: pem, passphrase: "unused").publicKey == GeneratedKeys.key(.ed25519).publicKey)
    }

    @Test func opensslEncryptedFixture() throws {
        let pem = try CryptoFixtures.text("keys/crypto-encrypted-ed25519.pem")
        let key = try PrivateKey(pem: pem, passphrase: "correct-horse")
        #expect(key.algorithm == .ed25519)
        #expect(key.publicKey == (try PublicKey(pem: CryptoFixtures.text("keys/crypto-encrypted-ed25519.pub.pem"))))
        let error = cryptoError { _ = try PrivateKey(pem: pem, passphrase: "battery-staple") }
        #expect(error?.code == .wrongPassphrase)
        #expect(error?.openSSLErrors.isEmpty == false)
    }

    @Test func traditionalRSAAndEC() throws {
        let rsa = try PrivateKey(pem: CryptoFixtures.text("keys/crypto-trad-rsa2048.pem"))
        #expect(rsa.algorithm == .rsa(bits: 2048))
        #expect(rsa.publicKey == (try PublicKey(pem: CryptoFixtures.text("keys/crypto-trad-rsa2048.pub.pem"))))
        let ec = try PrivateKey(pem: CryptoFixtures.text("keys/crypto-trad-p256.pem"))
        #expect(ec.algorithm == .p256)
        #expect(ec.publicKey == (try PublicKey(pem: CryptoFixtures.text("keys/crypto-trad-p256.pub.pem"))))
    }

    @Test func pkcs1PublicKey() throws {
        let pkcs1 = try PublicKey(pem: CryptoFixtures.text("keys/crypto-trad-rsa2048.pkcs1.pub.pem"))
        let spki = try PublicKey(pem: CryptoFixtures.text("keys/crypto-trad-rsa2048.pub.pem"))
        #expect(pkcs1 == spki)
        #expect(pkcs1.spkiPEM == (try CryptoFixtures.text("keys/crypto-trad-rsa2048.pub.pem")))
    }

    @Test func issuerFixture() throws {
        let key = try PrivateKey(pem: CryptoFixtures.text("keys/test-issuer-rsa2048.pem"))
        let publicPEM = try CryptoFixtures.text("keys/test-issuer-rsa2048.pub.pem")
        #expect(key.algorithm == .rsa(bits: 2048))
        #expect(key.publicKey.spkiPEM == publicPEM)
        #expect(try PublicKey(pem: publicPEM) == key.publicKey)
    }

    @Test(arguments: KeyType.allCases)
    func publicKeyRoundTrips(type: KeyType) throws {
        let publicKey = try GeneratedKeys.key(type).publicKey
        let pem = publicKey.spkiPEM
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(pem.hasSuffix("\n-----END PUBLIC KEY-----\n"))
        let lines = pem.split(separator: "\n").dropFirst().dropLast()
        #expect(lines.dropLast().allSatisfy { $0.count == 64 })
        #expect((lines.last?.count ?? 0) <= 64)
        #expect(try PublicKey(pem: pem) == publicKey)
        #expect(try PublicKey(spkiDER: publicKey.spkiDER) == publicKey)
    }

    @Test func garbagePEM() {
        for garbage in ["", "hello", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
            let error = cryptoError { _ = try PrivateKey(pem: garbage) }
            #expect(error?.code == .pemDecoding)
            #expect(error?.openSSLErrors.isEmpty == false, "\(garbage.debugDescription): \(String(describing: error))")
        }
        for garbage in ["", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"] {
            let error = cryptoError { _ = try PublicKey(pem: garbage) }
            #expect(error?.code == .pemDecoding)
            #expect(error?.openSSLErrors.isEmpty == false, "\(garbage.debugDescription): \(String(describing: error))")
        }
    }

    @Test func publicPEMRejectsPrivateKey() throws {
        let pem = try GeneratedKeys.key(.p256).pkcs8PEM()
        #expect(cryptoError { _ = try PublicKey(pem: pem) }?.code == .pemDecoding)
    }

    @Test func garbageDER() throws {
        #expect(cryptoError { _ = try PublicKey(spkiDER: []) }?.code == .pemDecoding)
        let error = cryptoError { _ = try PublicKey(spkiDER: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        #expect(error?.code == .pemDecoding)
        #expect(error?.openSSLErrors.isEmpty == false)
        let der = try GeneratedKeys.key(.ed25519).publicKey.spkiDER
        #expect(cryptoError { _ = try PublicKey(spkiDER: der + [0]) }?.code == .pemDecoding)
    }

    @Test func errorDescriptionMentionsOpenSSL() {
        let error = cryptoError { _ = try PrivateKey(pem: "garbage") }
        #expect(error?.description.contains("pemDecoding") == true)
        #expect(error?.openSSLErrors.first?.contains(":") == true)
    }

    @Test func jwkMembers() throws {
        let rsa = try GeneratedKeys.key(.rsa2048).publicKey.jwk
        #expect(Set(rsa.keys) == ["kty", "n", "e"])
        #expect(rsa["kty"] == "RSA")
        #expect(rsa["e"] == "AQAB")
        #expect(base64URLDecode(rsa["n"] ?? "")?.count == 256)

        let ec = try GeneratedKeys.key(.p256).publicKey.jwk
        #expect(Set(ec.keys) == ["kty", "crv", "x", "y"])
        #expect(ec["kty"] == "EC" && ec["crv"] == "P-256")
        #expect(base64URLDecode(ec["x"] ?? "")?.count == 32)
        #expect(base64URLDecode(ec["y"] ?? "")?.count == 32)

        let ed = try GeneratedKeys.key(.ed25519).publicKey.jwk
        #expect(Set(ed.keys) == ["kty", "crv", "x"])
        #expect(ed["kty"] == "OKP" && ed["crv"] == "Ed25519")
        #expect(base64URLDecode(ed["x"] ?? "")?.count == 32)
        for value in Array(rsa.values) + Array(ec.values) + Array(ed.values) {
            #expect(!value.contains("=") && !value.contains("+") && !value.contains("/"))
        }
    }
}

struct ErrorReportingTests {
    @Test func sampleErrorText() {
        for body in [
            { _ = try PrivateKey(pem: "hello") }, { _ = try PublicKey(pem: "") },
            { _ = try PrivateKey(pem: CryptoFixtures.text("keys/crypto-encrypted-ed25519.pem"), passphrase: "x") },
        ] as [() throws -> Void] {
            let error = cryptoError(body)
            #expect(error?.openSSLErrors.isEmpty == false)
        }
    }
}

struct UnsupportedKeyTests {
    @Test(arguments: [
        "keys/crypto-unsupported-p384.pem", "keys/crypto-unsupported-rsa1024.pem", "keys/crypto-unsupported-x25519.pem",
    ])
    func privateKeyRejected(path: String) throws {
        let pem = try CryptoFixtures.text(path)
        #expect(cryptoError { _ = try PrivateKey(pem: pem) }?.code == .unsupportedKey)
    }

    @Test func weakRSAPublicKeyRejected() throws {
        let pem = try CryptoFixtures.text("keys/crypto-unsupported-rsa1024.pub.pem")
        #expect(cryptoError { _ = try PublicKey(pem: pem) }?.code == .unsupportedKey)
    }
}
