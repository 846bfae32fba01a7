import Foundation
import Mustache

/// Every Mustache template under `Templates/`, loaded once from the bundle and checked when the server starts; the one
/// renderer of the public pages (``Pages/render(_:_:status:)``) and of the signed-in pages (`PageFeature.render`).
///
/// A template is named after its path below `Templates/`, folders joined by `.` and without `.mustache`:
/// `Templates/trainer/dashboard.mustache` is `"trainer.dashboard"`, in Swift and in `{{> …}}` / `{{< …}}`. Not `/`:
/// swift-mustache reads `/` in `{{> a/b}}` and `{{< a/b}}` but not in the closing tag `{{/a/b}}` of an inherited
/// layout (a closing tag is read as a variable name), so `{{<layouts/public}}…{{/layouts/public}}` does not parse;
/// `.` is read in all three places. Public pages extend `layouts.public`; the sign-in page and the trainer and
/// learner spaces extend `layouts.account`.
struct Renderer: Sendable {
    /// Why the templates cannot be used: which file, and what is wrong with it.
    struct LoadError: Error, CustomStringConvertible {
        /// The file, relative to `Templates/`.
        let file: String
        /// What is wrong (parser error with line and column, or a partial naming no template).
        let reason: String

        var description: String { "modèle illisible / unreadable template Templates/\(file): \(reason)" }
    }

    /// The renderer of the bundle's `Templates/`, loaded on first use, or the error met while loading it.
    static let shared: Result<Renderer, any Error> = Result {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw LoadError(file: "", reason: "no resource folder in the bundle")
        }
        return try Renderer(directory: root)
    }

    /// The parsed templates.
    let library: MustacheLibrary
    /// The name of every template.
    let names: Set<String>

    /// Loads every `.mustache` file under `directory` (subfolders included), then checks that every partial and
    /// every inherited layout a template names exists (swift-mustache would render a missing one as nothing).
    init(directory: URL) throws {
        let files = (FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted()
        var library = MustacheLibrary()
        var texts: [(file: String, text: String)] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register(text, named: Self.name(ofFile: file))
            } catch let error as MustacheTemplate.ParserError {
                throw LoadError(
                    file: file,
                    reason: "\(error.error) line \(error.context.lineNumber) column \(error.context.columnNumber): "
                        + error.context.line)
            }
            texts.append((file, text))
        }
        let names = Set(files.map(Self.name(ofFile:)))
        guard names.count == files.count, !files.isEmpty else {
            throw LoadError(file: files.first ?? "", reason: "no templates, or two files with the same name")
        }
        for (file, text) in texts {
            if let missing = Self.partialNames(in: text).first(where: { !names.contains($0) }) {
                throw LoadError(file: file, reason: "{{> \(missing)}} names no template")
            }
        }
        self.library = library
        self.names = names
    }

    /// `trainer/dashboard.mustache` → `trainer.dashboard`.
    static func name(ofFile file: String) -> String {
        String(file.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: ".")
    }

    /// The templates that `text` includes (`{{> name}}`) or extends (`{{< name}}`); dynamic names (`*`) left out.
    static func partialNames(in text: String) -> [String] {
        let pattern = /\{\{\s*[<>]\s*([A-Za-z0-9_.\/-]+)\s*\}\}/
        return text.matches(of: pattern).map { String($0.output.1) }
    }

    /// Throws, with the file and the reason, when a template does not parse or names a missing template: called by
    /// `buildApplication`, so a broken template stops the start instead of a page.
    static func check() throws {
        _ = try shared.get()
    }

    /// The page `name` rendered with `context`, or nil when no template has that name.
    func render(_ name: String, _ context: [String: Any]) -> String? {
        library.render(context, withTemplate: name)
    }

    /// The page `name` rendered with `context` by the shared renderer, or nil when the templates are unreadable or no
    /// template has that name.
    static func render(_ name: String, _ context: [String: Any]) -> String? {
        guard case .success(let renderer) = shared else { return nil }
        return renderer.render(name, context)
    }
}
