import Foundation
import OpenBadges

// Schema files on disk, for tests: the validator itself (OpenBadges) reads no file.
extension JSONSchemaValidator {
    /// Loads a schema file. Every other `*.json` file of `searchDirectory` (by default the schema's own
    /// directory) is registered under its file URL, its file name and its `$id`, so that `$ref`s such as
    /// `other.json#/definitions/x` or absolute `$id` URIs resolve; other `file:` documents a `$ref` names are read
    /// when the validator is made. Files that are not valid JSON are skipped.
    public init(schemaFile: URL, searchDirectory: URL? = nil) throws {
        let main = try Self.readJSON(schemaFile)
        let dir = searchDirectory ?? schemaFile.deletingLastPathComponent()
        var registry: [(uri: String, schema: JSONValue)] = []
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "json"
        {
            if file.standardizedFileURL.path == schemaFile.standardizedFileURL.path { continue }
            guard let doc = try? Self.readJSON(file) else { continue }
            registry.append((file.standardizedFileURL.absoluteString, doc))
        }
        try self.init(
            schema: main, retrievalURI: schemaFile.standardizedFileURL.absoluteString, registry: registry,
            loader: { uri in
                guard uri.hasPrefix("file:"), let url = URL(string: uri) else { return nil }
                return try? Self.readJSON(url)
            })
    }

    static func readJSON(_ url: URL) throws -> JSONValue {
        guard let data = try? Data(contentsOf: url) else { throw JSONSchemaError.unreadableFile(url.path) }
        do {
            return try JSONValue(parsing: [UInt8](data))
        } catch {
            throw JSONSchemaError.invalidJSON(url.path, error.description)
        }
    }
}
