import Foundation

/// The JSON-LD contexts Insigne knows offline (files in `Sources/LinkedData/Contexts/`, copied byte for byte from
/// `../shared/Specs`; provenance in `Contexts/SOURCES.md`). Any other URL is
/// ``LinkedDataError/unknownContext(_:)``: nothing is ever fetched.
public struct BundledContexts: ContextLoader {
    /// Context URL → file name in `Contexts/`.
    public static let files: [String: String] = [
        "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
        "https://www.w3.org/ns/credentials/status/v1": "credentials-status-v1.jsonld",
        "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
        "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-2020-v1.jsonld",
        "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json": "ob-v3p0-context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
        "https://openbadgespec.org/extensions/accessibilityExtension/context-3.0.0.json":
            "ob-v3p0-accessibilityExtension-3.0.0.json",
        "https://openbadgespec.org/extensions/applyLinkExtension/context-3.0.0.json":
            "ob-v3p0-applyLinkExtension-3.0.0.json",
        "https://openbadgespec.org/extensions/geoCoordinatesExtension/context-3.0.0.json":
            "ob-v3p0-geoCoordinatesExtension-3.0.0.json",
        "https://openbadgespec.org/extensions/licenseExtension/context-3.0.0.json":
            "ob-v3p0-licenseExtension-3.0.0.json",
    ]

    /// The shared loader; documents are parsed once, on first use.
    public static let standard = BundledContexts()

    private let cache = ParsedDocuments()
    private let processed = ProcessedContexts()

    /// The bundled documents never change: their processed contexts are shared by every document.
    public var processedContexts: ProcessedContexts? { processed }

    public init() {}

    public func document(for url: String) throws -> LDJSON {
        let key = url.hasSuffix("#") ? String(url.dropLast()) : url
        guard let file = Self.files[key] else { throw LinkedDataError.unknownContext(url) }
        return try cache.document(file)
    }
}

/// Parsed bundled documents, read from the module's resources once.
final class ParsedDocuments: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: LDJSON] = [:]

    func document(_ file: String) throws -> LDJSON {
        lock.lock()
        defer { lock.unlock() }
        if let d = documents[file] { return d }
        guard let url = Bundle.module.url(forResource: file, withExtension: nil, subdirectory: "Contexts"),
            let data = try? Data(contentsOf: url)
        else { throw LinkedDataError.unknownContext(file) }
        let d = try LDJSON(parsing: Array(data))
        documents[file] = d
        return d
    }
}
