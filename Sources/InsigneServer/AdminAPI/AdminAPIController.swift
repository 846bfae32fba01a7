import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The admin REST API under `/api/v1` (bearer tokens). Every error is an RFC 9457 problem document in French and
/// English. `admin` accounts may do everything; `staff` accounts only for their issuer.
struct AdminAPIController: Sendable {
    let services: ServerServices
    /// Progress of background batches (in memory).
    let batches: BatchRegistry

    init(services: ServerServices) {
        self.services = services
        self.batches = BatchRegistry()
    }

    /// The URL prefix of the API.
    static let prefix = "/api/v1"
    /// Batches with more rows than this run in the background (202 + progress).
    static let synchronousBatchLimit = 100

    /// Every API operation: the table used to register the routes and checked against `Schemas/openapi.json`.
    enum Endpoint: String, CaseIterable, Sendable {
        case listIssuers, createIssuer, getIssuer, updateIssuer, rotateIssuerKey
        case createBadgeClass, listBadgeClasses, getBadgeClass, updateBadgeClass, deleteBadgeClass
        case createAssertion, createAssertionBatch, getBatch
        case listAssertions, getAssertion, revokeAssertion, renewAssertion, notifyAssertion, issueAssertionOB3
        case replaceBadgeAlignment, updateBadgeAlignment
        case listReferentials, importReferential, getReferential, generateReferentialBadges, searchCompetencies
        case listPeople, importPeople, getCompliance, getComplianceCSV
        case listMembers, addMember, removeMember

        var method: HTTPRequest.Method {
            switch self {
            case .listIssuers, .getIssuer, .listBadgeClasses, .getBadgeClass, .getBatch, .listAssertions, .getAssertion,
                .listReferentials, .getReferential, .searchCompetencies, .listPeople, .getCompliance, .getComplianceCSV,
                .listMembers:
                .get
            case .replaceBadgeAlignment: .put
            case .updateBadgeAlignment, .updateBadgeClass, .updateIssuer: .patch
            case .deleteBadgeClass, .removeMember: .delete
            default: .post
            }
        }

        /// The path under `/api/v1`, in OpenAPI form (`{id}`).
        var path: String {
            switch self {
            case .listIssuers, .createIssuer: "/issuers"
            case .getIssuer, .updateIssuer: "/issuers/{id}"
            case .rotateIssuerKey: "/issuers/{id}/keys/rotate"
            case .createBadgeClass: "/issuers/{id}/badges"
            case .listBadgeClasses: "/badges"
            case .getBadgeClass, .updateBadgeClass, .deleteBadgeClass: "/badges/{id}"
            case .createAssertion: "/badges/{id}/assertions"
            case .createAssertionBatch: "/badges/{id}/assertions/batch"
            case .getBatch: "/batches/{id}"
            case .listAssertions: "/assertions"
            case .getAssertion: "/assertions/{id}"
            case .revokeAssertion: "/assertions/{id}/revoke"
            case .renewAssertion: "/assertions/{id}/renew"
            case .notifyAssertion: "/assertions/{id}/notify"
            case .issueAssertionOB3: "/assertions/{id}/ob3"
            case .replaceBadgeAlignment, .updateBadgeAlignment: "/badges/{id}/alignment"
            case .listReferentials, .importReferential: "/referentials"
            case .getReferential: "/referentials/{id}"
            case .generateReferentialBadges: "/referentials/{id}/badges"
            case .searchCompetencies: "/competencies"
            case .listPeople, .importPeople: "/issuers/{id}/people"
            case .getCompliance: "/issuers/{id}/compliance"
            case .getComplianceCSV: "/issuers/{id}/compliance.csv"
            case .listMembers, .addMember: "/issuers/{id}/members"
            case .removeMember: "/issuers/{id}/members/{memberId}"
            }
        }

        /// The Hummingbird form of the path (`:id`), relative to the group.
        var routerPath: String {
            path.replacingOccurrences(of: "{id}", with: ":id").replacingOccurrences(of: "{memberId}", with: ":memberId")
                .dropFirst().description
        }
    }

    /// Adds every `Endpoint` to the `api` group (bearer token, problem documents).
    func addRoutes(to routes: AppRoutes) {
        for endpoint in Endpoint.allCases {
            routes.api.on(RouterPath(endpoint.routerPath), method: endpoint.method) { request, context -> Response in
                try await self.handle(endpoint, request, context)
            }
        }
    }

