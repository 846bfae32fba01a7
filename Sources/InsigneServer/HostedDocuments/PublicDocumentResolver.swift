import Foundation
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto
import OpenBadgesPNG

/// A hosted document ready to send (or to hand to the verifier without HTTP).
public struct PublicDocument: Sendable {
    /// HTTP status (200, 410…).
    public var status: Int
    /// Content type.
    public var contentType: String
    /// Bytes.
    public var body: [UInt8]
    /// The JSON, when the document is JSON-LD.
    public var json: JSONValue?
    /// Strong ETag for binary documents.
    public var etag: String?
    /// `Cache-Control` when not the default (`no-cache` for JSON, five minutes for images).
    public var cacheControl: String? = nil
}

/// Resolves public paths (`/issuers/…`, `/keys/…`, `/badges/…`, `/assertions/…`) to documents from the database.
/// Shared by the HTTP controller and the verifier's database loader, so both see exactly the same bytes.
public struct PublicDocumentResolver: Sendable {
    let db: AppDatabase
    let documents: DocumentFactory
    let carriers: CarrierCache
    let cache: ResolvedDocumentCache
    /// Signs the OB 3.0 status lists with the issuers' active keys.
    let issuing: IssuingService

    init(db: AppDatabase, documents: DocumentFactory, carriers: CarrierCache, issuing: IssuingService) {
        self.db = db
        self.documents = documents
        self.carriers = carriers
        self.issuing = issuing
        let cache = ResolvedDocumentCache()
        self.cache = cache
        db.observePublishedTables { [weak cache] in cache?.bump() }
    }

    static let jsonLD = "application/ld+json; charset=utf-8"

    func json(_ value: JSONValue, status: Int = 200) -> PublicDocument {
        PublicDocument(status: status, contentType: Self.jsonLD, body: value.encoded(), json: value)
    }

    /// The document at `path` (no query), or nil when nothing lives there. Answers are kept until the next
    /// committed change to issuers, keys, badge classes or assertions.
    public func resolve(path: String) async throws -> PublicDocument? {
        let generation = cache.generation
        if let hit = cache.get(path, generation: generation) { return hit }
        let doc = try await resolveUncached(path: path)
        if let doc { cache.put(path, doc, generation: generation) }
        return doc
    }

