import Foundation
import Hummingbird
import OpenBadges

/// The OB 3.0 forms of awards in the Admin API (issue 13 point 4).
extension AdminAPIController {
    /// `"ob3": {"json", "jwt", "png", "svg"}`: absolute URLs of the award's OB 3.0 forms.
    func ob3Links(_ assertionID: String) -> JSONValue {
        [
            "json": .string(urls.ob3Credential(assertionID)), "jwt": .string(urls.ob3CredentialJWT(assertionID)),
            "png": .string(urls.ob3CredentialPNG(assertionID)), "svg": .string(urls.ob3CredentialSVG(assertionID)),
        ]
    }

    /// `POST /assertions/{id}/ob3`: makes the OB 3.0 form of an existing award (201), or says it exists (200).
    func issueOB3(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let a = try await assertion(context)
        let account = try Access.account(context)
        let (_, created) = try await issuing.issueOB3(assertionID: a.id, actor: account.id)
        if created { return Self.created(assertionJSON(a, jws: false), location: urls.ob3Credential(a.id)) }
        return HTTP.json(assertionJSON(a, jws: false))
    }
}
