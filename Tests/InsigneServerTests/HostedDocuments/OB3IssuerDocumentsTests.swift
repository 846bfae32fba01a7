import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

@testable import InsigneServer

/// The OB 3.0 issuer profile and key documents: served at their ids, controller = issuer, rotated with the RSA key.
struct OB3IssuerDocumentsTests {
    let issuerID = "mutuelle-vivre-ensemble"

    @Test func profileAndKeysAreServedAtTheirIDs() async throws {
        let services = try await WebHarness.make(allowPrivateNetwork: false).services
        let urls = services.issuing.documents.urls
        let profile = try #require(try await services.resolver.resolve(path: "/ob3/issuers/\(issuerID)")?.json)
        #expect(profile["id"]?.stringValue == urls.ob3Issuer(issuerID))
        #expect(profile["type"] == ["Profile"])
        let schema = try JSONSchemaValidator(
            schemaFile: TestPaths.specs.appendingPathComponent("ob3/schema/profile.json"))
        #expect(schema.validate(profile) == [])

        // The Ed25519 key: a Multikey document whose controller is the profile, matching the private key.
        let (record, privateKey) = try await services.issuing.activeDataIntegrityKey(issuerID: issuerID)
        let multikey = try #require(try await services.resolver.resolve(path: "/ob3/keys/\(record.id)")?.json)
        #expect(multikey["type"]?.stringValue == "Multikey")
        #expect(multikey["id"]?.stringValue == urls.ob3Key(record.id))
        #expect(multikey["controller"]?.stringValue == urls.ob3Issuer(issuerID))
        let published = try Multibase.publicKey(
            multikey: try #require(multikey["publicKeyMultibase"]?.stringValue))
        #expect(published.spkiPEM == privateKey.publicKey.spkiPEM)
        let file = services.issuing.keystore.directory.appendingPathComponent(record.privateKeyFile).path
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // The RSA key: a JsonWebKey document (the VC-JWT `kid`), same key as the OB 2.0 CryptographicKey.
        let rsa = try #require(try await services.db.activeSigningKey(issuerID: issuerID))
        let jwkDocument = try #require(try await services.resolver.resolve(path: "/ob3/keys/\(rsa.id)")?.json)
        #expect(jwkDocument["type"]?.stringValue == "JsonWebKey")
        #expect(jwkDocument["controller"]?.stringValue == urls.ob3Issuer(issuerID))
        let jwk = try #require(jwkDocument["publicKeyJwk"])
        #expect(try KeyMaterial.publicKey(jwk: jwk).spkiPEM == rsa.publicKeyPEM)
        #expect(try await services.resolver.resolve(path: "/ob3/keys/nope") == nil)
        #expect(try await services.resolver.resolve(path: "/ob3/issuers/nope") == nil)
    }

    @Test func rotationKeepsOldKeysPublishedAndStartUpIsIdempotent() async throws {
        let services = try await WebHarness.make(allowPrivateNetwork: false).services
        let (old, _) = try await services.issuing.activeDataIntegrityKey(issuerID: issuerID)
        _ = try await services.issuing.rotateKey(issuerID: issuerID, actor: "test")
        let (new, _) = try await services.issuing.activeDataIntegrityKey(issuerID: issuerID)
        #expect(new.id != old.id)
        let all = try await services.db.dataIntegrityKeys(issuerID: issuerID)
        #expect(all.map(\.id) == [old.id, new.id])
        #expect(all[0].retiredAt != nil && all[1].retiredAt == nil)
        #expect(try await services.resolver.resolve(path: "/ob3/keys/\(old.id)")?.status == 200)

        try await services.issuing.ensureDataIntegrityKeys()
        try await services.issuing.ensureDataIntegrityKeys()
        #expect(try await services.db.dataIntegrityKeys(issuerID: issuerID).count == 2)
        #expect(try await services.db.issuersWithoutDataIntegrityKey() == [])
    }
}
