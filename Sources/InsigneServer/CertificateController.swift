import Foundation
import HTTPTypes
import Hummingbird
import OpenBadgesCrypto
import OpenBadgesPDF

/// Serves `GET /assertions/{id}/certificate.pdf[?lang=en]`: the award's certificate of achievement (French unless
/// `lang=en`), 404 when unknown, 410 with the reason when revoked.
struct CertificateController: Sendable {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {
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
        let document: CertificateDocument
        do {
            document = try await factory.document(assertionID: id, language: language)
        } catch let e as CertificateUnavailable {
            return HTTP.text(
                "\(e.messageFR)\n\(e.messageEN)\n", status: e.kind == .revoked ? .gone : .notFound)
        }
        let etag = "\"\(SHA256Digest.hexHash(document.pdf).prefix(32))\""
        var headers: HTTPFields = [
            .cacheControl: "public, max-age=300", .eTag: etag,
            .contentDisposition: "inline; filename=\"\(document.filename)\"",
        ]
        headers[.accessControlAllowOrigin] = "*"
        if HTTP.ifNoneMatch(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        return HTTP.bytes(document.pdf, contentType: "application/pdf", headers: headers)
    }
}
