import Foundation
import OpenBadges
import OpenBadgesCrypto

/// A complete test issuer: the committed test key, hosted documents under `baseURL`, a badge image,
/// and a signer. Everything a signed badge needs to verify.
public struct BadgeFixture: Sendable {
    /// Base URL of the hosted documents (no trailing slash).
    public var baseURL: String
    /// The issuer's private key (Fixtures/keys/test-issuer-rsa2048.pem).
    public var key: PrivateKey
    /// The hosted documents.
    public var documents: IssuerDocumentSet
    /// The badge class image (PNG).
    public var image: [UInt8]
    /// URL of the badge class image.
    public var imageURL: String
    /// Signs with `key` under the key document's id.
    public var signer: BadgeSigner

    /// The committed test issuer key.
    public static func testKey() throws -> PrivateKey {
        let pem = try String(
            contentsOf: TestPaths.fixtures.appendingPathComponent("keys/test-issuer-rsa2048.pem"), encoding: .utf8)
        return try PrivateKey(pem: pem)
    }

    /// Builds the fixture; `key` defaults to the committed test key.
    public init(baseURL: String = "https://badges.example.org", key: PrivateKey? = nil) throws {
        self.baseURL = baseURL
        self.key = try key ?? BadgeFixture.testKey()
        image = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("images/test-256.png")))
        imageURL = "\(baseURL)/images/bientraitance.png"
        documents = IssuerDocumentSet(
            baseURL: baseURL, issuerSlug: "mve", issuerName: "Mutuelle Vivre Ensemble",
            issuerURL: "https://www.mutuelle-vivre-ensemble.example", issuerEmail: "formation@mve.example",
            publicKeyPEM: self.key.publicKey.spkiPEM, badgeSlug: "bientraitance", badgeName: "Bientraitance",
            badgeDescription: "Formation obligatoire à la bientraitance.",
            criteria: "Avoir suivi la formation « Bientraitance » et validé l'étude de cas.", badgeImage: imageURL,
            tags: ["bientraitance"])
        signer = try BadgeSigner(key: self.key, keyID: documents.key.id!)
    }

    /// An assertion request for `email`, issued at `issuedOn`.
    public func request(
        email: String = "marie.dupont@example.org", issuedOn: Date = Date(timeIntervalSinceNow: -3600),
        expires: Date? = nil
    ) -> AssertionRequest {
        AssertionRequest(
            badgeClassID: documents.badgeClass.id, recipientEmail: email, issuedOn: issuedOn, expires: expires)
    }

    /// Issues a signed assertion.
    public func issue(email: String = "marie.dupont@example.org", expires: Date? = nil) throws -> SignedAssertion {
        try signer.issue(request(email: email, expires: expires))
    }

    /// An in-memory loader serving the documents and the image.
    public func loader() -> StaticDocumentLoader {
        var l = documents.loader()
        l.add(imageURL, bytes: image, contentType: "image/png")
        return l
    }

    /// A verifier over `loader()` (or another set of documents).
    public func verifier(_ loader: StaticDocumentLoader? = nil) -> Verifier {
        Verifier(loader: loader ?? self.loader())
    }

    /// Writes the documents and image under `directory` with a `routes.json` for the Python test server.
    public func writeServedFiles(
        to directory: URL, extra: [(path: String, file: String, bytes: [UInt8], type: String, status: Int)] = []
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var routes: [String: JSONValue] = [:]
        func add(_ url: String, _ file: String, _ bytes: [UInt8], _ type: String, _ status: Int = 200) throws {
            let path = URL(string: url)!.path
            try Data(bytes).write(to: directory.appendingPathComponent(file))
            routes[path] = ["file": .string(file), "type": .string(type), "status": .number(Double(status))]
        }
        for (n, d) in documents.documents.enumerated() {
            try add(d.url, "doc\(n).json", d.json.encoded(), "application/ld+json; charset=utf-8")
        }
        try add(imageURL, "image.png", image, "image/png")
        for e in extra { try add(baseURL + e.path, e.file, e.bytes, e.type, e.status) }
        try Data(JSONValue.object(routes).encoded()).write(to: directory.appendingPathComponent("routes.json"))
    }
}
