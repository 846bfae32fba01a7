import OpenBadgesCrypto
import Testing

struct KnownAnswerTests {
    static let a2SigningInput =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let a2Signature =
        "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"

    /// RFC 7515 Appendix A.2: RS256 is deterministic, so the published signature must be reproduced exactly.
    @Test func rfc7515A2RS256() throws {
        let key = try PrivateKey(pem: CryptoFixtures.text("keys/test-rfc7515-a2.pem"))
        #expect(key.algorithm == .rsa(bits: 2048))
        let message = Array(Self.a2SigningInput.utf8)
        let signature = try key.signature(for: message, algorithm: .rs256)
        #expect(base64URLEncode(signature) == Self.a2Signature)

        let published = try #require(base64URLDecode(Self.a2Signature))
        let publicKey = try PublicKey(pem: CryptoFixtures.text("keys/test-rfc7515-a2.pub.pem"))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.isValidSignature(published, for: message, algorithm: .rs256))
        #expect(key.publicKey.isValidSignature(published, for: message, algorithm: .rs256))
        #expect(
            publicKey.jwk["n"]?.hasPrefix("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp") == true)
        #expect(publicKey.jwk["e"] == "AQAB")
    }

    /// Every vector in Fixtures/vectors/crypto-jws-vectors.json verifies; deterministic ones re-sign byte-for-byte.
    @Test func jwsVectorFile() throws {
        let vectors = try CryptoFixtures.jwsVectors()
        #expect(vectors.count == 3)
        for vector in vectors {
            let algorithm = try #require(SignatureAlgorithm(rawValue: vector.alg))
            let message = Array(vector.signingInput.utf8)
            let expected = try #require(base64URLDecode(vector.signature))
            var publicKeys: [PublicKey] = []
            if let path = vector.privateKey {
                let key = try PrivateKey(pem: CryptoFixtures.text(path))
                publicKeys.append(key.publicKey)
                let fresh = try key.signature(for: message, algorithm: algorithm)
                if vector.deterministic {
                    #expect(fresh == expected, "\(vector.name) signature differs")
                }
                #expect(key.publicKey.isValidSignature(fresh, for: message, algorithm: algorithm), "\(vector.name)")
            }
            if let path = vector.publicKey {
                publicKeys.append(try PublicKey(pem: CryptoFixtures.text(path)))
            }
            #expect(!publicKeys.isEmpty)
            for publicKey in publicKeys {
                #expect(publicKey.isValidSignature(expected, for: message, algorithm: algorithm), "\(vector.name)")
                #expect(publicKey.jwk == vector.jwk, "\(vector.name) JWK")
                var tampered = message
                tampered[tampered.count - 1] ^= 0x01
                #expect(!publicKey.isValidSignature(expected, for: tampered, algorithm: algorithm), "\(vector.name)")
            }
        }
    }
}
