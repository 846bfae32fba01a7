import CSVText
import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The roster and compliance endpoints of the Admin API (`Endpoint.listPeople`, `.importPeople`, `.getCompliance`,
/// `.getComplianceCSV`): administrators, and staff of the establishment.
struct ComplianceController: Sendable {
    let services: ServerServices

    var roster: Roster { Roster(db: services.db) }
    var compliance: Compliance { Compliance(db: services.db) }

    /// The establishment of the path, once the account may act for it (403, then 404).
    func issuerID(_ context: AppRequestContext) async throws -> String {
        let id: String = try context.parameters.require("id")
        try Access.requireIssuer(context, id)
        guard try await services.db.issuer(id: id) != nil else {
            throw ServiceError.notFound("Émetteur / issuer", id)
        }
        return id
    }

    /// `GET /issuers/{id}/people?q=&page=&perPage=&left=true`: a page of the roster.
    func listPeople(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try await issuerID(context)
        let page = try APIFormat.queryInt(request, "page", default: 1, range: 1...1_000_000)
        let perPage = try APIFormat.queryInt(request, "perPage", default: 50, range: 1...200)
        let left = try APIFormat.queryBool(request, "left") ?? false
        let (items, total) = try await services.db.people(
            issuerID: id, search: request.uri.queryParameters.get("q"), includeLeft: left, page: page,
            perPage: perPage)
        return HTTP.json([
            "items": .array(items.map(Roster.json)), "page": APIFormat.int(page), "perPage": APIFormat.int(perPage),
            "total": APIFormat.int(total),
        ])
    }

    /// `POST /issuers/{id}/people` with a `text/csv` body: imports the lines, answers the report (200).
    func importPeople(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try await issuerID(context)
        switch APIBody.mediaType(request) {
        case "text/csv", "application/csv", "text/comma-separated-values": break
        default: throw ServiceError.unsupportedMediaType("text/csv")
        }
        let bytes = try await APIBody.bytes(request, context: context)
        let encoding = BatchAwarding.csvEncoding(contentType: request.headers[.contentType])
        let report = try await roster.importCSV(bytes, encoding: encoding, issuerID: id, now: services.clock())
        return HTTP.json(Roster.json(report))
    }

    /// The report of the request: establishment of the path, badge class of `?badge=`.
    func report(_ request: Request, _ context: AppRequestContext) async throws -> Compliance.Report {
        let id = try await issuerID(context)
        guard let badge = request.uri.queryParameters.get("badge"), !badge.isEmpty else {
            throw Validation.invalid(
                "badge", fr: "paramètre « badge » manquant (identifiant de la classe de badge)",
                en: "missing \"badge\" parameter (the badge class id)")
        }
        return try await compliance.report(issuerID: id, badgeID: badge, now: services.clock())
    }

    /// `GET /issuers/{id}/compliance?badge=`: the JSON export.
    func getCompliance(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        HTTP.json(Compliance.json(try await report(request, context), urls: services.urls))
    }

    /// `GET /issuers/{id}/compliance.csv?badge=`: the CSV export, as a download.
    func getComplianceCSV(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let r = try await report(request, context)
        return Self.csvResponse(r)
    }

    /// The CSV export as a download named after the establishment, the badge class and the day.
    static func csvResponse(_ r: Compliance.Report) -> Response {
        let name = "conformite-\(r.issuer.id)-\(r.badge.id)-\(WebDates.fileStamp(r.at)).csv"
        return HTTP.bytes(
            Compliance.csv(r), contentType: "text/csv; charset=utf-8",
            headers: [.contentDisposition: "attachment; filename=\"\(name)\""])
    }
}
