import Foundation
import Hummingbird
import InsigneStore
import OpenBadges

/// `POST /assertions/{id}/renew`: a new award of the same badge class to the same recipient, issued now, expiring
/// after the badge class's current validity, linked both ways (`renewalOf` / `renewedBy`); the earlier award is not
/// revoked. 201 with the new award (as the award endpoint answers); with an `Idempotency-Key` already used for this
/// award, 200 with the first renewal. 409 for a revoked award, or one already renewed (the message names the
/// newest award: renew that one).
extension AdminAPIController {
    func renew(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let a = try await assertion(context)
        let account = try Access.account(context)
        var evidence: [EvidenceRecord] = []
        var narrative: String?
        let bytes = try await APIBody.bytes(request, context: context)
        if bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) {
            guard APIBody.isJSON(APIBody.mediaType(request)) else {
                throw ServiceError.unsupportedMediaType("application/json")
            }
            let json = try JSONValue(parsing: bytes, maxDepth: 32)
            let row = try BatchAwarding.row(
                fromJSON: Self.withRecipient(json, email: a.recipientEmail), line: 1, allowKey: false)
            evidence = row.evidence
            narrative = row.narrative
        }
        var key: String?
        if let k = request.headers[Self.idempotencyHeader] {
            try Validation.text(k, field: "Idempotency-Key", max: 200)
            key = k
        }
        let (record, created) = try await issuing.renew(
            assertionID: a.id, evidence: evidence, narrative: narrative, idempotencyKey: key, actor: account.id,
            issuedOn: services.clock())
        if created { return Self.created(assertionJSON(record, jws: true), location: urls.assertion(record.id)) }
        var r = HTTP.json(assertionJSON(record, jws: true))
        r.headers[.location] = urls.assertion(record.id)
        return r
    }

    /// The renewal body (`{"evidence": [...], "narrative": "..."}`, nothing else) with the recipient added, so it
    /// reads like an award body; a body that is not an object is refused.
    static func withRecipient(_ json: JSONValue, email: String) throws -> JSONValue {
        guard case .object(var o) = json else {
            throw JSONFields.wrongType("body", expected: "object", got: json.typeName)
        }
        let fields = try JSONFields(json)
        try fields.allowOnly(["evidence", "narrative"])
        o["recipient"] = ["email": .string(email)]
        return .object(o)
    }
}
