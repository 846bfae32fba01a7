import Foundation
import LinkedData
import OpenBadges
import TestSupport
import Testing

/// ISSUE12 point 6: Insigne's canonical N-Quads (`LinkedData.canonicalNQuads`, bundled contexts) equal PyLD 3.3.0's
/// `jsonld.normalize(…, {algorithm: URDNA2015, format: application/n-quads})` for every JSON-LD credential and
/// document in the fixtures: the 1EdTech validator's OB 3.0 fixtures (JSON files and JWT payloads), the OB 3.0 spec
/// examples and `eddsa-rdfc-2022` test vector, the W3C vc-di-eddsa vectors. PyLD's document loader serves the same
/// files as `BundledContexts` (from `Sources/LinkedData/Contexts`) and nothing else. Each document with a `proof` is
/// also compared without it (what `eddsa-rdfc-2022` hashes). One Python process for all documents.
@Suite(.enabled(if: OB3Reference.isInstalled, "needs .venv-ob3 (run `make ob3-deps`)"))
struct PyldOB3InteropTests {
    /// Documents both sides refuse to canonicalize, and why (no other refusal is accepted).
    static let bothRefuse: [String: String] = [
        "fixtures/1edtech-validator/ob30/simple.jwt (JWT payload)":
            "names the early draft context https://imsglobal.github.io/openbadges-specification/context.json",
        "fixtures/1edtech-validator/ob30/velocity.jwt (JWT payload)":
            "names Velocity Network's context https://lib.velocitynetwork.foundation/contexts/…",
        "ob3/examples/equality-sample-credential-a.json": examples2018,
        "ob3/examples/equality-sample-credential-b.json": examples2018,
        "ob3/examples/equality-sample-credential-c.json": examples2018,
        "ob3/examples/equality-sample-credential-d.json": examples2018,
        "vc-di-eddsa/TestVectors/employmentAuth.json": citizenship,
        "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/proofConfigDataInt.json": citizenship,
        "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/signedDataInt.json": citizenship,
        "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/signedDataInt.json (without proof)": citizenship,
    ]
    static let examples2018 = "names https://www.w3.org/2018/credentials/examples/v2 (spec examples only, not in Specs)"
    static let citizenship = "names https://w3id.org/citizenship/v4rc1, a context no credential uses (not in Specs)"

    /// The W3C examples context the vc-di-eddsa vectors use, given to both sides (as `VectorLoader` does in the unit
    /// tests); no credential Insigne meets names it, so it is not bundled.
    static let examplesURL = "https://www.w3.org/ns/credentials/examples/v2"
    static let examplesContext = #"{"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}"#

    struct Loader: ContextLoader {
        func document(for url: String) throws -> LDJSON {
            if url == PyldOB3InteropTests.examplesURL {
                return try LDJSON(parsing: PyldOB3InteropTests.examplesContext)
            }
            return try BundledContexts.standard.document(for: url)
        }
    }

    /// One JSON-LD document to compare: where it comes from, and its bytes.
    struct Document {
        var label: String
        var bytes: [UInt8]
    }

