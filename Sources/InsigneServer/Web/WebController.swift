import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The trainers' pages (sign in, issuers, badge classes, awards, revocations): server-rendered, French first,
/// usable without JavaScript, session cookie + CSRF token on every form.
struct WebController: PageFeature {
    let services: ServerServices
    let throttle = SignInThrottle()
    /// Where password hashing runs (never on the request's task).
    var hasher = PasswordHashingPool.shared
    /// Who a sign-in attempt comes from (tests substitute their own).
    var signInSource: @Sendable (Request, AppRequestContext) -> SignInSource = { _, context in SignInSource(context) }
    let batches = WebBatchStore()
    static let loginCSRFCookie = "insigne_login_csrf"

    /// Adds the trainers' pages, sign-in and the learners' pages to their route groups.
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/login") { req, ctx in try await loginPage(ctx.env, req) }
        routes.publicPages.post("/login") { req, ctx in try await signIn(ctx.env, req, ctx) }
        routes.signedInPages.post("/logout") { req, ctx in try await signOut(ctx.env, req, ctx) }
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
        routes.staffPages.get("/trainer/badges/{id}/bulk") { req, ctx in
            try await bulkPage(ctx.env, badgeID: ctx.parameters.get("id") ?? "", error: nil)
        }
        routes.staffPages.post("/trainer/badges/{id}/bulk") { req, ctx in
            try await bulkUpload(ctx.env, req, ctx, badgeID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/batches/{id}") { req, ctx in
            try await batchPage(ctx.env, batchID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.post("/trainer/batches/{id}/confirm") { req, ctx in
            try await confirmBatch(ctx.env, req, ctx, batchID: ctx.parameters.get("id") ?? "")
        }
        routes.staffPages.get("/trainer/assertions") { req, ctx in try await assertionsPage(ctx.env, req) }
        routes.staffPages.get("/trainer/assertions/{id}") { req, ctx in
            try await assertionPage(ctx.env, req, id: ctx.parameters.get("id") ?? "", reasonError: nil)
        }
        routes.staffPages.post("/trainer/assertions/{id}/revoke") { req, ctx in
            try await revoke(ctx.env, req, ctx, id: ctx.parameters.get("id") ?? "")
        }
        addReferentialPages(to: routes)
        addBackpackPages(to: routes)
        addBadgeConnectPages(to: routes)
    }

    // MARK: - Sign in / out

    /// A sign-in delay in words: « 1 seconde », « 45 secondes », « 2 minutes » (rounded up).
    static func delayText(_ seconds: Int) -> (fr: String, en: String) {
        if seconds < 60 {
            return seconds > 1 ? ("\(seconds) secondes", "\(seconds) seconds") : ("1 seconde", "1 second")
        }
        let minutes = (seconds + 59) / 60
        return minutes > 1 ? ("\(minutes) minutes", "\(minutes) minutes") : ("1 minute", "1 minute")
    }

    func loginPage(
        _ env: Env, _ request: Request, login: String = "", error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        if env.account != nil, request.method == .get { return redirect("/trainer") }
        var cookies: [String] = []
        var token = request.cookies[Self.loginCSRFCookie]?.value ?? ""
        if token.count != 64 {
            token = try SecureRandom.hex(byteCount: 32)
            cookies.append(WebSecurity.cookie(Self.loginCSRFCookie, token, maxAge: nil, secure: secureCookies))
        }
        var data: [String: Any] = [
            "loginCSRF": token, "login": login,
            "next": WebSecurity.localNext(request.uri.queryParameters.get("next") ?? ""),
        ]
        if let error { data["error"] = error }
        if request.uri.queryParameters.get("bye") != nil { data["notice"] = env.t["signedOut"] }
        return render("signin.login", env, title: env.t["signInTitle"]!, status: status, data, cookies: cookies)
    }

    func signIn(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        var plain = env
        plain.session = nil  // the login form carries the pre-session token instead
        let form = try await self.form(request, context, plain)
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, WebSecurity.equal(form["csrf"], cookie) else {
            throw csrfError
        }
        let login = form["login"].trimmingCharacters(in: .whitespacesAndNewlines)
        let password = form["password"]
        let next = WebSecurity.localNext(form["next"])
        guard !login.isEmpty, login.count <= 200, password.count <= 1000 else {
            return try await loginPage(
                env, request, login: String(login.prefix(200)), error: env.t["badCredentials"], status: .unauthorized)
        }
        let source = signInSource(request, context)
        if let (seconds, reason) = throttle.begin(login: login, source: source) {
            let wait = Self.delayText(seconds)
            var response = try await loginPage(
                env, request, login: login,
                error: reason == .source
                    ? env.text(
                        "Trop de tentatives de connexion depuis votre adresse : réessayez dans \(wait.fr).",
                        "Too many sign-in attempts from your address: try again in \(wait.en).")
                    : env.text(
                        "Trop de tentatives pour cet identifiant depuis votre adresse : réessayez dans \(wait.fr).",
                        "Too many attempts for this login from your address: try again in \(wait.en)."),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        var settled = false
        defer { if !settled { throttle.abandon(login: login, source: source) } }
        let account = try await services.db.accountForSignIn(login: login)
        // Unknown logins cost one hash too (no enumeration by timing), through the same bounded pool.
        let hash = account?.passwordHash
        let ok: Bool
        do {
            ok = try await hasher.run {
                PasswordHash.verify(password, against: hash ?? Self.dummyHash) && hash != nil
            }
        } catch is PasswordHashingPool.Busy {
            return busyPage(env)
        }
        settled = true
        guard ok, let account else {
            throttle.recordFailure(login: login, source: source)
            try await services.db.recordFailedSignIn(login: login)
            return try await loginPage(
                env, request, login: login, error: env.t["badCredentials"], status: .unauthorized)
        }
        throttle.recordSuccess(login: login, source: source)
        let (token, _) = try await sessions.create(accountID: account.id)
        try await services.db.recordSignIn(accountID: account.id)
        let learnerNext = next.hasPrefix("/oauth/authorize?") ? next : "/portfolio"
        return redirect(
            account.role == .learner ? learnerNext : next,
            cookies: [
                WebSecurity.cookie(
                    WebSessionStore.cookieName, token, maxAge: Int(WebSessionStore.lifetime), secure: secureCookies),
                WebSecurity.cookie(Self.loginCSRFCookie, "", maxAge: 0, secure: secureCookies),
            ])
    }

    /// 503 with `Retry-After` when too many password hashes are already waiting.
    func busyPage(_ env: Env) -> Response {
        var response = errorPage(
            env, status: .serviceUnavailable,
            message: env.text(
                "Le service est très sollicité : réessayez dans quelques secondes.",
                "The service is very busy: try again in a few seconds."))
        response.headers[.retryAfter] = "2"
        return response
    }

    static let dummyHash =
        "scrypt$15$8$1$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000"

    func signOut(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context, env)
        if let token = env.sessionToken { try await sessions.delete(token: token) }
        return redirect(
            "/login?bye=1",
            cookies: [WebSecurity.cookie(WebSessionStore.cookieName, "", maxAge: 0, secure: secureCookies)])
    }

    // MARK: - Dashboard and issuers

    func dashboard(_ env: Env, _ request: Request) async throws -> Response {
        let issuers = try await allowedIssuers(env.user)
        let ids = issuers.map(\.id)
        let rows = try await services.db.trainerDashboard(issuerIDs: ids)
        let issuerData: [[String: Any]] = issuers.map { issuer in
            let badges: [[String: Any]] = rows.0.filter { $0.issuerID == issuer.id }.map { b in
                let c = rows.1[b.id] ?? AwardCounts(total: 0, revoked: 0)
                return ["id": b.id, "name": b.name, "awarded": c.total - c.revoked, "revoked": c.revoked]
            }
            return ["id": issuer.id, "name": issuer.name, "badges": badges, "hasBadges": !badges.isEmpty]
        }
        var data: [String: Any] = [
            "issuers": issuerData, "hasIssuers": !issuers.isEmpty, "displayName": env.user.displayName,
        ]
        if let created = request.uri.queryParameters.get("created"), let b = rows.0.first(where: { $0.id == created }) {
            data["created"] = env.text(
                "La classe de badge « \(b.name) » a été créée.", "Badge class \"\(b.name)\" created.")
        }
        return render("trainer.dashboard", env, title: env.t["dashboardTitle"]!, data)
    }

    func issuersPage(_ env: Env) async throws -> Response {
        let issuers = try await allowedIssuers(env.user)
        let all = try await services.db.allIssuers()
        let names = Dictionary(all.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let counts = try await services.db.badgeClassCountsByIssuer()
        let data: [[String: Any]] = issuers.map { i in
            var d: [String: Any] = [
                "id": i.id, "name": i.name, "url": i.url, "email": i.email, "profileURL": services.urls.issuer(i.id),
                "badgeCount": counts[i.id] ?? 0,
            ]
            if let p = i.parentID { d["parent"] = names[p] ?? p }
            return d
        }
        return render("trainer.issuers", env, title: env.t["issuersTitle"]!, ["issuers": data])
    }

    // MARK: - New badge class

    func newBadgePage(_ env: Env, _ request: Request, form: WebForm?, errors: [String: String], general: String? = nil)
        async throws -> Response
    {
        let issuers = try await allowedIssuers(env.user)
        guard !issuers.isEmpty else { throw PageError.forbidden() }
        let selected = form?["issuer"] ?? request.uri.queryParameters.get("issuer") ?? issuers[0].id
        var data: [String: Any] = [
            "issuers": issuers.map { ["id": $0.id, "name": $0.name, "selected": $0.id == selected] },
            "errors": errors, "hasErrors": !errors.isEmpty || general != nil,
        ]
        if let general { data["general"] = general }
        var values: [String: String] = [:]
        for f in ["id", "name", "description", "criteria", "criteriaURL", "tags", "validityDays"] {
            values[f] = form?[f] ?? ""
        }
        data["v"] = values
        data["picker"] = try alignmentPicker(env, form: form, current: [], error: errors["alignment"])
        data["refCSS"] = StaticAssets.href("referentials.css")
        return render(
            "trainer.badge-new", env, title: env.t["newBadgeTitle"]!,
            status: errors.isEmpty && general == nil ? .ok : .unprocessableContent, data)
    }

    func createBadge(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let issuerID = form["issuer"]
        guard mayAct(env.user, issuerID: issuerID) else { throw PageError.forbidden() }
        var errors: [String: String] = [:]
        var id = form["id"].trimmingCharacters(in: .whitespaces)
        if id.isEmpty {
            id = BadgeClassIDs.derived(issuerID: issuerID, name: form["name"]) ?? ""
            if id.isEmpty, !form["name"].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["id"] = Validation.underivableID().fieldMessage(english: env.english)
            }
        }
        let tags = form["tags"].split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        var validity: Int?
        if let v = form.optional("validityDays") {
            if let n = Int(v) {
                validity = n
            } else {
                errors["validityDays"] = env.text(
                    "Nombre entier de jours attendu.", "A whole number of days is expected.")
            }
        }
        let image = form.files["image"]
        if image == nil || image!.body.isEmpty {
            errors["image"] = env.text("Choisissez une image PNG ou SVG.", "Choose a PNG or SVG image.")
        }
        var alignment: [AlignmentRecord] = []
        do {
            alignment = try self.alignment(from: form, current: [])
        } catch let e as ServiceError where e.kind == .invalid {
            errors["alignment"] = e.fieldMessage(english: env.english)
        }
        if errors.isEmpty, let image {
            let record = BadgeClassRecord(
                id: id, issuerID: issuerID, name: form["name"].trimmingCharacters(in: .whitespacesAndNewlines),
                description: form["description"].trimmingCharacters(in: .whitespacesAndNewlines),
                criteriaNarrative: form["criteria"].trimmingCharacters(in: .whitespacesAndNewlines),
                criteriaURL: form.optional("criteriaURL"), imageData: Data(image.body), imageType: "png", tags: tags,
                alignment: alignment, validityDays: validity, createdAt: Date())
            do {
                _ = try await services.issuing.createBadgeClass(record, actor: env.user.id)
                return redirect("/trainer?created=" + WebForm.encode(id))
            } catch let e as ServiceError where e.kind != .serverError {
                let field: String? =
                    switch e.field {
                    case "criteria.narrative": "criteria"
                    case "criteria.id": "criteriaURL"
                    case let f?: ["id", "name", "description", "tags", "validityDays", "image"].contains(f) ? f : nil
                    case nil: nil
                    }
                if let field {
                    errors[field] = e.fieldMessage(english: env.english)
                } else {
                    return try await newBadgePage(
                        env, request, form: form, errors: errors, general: e.fieldMessage(english: env.english))
                }
            }
        }
        return try await newBadgePage(env, request, form: form, errors: errors)
    }

    // MARK: - Award one

    func badgeSummary(_ b: BadgeClassRecord, _ issuer: IssuerRecord) -> [String: Any] {
        [
            "id": b.id, "name": b.name, "description": b.description, "issuerName": issuer.name,
            "imageURL": "/badges/\(b.id)/image",
        ]
    }

    func awardPage(_ env: Env, badgeID: String, form: WebForm?, errors: [String: String], general: String? = nil)
        async throws -> Response
    {
        let (b, issuer) = try await badge(badgeID, for: env.user)
        var values: [String: String] = [:]
        for f in ["email", "name", "narrative", "expires", "evidence"] { values[f] = form?[f] ?? "" }
        let freshNonce = try SecureRandom.hex(byteCount: 16)
        values["nonce"] = form?["nonce"] ?? freshNonce
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer), "v": values, "errors": errors,
            "hasErrors": !errors.isEmpty || general != nil,
            "today": WebDates.todayParis(),
        ]
        if let d = b.validityDays {
            data["validity"] = env.text(
                "Sans date, le badge expire après \(d) jours.", "Without a date, the badge expires after \(d) days.")
        }
        if let general { data["general"] = general }
        return render(
            "trainer.award", env, title: env.t["awardTitle"]! + " — " + b.name,
            status: errors.isEmpty && general == nil ? .ok : .unprocessableContent, data)
    }

    func award(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user)
        var errors: [String: String] = [:]
        var expires: Date?
        if let e = form.optional("expires") {
            expires = WebDates.endOfDayParis(e)
            if expires == nil {
                errors["expires"] = env.text("Date invalide (AAAA-MM-JJ).", "Invalid date (YYYY-MM-DD).")
            }
        }
        let email = form["email"].trimmingCharacters(in: .whitespacesAndNewlines)
        if email.isEmpty { errors["email"] = env.text("Adresse électronique obligatoire.", "Email address required.") }
        var evidence: [EvidenceRecord] = []
        if let e = form.optional("evidence") { evidence = [EvidenceRecord(id: e)] }
        guard errors.isEmpty else { return try await awardPage(env, badgeID: badgeID, form: form, errors: errors) }
        let nonce = String(form["nonce"].prefix(64))
        let material = [
            nonce, badgeID, EmailNormalization.normalize(email), form["name"], form["narrative"], form["expires"],
            form["evidence"],
        ]
        .joined(separator: "\u{1F}")
        let awardRequest = AwardRequest(
            badgeClassID: badgeID, recipientEmail: email, recipientName: form.optional("name"),
            narrative: form.optional("narrative"),
            evidence: evidence, expires: expires,
            idempotencyKey: nonce.isEmpty ? nil : "web:" + SHA256Digest.hexHash(Array(material.utf8)))
        do {
            let (record, _) = try await services.issuing.award(awardRequest, actor: env.user.id)
            return redirect("/trainer/assertions/\(record.id)?awarded=1")
        } catch let e as ServiceError where e.kind == .invalid {
            let field: String? =
                switch e.field {
                case "recipient.email": "email"
                case "recipient.name": "name"
                case "narrative": "narrative"
                case "expires": "expires"
                case "evidence", "evidence.id": "evidence"
                default: nil
                }
            if let field { errors[field] = e.fieldMessage(english: env.english) }
            return try await awardPage(
                env, badgeID: badgeID, form: form, errors: errors,
                general: field == nil ? e.fieldMessage(english: env.english) : nil)
        }
    }