    func resolveUncached(path: String) async throws -> PublicDocument? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.count >= 3, parts[0] == "ob3", ["credentials", "achievements"].contains(parts[1]) {
            return try await resolveOB3Issued(parts)
        }
        if parts.first == "ob3" { return try await resolveOB3(Array(parts.dropFirst())) }
        switch parts.count {
        case 2 where parts[0] == "issuers":
            guard let (issuer, keys) = try await db.issuerWithKeys(id: parts[1]) else { return nil }
            return json(documents.profile(issuer, keys: keys).json())
        case 3 where parts[0] == "issuers" && parts[2] == "revocations":
            guard let revoked = try await db.revokedAwards(issuerID: parts[1]) else { return nil }
            return json(documents.revocationList(issuerID: parts[1], revoked: revoked).json)
        case 3 where parts[0] == "issuers" && parts[2] == "image":
            guard let issuer = try await db.issuer(id: parts[1]), let data = issuer.imageData else { return nil }
            return image([UInt8](data), type: issuer.imageType ?? "png")
        case 2 where parts[0] == "keys":
            guard let key = try await db.signingKey(id: parts[1]) else { return nil }
            return json(documents.key(key).json)
        case 2 where parts[0] == "badges":
            guard let badge = try await db.badgeClass(id: parts[1]) else { return nil }
            return json(documents.badgeClass(badge).json())
        case 3 where parts[0] == "badges" && parts[2] == "image":
            guard let badge = try await db.badgeClass(id: parts[1]) else { return nil }
            return image([UInt8](badge.imageData), type: badge.imageType)
        case 2 where parts[0] == "assertions":
            guard let a = try await db.assertion(id: parts[1]) else { return nil }
            if a.isRevoked { return json(documents.revokedAssertionBody(a), status: 410) }
            return json(documents.hostedAssertion(a).json)
        case 3 where parts[0] == "assertions" && (parts[2] == "badge.png" || parts[2] == "badge.svg"):
            guard let (assertion, badge) = try await db.awardWithBadgeClass(id: parts[1]) else { return nil }
            let bytes = try baked(assertion, badge: badge, svg: parts[2] == "badge.svg")
            return PublicDocument(
                status: 200, contentType: parts[2] == "badge.svg" ? "image/svg+xml" : "image/png", body: bytes,
                json: nil,
                etag: "\"\(SHA256Digest.hexHash(bytes).prefix(32))\"")
        default:
            return nil
        }
    }

    func image(_ bytes: [UInt8], type: String) -> PublicDocument {
        PublicDocument(
            status: 200, contentType: type == "svg" ? "image/svg+xml" : "image/png", body: bytes, json: nil,
            etag: "\"\(SHA256Digest.hexHash(bytes).prefix(32))\"")
    }

    /// The award's JWS baked into the badge class image, on request. A PNG class image is prepared once
    /// (validated, split around IHDR) and cached; for SVG output of a PNG class, the PNG is embedded in an SVG.
    func baked(_ a: AssertionRecord, badge: BadgeClassRecord, svg: Bool) throws -> [UInt8] {
        let image = [UInt8](badge.imageData)
        if badge.imageType == "png" {
            if svg {
                return try SVGBaker.bake(svg: Self.svgWrapping(png: image), signature: a.jws)
            }
            return try carriers.prepared(badgeID: badge.id, image: image).bake(a.jws)
        }
        if svg { return try SVGBaker.bake(svg: image, signature: a.jws) }
        // An SVG class baked as PNG is not supported without a rasteriser: the SVG is the badge.
        throw ServiceError(
            .notFound, fr: "ce badge n'existe qu'en SVG", en: "this badge is only available as SVG")
    }

    /// A square SVG showing a PNG badge image.
    static func svgWrapping(png: [UInt8]) -> [UInt8] {
        let info = try? PNGImageValidator.validate(png)
        let w = info?.width ?? 256
        let h = info?.height ?? 256
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="\(w)" height="\(h)" \
            viewBox="0 0 \(w) \(h)"><image width="\(w)" height="\(h)" \
            xlink:href="data:image/png;base64,\(Data(png).base64EncodedString())"/></svg>

            """
        return Array(svg.utf8)
    }
}

/// Resolved public documents by path, valid for one generation of the published tables.
final class ResolvedDocumentCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (generation: Int, document: PublicDocument)] = [:]
    private var current = 0
    var generation: Int { lock.withLock { current } }

    /// Bumps the generation after every commit that touched a published table.
    func bump() {
        lock.withLock {
            current += 1
            entries.removeAll(keepingCapacity: true)
        }
    }

    func get(_ path: String, generation: Int) -> PublicDocument? {
        lock.withLock {
            guard let e = entries[path], e.generation == generation, generation == current else { return nil }
            return e.document
        }
    }

    func put(_ path: String, _ document: PublicDocument, generation: Int) {
        lock.withLock {
            guard generation == current else { return }
            if entries.count >= 5000 { entries.removeAll(keepingCapacity: true) }
            entries[path] = (generation, document)
        }
    }
}

/// Prepared PNG carriers by badge class, each kept with the image it was prepared from: an edited image is
/// prepared again on its first bake.
final class CarrierCache: @unchecked Sendable {
    private let lock = NSLock()
    private var carriers: [String: (image: [UInt8], carrier: PreparedPNG)] = [:]

    func prepared(badgeID: String, image: [UInt8]) throws -> PreparedPNG {
        if let c = lock.withLock({ carriers[badgeID] }), c.image == image { return c.carrier }
        let c = try PreparedPNG(image)
        lock.withLock {
            if carriers.count > 1000 { carriers.removeAll() }
            carriers[badgeID] = (image, c)
        }
        return c
    }
}

/// The verifier's loader: documents under the public URL come straight from the database, the rest from
/// `fallback` (HTTP behind the SSRF guard).
public struct DatabaseDocumentLoader: DocumentLoader {
    let resolver: PublicDocumentResolver
    let fallback: any DocumentLoader
    /// Own documents as loaded, by URL, for the generation of the published tables they were resolved in (the
    /// resolver's cache): a verification reloads the same few documents without parsing their URL again.
    let loaded = LoadedDocumentCache()

    init(resolver: PublicDocumentResolver, fallback: any DocumentLoader) {
        self.resolver = resolver
        self.fallback = fallback
    }

    public func load(_ url: URL, accept: String) async throws -> LoadedDocument {
        try await load(urlString: url.absoluteString, accept: accept)
    }

    public func load(urlString: String, accept: String) async throws -> LoadedDocument {
        let base = resolver.documents.urls.base + "/"
        let generation = resolver.cache.generation
        if let hit = loaded.get(urlString, generation: generation) { return hit }
        if urlString.hasPrefix(base), let url = URL(string: urlString) {
            let rest = String(urlString.dropFirst(base.count))
            let path = "/" + (rest.split(separator: "?", omittingEmptySubsequences: false).first.map(String.init) ?? "")
            do {
                if let doc = try await resolver.resolve(path: path) {
                    let document = LoadedDocument(
                        url: url, statusCode: doc.status, contentType: doc.contentType, body: doc.body, json: doc.json)
                    loaded.put(urlString, document, generation: generation, current: resolver.cache.generation)
                    return document
                }
            } catch {
                throw DocumentLoaderError(.connectionFailed, url: urlString, message: "database: \(error)")
            }
            return LoadedDocument(url: url, statusCode: 404, contentType: "text/plain", body: Array("not found".utf8))
        }
        return try await fallback.load(urlString: urlString, accept: accept)
    }
}

/// `DatabaseDocumentLoader`'s documents by URL, each valid for one generation of the published tables.
final class LoadedDocumentCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (generation: Int, document: LoadedDocument)] = [:]

    func get(_ url: String, generation: Int) -> LoadedDocument? {
        lock.withLock {
            guard let e = entries[url], e.generation == generation else { return nil }
            return e.document
        }
    }

    /// Keeps `document`, resolved in `generation`, unless the tables changed since (`current` differs).
    func put(_ url: String, _ document: LoadedDocument, generation: Int, current: Int) {
        guard generation == current else { return }
        lock.withLock {
            if entries.count >= 1000 { entries.removeAll(keepingCapacity: true) }
            entries[url] = (generation, document)
        }
    }
}
