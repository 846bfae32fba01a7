import Foundation
import OpenBadges

/// Well-known locations for tests, independent of the working directory.
///
/// The package root is found by walking up from this source file to the directory that holds
/// `Package.swift`; the shared specification folder is `<package root>/../shared`.
public enum TestPaths {
    /// The directory that contains `Package.swift`.
    public static var packageRoot: URL { cachedPackageRoot }

    /// `<package root>/Fixtures`.
    public static var fixtures: URL { packageRoot.appendingPathComponent("Fixtures", isDirectory: true) }

    /// `<package root>/Schemas`.
    public static var schemas: URL { packageRoot.appendingPathComponent("Schemas", isDirectory: true) }

    /// `<package root>/../shared` (specifications, referentials, shared fixtures).
    public static var shared: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true).standardizedFileURL
    }

    /// `<shared>/Specs`.
    public static var specs: URL { shared.appendingPathComponent("Specs", isDirectory: true) }

    private static let cachedPackageRoot: URL = findPackageRoot(from: #filePath)

    static func findPackageRoot(from filePath: String) -> URL {
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent().standardizedFileURL
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path {
                // Not found (should not happen in this repository): fall back to the conventional layout.
                return URL(fileURLWithPath: filePath).deletingLastPathComponent()
                    .deletingLastPathComponent().deletingLastPathComponent()
            }
            dir = parent
        }
    }

    /// Reads and strictly parses a JSON file.
    public static func loadJSON(_ url: URL) throws -> JSONValue {
        let data = try Data(contentsOf: url)
        return try JSONValue(parsing: [UInt8](data))
    }

    /// The `*.json` files of a directory (not recursive), sorted by name.
    public static func jsonFiles(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
