import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The trainers' pages (`/trainer…`): dashboard, issuers, new badge classes, awards to one person, the list of
/// awards and their revocation. Server-rendered, French first, usable without JavaScript; every form carries the
/// session's CSRF token. Bulk awards are `BatchPages`, badge alignment is `ReferentialPages`.
struct TrainerPages: PageFeature {
    let services: ServerServices

    /// Adds the trainers' pages to the staff pages.
    func addRoutes(to routes: AppRoutes) {
        routes.staffPages.get("/trainer") { req, ctx in try await dashboard(ctx.env, req) }
        routes.staffPages.get("/trainer/issuers") { req, ctx in try await issuersPage(ctx.env) }
        routes.staffPages.get("/trainer/badges/new") { req, ctx in
            try await newBadgePage(ctx.env, req, form: nil, errors: [:])
        }
        routes.staffPages.post("/trainer/badges/new") { req, ctx in try await createBadge(ctx.env, req, ctx) }
        routes.staffPages.get("/trainer/badges/{id}/award") { req, ctx in
            try await awardPage(ctx.env, badgeID: ctx.parameters.get("id") ?? "", form: nil, errors: [:])
        }
        routes.staffPages.post("/trainer/badges/{id}/award") { req, ctx in
            try await award(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/assertions") { req, ctx in try await assertionsPage(ctx.env, req) }
        routes.staffPages.get("/trainer/assertions/{id}") { req, ctx in
            try await assertionPage(ctx.env, req, id: ctx.parameters.get("id") ?? "", reasonError: nil)
        }
        routes.staffPages.post("/trainer/assertions/{id}/revoke") { req, ctx in
            try await revoke(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/assertions/{id}/notify") { req, ctx in
            try await resendNotification(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        addEditingRoutes(to: routes)
        addRenewalRoutes(to: routes)
    }

    // MARK: - Dashboard and issuers

    /// The dashboard: the issuers the account acts for, their badge classes and award counts.
    func dashboard(_ env: Env, _ request: Request) async throws -> Response {
        let issuers = try await allowedIssuers(env.user, .review)
        let ids = issuers.map(\.id)
        let rows = try await services.db.trainerDashboard(issuerIDs: ids)
        let issuerData: [[String: Any]] = issuers.map { issuer in
            let badges: [[String: Any]] = rows.0.filter { $0.issuerID == issuer.id }.map { b in
                let c = rows.1[b.id] ?? AwardCounts(total: 0, revoked: 0)
                return [
                    "id": b.id, "name": b.name, "awarded": c.total - c.revoked, "revoked": c.revoked,
                    "archived": b.isArchived,
                ]
            }
            return [
                "id": issuer.id, "name": issuer.name, "badges": badges, "hasBadges": !badges.isEmpty,
                "roles": MemberRoles.held(env.staff, issuerID: issuer.id, english: env.english),
                "mayAward": env.may(.award, issuer: issuer.id), "mayManage": env.may(.manage, issuer: issuer.id),
            ]
        }
        var data: [String: Any] = [
            "issuers": issuerData, "hasIssuers": !issuers.isEmpty, "displayName": env.user.displayName,
        ]
        if let created = request.uri.queryParameters.get("created"), let b = rows.0.first(where: { $0.id == created }) {
            data["created"] = env.text(
                "La classe de badge « \(b.name) » a été créée.", "Badge class \"\(b.name)\" created.")
        }
        if let deleted = request.uri.queryParameters.get("deleted") {
            data["deleted"] = env.text(
                "La classe de badge « \(deleted) » a été supprimée.", "Badge class \"\(deleted)\" deleted.")
        }
        return render("trainer.dashboard", env, title: env.t["dashboardTitle"]!, data)
    }

    /// The issuers the account acts for, with their public profile and badge-class count.
    func issuersPage(_ env: Env) async throws -> Response {
        let issuers = try await allowedIssuers(env.user, .review)
        let all = try await services.db.allIssuers()
        let names = Dictionary(all.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let counts = try await services.db.badgeClassCountsByIssuer()
        let data: [[String: Any]] = issuers.map { i in
            var d: [String: Any] = [
                "id": i.id, "name": i.name, "url": i.url, "email": i.email, "profileURL": services.urls.issuer(i.id),
                "badgeCount": counts[i.id] ?? 0, "mayManage": env.may(.manage, issuer: i.id),
            ]
            if let p = i.parentID { d["parent"] = names[p] ?? p }
            return d
        }
        return render("trainer.issuers", env, title: env.t["issuersTitle"]!, ["issuers": data])
    }
}