    // MARK: - Bulk award

    func bulkPage(_ env: Env, badgeID: String, error: String?, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let (b, issuer) = try await badge(badgeID, for: env.user)
        var data: [String: Any] = ["badge": badgeSummary(b, issuer)]
        if let error { data["error"] = error }
        return render("batch.bulk", env, title: env.t["bulkTitle"]! + " — " + b.name, status: status, data)
    }

    func bulkUpload(_ env: Env, _ request: Request, _ context: AppRequestContext, badgeID: String) async throws
        -> Response
    {
        let form = try await self.form(request, context, env)
        _ = try await badge(badgeID, for: env.user)
        var csv = form.files["csv"]?.body ?? []
        if csv.isEmpty { csv = Array(form["csvText"].utf8) }
        guard !csv.trimmingWhitespaceIsEmpty else {
            return try await bulkPage(
                env, badgeID: badgeID,
                error: env.text(
                    "Choisissez un fichier CSV ou collez son contenu.", "Choose a CSV file or paste its content."),
                status: .unprocessableContent)
        }
        let rows: [WebBatchRow]
        do {
            rows = try WebBatchBuilder.rows(csv: csv, badgeID: badgeID)
        } catch let e as CSVAwardReader.Failure {
            let location = e.line > 0 ? env.text("Ligne \(e.line) : ", "Line \(e.line): ") : ""
            return try await bulkPage(
                env, badgeID: badgeID, error: location + env.text(e.fr, e.en), status: .unprocessableContent)
        }
        let batch = WebBatch(
            id: try SecureRandom.hex(byteCount: 12), accountID: env.user.id, badgeID: badgeID, createdAt: Date(),
            rows: rows)
        await batches.add(batch)
        return try await batchView(env, batch)
    }

