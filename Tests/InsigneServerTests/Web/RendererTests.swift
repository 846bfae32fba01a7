import Foundation
import Testing

@testable import InsigneServer

/// The one renderer: every template under `Templates/` loads and is checked at start, every name a page renders
/// exists, and a broken template stops the start with its file and line.
@Suite struct RendererTests {
    /// The repository's `Sources/InsigneServer`.
    static let serverSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/InsigneServer")

    /// The `.swift` or `.mustache` files under `Sources/InsigneServer`, relative to it, with their text.
    static func sources(endingWith suffix: String) throws -> [(file: String, text: String)] {
        let files = (FileManager.default.enumerator(atPath: serverSources.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted()
        return try files.map { ($0, try String(contentsOf: serverSources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// A renderer loaded from a temporary folder holding `files` (path → text).
    static func renderer(_ files: [String: String]) throws -> Renderer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renderer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return try Renderer(directory: dir)
    }

    @Test func everyTemplateOfTheBundleLoadsOnceAndIsChecked() throws {
        try Renderer.check()
        let renderer = try Renderer.shared.get()
        let files = try Self.sources(endingWith: ".mustache")
        #expect(files.count >= 49)
        #expect(
            renderer.names == Set(files.map { Renderer.name(ofFile: String($0.file.dropFirst("Templates/".count))) }))
        #expect(files.allSatisfy { $0.file.split(separator: "/").count == 3 }, "one feature folder under Templates/")
        #expect(renderer.names.contains("layouts.public") && renderer.names.contains("layouts.account"))
        #expect(Renderer.name(ofFile: "trainer/dashboard.mustache") == "trainer.dashboard")
    }

    /// Every name given to `render(…)`, `renderPortfolio(…)`, `renderBackpack(…)` or `Pages.render(…)` in the
    /// sources is a template, and every template is rendered by a page or included by another template.
    @Test func everyRenderedNameIsATemplateAndEveryTemplateIsUsed() throws {
        let names = try Renderer.shared.get().names
        let call = /(?:^|[^A-Za-z0-9_])(?:render|renderPortfolio|renderBackpack)\(\s*"([^"]*)"/
        var rendered: Set<String> = []
        for (file, text) in try Self.sources(endingWith: ".swift") {
            for match in text.matches(of: call) {
                let name = String(match.output.1)
                #expect(names.contains(name), "\(file): render(\"\(name)\") names no template")
                rendered.insert(name)
            }
        }
        #expect(rendered.count >= 40)
        let included = Set(try Self.sources(endingWith: ".mustache").flatMap { Renderer.partialNames(in: $0.text) })
        #expect(names.subtracting(rendered).subtracting(included).isEmpty, "templates nobody renders")
    }

    @Test func aTemplateThatDoesNotParseStopsTheStartWithItsFileAndLine() throws {
        let error = try #require(throws: Renderer.LoadError.self) {
            try Self.renderer(["layouts/public.mustache": "<p>\n{{#open}}never closed\n"])
        }
        #expect(error.file == "layouts/public.mustache")
        #expect(error.description.contains("Templates/layouts/public.mustache"))
        #expect(error.reason.contains("line"))
    }

    @Test func aPartialOrLayoutThatNamesNoTemplateStopsTheStart() throws {
        let error = try #require(throws: Renderer.LoadError.self) {
            try Self.renderer([
                "layouts/public.mustache": "{{$content}}{{/content}}",
                "hosted/badge.mustache":
                    "{{<layouts.public}}{{$content}}{{> hosted.details}}{{/content}}{{/layouts.public}}",
            ])
        }
        #expect(error.file == "hosted/badge.mustache")
        #expect(error.reason.contains("hosted.details"))
    }

    /// Why names use `.` between folder and file: swift-mustache refuses `/` in the closing tag of an inherited
    /// layout. If this test fails, swift-mustache now accepts it and names could mirror paths with `/`.
    @Test func folderAndFileAreJoinedByADotBecauseSwiftMustacheRefusesASlashInAClosingTag() throws {
        let layout = "<main>{{$content}}{{/content}}</main>"
        #expect(throws: Renderer.LoadError.self) {
            try Self.renderer([
                "layouts/public.mustache": layout,
                "a/page.mustache": "{{<layouts/public}}{{$content}}x{{/content}}{{/layouts/public}}",
            ])
        }
        let renderer = try Self.renderer([
            "layouts/public.mustache": layout,
            "a/page.mustache": "{{<layouts.public}}{{$content}}{{> a.part}}{{/content}}{{/layouts.public}}",
            "a/part.mustache": "{{who}}",
        ])
        #expect(renderer.render("a.page", ["who": "Léa"]) == "<main>Léa</main>")
        #expect(renderer.render("a.missing", [:]) == nil)
    }
}
