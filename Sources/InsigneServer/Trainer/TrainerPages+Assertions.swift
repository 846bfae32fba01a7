import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The awards already made: list, detail and revocation.
extension TrainerPages {
    /// The awards of the issuers the account acts for: search, badge and state filters, paged.
    func assertionsPage(_ env: Env, _ request: Request) async throws -> Response {
        let issuers = try await allowedIssuers(env.user)
        let issuerIDs = issuers.map(\.id)
        let q = String((request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        let badgeFilter = request.uri.queryParameters.get("badge") ?? ""
        let state = request.uri.queryParameters.get("state") ?? "all"
        let params = request.uri.queryParameters
        let pageNumber = max(1, min(100_000, Int(params.get("page") ?? "1") ?? 1))
        let filter = TrainerAwardFilter(
            badgeClassID: badgeFilter, state: state == "active" ? .active : state == "revoked" ? .revoked : .all,
            search: q)
        // The links lead on from the page's first or last award (`after` / `before`, opaque): a deep page costs
        // what the first does. `page` alone (typed, or an old link) still skips that many pages.
        let start = try Self.awardStart(params.get("after"), params.get("before"), page: pageNumber)
        let found = try await services.db.trainerAwards(
            issuerIDs: issuerIDs, filter: filter, start: start, pageSize: Self.pageSize)
        let (badges, total, items) = (found.badgeClasses, found.total, found.items)
        let badgeNames = Dictionary(badges.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = items.map { a in
            var d: [String: Any] = [
                "id": a.id, "email": a.recipientEmail, "badge": badgeNames[a.badgeClassID] ?? a.badgeClassID,
                "issued": WebDates.display(a.createdAt, english: env.english, time: false),
            ]
            if let n = a.recipientName, !n.isEmpty { d["name"] = n }
            if a.isRevoked { d["revoked"] = true }
            if a.renewedBy != nil { d["renewed"] = true }
            return d
        }
        let pages = max(pageNumber, (total + Self.pageSize - 1) / Self.pageSize)
        func link(_ p: Int, _ cursor: String = "") -> String {
            "/trainer/assertions?q=\(WebForm.encode(q))&badge=\(WebForm.encode(badgeFilter))&state=\(WebForm.encode(state))&page=\(p)"
                + cursor
        }
        var data: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "q": q, "total": total, "page": pageNumber, "pages": pages,
            "badges": badges.map { ["id": $0.id, "name": $0.name, "selected": $0.id == badgeFilter] },
            "stateAll": state != "active" && state != "revoked", "stateActive": state == "active",
            "stateRevoked": state == "revoked",
        ]
        if let newer = found.newer, pageNumber > 1 {
            data["prev"] = pageNumber == 2 ? link(1) : link(pageNumber - 1, "&before=" + newer.token)
            if pageNumber > 2 { data["first"] = link(1) }
        }
        if let older = found.older { data["next"] = link(pageNumber + 1, "&after=" + older.token) }
        return render("trainer.assertions", env, title: env.t["assertionsTitle"]!, data)
    }

    /// Where a page of the list starts: after or before a cursor (a bad one: 400), else the page number's offset.
    static func awardStart(_ after: String?, _ before: String?, page: Int) throws -> AwardPageStart {
        for (token, forward) in [(after, true), (before, false)] {
            guard let token, !token.isEmpty else { continue }
            guard let cursor = AwardCursor(token: token) else {
                throw ServiceError(
                    .invalid, field: forward ? "after" : "before",
                    fr: "Lien de page invalide : revenez à la première page de la liste.",
                    en: "Invalid page link: go back to the first page of the list.")
            }
            return forward ? .after(cursor) : .before(cursor)
        }
        return .offset((page - 1) * pageSize)
    }

    /// One award: recipient, links to its documents, evidence, revocation state and form.
    func assertionPage(
        _ env: Env, _ request: Request, id: String, reasonError: String?, reason: String = "",
        renewError: String? = nil
    ) async throws -> Response {
        let found = try await services.db.awardDetail(id: id)
        guard let found else { throw PageError.notFound() }
        let (a, b, issuer, revoker) = found
        guard mayAct(env.user, issuerID: b.issuerID) else { throw PageError.forbidden() }
        let urls = services.urls
        var data: [String: Any] = [
            "id": a.id, "email": a.recipientEmail, "badge": badgeSummary(b, issuer),
            "issued": WebDates.display(obDate: a.issuedOn, english: env.english) ?? a.issuedOn,
            "hostedURL": urls.assertion(a.id), "pngURL": urls.assertionPNG(a.id), "svgURL": urls.assertionSVG(a.id),
            "certificateURL": urls.assertionCertificate(a.id) + (env.english ? "?lang=en" : ""),
            "ob3": [
                "json": urls.ob3Credential(a.id), "jwt": urls.ob3CredentialJWT(a.id),
                "png": urls.ob3CredentialPNG(a.id),
                "svg": urls.ob3CredentialSVG(a.id),
            ],
            "verifyURL": urls.verifyPage + "?url=" + WebForm.encode(urls.assertion(a.id)),
            "reason": reason,
        ]
        if let n = a.narrative { data["narrative"] = n }
        if let n = a.recipientName, !n.isEmpty { data["name"] = n }
        if let e = a.expires { data["expires"] = WebDates.display(obDate: e, english: env.english) ?? e }
        data["evidence"] = a.evidence.map { e -> [String: Any] in
            var d: [String: Any] = ["text": e.narrative ?? e.name ?? e.id ?? ""]
            if let u = e.id { d["url"] = u }
            return d
        }
        data["hasEvidence"] = !a.evidence.isEmpty
        if let by = a.createdBy { data["createdBy"] = by }
        if let at = a.revokedAt {
            data["revoked"] = [
                "at": WebDates.display(at, english: env.english), "by": revoker ?? a.revokedBy ?? "?",
                "reason": a.revocationReason ?? "",
            ]
        }
        if let reasonError { data["reasonError"] = reasonError }
        data.merge(try await renewalData(a, b, env)) { _, new in new }
        if let renewError { data["renewError"] = renewError }
        if request.uri.queryParameters.get("awarded") != nil { data["awarded"] = true }
        if request.uri.queryParameters.get("renewed") != nil { data["renewedNow"] = true }
        if request.uri.queryParameters.get("revokedNow") != nil { data["revokedNow"] = true }
        let awarded = request.uri.queryParameters.get("awarded") != nil
        let code = request.uri.queryParameters.get("notified") ?? (awarded ? services.mailer.mode : nil)
        if let note = Notifier.note(code: code) {
            data["notifiedNote"] = env.text(note.fr, note.en)
        }
        return render(
            "trainer.assertion", env, title: env.t["assertionTitle"]!,
            status: reasonError == nil && renewError == nil
                ? .ok : renewError == nil ? .unprocessableContent : .conflict,
            data)
    }

    /// Revokes an award with the reason given, or shows the award again with what is wrong.
    func revoke(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        let target = try await services.db.issuerIDOfAward(id: id)
        guard let issuerID = target else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuerID) else { throw PageError.forbidden() }
        let before = try await services.issuing.assertion(id: id)
        do {
            let revoked = try await services.issuing.revoke(assertionID: id, reason: form["reason"], actor: env.user.id)
            if before?.isRevoked == false { await Notifier(services: services).revoked(revoked) }
        } catch let e as ServiceError where e.kind == .invalid {
            return try await assertionPage(
                env, request, id: id, reasonError: e.fieldMessage(english: env.english), reason: form["reason"])
        }
        return redirect("/trainer/assertions/\(id)?revokedNow=1")
    }
}
