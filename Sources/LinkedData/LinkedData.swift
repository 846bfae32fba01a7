/// JSON-LD 1.1 to RDF and RDF Dataset Canonicalization (RDFC-1.0), offline: remote contexts come only from a
/// ``ContextLoader`` (by default the bundled ``BundledContexts``); anything else is ``LinkedDataError/unknownContext(_:)``.
///
///     let json = try LDJSON(parsing: bytes)
///     let nquads = try LinkedData.canonicalNQuads(of: json)      // what `eddsa-rdfc-2022` hashes
public enum LinkedData {
    /// The expanded form of `document` (JSON-LD 1.1 `expand()`), as an array of node objects.
    public static func expand(
        _ document: LDJSON, loader: any ContextLoader = BundledContexts.standard, base: String? = nil
    ) throws(LinkedDataError) -> [LDJSON] {
        try run { try JSONLDProcessor(loader: loader).expandDocument(document, base: base) }
    }

    /// The RDF dataset of `document` (JSON-LD 1.1 `toRdf()`, no generalized RDF, `@direction` dropped).
    public static func toRDF(
        _ document: LDJSON, loader: any ContextLoader = BundledContexts.standard, base: String? = nil
    ) throws(LinkedDataError) -> [RDFQuad] {
        let expanded = try expand(document, loader: loader, base: base)
        var conversion = RDFConversion()
        conversion.quads.reserveCapacity(64)
        conversion.elements(expanded, graph: nil, graphOK: true)
        return conversion.quads
    }

    /// Canonical N-Quads (RDFC-1.0, SHA-256) of `document`: `toRDF` then `RDFC10.canonicalize`.
    public static func canonicalNQuads(
        of document: LDJSON, loader: any ContextLoader = BundledContexts.standard,
        workLimit: Int = RDFC10.defaultWorkLimit
    ) throws(LinkedDataError) -> String {
        String(decoding: try canonicalBytes(of: document, loader: loader, workLimit: workLimit), as: UTF8.self)
    }

    /// ``canonicalNQuads(of:loader:workLimit:)`` as UTF-8 bytes (what a Data Integrity proof hashes).
    public static func canonicalBytes(
        of document: LDJSON, loader: any ContextLoader = BundledContexts.standard,
        workLimit: Int = RDFC10.defaultWorkLimit
    ) throws(LinkedDataError) -> [UInt8] {
        try RDFC10(workLimit: workLimit).canonicalLines(toRDF(document, loader: loader)).bytes
    }

    static func run<T>(_ body: () throws -> T) throws(LinkedDataError) -> T {
        do {
            return try body()
        } catch let e as LinkedDataError {
            throw e
        } catch {
            throw LinkedDataError.invalid(code: "invalid input", detail: "\(error)")
        }
    }
}

/// Gives the JSON document behind a context URL. Implementations must not fetch anything.
public protocol ContextLoader: Sendable {
    /// The whole document (an object with `@context`), or ``LinkedDataError/unknownContext(_:)``.
    func document(for url: String) throws -> LDJSON

    /// Where contexts processed from this loader's documents are kept for the next documents; nil (the default):
    /// each document processes its contexts again. Give one only if `document(for:)` always answers the same.
    var processedContexts: ProcessedContexts? { get }
}

extension ContextLoader {
    public var processedContexts: ProcessedContexts? { nil }
}
