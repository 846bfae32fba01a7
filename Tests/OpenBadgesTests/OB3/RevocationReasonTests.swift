import Foundation
import Testing

@testable import OpenBadges

/// A Bitstring bit carries no reason: once revoked, the credential's http(s) `id` is asked, and a 410 JSON answer
/// with `revocationReason` gives the reason (issue 13 « Done when »). Never asked for a badge that is not revoked.
struct RevocationReasonTests {
    typealias Issuer = StatusListTests.Issuer
    static let credentialURL = "https://issuer.example/ob3/credentials/a1"

    /// Counts the requests per URL, answering from a static loader.
    final class CountingLoader: DocumentLoader, @unchecked Sendable {
        let inner: StaticDocumentLoader
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        init(_ inner: StaticDocumentLoader) { self.inner = inner }
        func count(_ url: String) -> Int { lock.withLock { counts[url] ?? 0 } }
        func load(_ url: URL, accept: String) async throws -> LoadedDocument {
            try await load(urlString: url.absoluteString, accept: accept)
        }
        func load(urlString: String, accept: String) async throws -> LoadedDocument {
            lock.withLock { counts[urlString, default: 0] += 1 }
            return try await inner.load(urlString: urlString, accept: accept)
        }
    }

    func run(revoked: Bool, answer: JSONValue?, status: Int = 410, id: String = credentialURL) async throws
        -> (VerificationReport, CountingLoader)
    {
        let issuer = try Issuer()
        var s = StaticDocumentLoader()
        s.add(StatusListTests.listURL, bytes: try issuer.list(revoked ? [5] : [6]), contentType: "application/vc+jwt")
        if let answer { s.add(Self.credentialURL, json: answer, status: status) }
        let loader = CountingLoader(s)
        let report = await OB3Support.verify(.text(try issuer.badge(index: 5, id: id)), loader: loader)
        return (report, loader)
    }

    static func gone(_ reason: JSONValue) -> JSONValue {
        ["id": .string(credentialURL), "revoked": true, "revocationReason": reason]
    }

    @Test func theReasonComesFromTheGoneCredential() async throws {
        let (r, loader) = try await run(revoked: true, answer: Self.gone("Attribué par erreur <b>"))
        #expect(r.outcome == .revoked)
        #expect(r.assertion?.revocationReason == "Attribué par erreur <b>")
        #expect(r.check("revocation")?.message.fr == "Révoqué : Attribué par erreur <b>")
        #expect(r.check("revocation")?.message.en == "Revoked: Attribué par erreur <b>")
        #expect(loader.count(Self.credentialURL) == 1)
    }

    @Test func aValidBadgeNeverAsks() async throws {
        let (r, loader) = try await run(revoked: false, answer: Self.gone("x"))
        #expect(r.outcome == .valid, "\(VerifierTestSupport.problems(r))")
        #expect(loader.count(Self.credentialURL) == 0)
    }

    @Test(
        arguments: [
            ("not gone", 200, Self.gone("x")), ("no answer", 404, nil), ("not a string", 410, Self.gone(42)),
            ("empty", 410, Self.gone("  ")),
        ] as [(String, Int, JSONValue?)])
    func otherAnswersLeaveItRevokedWithoutAReason(_ name: String, status: Int, answer: JSONValue?) async throws {
        let (r, _) = try await run(revoked: true, answer: answer, status: status)
        #expect(r.outcome == .revoked, "\(name)")
        #expect(r.assertion?.revocationReason == nil, "\(name)")
        #expect(r.check("revocation")?.message.fr == "L'émetteur a révoqué ce badge", "\(name)")
    }

    @Test func aURNIsNeverFetchedAndLongReasonsAreCut() async throws {
        let (r, loader) = try await run(revoked: true, answer: Self.gone("x"), id: "urn:uuid:1")
        #expect(r.outcome == .revoked && r.assertion?.revocationReason == nil)
        #expect(loader.count(Self.credentialURL) == 0)
        let long = String(repeating: "é", count: 800) + "\n\u{1B}[31m"
        let (cut, _) = try await run(revoked: true, answer: Self.gone(.string(long)))
        let reason = try #require(cut.assertion?.revocationReason)
        #expect(reason.count == 500 && !reason.contains("\u{1B}"))
    }
}
