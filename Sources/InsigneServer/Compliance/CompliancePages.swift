import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The compliance page of an establishment (`/trainer/issuers/{id}/compliance?badge=&state=&q=`): counts and a bar
/// chart per state, the people filtered by state and name, a link to each counting award, and the CSV download.
struct CompliancePages: PageFeature {
    let services: ServerServices

    /// Adds the compliance pages to the staff pages.
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer/issuers/{id}/compliance") { req, ctx in
            try await page(ctx.env, req, issuerID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/issuers/{id}/compliance.csv") { req, ctx in
            try await download(ctx.env, req, issuerID: ctx.parameters.get("id") ?? "")
        }
    }

    var compliance: Compliance { Compliance(db: services.db) }

    /// The establishment, when the account may act for it (404 / 403 pages otherwise).
    func establishment(_ env: Env, _ id: String) async throws -> IssuerRecord {
        guard let issuer = try await services.db.issuer(id: id) else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuer.id) else { throw PageError.forbidden() }
        return issuer
    }

    /// Colours of the chart's bars.
    static func colour(_ s: Compliance.State) -> String {
        switch s {
        case .valid: "#2e7d32"
        case .expiringSoon: "#b26a00"
        case .expired: "#c62828"
        case .missing: "#616161"
        }
    }

    /// One state of the chart (`viewBox="0 0 600 128"`): its label on the left, a bar as long as its share of the
    /// people (at most 330 units from x = 170), then the count and the percentage.
    static func bar(_ i: Int, _ s: Compliance.State, count n: Int, total: Int, selected: Bool, _ env: Env)
        -> [String: Any]
    {
        let width = Double(n * 330) / Double(total)
        return [
            "key": s.rawValue, "label": env.text(s.label.fr, s.label.en), "count": n, "selected": selected,
            "percent": Int((Double(n * 100) / Double(total)).rounded()), "width": width, "y": i * 32 + 4,
            "textY": i * 32 + 21, "countX": 178 + width, "colour": Self.colour(s),
        ]
    }

    /// The page; without `?badge=` the establishment's first badge class.
    func page(_ env: Env, _ request: Request, issuerID: String) async throws -> Response {
        let issuer = try await establishment(env, issuerID)
        let r = RosterText.table(env.english)
        let badges = try await compliance.badgeClasses(issuerID: issuer.id)
        let params = request.uri.queryParameters
        let title = r["complianceTitle"]! + " — " + issuer.name
        var data: [String: Any] = ["r": r, "issuer": ["id": issuer.id, "name": issuer.name]]
        guard let badgeID = params.get("badge").flatMap({ $0.isEmpty ? nil : $0 }) ?? badges.first?.id else {
            data["noBadges"] = true
            return render("compliance.compliance", env, title: title, data)
        }
        let report = try await compliance.report(issuerID: issuer.id, badgeID: badgeID, now: services.clock())
        let state = params.get("state").flatMap(Compliance.State.init(rawValue:))
        let q = (params.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        let shown = report.people.filter { p in
            (state == nil || p.state == state)
                && (q.isEmpty
                    || "\(p.name) \(p.email)".range(of: q, options: [.caseInsensitive, .diacriticInsensitive]) != nil)
        }
        let total = max(1, report.people.count)
        data["badges"] = badges.map { ["id": $0.id, "name": $0.name, "selected": $0.id == report.badge.id] }
        data["badge"] = ["id": report.badge.id, "name": report.badge.name]
        data["at"] = WebDates.display(report.at, english: env.english)
        data["window"] = report.windowDays
        data["count"] = report.people.count
        data["states"] = Compliance.State.allCases.enumerated().map { i, s -> [String: Any] in
            Self.bar(i, s, count: report.count(s), total: total, selected: s == state, env)
        }
        // 100 people a page, as filtered.
        let pages = max(1, (shown.count + 99) / 100)
        let page = min(pages, max(1, Int(params.get("page") ?? "") ?? 1))
        let link = { (p: Int) in
            "?badge=\(WebForm.encode(report.badge.id))&state=\(state?.rawValue ?? "")&q=\(WebForm.encode(q))&page=\(p)"
        }
        if page > 1 { data["prev"] = link(page - 1) }
        if page < pages { data["next"] = link(page + 1) }
        data["people"] = shown.dropFirst((page - 1) * 100).prefix(100).map { p -> [String: Any] in
            var row: [String: Any] = [
                "name": p.name, "lastName": p.lastName, "firstName": p.firstName, "email": p.email,
                "state": p.state.rawValue,
                "stateLabel": env.text(p.state.label.fr, p.state.label.en),
                "issuedOn": Compliance.day(p.issuedOn) ?? "", "expires": Compliance.day(p.expires) ?? "",
            ]
            if let id = p.assertionID { row["assertionID"] = id }
            return row
        }
        data["hasPeople"] = !shown.isEmpty
        data["emptyRoster"] = report.people.isEmpty
        data["shown"] = shown.count
        data["q"] = q
        data["csvURL"] = "/trainer/issuers/\(issuer.id)/compliance.csv?badge=" + WebForm.encode(report.badge.id)
        data["jsonURL"] = "/api/v1/issuers/\(issuer.id)/compliance?badge=" + WebForm.encode(report.badge.id)
        return render("compliance.compliance", env, title: title, data)
    }

    /// The CSV export of the page's badge class.
    func download(_ env: Env, _ request: Request, issuerID: String) async throws -> Response {
        let issuer = try await establishment(env, issuerID)
        let badgeID = request.uri.queryParameters.get("badge") ?? ""
        let report = try await compliance.report(issuerID: issuer.id, badgeID: badgeID, now: services.clock())
        var response = ComplianceController.csvResponse(report)
        response.headers[.cacheControl] = "private, no-store"
        return response
    }
}