    func batchPage(_ env: Env, batchID: String) async throws -> Response {
        guard let batch = await batches.get(batchID) else { throw PageError.notFound() }
        guard batch.accountID == env.user.id else { throw PageError.forbidden() }
        return try await batchView(env, batch)
    }

    func batchView(_ env: Env, _ batch: WebBatch) async throws -> Response {
        let (b, issuer) = try await badge(batch.badgeID, for: env.user)
        let rows: [[String: Any]] = batch.rows.map { r in
            var d: [String: Any] = ["line": r.line, "email": r.email, "name": r.name]
            if let fr = r.errorFR { d["error"] = env.english ? (r.errorEN ?? fr) : fr } else { d["valid"] = true }
            switch r.outcome {
            case .pending: break
            case .created(let id):
                d["created"] = true
                d["assertionID"] = id
            case .existing(let id):
                d["existing"] = true
                d["assertionID"] = id
            case .failed(let fr, let en): d["failed"] = env.english ? en : fr
            }
            return d
        }
        let valid = batch.valid
        let created = batch.rows.filter { if case .created = $0.outcome { true } else { false } }.count
        let existing = batch.rows.filter { if case .existing = $0.outcome { true } else { false } }.count
        var data: [String: Any] = [
            "badge": badgeSummary(b, issuer), "batchID": batch.id, "rows": rows, "total": batch.rows.count,
            "validCount": valid,
            "invalidCount": batch.rows.count - valid, "processed": batch.processed, "createdCount": created,
            "existingCount": existing,
            "preview": batch.state == .preview, "running": batch.state == .running, "done": batch.state == .done,
            "canConfirm": batch.state == .preview && valid > 0, "progressMax": max(valid, 1),
        ]
        if batch.state == .running { data["refresh"] = "1" }
        let title =
            switch batch.state {
            case .preview: env.t["previewTitle"]!
            case .running: env.t["batchTitle"]!
            case .done: env.t["batchDoneTitle"]!
            }
        return render("batch.status", env, title: title, data)
    }

