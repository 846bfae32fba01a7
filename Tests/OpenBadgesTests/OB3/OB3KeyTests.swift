import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Multibase, did:key, did:web addresses, JWK keys and verification-method lookup (ISSUE12 point 3).
struct OB3KeyTests {
    @Test func base58KnownValues() {
        #expect(Multibase.encodeBase58(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        #expect(Multibase.decodeBase58("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
        #expect(Multibase.encodeBase58([0, 0, 1]) == "112")
        #expect(Multibase.decodeBase58("112") == [0, 0, 1])
        #expect(Multibase.decodeBase58("0OIl") == nil)
        #expect(Multibase.decodeBase58("") == nil)
        #expect(Multibase.decode("x123") == nil)
    }

    @Test func w3cVectorKeyIsAnEd25519Multikey() throws {
        let pair = try TestPaths.loadJSON(
            TestPaths.specs.appendingPathComponent("vc-di-eddsa/TestVectors/keyPair.json"))
        let multikey = try #require(pair["publicKeyMultibase"]?.stringValue)
        let key = try Multibase.publicKey(multikey: multikey)
        #expect(key.algorithm == .ed25519)
        #expect(Multibase.multikey(key) == multikey)
        let resolved = try DIDResolution.didKey("did:key:\(multikey)#\(multikey)")
        #expect(resolved.controller == "did:key:\(multikey)")
        #expect(resolved.key == key)
        #expect(throws: KeyResolutionError.self) { try DIDResolution.didKey("did:key:\(multikey)#other") }
    }

    @Test(arguments: [KeyType.ed25519, .p256, .rsa2048])
    func keysRoundTripThroughJWKAndMultikey(_ type: KeyType) throws {
        let key = try PrivateKey.generate(type).publicKey
        let jwk = JSONValue.object(key.jwk.mapValues { .string($0) })
        #expect(try KeyMaterial.publicKey(jwk: jwk) == key)
        if type != .rsa2048 {
            let mk = try #require(Multibase.multikey(key))
            #expect(mk.hasPrefix(type == .ed25519 ? "z6Mk" : "zDn"))
            #expect(try Multibase.publicKey(multikey: mk) == key)
        }
        #expect(throws: KeyResolutionError.self) {
            try KeyMaterial.publicKey(jwk: ["kty": "oct", "k": "c2VjcmV0"])
        }
        #expect(throws: KeyResolutionError.self) {
            try KeyMaterial.publicKey(jwk: ["kty": "OKP", "crv": "Ed25519", "x": "AAAA", "d": "AAAA"])
        }
    }

    @Test func didWebAddresses() throws {
        #expect(try DIDResolution.didWebURL("did:web:example.com") == "https://example.com/.well-known/did.json")
        #expect(try DIDResolution.didWebURL("did:web:example.com#key-1") == "https://example.com/.well-known/did.json")
        #expect(
            try DIDResolution.didWebURL("did:web:example.com%3A8443:users:alice")
                == "https://example.com:8443/users/alice/did.json")
        for bad in ["did:web:", "did:web:a:..:b", "did:web:evil.com%2F..%2F", "did:key:z6Mk", "did:web:u@h"] {
            #expect(throws: KeyResolutionError.self, "\(bad)") { try DIDResolution.didWebURL(bad) }
        }
    }

    @Test func verificationMethodLookup() throws {
        let doc: JSONValue = [
            "id": "did:web:example.com",
            "verificationMethod": [
                ["id": "#key-1", "type": "Multikey", "controller": "did:web:example.com", "publicKeyMultibase": "z1"],
                ["id": "did:web:example.com#key-2", "type": "JsonWebKey", "publicKeyJwk": ["kty": "OKP"]],
            ],
        ]
        #expect(DIDResolution.method("did:web:example.com#key-1", in: doc)?["publicKeyMultibase"] == "z1")
        #expect(DIDResolution.method("did:web:example.com#key-2", in: doc)?["type"] == "JsonWebKey")
        #expect(DIDResolution.method("did:web:example.com#key-3", in: doc) == nil)
        let single: JSONValue = ["id": "https://h/k", "type": "Multikey", "publicKeyMultibase": "z1"]
        #expect(DIDResolution.method("https://h/k", in: single) != nil)
        #expect(DIDResolution.method("https://h/other", in: single) == nil)
    }
}
