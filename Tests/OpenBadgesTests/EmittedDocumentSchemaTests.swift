import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Every document Insigne emits validates against its schema in `Schemas/ob2/`.
struct EmittedDocumentSchemaTests {
    static func validator(_ name: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schemaFile: TestPaths.schemas.appendingPathComponent("ob2/\(name).schema.json"))
    }

    func expectValid(_ document: JSONValue, _ schema: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let violations = try Self.validator(schema).validate(document)
        #expect(
            violations.isEmpty, "\(schema): \(violations)\n\(document.prettyString())", sourceLocation: sourceLocation)
    }

    @Test func signedAssertionsValidate() throws {
        let fixture = try BadgeFixture()
        let now = Date()
        let requests = [
            fixture.request(),
            fixture.request(
                email: "  Jean.Martin@Example.ORG ", issuedOn: now.addingTimeInterval(-86400),
                expires: now.addingTimeInterval(365 * 86400)),
            AssertionRequest(
                badgeClassID: fixture.documents.badgeClass.id, recipientEmail: "a@example.com", issuedOn: now,
                evidence: [
                    Evidence(id: "https://portfolio.example/work/1", narrative: "Étude de cas", name: "Cas n°1")
                ],
                narrative: "A suivi **toute** la formation.", image: fixture.baseURL + "/images/baked/1.png"),
        ]
        for request in requests {
            let signed = try fixture.signer.issue(request)
            try expectValid(signed.assertion.json, "assertion")
            // The JWS payload is that same document.
            let payload = try JSONValue(parsing: try CompactJWS(signed.jws).payload)
            try expectValid(payload, "assertion")
        }
    }

    @Test func schemaRejectsWhatInsigneMustNotEmit() throws {
        // Control: the assertion schema is not trivially permissive.
        let fixture = try BadgeFixture()
        var o = try fixture.signer.makeAssertion(fixture.request()).json.objectValue!
        o["recipient"] = ["type": "email", "identity": "marie.dupont@example.org", "hashed": false]
        #expect(!(try Self.validator("assertion").isValid(.object(o))))
        o = try fixture.signer.makeAssertion(fixture.request()).json.objectValue!
        o["issuedOn"] = "2016-12-31"
        #expect(!(try Self.validator("assertion").isValid(.object(o))))
    }

    @Test func hostedAssertionValidates() throws {
        let fixture = try BadgeFixture()
        let salt = try SecureRandom.hex(byteCount: 16)
        let a = Assertion(
            id: fixture.baseURL + "/assertions/42",
            recipient: IdentityObject(
                type: "email", identity: IdentityHash.compute(identifier: "a@example.org", salt: salt).text,
                hashed: true, salt: salt),
            badge: fixture.documents.badgeClass.id, verification: VerificationObject(type: ["HostedBadge"]),
            issuedOn: DateTimeValue(Date()))
        try expectValid(a.json, "assertion")
    }

    @Test func issuerDocumentSetValidates() throws {
        let fixture = try BadgeFixture()
        let docs = fixture.documents
        try expectValid(docs.profile.json(), "issuer")
        try expectValid(docs.key.json, "cryptographic-key")
        try expectValid(docs.revocationList.json, "revocation-list")
        try expectValid(docs.badgeClass.json(), "badgeclass")
    }

    @Test func badgeClassWithAlignmentTagsAndSVGValidates() throws {
        let key = try BadgeFixture.testKey()
        let docs = IssuerDocumentSet(
            baseURL: "https://open.example.fr", issuerSlug: "ifsi", issuerName: "IFSI de Lyon",
            issuerURL: "https://ifsi.example.fr",
            issuerEmail: "contact@ifsi.example.fr", publicKeyPEM: key.publicKey.spkiPEM, badgeSlug: "hygiene-des-mains",
            badgeName: "Hygiène des mains", badgeDescription: "Friction hydro-alcoolique en 7 étapes.",
            criteria: "Réussir l'évaluation pratique.", badgeImage: "https://open.example.fr/images/hygiene.svg",
            tags: ["hygiène", "soins"],
            alignment: [
                AlignmentObject(
                    targetName: "Compétence 3", targetUrl: "https://referentiel.example.fr/c3",
                    targetDescription: "Soins",
                    targetFramework: "Référentiel infirmier 2009", targetCode: "C3"),
                AlignmentObject(targetName: "Hygiène", targetUrl: "https://referentiel.example.fr/h"),
            ])
        try expectValid(docs.badgeClass.json(), "badgeclass")
        try expectValid(docs.profile.json(), "issuer")
        for (url, json) in docs.documents {
            #expect(json["id"]?.stringValue == url)
            #expect(json["@context"] == "https://w3id.org/openbadges/v2")
        }
    }

    @Test func revocationListWithEntriesValidates() throws {
        let fixture = try BadgeFixture()
        var list = fixture.documents.revocationList
        let a = try fixture.issue()
        let b = try fixture.issue()
        list.revokedAssertions = [
            RevocationList.Entry(id: a.assertion.id, revocationReason: "Erreur d'attribution"),
            RevocationList.Entry(id: b.assertion.id),
        ]
        try expectValid(list.json, "revocation-list")
        // And it reads back with the same entries.
        #expect(try RevocationList(document: list.json).revokedAssertions == list.revokedAssertions)
    }

    @Test func emittedDocumentsReadBackIntoTheSameModel() throws {
        let fixture = try BadgeFixture()
        let docs = fixture.documents
        #expect(try Profile(document: docs.profile.json()) == docs.profile)
        #expect(try CryptographicKey(document: docs.key.json) == docs.key)
        #expect(try BadgeClass(document: docs.badgeClass.json()) == docs.badgeClass)
        let signed = try fixture.issue()
        #expect(try Assertion(document: signed.assertion.json) == signed.assertion)
    }
}
