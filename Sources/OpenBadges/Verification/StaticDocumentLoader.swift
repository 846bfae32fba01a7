import Foundation

/// A loader answering from documents held in memory (tests, benchmarks, the server's own documents).
/// Unknown URLs are answered 404 unless a fallback loader is given.
public struct StaticDocumentLoader: DocumentLoader {
    /// Documents by absolute URL string.
    public var documents: [String: LoadedDocument]
    /// Asked for URLs not in `documents`.
    public var fallback: (any DocumentLoader)?

    /// Creates a loader.
    public init(documents: [String: LoadedDocument] = [:], fallback: (any DocumentLoader)? = nil) {
        self.documents = documents
        self.fallback = fallback
    }

    /// Adds a JSON document served with status 200 (or another status).
    public mutating func add(_ url: String, json: JSONValue, status: Int = 200) {
        guard let u = URL(string: url) else { return }
        documents[url] = LoadedDocument(
            url: u, statusCode: status, contentType: "application/ld+json", body: json.encoded(), json: json)
    }

    /// Adds raw bytes.
    public mutating func add(_ url: String, bytes: [UInt8], contentType: String, status: Int = 200) {
        guard let u = URL(string: url) else { return }
        documents[url] = LoadedDocument(url: u, statusCode: status, contentType: contentType, body: bytes)
    }

    public func load(_ url: URL, accept: String) async throws -> LoadedDocument {
        if let d = documents[url.absoluteString] { return d }
        if let fallback { return try await fallback.load(url, accept: accept) }
        return LoadedDocument(url: url, statusCode: 404, contentType: "text/plain", body: Array("not found".utf8))
    }

    public func load(urlString: String, accept: String) async throws -> LoadedDocument {
        if let d = documents[urlString] { return d }
        if let fallback { return try await fallback.load(urlString: urlString, accept: accept) }
        guard let url = URL(string: urlString) else {
            throw DocumentLoaderError(.invalidURL, url: urlString, message: "not a URL")
        }
        return try await load(url, accept: accept)
    }
}
