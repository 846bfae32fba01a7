import CompetencyFrameworks
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import NIOCore
import OpenBadges

/// The referential operations of the API: import, list, read, search, badge generation, badge alignment.
extension AdminAPIController {
    /// Imports are limited to 5 MiB (413 beyond).
    static let maxReferentialBytes = 5 * 1024 * 1024

    var referentialDocuments: ReferentialDocuments { ReferentialDocuments(urls: urls) }

    /// Resolves alignment entries; an unknown reference is a 422 naming the field.
    func resolveAlignment(_ inputs: [AlignmentInput]) throws -> [AlignmentRecord] {
        do {
            return try ReferentialAlignment(services: services).resolve(inputs)
        } catch let e as ServiceError where e.kind == .invalid {
            throw ServiceError(.unprocessable, field: e.field, fr: e.messageFR, en: e.messageEN, underlying: e)
        }
    }

    /// The problem document of a refused referential file: 422 with its `line` (null when the whole file is at fault).
    static func refused(_ e: ReferentialError) -> ServiceError {
        var error = ServiceError(.unprocessable, fr: e.messageFR, en: e.messageEN, underlying: e)
        error.extra = ["line": e.line.map { .number(Double($0)) } ?? .null]
        return error
    }

    func frameworkJSON(_ f: FrameworkRecord, counts: FrameworkCounts) -> JSONValue {
        [
            "id": .string(f.id), "idNumber": .string(f.idNumber), "shortName": .string(f.shortName),
            "url": .string(urls.referential(f.id)), "exportCsv": .string(urls.referentialCSV(f.id)),
            "exportJson": .string(urls.referentialJSON(f.id)), "taxonomies": .array(f.taxonomies.map(JSONValue.string)),
            "counts": [
                "current": APIFormat.int(counts.current), "retired": APIFormat.int(counts.retired),
                "byDepth": .array(counts.byDepth.map(APIFormat.int)),
            ],
            "createdAt": APIFormat.date(f.createdAt), "updatedAt": APIFormat.date(f.updatedAt),
        ]
    }

    func listReferentials(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Access.account(context)
        let counts = try services.db.frameworkCounts()
        let items = try services.db.frameworks().map { frameworkJSON($0, counts: counts[$0.id] ?? .init()) }
        return HTTP.json(["items": .array(items), "total": APIFormat.int(items.count)])
    }

    func getReferential(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Access.account(context)
        let id = try pathID(context)
        guard let record = try services.db.framework(reference: id),
            let core = try services.db.coreFramework(id: record.id)
        else { throw ServiceError.notFound("Référentiel / referential", id) }
        guard
            case .object(var o) = frameworkJSON(record, counts: try services.db.frameworkCounts()[record.id] ?? .init())
        else { return HTTP.json(.null) }
        o["framework"] = try JSONValue(parsing: [UInt8](CompetencyFrameworkJSON.encode(core)))
        return HTTP.json(.object(o))
    }

    func importReferential(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Access.account(context)
        guard let importer = Access.frameworkImporter(account) else {
            throw ServiceError(.forbidden, fr: "réservé aux formateurs", en: "trainers only")
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: Self.maxReferentialBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw ServiceError(
                .tooLarge, fr: "fichier trop volumineux (5 Mo au plus)",
                en: "file too large (5 MiB at most)")
        }
        let mediaType = APIBody.mediaType(request)
        var file = body
        var format: ReferentialFile.Format?
        switch mediaType {
        case "text/csv", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel": format = .csv
        case "multipart/form-data":
            let form = try MultipartForm(body: [UInt8](body), contentType: request.headers[.contentType] ?? "")
            guard let part = form.part("file") else { throw JSONFields.missing("file") }
            file = Data(part.body)
        case "text/plain", nil: break
        case let m where APIBody.isJSON(m): format = .json
        default: throw ServiceError.unsupportedMediaType("text/csv, application/json, multipart/form-data")
        }
        let summary: FrameworkImportSummary
        do {
            let framework = try ReferentialFile.parse(file, format: format)
            summary = try services.db.importFramework(framework, actor: account.id, as: importer)
        } catch let e as ReferentialError {
            throw Self.refused(e)
        } catch let e as FrameworkOwnershipError {
            throw ServiceError(.forbidden, fr: e.messageFR, en: e.messageEN, underlying: e)
        }
        let counts = try services.db.frameworkCounts()[summary.framework.id] ?? .init()
        var r = HTTP.json(
            [
                "created": .bool(summary.created), "added": APIFormat.int(summary.added),
                "updated": APIFormat.int(summary.updated), "unchanged": APIFormat.int(summary.unchanged),
                "retired": APIFormat.int(summary.retired),
                "framework": frameworkJSON(summary.framework, counts: counts),
            ], status: summary.created ? .created : .ok)
        r.headers[.location] = urls.referential(summary.framework.id)
        return r
    }