    func handle(_ endpoint: Endpoint, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        switch endpoint {
        case .listIssuers: try await listIssuers(request, context)
        case .createIssuer: try await createIssuer(request, context)
        case .getIssuer: try await getIssuer(request, context)
        case .updateIssuer: try await updateIssuer(request, context)
        case .rotateIssuerKey: try await rotateKey(request, context)
        case .createBadgeClass: try await createBadgeClass(request, context)
        case .listBadgeClasses: try await listBadgeClasses(request, context)
        case .getBadgeClass: try await getBadgeClass(request, context)
        case .updateBadgeClass: try await updateBadgeClass(request, context)
        case .deleteBadgeClass: try await deleteBadgeClass(request, context)
        case .createAssertion: try await createAssertion(request, context)
        case .createAssertionBatch: try await createBatch(request, context)
        case .getBatch: try await getBatch(request, context)
        case .listAssertions: try await listAssertions(request, context)
        case .getAssertion: try await getAssertion(request, context)
        case .revokeAssertion: try await revoke(request, context)
        case .renewAssertion: try await renew(request, context)
        case .notifyAssertion: try await resendNotification(request, context)
        case .issueAssertionOB3: try await issueOB3(request, context)
        case .replaceBadgeAlignment, .updateBadgeAlignment: try await changeAlignment(endpoint, request, context)
        case .listReferentials: try await listReferentials(request, context)
        case .importReferential: try await importReferential(request, context)
        case .getReferential: try await getReferential(request, context)
        case .generateReferentialBadges: try await generateBadges(request, context)
        case .searchCompetencies: try await searchCompetencies(request, context)
        case .listPeople: try await ComplianceController(services: services).listPeople(request, context)
        case .importPeople: try await ComplianceController(services: services).importPeople(request, context)
        case .getCompliance: try await ComplianceController(services: services).getCompliance(request, context)
        case .getComplianceCSV: try await ComplianceController(services: services).getComplianceCSV(request, context)
        case .listMembers: try await listMembers(request, context)
        case .addMember: try await addMember(request, context)
        case .removeMember: try await removeMember(request, context)
        }
    }

    var issuing: IssuingService { services.issuing }
    var urls: PublicURLs { services.urls }

    func pathID(_ context: AppRequestContext) throws -> String {
        try context.parameters.require("id")
    }

    static func created(_ value: JSONValue, location: String) -> Response {
        var r = HTTP.json(value, status: .created)
        r.headers[.location] = location
        return r
    }

    // MARK: Issuers

    func issuerJSON(_ i: IssuerRecord, keys: [SigningKeyRecord]) -> JSONValue {
        [
            "id": .string(i.id), "name": .string(i.name), "url": .string(i.url), "email": .string(i.email),
            "description": APIFormat.optional(i.description), "parent": APIFormat.optional(i.parentID),
            "profileUrl": .string(urls.issuer(i.id)), "revocationList": .string(urls.revocationList(i.id)),
            "image": i.imageData == nil ? .null : .string(urls.issuerImage(i.id)),
            "keys": .array(keys.map(keyJSON)), "createdAt": APIFormat.date(i.createdAt),
        ]
    }

    func keyJSON(_ k: SigningKeyRecord) -> JSONValue {
        [
            "id": .string(k.id), "url": .string(urls.key(k.id)), "algorithm": .string(k.algorithm),
            "createdAt": APIFormat.date(k.createdAt), "retiredAt": k.retiredAt.map(APIFormat.date) ?? .null,
            "active": .bool(k.retiredAt == nil),
        ]
    }

    func listIssuers(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Access.account(context)
        var items: [JSONValue] = []
        for i in try await issuing.issuers() where Access.may(account, issuer: i.id, .review) {
            items.append(issuerJSON(i, keys: try await issuing.keys(issuerID: i.id)))
        }
        return HTTP.json(["items": .array(items), "total": APIFormat.int(items.count)])
    }

