import Foundation
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG
import TestSupport
import Testing

/// `insigne verify` on Open Badges 3.0 badges (ISSUE12 « Done when »): exit 0 for a valid PNG, SVG, JWT or JSON
/// credential whose key it can obtain, 1 for a forged, revoked, expired or mismatched one, 2 when the key or the
/// status list cannot be obtained. Keys are did:key (no network); the status list is served offline with
/// `--documents`, signed with its own Data Integrity proof.
struct OB3CLITests {
    static let listURL = "https://status.example.org/lists/1"
    static let email = "lea.martin@example.fr"

    let key: PrivateKey
    let did: String
    let kid: String
    let dir: URL

    init() throws {
        key = try PrivateKey.generate(.ed25519)
        let mk = Multibase.multikey(key.publicKey)!
        did = "did:key:" + mk
        kid = did + "#" + mk
        dir = try OfficialTools.temporaryDirectory()
    }

    func credential(
        issuer: String? = nil, validUntil: String = "2030-01-01T00:00:00Z", status: (list: String, index: Int)? = nil
    ) -> [String: JSONValue] {
        let hash = IdentityHash.compute(identifier: Self.email, salt: "sel").text
        var o: [String: JSONValue] = [
            "@context": [
                "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "urn:uuid:5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(issuer ?? did), "type": ["Profile"], "name": "Organisme de formation"],
            "validFrom": "2026-01-15T09:00:00Z", "validUntil": .string(validUntil),
            "credentialSubject": [
                "type": ["AchievementSubject"],
                "identifier": [
                    [
                        "type": "IdentityObject", "identityHash": .string(hash), "identityType": "emailAddress",
                        "hashed": true, "salt": "sel",
                    ]
                ],
                "achievement": [
                    "id": "https://issuer.example.org/achievements/sst", "type": ["Achievement"],
                    "name": "Sauveteur secouriste du travail", "description": "Premiers secours au travail",
                    "criteria": ["narrative": "Formation de 14 heures"],
                ],
            ],
        ]
        if let status {
            o["credentialStatus"] = [
                "id": .string("\(status.list)#\(status.index)"), "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation", "statusListIndex": .string(String(status.index)),
                "statusListCredential": .string(status.list),
            ]
        }
        return o
    }

    func jwt(_ c: [String: JSONValue], issuer: String? = nil, kid: String? = nil) throws -> String {
        var claims = c
        claims["iss"] = .string(issuer ?? did)
        claims["jti"] = c["id"]
        return try VCJWT.sign(
            claims: .object(claims), key: key, algorithm: .edDSA, header: ["kid": .string(kid ?? self.kid)])
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A status list credential with bit `revoked` set, signed with an `eddsa-rdfc-2022` proof, in `documents/`.
    func statusListDocuments(revoked: Int) throws -> String {
        var bits = [UInt8](repeating: 0, count: 16_384)
        bits[revoked / 8] |= 0x80 >> UInt8(revoked % 8)
        let list: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2"], "id": .string(Self.listURL),
            "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": .string(did),
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": [
                "id": .string(Self.listURL + "#list"), "type": "BitstringStatusList", "statusPurpose": "revocation",
                "encodedList": .string(try BitstringStatusList.encode(bits)),
            ],
        ]
        let signed = try DataIntegrity.sign(
            document: list, key: key, verificationMethod: kid, created: Date(timeIntervalSince1970: 1_767_225_600))
        let documents = dir.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try Data(signed.encodedString().utf8).write(to: documents.appendingPathComponent("list.json"))
        return documents.path
    }

    func png(_ text: String) throws -> [UInt8] {
        let base = [UInt8](
            try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/minimal-1x1-rgba.png")))
        var stream = try PNGDatastream(parsing: base)
        let chunk = try InternationalTextChunk(keyword: "openbadgecredential", text: text, compressed: false)
        stream.chunks.insert(chunk.chunk(), at: 1)
        return stream.serialized()
    }

    func svg(_ jwt: String) -> [UInt8] {
        Array(
            (#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">"#
                + #"<openbadges:credential verify="\#(jwt)"/><circle r="4"/></svg>"#).utf8)
    }

    func verify(_ path: String, _ extra: [String] = []) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, ["verify", path, "--now", "2027-01-01T00:00:00Z"] + extra)
    }

    @Test func validPNGSVGJWTAndJSONExitZero() async throws {
        let token = try jwt(credential())
        let signed = try DataIntegrity.sign(
            document: .object(credential()), key: key, verificationMethod: kid,
            created: Date(timeIntervalSince1970: 1_768_467_600))
        let files = [
            try write("badge.jwt", Array(token.utf8)), try write("badge.png", try png(token)),
            try write("badge.svg", svg(token)), try write("badge.json", Array(signed.encodedString().utf8)),
        ]
        for file in files {
            let r = try await verify(file, ["--recipient", "Lea.Martin@example.fr"])
            #expect(r.status == 0, "\(file): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.contains("VALIDE"))
        }
    }

    @Test func forgedRevokedExpiredOrMismatchedExitOne() async throws {
        let token = try jwt(credential())
        // One character of the signature changed (the first: all six bits count).
        let cut = token.index(after: try #require(token.lastIndex(of: ".")))
        let forged = token[..<cut] + (token[cut] == "A" ? "B" : "A") + token[token.index(after: cut)...]
        let expired = try jwt(credential(validUntil: "2026-06-01T00:00:00Z"))
        let revoked = try jwt(credential(status: (Self.listURL, 42)))
        let documents = try statusListDocuments(revoked: 42)
        let cases: [(String, [String], String)] = [
            (try write("forged.jwt", Array(forged.utf8)), [], "falsifié"),
            (try write("expired.jwt", Array(expired.utf8)), [], "expiré"),
            (try write("revoked.jwt", Array(revoked.utf8)), ["--documents", documents], "révoqué"),
            (try write("other.jwt", Array(token.utf8)), ["--recipient", "paul@example.fr"], "n'a pas été délivré"),
        ]
        for (file, extra, words) in cases {
            let r = try await verify(file, extra)
            #expect(r.status == 1, "\(file): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.contains(words), "\(file): \(r.stdout)")
        }
        // The same badge whose list bit is clear is valid: the list was fetched and its own proof verified.
        let clear = try jwt(credential(status: (Self.listURL, 7)))
        let ok = try await verify(try write("clear.jwt", Array(clear.utf8)), ["--documents", documents])
        #expect(ok.status == 0, "\(ok.stdout)")
    }

    @Test func keyOrStatusListUnobtainableExitTwo() async throws {
        // did:web on a loopback host: refused by the SSRF guard, so the key cannot be obtained.
        let web = "did:web:127.0.0.1%3A9"
        let noKey = try jwt(credential(issuer: web), issuer: web, kid: web + "#key-1")
        let r1 = try await verify(try write("nokey.jwt", Array(noKey.utf8)))
        #expect(r1.status == 2, "\(r1.stdout)")
        #expect(r1.stdout.contains("INDÉTERMINÉ") && r1.stdout.contains("clé publique de l'émetteur est inaccessible"))
        // A status list on a loopback address: the list cannot be obtained.
        let noList = try jwt(credential(status: ("https://127.0.0.1:9/lists/1", 3)))
        let r2 = try await verify(try write("nolist.jwt", Array(noList.utf8)))
        #expect(r2.status == 2, "\(r2.stdout)")
        #expect(r2.stdout.contains("INDÉTERMINÉ") && r2.stdout.contains("liste des badges révoqués"), "\(r2.stdout)")
    }
}