    func searchCompetencies(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Access.account(context)
        let q = request.uri.queryParameters.get("q") ?? ""
        let limit = try APIFormat.queryInt(request, "limit", default: 50, range: 1...200)
        var frameworkID: String?
        if let fw = request.uri.queryParameters.get("framework"), !fw.isEmpty {
            guard let f = try services.db.framework(reference: fw) else {
                throw ServiceError.notFound("Référentiel / referential", fw)
            }
            frameworkID = f.id
        }
        let found = try services.db.searchCompetencies(q, frameworkID: frameworkID, limit: limit)
        var frameworks: [String: FrameworkRecord] = [:]
        for f in try services.db.frameworks() { frameworks[f.id] = f }
        let docs = referentialDocuments
        let items: [JSONValue] = found.compactMap { c in
            guard let f = frameworks[c.frameworkID] else { return nil }
            return [
                "framework": .string(f.id), "frameworkIdNumber": .string(f.idNumber), "code": .string(c.idNumber),
                "shortName": .string(c.shortName), "depth": APIFormat.int(c.depth),
                "type": .string(ReferentialDocuments.itemType(f, depth: c.depth)),
                "url": .string(urls.competency(f.id, c.idNumber)),
                "alignment": Self.alignmentJSON(docs.alignment(c, framework: f)),
            ]
        }
        return HTTP.json(["items": .array(items), "total": APIFormat.int(items.count)])
    }

    static func alignmentJSON(_ a: AlignmentRecord) -> JSONValue {
        [
            "targetName": .string(a.targetName), "targetUrl": .string(a.targetUrl),
            "targetDescription": APIFormat.optional(a.targetDescription),
            "targetFramework": APIFormat.optional(a.targetFramework), "targetCode": APIFormat.optional(a.targetCode),
        ]
    }

    /// `PUT` replaces the alignment with `{"alignment": [...]}`; `PATCH` takes `{"add": [...], "remove": [...]}`
    /// (remove: target URLs or codes).
    func changeAlignment(_ endpoint: Endpoint, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let badge = try await badgeClass(context, .manage)
        let account = try Access.account(context)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        var alignment: [AlignmentRecord]
        if endpoint == .replaceBadgeAlignment {
            try o.allowOnly(["alignment"])
            guard let items = try o.objectArray("alignment") else { throw JSONFields.missing("alignment") }
            alignment = try resolveAlignment(try Self.alignment(items))
        } else {
            try o.allowOnly(["add", "remove"])
            let remove = Set(try o.stringArray("remove") ?? [])
            alignment = badge.alignment.filter {
                !remove.contains($0.targetUrl) && !remove.contains($0.targetCode ?? "\u{0}")
            }
            let added = try resolveAlignment(try Self.alignment(try o.objectArray("add") ?? []))
            alignment += added.filter { a in !alignment.contains { $0.targetUrl == a.targetUrl } }
        }
        let updated = try await issuing.replaceAlignment(badgeID: badge.id, alignment, actor: account.id)
        return HTTP.json(badgeJSON(updated))
    }

    func generateBadges(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try pathID(context)
        guard let f = try services.db.framework(reference: id) else {
            throw ServiceError.notFound("Référentiel / referential", id)
        }
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(["issuer", "level"])
        let issuerID = try o.requiredString("issuer")
        guard try await issuing.issuer(id: issuerID) != nil else {
            throw ServiceError.notFound("Émetteur / issuer", issuerID)
        }
        let account = try Access.requireIssuer(context, issuerID, .manage)
        let level = try o.int("level") ?? 1
        guard (0...20).contains(level) else {
            throw Validation.invalid(
                "level", fr: "entier entre 0 et 20 attendu", en: "an integer between 0 and 20 is expected")
        }
        let outcome = try await ReferentialBadgeGenerator(services: services)
            .generate(frameworkID: f.id, issuerID: issuerID, depth: level, actor: account.id)
        return HTTP.json(
            [
                "framework": .string(f.id), "issuer": .string(issuerID), "level": APIFormat.int(level),
                "created": .array(outcome.created.map(badgeJSON)),
                "skipped": .array(outcome.skipped.map(JSONValue.string)),
            ], status: outcome.created.isEmpty ? .ok : .created)
    }
}
