import OpenBadgesCrypto
import Testing

struct SHA256DigestTests {
    @Test func fipsKnownAnswers() {
        #expect(
            SHA256Digest.hexHash(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hexHash([])
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256Digest.hexHash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256Digest.hexHash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func rawDigestMatchesHex() {
        let digest = SHA256Digest.hash(Array("abc".utf8))
        #expect(digest.count == 32)
        #expect(digest.prefix(4) == [0xba, 0x78, 0x16, 0xbf])
    }

    @Test(arguments: [
        ("mayze", "7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"),
        ("a@example.comKosher", "b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"),
        ("nobody@example.orgdeadsea", "ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"),
    ])
    func openBadgesIdentityHashes(input: String, expected: String) {
        #expect(SHA256Digest.hexHash(Array(input.utf8)) == expected)
    }
}

struct SecureRandomTests {
    @Test(arguments: [0, 1, 16, 32, 1000])
    func requestedLength(count: Int) throws {
        #expect(try SecureRandom.bytes(count: count).count == count)
        let hex = try SecureRandom.hex(byteCount: count)
        #expect(hex.count == count * 2)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func callsDiffer() throws {
        let a = try SecureRandom.bytes(count: 32)
        let b = try SecureRandom.bytes(count: 32)
        #expect(a != b)
        #expect(try SecureRandom.hex(byteCount: 16) != SecureRandom.hex(byteCount: 16))
    }

    @Test func negativeCountThrows() {
        #expect(cryptoError { _ = try SecureRandom.bytes(count: -1) }?.code == .random)
    }
}
