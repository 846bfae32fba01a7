import Foundation
import Hummingbird
import InsigneStore
import OpenBadges

/// The staff of an issuer: `GET /issuers/{id}/members`, `POST` (invite with a role), `DELETE
/// /issuers/{id}/members/{memberId}` (remove one role). Administrators and the issuer's managers only; anyone else
/// gets 403 before anything about the issuer or the address is looked at.
extension AdminAPIController {
    var members: Members { Members(services: services) }

    /// The issuer at `{id}`, when the account may manage it (403 first, then 404 for an administrator).
    func managedIssuer(_ context: AppRequestContext) async throws -> (IssuerRecord, AccountRecord) {
        let id = try pathID(context)
        let account = try Access.requireIssuer(context, id, .manage)
        guard let issuer = try await issuing.issuer(id: id) else {
            throw ServiceError.notFound("Émetteur / issuer", id)
        }
        return (issuer, account)
    }

    func memberJSON(_ m: Members.Member) -> JSONValue {
        [
            "id": .string(m.membership.id), "accountId": .string(m.account.id),
            "email": .string(m.account.email ?? m.account.login), "name": .string(m.account.displayName),
            "role": .string(m.membership.role.rawValue), "issuerId": .string(m.membership.issuerID),
            "status": .string(m.status.rawValue), "createdAt": APIFormat.date(m.membership.createdAt),
        ]
    }

    func listMembers(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (issuer, _) = try await managedIssuer(context)
        let items = try await members.list(issuerID: issuer.id).map(memberJSON)
        return HTTP.json(["items": .array(items), "total": APIFormat.int(items.count)])
    }

    func addMember(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (issuer, account) = try await managedIssuer(context)
        let o = try JSONFields(try await APIBody.json(request, context: context))
        try o.allowOnly(["email", "name", "role"])
        let invitation = try await members.invite(
            issuer: issuer, email: try o.requiredString("email"), name: try o.requiredString("name"),
            role: try o.requiredString("role"), by: account)
        var json = memberJSON(invitation.member)
        if case .object(var fields) = json, let url = invitation.invitationURL {
            fields["invitationUrl"] = .string(url)
            json = .object(fields)
        }
        return Self.created(json, location: "\(urls.base)\(Self.prefix)/issuers/\(issuer.id)/members")
    }

    func removeMember(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (issuer, account) = try await managedIssuer(context)
        let memberID = try context.parameters.require("memberId")
        try await members.remove(issuerID: issuer.id, memberID: memberID, by: account)
        return Response(status: .noContent)
    }
}
