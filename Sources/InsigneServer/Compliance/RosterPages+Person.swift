import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// One person of the roster: the edit form, saving it, leaving and coming back.
extension RosterPages {
    /// The edit form of a person (404 when not on this establishment's roster).
    func editPage(
        _ env: Env, issuerID: String, personID: String, error: String? = nil, form: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let issuer = try await establishment(env, issuerID)
        guard let p = try await services.db.person(id: personID, issuerID: issuer.id) else {
            throw PageError.notFound()
        }
        var row = personRow(p, env)
        row["emailsText"] = p.emails.joined(separator: "\n")
        var data: [String: Any] = [
            "r": RosterText.table(env.english), "issuer": ["id": issuer.id, "name": issuer.name], "person": row,
        ]
        if let form { data["person"] = row.merging(form) { _, new in new } }
        if let error { data["error"] = error }
        let title = RosterText.table(env.english)["editTitle"]! + " — " + p.person.displayName
        return render("compliance.person", env, title: title, status: status, data)
    }

    /// Saves the edit form; back to the list.
    func save(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String, personID: String)
        async throws -> Response
    {
        let form = try await self.form(request, context, env)
        let issuer = try await establishment(env, issuerID)
        let (person, emails, errors) = personForm(form, issuerID: issuer.id)
        var problem = errors.values.first
        if problem == nil {
            switch try await services.db.savePerson(id: personID, person, emails: emails, now: services.clock()) {
            case .saved: break
            case .notFound: throw PageError.notFound()
            case .emailTaken(let e): problem = e
            }
        }
        guard let problem else {
            return redirect("/trainer/issuers/\(issuer.id)/people?q=" + WebForm.encode(emails[0]))
        }
        return try await editPage(
            env, issuerID: issuer.id, personID: personID, error: message(problem, env),
            form: [
                "firstName": form["firstName"], "lastName": form["lastName"], "emailsText": form["emails"],
                "externalID": form["externalID"],
            ], status: .unprocessableContent)
    }

    /// « A quitté l'établissement » (`action=left`) or « Revenu » (`action=back`); back to the list.
    func leave(_ env: Env, _ request: Request, _ context: AppRequestContext, issuerID: String, personID: String)
        async throws -> Response
    {
        let form = try await self.form(request, context, env)
        let issuer = try await establishment(env, issuerID)
        let now = services.clock()
        let leftAt: Date? = form["action"] == "back" ? nil : now
        guard try await services.db.setPersonLeft(id: personID, issuerID: issuer.id, leftAt: leftAt, now: now) else {
            throw PageError.notFound()
        }
        return redirect("/trainer/issuers/\(issuer.id)/people?left=1")
    }
}
