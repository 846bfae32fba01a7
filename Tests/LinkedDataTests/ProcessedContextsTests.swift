import Foundation
import LinkedData
import TestSupport
import Testing

/// The bundled contexts without the shared cache of processed contexts: every document processes its contexts
/// again (the reference the cached path must agree with).
private struct UncachedLoader: ContextLoader {
    func document(for url: String) throws -> LDJSON { try BundledContexts.standard.document(for: url) }
}

/// The bundled contexts with a tiny cache of its own, emptied almost at every store.
private struct TinyCacheLoader: ContextLoader {
    let processedContexts: ProcessedContexts? = ProcessedContexts(capacity: 2)
    func document(for url: String) throws -> LDJSON { try BundledContexts.standard.document(for: url) }
}

/// Canonical N-Quads, or the error code, so that outcomes can be compared whatever they are.
private func outcome(_ document: LDJSON, _ loader: any ContextLoader) -> String {
    do { return try LinkedData.canonicalNQuads(of: document, loader: loader) } catch { return "error: \(error)" }
}

struct ProcessedContextsTests {
    /// Every OB 3.0 fixture credential of the 1EdTech validator (many contexts, versions, extensions and
    /// errors), in turn and twice over: the shared cache and a tiny cache give exactly what processing every
    /// context again gives.
    @Test func cachedContextsGiveTheSameCanonicalForm() throws {
        let dir = TestPaths.specs.appendingPathComponent("fixtures/1edtech-validator/ob30")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
            .sorted()
        #expect(files.count > 20)
        var documents: [(String, LDJSON)] = []
        for file in files {
            guard let d = try? LDJSON(parsing: Array(try Data(contentsOf: dir.appendingPathComponent(file)))) else {
                continue
            }
            documents.append((file, d))
        }
        let tiny = TinyCacheLoader()
        for _ in 0..<2 {
            for (file, document) in documents {
                let reference = outcome(document, UncachedLoader())
                #expect(outcome(document, BundledContexts.standard) == reference, "\(file)")
                #expect(outcome(document, tiny) == reference, "\(file)")
            }
        }
    }

    /// The OB 3.0 specification vector stays byte for byte right when its contexts come from the cache.
    @Test func specVectorFromTheCache() throws {
        let v = try LDJSON(
            parsing: Array(
                try Data(
                    contentsOf: TestPaths.specs.appendingPathComponent(
                        "ob3/test-vectors/eddsa-rdfc-2022-openbadgecredential.json"))))
        let loader = BundledContexts()
        for _ in 0..<3 {
            #expect(
                try LinkedData.canonicalNQuads(of: v["unsignedCredential"]!, loader: loader)
                    == v["canonicalDocumentNQuads"]?.string)
        }
    }
}
