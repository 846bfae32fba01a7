import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadgesCrypto
import OpenBadgesPDF

/// Serves `GET /assertions/{id}/certificate.pdf[?lang=en]`: the award's certificate of achievement (French unless
/// `lang=en`), 404 when unknown, 410 with the reason when revoked. The recipient's name is personal data: it is
/// printed only for the recipient (a learner with that address) and the issuer's staff; anyone else gets the same
/// certificate with « Titulaire du badge », which verifies the same way. The PDF carries the OB 2.0 assertion
/// (`assertion.jws`) and the OB 3.0 credential (`open-badge-credential.jwt`).
struct CertificateController: Sendable {
    let services: ServerServices

    /// Adds the routes to the `open` group.
    func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        router.get("/assertions/:id/certificate.pdf") { request, context in
            try await self.serve(request, context: context)
        }
        router.head("/assertions/:id/certificate.pdf") { request, context in
            let r = try await self.serve(request, context: context)
            return Response(status: r.status, headers: r.headers)
        }
    }

    func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let language: CertificateContent.Language =
            request.uri.queryParameters.get("lang") == "en" ? .en : .fr
        let factory = CertificateFactory(
            db: services.db, urls: services.urls, signer: services.configuration.certificateSigner)
        let named = try await viewerMayReadName(request, assertionID: id)
        // An award made before OB 3.0 issuing gets its OB 3.0 form now, so that the PDF carries both forms.
        if try await services.db.ob3Credential(assertionID: id) == nil, try await services.db.assertion(id: id) != nil {
            _ = try? await services.issuing.issueOB3(assertionID: id, actor: "system")
        }
        let document: CertificateDocument
        do {
            document = try await factory.document(assertionID: id, language: language, named: named)
        } catch let e as ServiceError where e.kind == .notFound || e.kind == .gone {
            // Plain text, both languages: the link is often opened outside the site (mail, PDF reader).
            return HTTP.text("\(e.messageFR)\n\(e.messageEN)\n", status: e.status)
        }
        let etag = "\"\(SHA256Digest.hexHash(document.pdf).prefix(32))\""
        var headers: HTTPFields = [
            .cacheControl: named ? "private, no-store" : "public, max-age=300", .eTag: etag,
            .contentDisposition: "inline; filename=\"\(document.filename)\"",
        ]
        headers[.init("Vary")!] = "Cookie"
        if !named { headers[.accessControlAllowOrigin] = "*" }
        if HTTP.ifNoneMatch(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        return HTTP.bytes(document.pdf, contentType: "application/pdf", headers: headers)
    }

    /// True when the signed-in person is the recipient (one of their verified addresses) or staff of the issuer.
    func viewerMayReadName(_ request: Request, assertionID: String) async throws -> Bool {
        guard let token = request.cookies[WebSessionStore.cookieName]?.value,
            let (account, _) = try await WebSessionStore(db: services.db).find(token: token)
        else { return false }
        guard let (a, b) = try await services.db.awardWithBadgeClass(id: assertionID) else { return false }
        switch account.role {
        case .admin: return true
        case .staff: return try await Staff.load(account, db: services.db).may(.award, issuer: b.issuerID)
        case .learner: return try await services.learnerEmails(accountID: account.id).contains(a.recipientEmail)
        }
    }
}
