import Foundation
import LinkedData
import OpenBadgesCrypto
import TestSupport
import Testing

/// The bundled contexts plus the W3C VC examples context, which the `vc-di-eddsa` vectors use and no credential
/// Insigne meets does (test double; its whole text is the one line below).
struct VectorLoader: ContextLoader {
    func document(for url: String) throws -> LDJSON {
        if url == "https://www.w3.org/ns/credentials/examples/v2" {
            return try LDJSON(parsing: #"{"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}"#)
        }
        return try BundledContexts.standard.document(for: url)
    }
}

private func json(_ path: String) throws -> LDJSON {
    try LDJSON(parsing: Array(try Data(contentsOf: TestPaths.specs.appendingPathComponent(path))))
}

private func text(_ path: String) throws -> String {
    try String(contentsOf: TestPaths.specs.appendingPathComponent(path), encoding: .utf8)
}

private func sha256Hex(_ s: String) -> String {
    SHA256Digest.hexHash(Array(s.utf8))
}

struct CredentialVectorTests {
    /// The OB 3.0 specification's `eddsa-rdfc-2022` vector: canonical document and proof configuration, hashes.
    @Test func openBadges3SpecVectorByteForByte() throws {
        let v = try json("ob3/test-vectors/eddsa-rdfc-2022-openbadgecredential.json")
        let document = try LinkedData.canonicalNQuads(of: v["unsignedCredential"]!)
        #expect(document == v["canonicalDocumentNQuads"]?.string)
        #expect(sha256Hex(document) == v["documentHashHex"]?.string)
        guard case .object(var options) = v["proofOptions"]! else { return }
        options["@context"] = v["unsignedCredential"]!["@context"]
        let proof = try LinkedData.canonicalNQuads(of: .object(options))
        #expect(proof == v["canonicalProofNQuads"]?.string)
        #expect(sha256Hex(proof) == v["proofHashHex"]?.string)
    }

    /// W3C `vc-di-eddsa` vectors (`eddsa-rdfc-2022` and the legacy `Ed25519Signature2020`): every intermediate
    /// canonical form and hash. (The "employ" variant needs the `citizenship/v4rc1` context, which is not bundled.)
    @Test(arguments: [
        ("eddsa-rdfc-2022", "DataInt"), ("Ed25519Signature2020", "EdSig"),
    ])
    func w3cEdDSAVectors(_ folder: String, _ suffix: String) throws {
        let dir = "vc-di-eddsa/TestVectors/" + folder + "/"
        let document = try LinkedData.canonicalNQuads(
            of: try json("vc-di-eddsa/TestVectors/unsigned.json"), loader: VectorLoader())
        #expect(document == (try text(dir + "canonDoc\(suffix).txt")))
        #expect(sha256Hex(document) == (try text(dir + "docHash\(suffix).txt")))
        let proof = try LinkedData.canonicalNQuads(
            of: try json(dir + "proofConfig\(suffix).json"), loader: VectorLoader())
        #expect(proof == (try text(dir + "proofCanon\(suffix).txt")))
        #expect(sha256Hex(proof) == (try text(dir + "proofHash\(suffix).txt")))
    }

    /// Every OB 3.0 example credential of the specification canonicalizes with the bundled contexts alone.
    @Test(arguments: [
        "basic-openbadgecredential", "complete-openbadgecredential", "endorsementcredential",
        "achievement-alignment-case", "achievement-alignment-credential-engine", "skill-assertion-case",
        "skill-assertion-ctdl", "docformat-sample-openbadgecredential",
    ])
    func specExamplesNeedOnlyBundledContexts(_ name: String) throws {
        let nquads = try LinkedData.canonicalNQuads(of: try json("ob3/examples/\(name).json"))
        #expect(nquads.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#"))
        #expect(try NQuads.parse(nquads).count > 5)
    }

    /// The spec's equality samples name the VC 1.1 *examples* context: not bundled, so refused.
    @Test func aSpecSampleWithAnUnbundledContextIsRefused() throws {
        #expect(throws: LinkedDataError.unknownContext("https://www.w3.org/2018/credentials/examples/v2")) {
            try LinkedData.canonicalNQuads(of: try json("ob3/examples/equality-sample-credential-a.json"))
        }
    }

    @Test func anUnknownRemoteContextIsRefusedNeverFetched() {
        let credential: LDJSON = .object([
            "@context": .array([.string("https://www.w3.org/ns/credentials/v2"), .string("https://evil.example/ctx")]),
            "type": .string("VerifiableCredential"),
        ])
        #expect(throws: LinkedDataError.unknownContext("https://evil.example/ctx")) {
            try LinkedData.canonicalNQuads(of: credential)
        }
    }

    @Test func everyBundledContextParses() throws {
        for url in BundledContexts.files.keys {
            #expect(try BundledContexts.standard.document(for: url)["@context"] != nil, "\(url)")
        }
    }

    @Test func protectedTermsOfTheVCContextCannotBeRedefined() {
        let credential: LDJSON = .object([
            "@context": .array([
                .string("https://www.w3.org/ns/credentials/v2"),
                .object(["name": .string("https://evil.example/name")]),
            ]),
            "name": .string("Alice"),
        ])
        #expect(throws: LinkedDataError.invalid(code: "protected term redefinition", detail: "name")) {
            try LinkedData.toRDF(credential)
        }
    }

    @Test func deepNestingIsRefusedNotACrash() throws {
        var value: LDJSON = .string("x")
        for _ in 0..<200 { value = .object(["http://example.org/p": value]) }
        #expect(throws: LinkedDataError.self) { try LinkedData.toRDF(value) }
    }

    @Test func deeplyNestedScopedContextsAreRefusedNotACrash() throws {
        var context: LDJSON = .object(["@vocab": .string("http://example.org/")])
        for _ in 0..<120 {
            context = .object(["t": .object(["@id": .string("http://example.org/t"), "@context": context])])
        }
        let document: LDJSON = .object(["@context": context, "t": .string("x")])
        #expect(throws: LinkedDataError.invalid(code: "context overflow", detail: "contexts nested too deeply")) {
            try LinkedData.toRDF(document)
        }
    }

    @Test func jsonLiteralsAndNumbersHaveTheirCanonicalForms() throws {
        let doc = try LDJSON(
            parsing: #"""
                {"@context": {"@vocab": "http://ex.org/", "j": {"@type": "@json"}},
                 "@id": "http://ex.org/s", "j": {"b": [1.0, 1e30, 0.000001, "é\n"], "a": null},
                 "d": 1.5, "i": 10, "big": 1e21, "t": true}
                """#)
        let nquads = NQuads.serialize(try LinkedData.toRDF(doc))
        #expect(
            nquads.contains(
                #""{\"a\":null,\"b\":[1,1e+30,0.000001,\"é\\n\"]}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>"#)
        )
        #expect(nquads.contains(#""1.5E0"^^<http://www.w3.org/2001/XMLSchema#double>"#))
        #expect(nquads.contains(#""10"^^<http://www.w3.org/2001/XMLSchema#integer>"#))
        #expect(nquads.contains(#""1.0E21"^^<http://www.w3.org/2001/XMLSchema#double>"#))
        #expect(nquads.contains(#""true"^^<http://www.w3.org/2001/XMLSchema#boolean>"#))
    }
}