    /// Every JSON-LD document in the fixture folders (objects with `@context`, JWT payloads), with the variant
    /// without `proof` when there is one.
    static func documents() throws -> [Document] {
        let specs = TestPaths.specs
        var docs: [Document] = []
        func add(_ label: String, _ json: JSONValue, bytes: [UInt8]?) {
            guard case .object(var o) = json, o["@context"] != nil else { return }
            docs.append(Document(label: label, bytes: bytes ?? json.encoded()))
            if o.removeValue(forKey: "proof") != nil {
                docs.append(Document(label: label + " (without proof)", bytes: JSONValue.object(o).encoded()))
            }
        }
        for folder in [
            "fixtures/1edtech-validator/ob30", "ob3/examples", "ob3/test-vectors", "vc-di-eddsa/TestVectors",
        ] {
            let root = specs.appendingPathComponent(folder)
            let files =
                FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }.filter { !["java", "md", "txt"].contains($0.pathExtension) } ?? []
            for file in files.sorted(by: { $0.path < $1.path }) {
                guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let bytes = [UInt8](try Data(contentsOf: file))
                let label = folder + file.path.dropFirst(root.path.count)
                let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if let jwt = VCJWT(text: text) {
                    add(label + " (JWT payload)", jwt.credential, bytes: nil)
                    continue
                }
                guard let json = try? JSONValue(parsing: bytes) else { continue }
                if json["@context"] != nil {
                    add(label, json, bytes: bytes)
                } else if case .object(let parts) = json {
                    // The assembled OB 3.0 vector holds several documents under names.
                    for (name, part) in parts.sorted(by: { $0.key < $1.key }) {
                        add(label + "#" + name, part, bytes: nil)
                    }
                }
            }
        }
        return docs
    }

    /// PyLD's canonical N-Quads (or its error) for each document, in one process.
    static func pyld(_ docs: [Document], in dir: URL) async throws -> [String: JSONValue] {
        let contexts = TestPaths.packageRoot.appendingPathComponent("Sources/LinkedData/Contexts")
        var files = BundledContexts.files.mapValues { JSONValue.string(contexts.appendingPathComponent($0).path) }
        let examples = dir.appendingPathComponent("examples-v2.jsonld")
        try Data(Self.examplesContext.utf8).write(to: examples)
        files[Self.examplesURL] = .string(examples.path)
        let map = JSONValue.object(files)
        let mapFile = dir.appendingPathComponent("contexts.json")
        try Data(map.encoded()).write(to: mapFile)
        var paths: [String] = []
        for (i, doc) in docs.enumerated() {
            let url = dir.appendingPathComponent("doc\(i).json")
            try Data(doc.bytes).write(to: url)
            paths.append(url.path)
        }
        let out = dir.appendingPathComponent("result.json")
        let run = try await OfficialTools.runProcess(
            OB3Reference.python,
            [OB3Reference.script.path, "canon", "--contexts", mapFile.path, "--out", out.path] + paths)
        guard run.status == 0 else { throw OB3Reference.Failure(message: "pyld: \(run.stderr.suffix(2000))") }
        guard case .object(let results) = try TestPaths.loadJSON(out) else { return [:] }
        var byLabel: [String: JSONValue] = [:]
        for (i, doc) in docs.enumerated() { byLabel[doc.label] = results[paths[i]] }
        return byLabel
    }

    @Test func canonicalNQuadsEqualPyld() async throws {
        let docs = try Self.documents()
        #expect(docs.count > 60, "fixtures not found under \(TestPaths.specs.path)")
        let dir = try OfficialTools.temporaryDirectory()
        let reference = try await Self.pyld(docs, in: dir)
        var equal = 0
        for doc in docs {
            let theirs = reference[doc.label]
            let ours = Result<String, any Error>(catching: {
                try LinkedData.canonicalNQuads(of: try LDJSON(parsing: doc.bytes), loader: Loader())
            })
            switch (ours, theirs?["nquads"]?.stringValue) {
            case (.success(let a), .some(let b)):
                if a == b {
                    equal += 1
                } else {
                    let name = doc.label.replacingOccurrences(of: "/", with: "_")
                    try Data(a.utf8).write(to: dir.appendingPathComponent(name + ".insigne.nq"))
                    try Data(b.utf8).write(to: dir.appendingPathComponent(name + ".pyld.nq"))
                    Issue.record("\(doc.label): N-Quads differ; both kept in \(dir.path)")
                }
            case (.failure(let e), .none):
                #expect(
                    Self.bothRefuse[doc.label] != nil,
                    "\(doc.label): both refuse, reason not stated — Insigne: \(e); pyld: \(theirs?["error"]?.stringValue ?? "?")"
                )
            case (.success, .none):
                Issue.record("\(doc.label): pyld refuses (\(theirs?["error"]?.stringValue ?? "?")), Insigne does not")
            case (.failure(let e), .some):
                Issue.record("\(doc.label): Insigne refuses (\(e)), pyld does not")
            }
        }
        #expect(equal + Self.bothRefuse.count == docs.count)
    }
}
