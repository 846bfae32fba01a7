import OpenBadgesCrypto
import Testing

struct SignatureTests {
    static let pairs: [(KeyType, SignatureAlgorithm)] = [
        (.rsa2048, .rs256), (.rsa3072, .rs256), (.p256, .es256), (.ed25519, .edDSA),
    ]

    @Test(arguments: pairs)
    func signAndVerify(type: KeyType, algorithm: SignatureAlgorithm) throws {
        let key = try GeneratedKeys.key(type)
        let message = Array("{\"alg\":\"\(algorithm.rawValue)\"}.payload".utf8)
        let signature = try key.signature(for: message, algorithm: algorithm)
        switch type {
        case .rsa2048: #expect(signature.count == 256)
        case .rsa3072: #expect(signature.count == 384)
        case .p256, .ed25519: #expect(signature.count == 64)
        }
        #expect(key.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
        // A public key reloaded from PEM verifies too.
        let reloaded = try PublicKey(pem: key.publicKey.spkiPEM)
        #expect(reloaded.isValidSignature(signature, for: message, algorithm: algorithm))

        var tamperedMessage = message
        tamperedMessage[0] ^= 0x20
        #expect(!key.publicKey.isValidSignature(signature, for: tamperedMessage, algorithm: algorithm))

        for index in [0, signature.count / 2, signature.count - 1] {
            var tamperedSignature = signature
            tamperedSignature[index] ^= 0x01
            #expect(!key.publicKey.isValidSignature(tamperedSignature, for: message, algorithm: algorithm))
        }
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message, algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message, algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature([], for: message, algorithm: algorithm))
        #expect(
            !key.publicKey.isValidSignature(
                [UInt8](repeating: 0, count: signature.count), for: message, algorithm: algorithm))
        #expect(
            !key.publicKey.isValidSignature(
                [UInt8](repeating: 0xff, count: signature.count), for: message, algorithm: algorithm))

        // Another key of the same type rejects it.
        let other = try PrivateKey.generate(type == .rsa3072 ? .rsa2048 : type)
        #expect(!other.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
    }

    @Test(arguments: pairs)
    func emptyMessage(type: KeyType, algorithm: SignatureAlgorithm) throws {
        let key = try GeneratedKeys.key(type)
        let signature = try key.signature(for: [], algorithm: algorithm)
        #expect(key.publicKey.isValidSignature(signature, for: [], algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature(signature, for: [0], algorithm: algorithm))
    }

    @Test func deterministicSchemes() throws {
        let message = Array("same input".utf8)
        let rsa = try GeneratedKeys.key(.rsa2048)
        #expect(try rsa.signature(for: message, algorithm: .rs256) == rsa.signature(for: message, algorithm: .rs256))
        let ed = try GeneratedKeys.key(.ed25519)
        #expect(try ed.signature(for: message, algorithm: .edDSA) == ed.signature(for: message, algorithm: .edDSA))
        // ECDSA is randomised, but both signatures verify.
        let ec = try GeneratedKeys.key(.p256)
        let first = try ec.signature(for: message, algorithm: .es256)
        let second = try ec.signature(for: message, algorithm: .es256)
        #expect(first != second)
        #expect(ec.publicKey.isValidSignature(second, for: message, algorithm: .es256))
    }

    @Test func crossAlgorithmMisuse() throws {
        let message = Array("message".utf8)
        let all: [SignatureAlgorithm] = [.rs256, .es256, .edDSA]
        for (type, native) in Self.pairs {
            let key = try GeneratedKeys.key(type)
            let signature = try key.signature(for: message, algorithm: native)
            for algorithm in all where algorithm != native {
                let error = cryptoError { _ = try key.signature(for: message, algorithm: algorithm) }
                #expect(error?.code == .algorithmMismatch, "\(type) with \(algorithm)")
                #expect(!key.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
            }
        }
        // A valid RS256 signature presented to an EC key under RS256, and a 64-byte ES256 signature to an Ed25519 key.
        let rsaSignature = try GeneratedKeys.key(.rsa2048).signature(for: message, algorithm: .rs256)
        #expect(
            !(try GeneratedKeys.key(.p256)).publicKey.isValidSignature(rsaSignature, for: message, algorithm: .rs256))
        let ecSignature = try GeneratedKeys.key(.p256).signature(for: message, algorithm: .es256)
        #expect(
            !(try GeneratedKeys.key(.ed25519)).publicKey.isValidSignature(ecSignature, for: message, algorithm: .edDSA))
    }

    @Test func es256RejectsDEREncodedSignatures() throws {
        // A 64-byte raw signature is the only accepted form; DER (70–72 bytes) must be rejected.
        let key = try GeneratedKeys.key(.p256)
        let message = Array("der".utf8)
        let raw = try key.signature(for: message, algorithm: .es256)
        #expect(raw.count == 64)
        var der: [UInt8] = [0x30, 0x44, 0x02, 0x20] + raw[0..<32] + [0x02, 0x20] + raw[32..<64]
        der[1] = UInt8(der.count - 2)
        #expect(!key.publicKey.isValidSignature(der, for: message, algorithm: .es256))
    }

    @Test func concurrentUse() async throws {
        let key = try GeneratedKeys.key(.p256)
        let rsa = try GeneratedKeys.key(.rsa2048)
        let rsaSignature = try rsa.signature(for: [1, 2, 3], algorithm: .rs256)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let message = [UInt8(index)]
                    guard let signature = try? key.signature(for: message, algorithm: .es256) else { return false }
                    return key.publicKey.isValidSignature(signature, for: message, algorithm: .es256)
                        && rsa.publicKey.isValidSignature(rsaSignature, for: [1, 2, 3], algorithm: .rs256)
                        && !rsa.publicKey.isValidSignature(rsaSignature, for: message, algorithm: .rs256)
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }

    /// RS256 and EdDSA sign with a context prepared once per key and copied per signature: the first signatures
    /// of a key, made from many tasks at once, are byte for byte those of another copy of the key (deterministic
    /// schemes), and signing keeps working after (ISSUE13 point 6).
    @Test(arguments: [(KeyType.rsa2048, SignatureAlgorithm.rs256), (.ed25519, .edDSA)])
    func preparedContextSignsLikeAFreshOne(type: KeyType, algorithm: SignatureAlgorithm) async throws {
        let original = try GeneratedKeys.key(type)
        let key = try PrivateKey(pem: original.pkcs8PEM())
        let messages = (0..<48).map { [UInt8](repeating: UInt8($0), count: $0 * 7) }
        let expected = try messages.map { try original.signature(for: $0, algorithm: algorithm) }
        let signed = await withTaskGroup(of: (Int, [UInt8]?).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask { (index, try? key.signature(for: message, algorithm: algorithm)) }
            }
            var all = [[UInt8]?](repeating: nil, count: messages.count)
            for await (index, signature) in group { all[index] = signature }
            return all
        }
        #expect(signed == expected.map { Optional($0) })
        #expect(try key.signature(for: messages[3], algorithm: algorithm) == expected[3])
        let error = cryptoError { _ = try key.signature(for: messages[3], algorithm: .es256) }
        #expect(error?.code == .algorithmMismatch)
    }

    @Test func rawBenchmarkBaseline() throws {
        let key = try GeneratedKeys.key(.rsa2048)
        let message = Array("benchmark".utf8)
        let signature = try key.signature(for: message, algorithm: .rs256)
        #expect(RawOpenSSLBenchmark.rs256SignsPerSecond(key: key, message: message, duration: 0.05) > 0)
        #expect(
            RawOpenSSLBenchmark.rs256VerifiesPerSecond(
                key: key.publicKey, signature: signature, message: message, duration: 0.05) > 0)
        #expect(
            RawOpenSSLBenchmark.rs256VerifiesPerSecond(
                key: key.publicKey, signature: signature, message: [0], duration: 0.05) == 0)
    }

    @Test func rawEd25519VerifyBaseline() throws {
        let key = try GeneratedKeys.key(.ed25519)
        let message = [UInt8](repeating: 7, count: 64)
        let signature = try key.signature(for: message, algorithm: .edDSA)
        #expect(
            RawOpenSSLBenchmark.ed25519VerifiesPerSecond(
                key: key.publicKey, signature: signature, message: message, duration: 0.05) > 0)
        #expect(
            RawOpenSSLBenchmark.ed25519VerifiesPerSecond(
                key: key.publicKey, signature: signature, message: [0], duration: 0.05) == 0)
        let rsa = try GeneratedKeys.key(.rsa2048)
        #expect(
            RawOpenSSLBenchmark.ed25519VerifiesPerSecond(
                key: rsa.publicKey, signature: signature, message: message, duration: 0.05) == 0)
    }
}
