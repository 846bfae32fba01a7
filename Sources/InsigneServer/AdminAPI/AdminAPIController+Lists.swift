import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// `GET /assertions`: the awards, newest first (creation time, then id), filtered by badge class, issuer,
/// recipient and state, `perPage` at a time. A page leads on with `nextCursor` (also a `Link: <…>; rel="next"`):
/// `?cursor=` reads the awards after it through an index, so a deep page costs what the first does. `page` alone
/// still skips `(page - 1) × perPage` awards (compatibility; each skipped one is read); with `cursor` it is only
/// the page's number, echoed. A cursor that is not one of ours: 400.
extension AdminAPIController {
    func listAssertions(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Access.account(context)
        let params = request.uri.queryParameters
        let page = try APIFormat.queryInt(request, "page", default: 1, range: 1...1_000_000)
        let perPage = try APIFormat.queryInt(request, "perPage", default: 50, range: 1...200)
        var filter = AwardListFilter(revoked: try APIFormat.queryBool(request, "revoked"))
        var start = AwardPageStart.offset((page - 1) * perPage)
        if let token = params.get("cursor") {
            guard let cursor = AwardCursor(token: token) else {
                throw Validation.invalid(
                    "cursor", fr: "curseur inconnu : reprenez le « nextCursor » d'une page de cette liste",
                    en: "unknown cursor: use the \"nextCursor\" of a page of this list")
            }
            start = .after(cursor)
        }
        if let r = params.get("recipient"), !r.isEmpty { filter.recipientEmail = r }
        if let b = params.get("badge"), !b.isEmpty {
            guard let badge = try await issuing.badgeClass(id: b) else {
                throw ServiceError.notFound("Classe de badge / badge class", b)
            }
            try Access.requireIssuer(context, badge.issuerID)
            filter.badgeClassID = b
        }
        if let i = params.get("issuer"), !i.isEmpty {
            try Access.requireIssuer(context, i)
            filter.issuerID = i
        }
        if filter.issuerID == nil, let mine = Access.staff(context).issuerIDs(for: .award) { filter.issuerIDs = mine }
        let (slice, total) = try await services.db.awardsPage(filter, start: start, perPage: perPage)
        var response = HTTP.json([
            "items": .array(slice.items.map { assertionJSON($0, jws: false) }), "page": APIFormat.int(page),
            "perPage": APIFormat.int(perPage), "total": APIFormat.int(total),
            "nextCursor": slice.older.map { .string($0.token) } ?? .null,
        ])
        if let next = slice.older {
            response.headers[HTTPField.Name("Link")!] =
                "<\(Self.nextURL(request, cursor: next, page: page + 1))>; rel=\"next\""
        }
        return response
    }

    /// The request's URL (path and query) for the page after `cursor`: its filters and `perPage` kept.
    static func nextURL(_ request: Request, cursor: AwardCursor, page: Int) -> String {
        var query: [String] = []
        for name in ["badge", "issuer", "recipient", "revoked", "perPage"] {
            if let v = request.uri.queryParameters.get(name) { query.append(name + "=" + Pages.queryEscape(v)) }
        }
        query += ["cursor=" + cursor.token, "page=\(page)"]
        return request.uri.path + "?" + query.joined(separator: "&")
    }
}