    func getIssuer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try pathID(context)
        guard let issuer = try await issuing.issuer(id: id) else {
            throw ServiceError.notFound("Émetteur / issuer", id)
        }
        try Access.requireIssuer(context, id, .review)
        return HTTP.json(issuerJSON(issuer, keys: try await issuing.keys(issuerID: id)))
    }

    func createIssuer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Access.requireAdmin(context)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(["id", "name", "url", "email", "description", "image", "parent"])
        let name = try o.requiredString("name")
        let id = try o.optionalString("id") ?? BadgeClassIDs.requiredIssuerID(name: name)
        let url = try o.requiredString("url")
        let email = try o.requiredString("email")
        let description = try o.optionalString("description")
        var imageData: Data?
        var imageType: String?
        if let image = try o.optionalString("image") {
            (imageData, imageType) = try Validation.badgeImage(try APIFormat.imageDataURI(image, field: "image"))
        }
        let parent = try o.optionalString("parent")
        if let parent, try await issuing.issuer(id: parent) == nil {
            throw Validation.invalid(
                "parent", fr: "émetteur parent inconnu : \(parent)", en: "unknown parent issuer: \(parent)")
        }
        let record = IssuerRecord(
            id: id, parentID: parent, name: name, url: url, email: email, description: description,
            imageData: imageData,
            imageType: imageType, createdAt: Date())
        let issuer = try await issuing.createIssuer(record, actor: account.id)
        return Self.created(issuerJSON(issuer, keys: try await issuing.keys(issuerID: id)), location: urls.issuer(id))
    }

    func rotateKey(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Access.requireAdmin(context)
        let id = try pathID(context)
        guard try await issuing.issuer(id: id) != nil else { throw ServiceError.notFound("Émetteur / issuer", id) }
        let key = try await issuing.rotateKey(issuerID: id, actor: account.id)
        let keys = try await issuing.keys(issuerID: id)
        return HTTP.json(["issuer": .string(id), "key": keyJSON(key), "keys": .array(keys.map(keyJSON))])
    }

    // MARK: Badge classes

    func badgeJSON(_ b: BadgeClassRecord) -> JSONValue {
        [
            "id": .string(b.id), "url": .string(urls.badgeClass(b.id)), "issuer": .string(b.issuerID),
            "issuerUrl": .string(urls.issuer(b.issuerID)), "name": .string(b.name),
            "description": .string(b.description),
            "criteria": ["narrative": .string(b.criteriaNarrative), "id": APIFormat.optional(b.criteriaURL)],
            "image": .string(urls.badgeImage(b.id)), "imageType": .string(b.imageType),
            "tags": .array(b.tags.map(JSONValue.string)),
            "alignment": .array(
                b.alignment.map {
                    [
                        "targetName": .string($0.targetName), "targetUrl": .string($0.targetUrl),
                        "targetDescription": APIFormat.optional($0.targetDescription),
                        "targetFramework": APIFormat.optional($0.targetFramework),
                        "targetCode": APIFormat.optional($0.targetCode),
                    ]
                }),
            "validity": APIFormat.optional(b.validity), "reminders": .array(b.reminderDays.map(APIFormat.int)),
            "createdAt": APIFormat.date(b.createdAt),
            "archived": .bool(b.isArchived), "archivedAt": b.archivedAt.map(APIFormat.date) ?? .null,
        ]
    }

    /// Alignment entries: full OB objects, or references `{"framework": "dees-2007", "code": "DC1.1.1"}`.
    static func alignment(_ items: [JSONFields]) throws -> [AlignmentInput] {
        try items.map { a in
            if a.object["framework"] != nil || a.object["code"] != nil {
                try a.allowOnly(["framework", "code"])
                return .reference(framework: try a.requiredString("framework"), code: try a.requiredString("code"))
            }
            try a.allowOnly(["targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode"])
            return .object(
                AlignmentRecord(
                    targetName: try a.requiredString("targetName"), targetUrl: try a.requiredString("targetUrl"),
                    targetDescription: try a.optionalString("targetDescription"),
                    targetFramework: try a.optionalString("targetFramework"),
                    targetCode: try a.optionalString("targetCode")))
        }
    }

    func createBadgeClass(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let issuerID = try pathID(context)
        guard try await issuing.issuer(id: issuerID) != nil else {
            throw ServiceError.notFound("Émetteur / issuer", issuerID)
        }
        let account = try Access.requireIssuer(context, issuerID, .manage)
        let mediaType = APIBody.mediaType(request)
        var badge: BadgeClassRecord
        var alignment: [AlignmentInput]
        if mediaType == "multipart/form-data" {
            let form = try MultipartForm(
                body: try await APIBody.bytes(request, context: context),
                contentType: request.headers[.contentType] ?? "")
            (badge, alignment) = try Self.badge(form: form, issuerID: issuerID)
        } else if APIBody.isJSON(mediaType) {
            (badge, alignment) = try Self.badge(
                json: try await APIBody.json(request, context: context), issuerID: issuerID)
        } else {
            throw ServiceError.unsupportedMediaType("application/json, multipart/form-data")
        }
        badge.alignment = try resolveAlignment(alignment)
        badge.createdAt = Date()
        let created = try await issuing.createBadgeClass(badge, actor: account.id)
        return Self.created(badgeJSON(created), location: urls.badgeClass(created.id))
    }

    /// The badge class of a JSON body (alignment left empty) and its alignment entries, still to resolve.
    static func badge(json: JSONValue, issuerID: String) throws -> (BadgeClassRecord, [AlignmentInput]) {
        let o = try JSONFields(json)
        try o.allowOnly([
            "id", "name", "description", "criteria", "image", "tags", "alignment", "validity", "reminders",
        ])
        let name = try o.requiredString("name")
        var narrative: String
        var criteriaURL: String?
        if case .string(let s)? = o.object["criteria"] {
            narrative = s
        } else {
            guard let c = try o.nested("criteria") else { throw JSONFields.missing("criteria") }
            try c.allowOnly(["narrative", "id"])
            narrative = try c.requiredString("narrative")
            criteriaURL = try c.optionalString("id")
        }
        guard let image = try o.optionalString("image") else { throw JSONFields.missing("image") }
        let badge = BadgeClassRecord(
            id: try o.optionalString("id") ?? BadgeClassIDs.required(issuerID: issuerID, name: name),
            issuerID: issuerID, name: name,
            description: try o.requiredString("description"), criteriaNarrative: narrative, criteriaURL: criteriaURL,
            imageData: try APIFormat.imageDataURI(image, field: "image"), imageType: "",
            tags: try o.stringArray("tags") ?? [], validity: try o.optionalString("validity"),
            reminderDays: o.object["reminders"] == nil ? ReminderDays.defaults : try reminders(o), createdAt: Date())
        return (badge, try alignment(o.objectArray("alignment") ?? []))
    }

    static let formFields: Set<String> = [
        "id", "name", "description", "criteria", "criteria.narrative", "criteriaNarrative", "criteria.id",
        "criteriaUrl",
        "image", "tags", "tags[]", "alignment", "validity", "reminders",
    ]

    /// The badge class of a multipart body (alignment left empty) and its alignment entries, still to resolve.
    static func badge(form: MultipartForm, issuerID: String) throws -> (BadgeClassRecord, [AlignmentInput]) {
        if let unknown = form.parts.first(where: { !formFields.contains($0.name) }) {
            throw Validation.invalid(
                unknown.name, fr: "champ de formulaire inconnu", en: "unknown form field")
        }
        for p in form.parts where p.name != "image" && p.body.count > 64 * 1024 {
            throw Validation.invalid(p.name, fr: "champ trop long", en: "field too long")
        }
        guard let name = form.field("name") else { throw JSONFields.missing("name") }
        guard let description = form.field("description") else { throw JSONFields.missing("description") }
        guard
            let narrative = form.field("criteria.narrative") ?? form.field("criteriaNarrative")
                ?? form.field("criteria")
        else { throw JSONFields.missing("criteria.narrative") }
        let imageData: Data
        if let part = form.part("image"), part.filename != nil || !part.text.hasPrefix("data:") {
            guard !part.body.isEmpty else { throw JSONFields.missing("image") }
            guard part.body.count <= Validation.maxImageBytes else {
                throw ServiceError(
                    .tooLarge, field: "image", fr: "image trop volumineuse (2 Mo au plus)",
                    en: "image too large (2 MiB at most)")
            }
            imageData = Data(part.body)
        } else if let uri = form.field("image") {
            imageData = try APIFormat.imageDataURI(uri, field: "image")
        } else {
            throw JSONFields.missing("image")
        }
        var tags: [String] = []
        for p in form.all("tags") + form.all("tags[]") {
            tags += p.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var alignment: [AlignmentInput] = []
        if let a = form.field("alignment") {
            let value = try JSONValue(parsing: a)
            guard case .array = value else {
                throw JSONFields.wrongType("alignment", expected: "array", got: value.typeName)
            }
            alignment = try Self.alignment(try JSONFields(["alignment": value]).objectArray("alignment") ?? [])
        }
        let reminders = try form.field("reminders").map { try ReminderDays.parse($0) } ?? ReminderDays.defaults
        let badge = BadgeClassRecord(
            id: try form.field("id") ?? BadgeClassIDs.required(issuerID: issuerID, name: name), issuerID: issuerID,
            name: name,
            description: description,
            criteriaNarrative: narrative, criteriaURL: form.field("criteria.id") ?? form.field("criteriaUrl"),
            imageData: imageData, imageType: "", tags: tags, validity: form.field("validity"),
            reminderDays: reminders, createdAt: Date())
        return (badge, alignment)
    }

    func listBadgeClasses(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Access.account(context)
        let issuerID = request.uri.queryParameters.get("issuer")
        if let i = issuerID {
            guard try await issuing.issuer(id: i) != nil else { throw ServiceError.notFound("Émetteur / issuer", i) }
            try Access.requireIssuer(context, i, .review)
        }
        // Staff: the badge classes of the issuers where they hold a role.
        var badges = try await issuing.badgeClasses(issuerID: issuerID)
        if let mine = Access.staff(context).issuerIDs(for: .review) {
            badges = badges.filter { mine.contains($0.issuerID) }
        }
        let items = badges.map(badgeJSON)
        return HTTP.json(["items": .array(items), "total": APIFormat.int(items.count)])
    }

    /// The badge class at `{id}`, when the account may do `action` for its issuer (404, 403).
    func badgeClass(_ context: AppRequestContext, _ action: StaffAction = .award) async throws -> BadgeClassRecord {
        let id = try pathID(context)
        guard let badge = try await issuing.badgeClass(id: id) else {
            throw ServiceError.notFound("Classe de badge / badge class", id)
        }
        try Access.requireIssuer(context, badge.issuerID, action)
        return badge
    }

    func getBadgeClass(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        HTTP.json(badgeJSON(try await badgeClass(context, .review)))
    }

    // MARK: Awards

    func assertionJSON(_ a: AssertionRecord, jws: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(a.id), "badge": .string(a.badgeClassID), "badgeUrl": .string(urls.badgeClass(a.badgeClassID)),
            "recipient": ["email": .string(a.recipientEmail), "name": APIFormat.optional(a.recipientName)],
            "issuedOn": .string(a.issuedOn), "expires": APIFormat.optional(a.expires),
            "narrative": APIFormat.optional(a.narrative),
            "revoked": .bool(a.isRevoked), "revokedAt": a.revokedAt.map(APIFormat.date) ?? .null,
            "revocationReason": APIFormat.optional(a.revocationReason), "url": .string(urls.assertion(a.id)),
            "png": .string(urls.assertionPNG(a.id)), "svg": .string(urls.assertionSVG(a.id)),
            "renewalOf": APIFormat.optional(a.renewalOf), "renewedBy": APIFormat.optional(a.renewedBy),
            "ob3": ob3Links(a.id),
        ]
        if jws {
            o["jws"] = .string(a.jws)
            o["evidence"] = .array(
                a.evidence.map {
                    [
                        "id": APIFormat.optional($0.id), "name": APIFormat.optional($0.name),
                        "narrative": APIFormat.optional($0.narrative),
                        "description": APIFormat.optional($0.description),
                        "genre": APIFormat.optional($0.genre),
                    ]
                })
        }
        return .object(o)
    }

    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func createAssertion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let badge = try await badgeClass(context)
        let account = try Access.account(context)
        var row = try BatchAwarding.row(
            fromJSON: try await APIBody.json(request, context: context), line: 1, allowKey: false)
        if let key = request.headers[Self.idempotencyHeader] {
            try Validation.text(key, field: "Idempotency-Key", max: 200)
            row.idempotencyKey = key
        }
        var award = try BatchAwarding.awardRequest(row, badgeID: badge.id)
        award.renewExpiring = false  // renewing is explicit here: POST /assertions/{id}/renew
        if row.idempotencyKey == nil { award.idempotencyKey = nil }
        let (record, created) = try await issuing.award(award, actor: account.id)
        if !created, record.recipientEmail != EmailNormalization.normalize(row.email) {
            throw ServiceError(
                .conflict, field: "Idempotency-Key",
                fr: "cette clé d'idempotence a déjà servi pour une autre attribution",
                en: "this idempotency key was already used for a different award")
        }
        if created, row.notify { await Notifier(services: services).awarded([record], actor: account.id) }
        if created { return Self.created(assertionJSON(record, jws: true), location: urls.assertion(record.id)) }
        var r = HTTP.json(assertionJSON(record, jws: true))
        r.headers[.location] = urls.assertion(record.id)
        return r
    }

    /// The award at `{id}`, when the account may see it (404, 403).
    func assertion(_ context: AppRequestContext) async throws -> AssertionRecord {
        let id = try pathID(context)
        guard let a = try await issuing.assertion(id: id) else { throw ServiceError.notFound("Assertion", id) }
        let badge = try await issuing.badgeClass(id: a.badgeClassID)
        try Access.requireIssuer(context, badge?.issuerID ?? "")
        return a
    }

    func getAssertion(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        HTTP.json(assertionJSON(try await assertion(context), jws: true))
    }

    func revoke(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let a = try await assertion(context)
        let account = try Access.account(context)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(["reason"])
        let reason = try o.requiredString("reason")
        let revoked = try await issuing.revoke(assertionID: a.id, reason: reason, actor: account.id)
        if !a.isRevoked { await Notifier(services: services).revoked(revoked) }
        return HTTP.json(assertionJSON(revoked, jws: false))
    }

    // MARK: Batches

    func createBatch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let badge = try await badgeClass(context)
        try IssuingService.requireAwardable(badge)
        let account = try Access.account(context)
        let dryRun = try APIFormat.queryBool(request, "dryRun") ?? false
        let notify = try APIFormat.queryBool(request, "notify") ?? true
        let mediaType = APIBody.mediaType(request)
        let rows: [BatchRow]
        switch mediaType {
        case "text/csv", "application/csv", "text/comma-separated-values":
            rows = try BatchAwarding.parseCSV(
                try await APIBody.bytes(request, context: context), contentType: request.headers[.contentType])
        case "multipart/form-data":
            let form = try MultipartForm(
                body: try await APIBody.bytes(request, context: context),
                contentType: request.headers[.contentType] ?? "")
            guard let file = form.part("file") ?? form.part("csv") else { throw JSONFields.missing("file") }
            rows = try BatchAwarding.parseCSV(file.body, contentType: file.contentType)
        case let m where APIBody.isJSON(m):
            rows = try BatchAwarding.rows(fromJSON: try await APIBody.json(request, context: context))
        default:
            throw ServiceError.unsupportedMediaType("application/json, text/csv, multipart/form-data")
        }
        guard !rows.isEmpty else {
            throw ServiceError(.invalid, fr: "le lot ne contient aucune ligne", en: "the batch has no rows")
        }
        let runner = BatchAwarding(issuing: issuing, urls: urls)
        if rows.count > Self.synchronousBatchLimit, !dryRun {
            let registry = batches
            let state = await registry.start(accountID: account.id, badgeID: badge.id, total: rows.count)
            let batchID = state.id
            Task {
                let results = await runner.run(rows: rows, badgeID: badge.id, dryRun: false, actor: account.id) {
                    result in await registry.record(batchID, result)
                }
                await notifyBatch(rows, results, notify: notify, actor: account.id)
                await registry.finish(batchID)
            }
            var r = HTTP.json(batchJSON(state), status: .accepted)
            r.headers[.location] = "\(urls.base)\(Self.prefix)/batches/\(batchID)"
            return r
        }
        let results = await runner.run(rows: rows, badgeID: badge.id, dryRun: dryRun, actor: account.id)
        if !dryRun { await notifyBatch(rows, results, notify: notify, actor: account.id) }
        return HTTP.json([
            "badge": .string(badge.id), "dryRun": .bool(dryRun), "total": APIFormat.int(results.count),
            "created": APIFormat.int(results.count(where: { $0.status == .created })),
            "skipped": APIFormat.int(results.count(where: { $0.status == .skipped })),
            "errors": APIFormat.int(results.count(where: { $0.status == .error })), "done": true,
            "rows": .array(results.map(\.json)),
        ])
    }

    func batchJSON(_ s: BatchRegistry.State) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(s.id), "badge": .string(s.badgeID), "total": APIFormat.int(s.total),
            "processed": APIFormat.int(s.processed), "created": APIFormat.int(s.created),
            "skipped": APIFormat.int(s.skipped), "errors": APIFormat.int(s.errors), "done": .bool(s.done),
            "startedAt": APIFormat.date(s.startedAt), "finishedAt": s.finishedAt.map(APIFormat.date) ?? .null,
        ]
        if s.done { o["rows"] = .array(s.rows.sorted { $0.line < $1.line }.map(\.json)) }
        return .object(o)
    }

    func getBatch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try Access.account(context)
        let id = try pathID(context)
        guard let state = await batches.state(id), account.role == .admin || state.accountID == account.id else {
            throw ServiceError.notFound("Lot / batch", id)
        }
        return HTTP.json(batchJSON(state))
    }
}
