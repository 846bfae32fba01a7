import Foundation

/// A document fetched for the verifier: the final URL after redirects, the HTTP status and the body.
public struct LoadedDocument: Sendable, Equatable {
    /// The URL the body came from (after redirects).
    public var url: URL
    /// HTTP status code (200, 404, 410…). Non-2xx answers are returned, not thrown.
    public var statusCode: Int
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The response body.
    public var body: [UInt8]
    /// The body already parsed as JSON, when the loader keeps documents parsed (in-memory and database loaders).
    public var json: JSONValue?

    /// Creates a loaded document.
    public init(url: URL, statusCode: Int = 200, contentType: String? = nil, body: [UInt8], json: JSONValue? = nil) {
        self.url = url
        self.statusCode = statusCode
        self.contentType = contentType
        self.body = body
        self.json = json
    }
}

/// Fetches the documents a verification needs (badge classes, issuers, keys, revocation lists).
///
/// The core never touches the network: the caller supplies a loader (fixtures in tests, the database
/// then HTTP with an SSRF guard in the server, HTTP in the CLI).
public protocol DocumentLoader: Sendable {
    /// Loads `url`. Returns non-2xx answers as documents; throws `DocumentLoaderError` when nothing
    /// could be fetched (refused address, timeout, size limit, network failure).
    func load(_ url: URL, accept: String) async throws -> LoadedDocument

    /// Loads an absolute URL given as text. The default parses it, refuses anything but http(s), and calls
    /// `load(_:accept:)`; loaders keyed by URL text may answer without parsing.
    func load(urlString: String, accept: String) async throws -> LoadedDocument
}

extension DocumentLoader {
    public func load(urlString: String, accept: String) async throws -> LoadedDocument {
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw DocumentLoaderError(.invalidURL, url: urlString, message: "not an absolute http(s) URL")
        }
        return try await load(url, accept: accept)
    }
}

/// Why a document could not be fetched.
public struct DocumentLoaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Equatable {
        case invalidURL
        case unsupportedScheme
        case forbiddenAddress
        case resolutionFailed
        case connectionFailed
        case tlsFailed
        case timeout
        case tooLarge
        case tooManyRedirects
        case malformedResponse
        case notFound
    }

    /// The kind of failure.
    public var code: Code
    /// The URL that was being fetched.
    public var url: String
    /// A short English explanation (never shown to end users verbatim without context).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, url: String, message: String) {
        self.code = code
        self.url = url
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message) (\(url))" }
}
