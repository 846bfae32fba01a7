import CompetencyFrameworks
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The public referential pages: `/referentials`, `/referentials/{fw}`, `/referentials/{fw}/competencies/{code}`
/// (HTML for browsers, CASE-like JSON otherwise) and the exports `/referentials/{fw}/export.csv|json`.
struct ReferentialController: Sendable {
    let services: ServerServices

    var db: AppDatabase { services.db }
    var urls: PublicURLs { services.urls }
    var documents: ReferentialDocuments { ReferentialDocuments(urls: urls) }

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        router.get("/referentials") { req, _ in try await list(req) }
        router.get("/referentials/:fw") { req, ctx in try await framework(req, id: Self.parameter(ctx, "fw")) }
        router.get("/referentials/:fw/competencies/:code") { req, ctx in
            try await item(req, frameworkID: Self.parameter(ctx, "fw"), code: Self.parameter(ctx, "code"))
        }
        router.get("/referentials/:fw/export.csv") { req, ctx in
            try await export(req, id: Self.parameter(ctx, "fw"), csv: true)
        }
        router.get("/referentials/:fw/export.json") { req, ctx in
            try await export(req, id: Self.parameter(ctx, "fw"), csv: false)
        }
    }

    /// A path parameter, percent-decoded (the router matches the raw path).
    static func parameter(_ context: AppRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    static func json(_ value: JSONValue) -> Response {
        var r = HTTP.json(value)
        r.headers[.accessControlAllowOrigin] = "*"
        r.headers[.cacheControl] = "no-cache"
        return r
    }

    func notFound(_ request: Request) -> Response {
        let english = Language(request).english
        guard HTTP.prefersHTML(request) else {
            return HTTP.problem(
                .notFound, fr: "référentiel ou compétence introuvable", en: "referential or competency not found",
                english: english)
        }
        return Pages.notFound(request, english: english)
    }

    /// Shared page keys: layout, strings, stylesheet.
    func pageContext(_ request: Request, title: String, json: String) -> [String: Any] {
        let english = Language(request).english
        var c = Pages.layoutContext(request: request, english: english, title: title)
        c["refCSS"] = StaticAssets.href("referentials.css")
        c["jsonHref"] = json
        c["t"] = Self.strings(english: english)
        return c
    }

    static func strings(english: Bool) -> [String: String] {
        english
            ? [
                "referentials": "Competency frameworks", "intro": "The frameworks that badges issued here align to.",
                "none": "No framework published yet.", "items": "competencies", "retiredItems": "retired",
                "downloadCSV": "Download (Moodle CSV)", "downloadJSON": "Download (JSON)", "tree": "Competencies",
                "code": "Code", "framework": "Framework", "parent": "Part of", "children": "Contains",
                "retiredTitle": "Retired competency",
                "retiredText":
                    "This competency is no longer in the current version of the framework; badges aligned to it keep this page.",
                "machine": "Machine-readable version (JSON)", "all": "All frameworks", "type": "Level",
            ]
            : [
                "referentials": "Référentiels de compétences",
                "intro": "Les référentiels auxquels se rattachent les badges délivrés ici.",
                "none": "Aucun référentiel publié pour l'instant.", "items": "compétences", "retiredItems": "retirées",
                "downloadCSV": "Télécharger (CSV Moodle)", "downloadJSON": "Télécharger (JSON)", "tree": "Compétences",
                "code": "Code", "framework": "Référentiel", "parent": "Fait partie de", "children": "Comprend",
                "retiredTitle": "Compétence retirée",
                "retiredText":
                    "Cette compétence ne figure plus dans la version actuelle du référentiel ; les badges qui s'y rattachent gardent cette page.",
                "machine": "Version lisible par les machines (JSON)", "all": "Tous les référentiels", "type": "Niveau",
            ]
    }

    /// A path under the public base (CSP `'self'` holds whatever host the browser used).
    func local(_ absolute: String) -> String {
        absolute.hasPrefix(urls.base + "/") ? String(absolute.dropFirst(urls.base.count)) : absolute
    }

    func list(_ request: Request) async throws -> Response {
        let frameworks = try db.frameworks()
        let counts = try db.frameworkCounts()
        guard HTTP.prefersHTML(request) else {
            return Self.json([
                "uri": .string(urls.referentials),
                "CFDocuments": .array(frameworks.map { documents.document($0, counts: counts[$0.id] ?? .init()) }),
            ])
        }
        let english = Language(request).english
        var c = pageContext(request, title: Self.strings(english: english)["referentials"]!, json: urls.referentials)
        c["frameworks"] = frameworks.map { f -> [String: Any] in
            [
                "title": f.shortName, "idNumber": f.idNumber, "href": local(urls.referential(f.id)),
                "count": counts[f.id]?.current ?? 0,
                "description": Pages.opt(ReferentialDocuments.plain(f.description)),
            ]
        }
        c["hasFrameworks"] = !frameworks.isEmpty
        return Pages.render("referentials.list", c)
    }

    /// Nested nodes of the tree for `Templates/referentials/node.mustache`.
    func tree(_ f: FrameworkRecord, _ items: [CompetencyRecord], parent: String?) -> [[String: Any]] {
        items.filter { $0.parentIDNumber == parent }.map { c in
            let children = tree(f, items, parent: c.idNumber)
            return [
                "code": c.idNumber, "name": c.shortName, "href": local(urls.competency(f.id, c.idNumber)),
                "type": ReferentialDocuments.itemType(f, depth: c.depth), "children": children,
                "hasChildren": !children.isEmpty,
            ]
        }
    }

    func framework(_ request: Request, id: String) async throws -> Response {
        guard let f = try db.framework(id: id) else { return notFound(request) }
        let items = try db.competencies(frameworkID: f.id)
        guard HTTP.prefersHTML(request) else { return Self.json(documents.package(f, items: items)) }
        let current = items.filter { $0.retiredAt == nil }
        var c = pageContext(request, title: f.shortName, json: urls.referential(f.id))
        c["framework"] =
            [
                "title": f.shortName, "idNumber": f.idNumber,
                "description": Pages.opt(ReferentialDocuments.plain(f.description)),
                "csv": local(urls.referentialCSV(f.id)), "json": local(urls.referentialJSON(f.id)),
                "count": current.count,
                "retired": items.count - current.count, "hasRetired": items.count > current.count,
            ] as [String: Any]
        c["nodes"] = tree(f, current, parent: nil)
        c["allHref"] = "/referentials"
        return Pages.render("referentials.referential", c)
    }

    func item(_ request: Request, frameworkID: String, code: String) async throws -> Response {
        guard let f = try db.framework(id: frameworkID), let item = try db.competency(frameworkID: f.id, idNumber: code)
        else { return notFound(request) }
        let all = try db.competencies(frameworkID: f.id)
        let children = all.filter { $0.parentIDNumber == item.idNumber && $0.retiredAt == nil }
        guard HTTP.prefersHTML(request) else {
            return Self.json(documents.item(item, framework: f, children: children))
        }
        var trail: [CompetencyRecord] = []
        var p = item.parentIDNumber
        while let id = p, let parent = all.first(where: { $0.idNumber == id }), trail.count < 64 {
            trail.insert(parent, at: 0)
            p = parent.parentIDNumber
        }
        func link(_ x: CompetencyRecord) -> [String: Any] {
            ["code": x.idNumber, "name": x.shortName, "href": local(urls.competency(f.id, x.idNumber))]
        }
        let english = Language(request).english
        var c = pageContext(
            request, title: "\(item.idNumber) \(item.shortName)", json: urls.competency(f.id, item.idNumber))
        c["item"] =
            [
                "code": item.idNumber, "name": item.shortName,
                "statement": Pages.opt(
                    ReferentialDocuments.plain(item.description).flatMap { plain in
                        plain.trimmingCharacters(in: CharacterSet(charactersIn: ". ")) == item.shortName ? nil : plain
                    }),
                "type": ReferentialDocuments.itemLabel(f, depth: item.depth, english: english),
                "retired": item.retiredAt != nil,
                "retiredOn": Pages.opt(item.retiredAt.map { WebDates.long($0, english: english) }),
                "url": urls.competency(f.id, item.idNumber),
            ] as [String: Any]
        c["framework"] = ["title": f.shortName, "idNumber": f.idNumber, "href": local(urls.referential(f.id))]
        c["trail"] = trail.map(link)
        c["parent"] = Pages.opt(trail.last.map(link))
        c["children"] = children.map(link)
        c["hasChildren"] = !children.isEmpty
        c.merge(
            Pages.openGraph(
                title: "\(item.idNumber) \(item.shortName)",
                description: ReferentialDocuments.plain(item.description) ?? item.shortName,
                image: nil, url: urls.competency(f.id, item.idNumber), english: english)
        ) { $1 }
        return Pages.render("referentials.item", c)
    }

    func export(_ request: Request, id: String, csv: Bool) async throws -> Response {
        guard let record = try db.framework(id: id), let f = try db.coreFramework(id: record.id) else {
            return notFound(request)
        }
        let body = csv ? MoodleCompetencyCSV.export(f) : CompetencyFrameworkJSON.encode(f)
        let name = Self.fileName(f.idNumber) + (csv ? ".csv" : ".json")
        return HTTP.bytes(
            [UInt8](body), contentType: csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
            headers: [
                .contentDisposition: "attachment; filename=\"\(name)\"", .accessControlAllowOrigin: "*",
                .cacheControl: "no-cache",
            ])
    }

    /// A safe file name from an id number (letters, digits, `.`, `-`, `_`).
    static func fileName(_ idNumber: String) -> String {
        let kept = String(
            idNumber.unicodeScalars.map { s -> Character in
                s.isASCII && (CharacterSet.alphanumerics.contains(s) || "-_.".unicodeScalars.contains(s))
                    ? Character(s) : "_"
            })
        return kept.isEmpty ? "referentiel" : kept
    }
}
