import Foundation
import HTTPTypes
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

/// ISSUE13 point 3: each award gets a random entry in its issuer's Bitstring status list; the signed list is served
/// and passes Insigne's own verifier; revoking flips the award's bit, and the verifier then says revoked.
struct StatusListServingTests {
    let issuerID = "mutuelle-vivre-ensemble"

    /// A small OB 3.0 credential for `award`, signed in the test with the issuer's Ed25519 key.
    func credential(_ services: ServerServices, award: AssertionRecord, status: JSONValue) async throws -> String {
        let urls = services.urls
        let (key, privateKey) = try await services.issuing.activeDataIntegrityKey(issuerID: issuerID)
        let unsigned: JSONValue = [
            "@context": DocumentFactory.ob3Context,
            "id": .string(urls.ob3Credential(award.id)), "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(urls.ob3Issuer(issuerID)), "type": ["Profile"], "name": "Mutuelle"],
            "validFrom": "2026-01-15T09:00:00Z", "name": "Bientraitance",
            "credentialSubject": [
                "type": ["AchievementSubject"],
                "achievement": [
                    "id": .string(urls.ob3Achievement(award.badgeClassID)), "type": ["Achievement"],
                    "name": "Bientraitance", "description": "Bientraitance des personnes accompagnées",
                    "criteria": ["narrative": "Formation de 7 heures"],
                ],
            ],
            "credentialStatus": status,
        ]
        let signed = try DataIntegrity.sign(
            document: unsigned, key: privateKey, verificationMethod: urls.ob3Key(key.id), created: Date())
        return String(decoding: signed.encoded(), as: UTF8.self)
    }

    func award(_ services: ServerServices, _ email: String) async throws -> AssertionRecord {
        try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: email), actor: "test"
        ).record
    }

    /// The served list's bits.
    func bits(_ services: ServerServices) async throws -> (BitstringStatusList, JSONValue) {
        let path = "/ob3/issuers/\(issuerID)/status/revocation"
        let list = try #require(try await services.resolver.resolve(path: path)?.json)
        let encoded = try #require(list["credentialSubject"]?["encodedList"]?.stringValue)
        let gzip = try #require(Multibase.decode(encoded))
        #expect(encoded.hasPrefix("u") && Array(gzip.prefix(3)) == [0x1f, 0x8b, 0x08])
        return (try BitstringStatusList(encodedList: encoded), list)
    }

    @Test func servedListVerifiesThenSaysRevoked() async throws {
        let services = try await WebHarness.make(allowPrivateNetwork: false).services
        let urls = services.urls
        let a = try await award(services, "marie@example.org")
        let b = try await award(services, "paul@example.org")
        let entry = try await services.statusLists.entry(issuerID: issuerID, assertionID: a.id)
        let listURL = urls.ob3StatusList(issuerID)
        let index = try #require(entry["statusListIndex"]?.stringValue.flatMap { Int($0) })
        #expect(entry["id"]?.stringValue == "\(listURL)#\(index)")
        #expect(entry["type"] == "BitstringStatusListEntry" && entry["statusPurpose"] == "revocation")
        #expect(entry["statusListCredential"]?.stringValue == listURL)
        #expect(try await services.statusLists.entry(issuerID: issuerID, assertionID: a.id) == entry)
        let other = try await services.statusLists.entry(issuerID: issuerID, assertionID: b.id)
        #expect(other["statusListIndex"] != entry["statusListIndex"])

        // Never revoked: an all-zero list of 131,072 bits, signed by the issuer's key.
        let (before, list) = try await bits(services)
        #expect(before.bitCount == 131_072 && before.bytes.allSatisfy { $0 == 0 })
        #expect(list["id"]?.stringValue == listURL && list["issuer"]?.stringValue == urls.ob3Issuer(issuerID))
        #expect(list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"])
        #expect(list["credentialSubject"]?["id"]?.stringValue == listURL + "#list")
        let (key, _) = try await services.issuing.activeDataIntegrityKey(issuerID: issuerID)
        #expect(list["proof"]?["verificationMethod"]?.stringValue == urls.ob3Key(key.id))
        #expect(list["proof"]?["cryptosuite"] == "eddsa-rdfc-2022")

        let text = try await credential(services, award: a, status: entry)
        let valid = await services.verifier.verify(.text(text), options: .init(now: Date()))
        #expect(valid.isValid, "\(valid.checks.map { "\($0.id) \($0.status) \($0.message.en)" })")

        _ = try await services.issuing.revoke(assertionID: a.id, reason: "Erreur de saisie", actor: "test")
        let (after, revokedList) = try await bits(services)
        let set = (0..<after.bitCount).filter { after.bit(at: $0) == true }
        #expect(set == [index])
        #expect(revokedList["proof"] != list["proof"])
        let revoked = await services.verifier.verify(.text(text), options: .init(now: Date()))
        #expect(revoked.outcome == .revoked, "\(revoked.checks.map { "\($0.id) \($0.status) \($0.message.en)" })")

        // A credential of the other award still verifies against the changed list.
        let still = await services.verifier.verify(
            .text(try await credential(services, award: b, status: other)), options: .init(now: Date()))
        #expect(still.isValid)
    }

    @Test func listIsSignedOncePerChangeAndServedForVerifiers() async throws {
        let h = try await WebHarness.make(allowPrivateNetwork: false)
        let services = h.services
        let path = "/ob3/issuers/\(issuerID)/status/revocation"
        let first = try #require(try await services.resolver.resolve(path: path))
        // Another award (a committed change to a published table) does not re-sign an unchanged list.
        _ = try await award(services, "jeanne@example.org")
        let second = try #require(try await services.resolver.resolve(path: path))
        #expect(second.body == first.body)
        let etag = try #require(first.etag)
        try await h.run { browser in
            let r = try await browser.get(path)
            #expect(r.status == .ok)
            #expect(r.headers[.cacheControl] == "public, max-age=300")
            #expect(r.headers[.accessControlAllowOrigin] == "*")
            let served = r.headers[HTTPField.Name("ETag")!]
            #expect(served == etag)
            #expect(r.headers[.contentType]?.hasPrefix("application/ld+json") == true)
            let head = try await browser.send(path, method: .head)
            #expect(head.status == .ok && head.body.isEmpty)
            let again = try await browser.send(path, method: .get, headers: [HTTPField.Name("If-None-Match")!: etag])
            #expect(again.status == .notModified)
            #expect(try await browser.get("/ob3/issuers/nope/status/revocation").status == .notFound)
            #expect(try await browser.get("/ob3/issuers/\(issuerID)/status/suspension").status == .notFound)
        }
    }
}