    func confirmBatch(_ env: Env, _ request: Request, _ context: AppRequestContext, batchID: String) async throws
        -> Response
    {
        _ = try await form(request, context, env)
        guard let batch = await batches.get(batchID) else { throw PageError.notFound() }
        guard batch.accountID == env.user.id else { throw PageError.forbidden() }
        _ = try await badge(batch.badgeID, for: env.user)
        if await batches.start(batchID) {
            let issuing = services.issuing
            let store = batches
            let actor = env.user.id
            Task {
                for (i, row) in batch.rows.enumerated() {
                    guard let req = row.request else { continue }
                    let outcome: WebBatchRow.Outcome
                    do {
                        let (record, created) = try await issuing.award(req, actor: actor)
                        outcome = created ? .created(record.id) : .existing(record.id)
                    } catch let e as ServiceError {
                        outcome = .failed(fr: e.fieldMessage(english: false), en: e.fieldMessage(english: true))
                    } catch {
                        outcome = .failed(fr: "erreur interne", en: "internal error")
                    }
                    await store.record(batchID, row: i, outcome: outcome)
                }
                await store.finish(batchID)
            }
        }
        return redirect("/trainer/batches/\(batchID)")
    }

    // MARK: - Assertions

    func assertionsPage(_ env: Env, _ request: Request) async throws -> Response {
        let issuers = try await allowedIssuers(env.user)
        let issuerIDs = issuers.map(\.id)
        let q = String((request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        let badgeFilter = request.uri.queryParameters.get("badge") ?? ""
        let state = request.uri.queryParameters.get("state") ?? "all"
        let pageNumber = max(1, min(100_000, Int(request.uri.queryParameters.get("page") ?? "1") ?? 1))
        let filter = TrainerAwardFilter(
            badgeClassID: badgeFilter, state: state == "active" ? .active : state == "revoked" ? .revoked : .all,
            search: q)
        let found = try await services.db.trainerAwards(
            issuerIDs: issuerIDs, filter: filter, page: pageNumber, pageSize: Self.pageSize)
        let (badges, total, items) = (found.badgeClasses, found.total, found.items)
        let badgeNames = Dictionary(badges.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = items.map { a in
            var d: [String: Any] = [
                "id": a.id, "email": a.recipientEmail, "badge": badgeNames[a.badgeClassID] ?? a.badgeClassID,
                "issued": WebDates.display(a.createdAt, english: env.english, time: false),
            ]
            if let n = a.recipientName, !n.isEmpty { d["name"] = n }
            if a.isRevoked { d["revoked"] = true }
            return d
        }
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        func link(_ p: Int) -> String {
            "/trainer/assertions?q=\(WebForm.encode(q))&badge=\(WebForm.encode(badgeFilter))&state=\(WebForm.encode(state))&page=\(p)"
        }
        var data: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "q": q, "total": total, "page": pageNumber, "pages": pages,
            "badges": badges.map { ["id": $0.id, "name": $0.name, "selected": $0.id == badgeFilter] },
            "stateAll": state != "active" && state != "revoked", "stateActive": state == "active",
            "stateRevoked": state == "revoked",
        ]
        if pageNumber > 1 { data["prev"] = link(pageNumber - 1) }
        if pageNumber < pages { data["next"] = link(pageNumber + 1) }
        return render("trainer.assertions", env, title: env.t["assertionsTitle"]!, data)
    }

    func assertionPage(_ env: Env, _ request: Request, id: String, reasonError: String?, reason: String = "")
        async throws -> Response
    {
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
        if request.uri.queryParameters.get("awarded") != nil { data["awarded"] = true }
        if request.uri.queryParameters.get("revokedNow") != nil { data["revokedNow"] = true }
        return render(
            "trainer.assertion", env, title: env.t["assertionTitle"]!,
            status: reasonError == nil ? .ok : .unprocessableContent, data)
    }

    func revoke(_ env: Env, _ request: Request, _ context: AppRequestContext, id: String) async throws -> Response {
        let form = try await self.form(request, context, env)
        let target = try await services.db.issuerIDOfAward(id: id)
        guard let issuerID = target else { throw PageError.notFound() }
        guard mayAct(env.user, issuerID: issuerID) else { throw PageError.forbidden() }
        do {
            _ = try await services.issuing.revoke(assertionID: id, reason: form["reason"], actor: env.user.id)
        } catch let e as ServiceError where e.kind == .invalid {
            return try await assertionPage(
                env, request, id: id, reasonError: e.fieldMessage(english: env.english), reason: form["reason"])
        }
        return redirect("/trainer/assertions/\(id)?revokedNow=1")
    }
}
