import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// Importing a badge into the backpack: a baked file, a web address or a pasted signed badge, verified first.
extension BackpackPages {
    /// `/backpack/import`: the three ways to import, with the refusal of the last attempt.
    func importPage(_ env: Env, error: String?, status: HTTPResponse.Status = .ok, form: WebForm? = nil) async throws
        -> Response
    {
        let me = try learner(env)
        var data: [String: Any] = [
            "emails": try await services.learnerEmails(accountID: me.id), "url": form?["url"] ?? "",
            "jws": form?["jws"] ?? "",
        ]
        if let error { data["error"] = error }
        return renderBackpack(
            "backpack.import", env, title: env.text("Importer un badge", "Import a badge"),
            status: error == nil ? .ok : status, data)
    }

    /// Imports a file, a web address or a signed badge; a refused badge shows on the form (422, 413 or 415).
    func importBadge(_ env: Env, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context, env)
        let me = try learner(env)
        let input: VerificationInput
        let source: BackpackBadgeRecord.Source
        var original: Data?
        var originalType: String?
        if let part = form.files["file"], !part.body.isEmpty {
            guard part.body.count <= Backpack.maxImportSize else {
                return try await importPage(
                    env, error: env.text("Fichier trop volumineux : 5 Mo au plus.", "File too large: 5 MiB at most."),
                    status: .contentTooLarge, form: form)
            }
            if BadgeImageFormat.detect(part.body) == nil, let type = Self.credentialType(part.body) {
                // An OB 3.0 credential file (JSON or VC-JWT), kept as it came.
                (input, source, original, originalType) = (.data(part.body), .file, Data(part.body), type)
            } else if let format = BadgeImageFormat.detect(part.body) {
                (input, source, original, originalType) = (.data(part.body), .file, Data(part.body), format.mimeType)
            } else {
                return try await importPage(
                    env,
                    error: env.text(
                        "Ce fichier n'est pas un badge : choisissez le fichier du badge tel que vous l'avez reçu (image PNG ou SVG, ou justificatif Open Badges 3.0 JSON ou JWT).",
                        "This file is not a badge: choose the badge's file as you received it (PNG or SVG image, or Open Badges 3.0 JSON or JWT credential)."
                    ),
                    status: .unsupportedMediaType, form: form)
            }
        } else if let url = form.optional("url") {
            do {
                input = try VerifyController.urlInput(url)
            } catch let e as ServiceError {
                return try await importPage(
                    env, error: env.language.text(e.message), status: .unprocessableContent, form: form)
            }
            source = .url
        } else if let jws = form.optional("jws") {
            guard jws.utf8.count <= 64 * 1024,
                CompactJWS.looksLikeJWS(jws.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                return try await importPage(
                    env,
                    error: env.text(
                        "Ce texte n'est pas un badge signé (JWS compact : trois parties séparées par des points).",
                        "This text is not a signed badge (compact JWS: three parts separated by dots)."),
                    status: .unprocessableContent, form: form)
            }
            (input, source) = (.text(jws), .jws)
        } else {
            return try await importPage(
                env,
                error: env.text(
                    "Choisissez un fichier, indiquez une adresse web ou collez un badge signé.",
                    "Choose a file, enter a web address or paste a signed badge."),
                status: .unprocessableContent, form: form)
        }
        do {
            let result = try await services.importToBackpack(
                learnerID: me.id, input: input, source: source, originalData: original, originalType: originalType)
            return redirect("/backpack?\(result.updated ? "updated" : "imported")=1#badge-\(result.record.id)")
        } catch let e as ServiceError where e.kind == .unprocessable {
            return try await importPage(
                env, error: env.language.text(e.message), status: .unprocessableContent, form: form)
        }
    }

    /// The media type of an OB 3.0 credential file: a JSON Verifiable Credential or a VC-JWT; nil otherwise.
    static func credentialType(_ bytes: [UInt8]) -> String? {
        guard let raw = String(validating: bytes, as: UTF8.self) else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("{") {
            guard let json = try? JSONValue(parsing: text), OB3Credential.isCredential(json) else { return nil }
            return "application/vc+ld+json"
        }
        return VCJWT(text: text) != nil ? "application/vc+jwt" : nil
    }
}
