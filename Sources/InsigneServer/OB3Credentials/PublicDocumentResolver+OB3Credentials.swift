import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// The OB 3.0 `Achievement` of each badge class, and the OB 3.0 forms of awards, served as stored (never re-signed): `/ob3/credentials/{id}` (JSON with its Data
/// Integrity proof), `…/credential.jwt` (VC-JWT), `…/badge.png` and `…/badge.svg` (the VC-JWT baked in). A
/// revoked award's JSON form (the credential's `id` URL) answers 410 Gone with `revoked` and `revocationReason`, like
/// the OB 2.0 hosted assertion: the Bitstring bit says « revoked », this answer says why. The JWT, PNG and SVG
/// downloads stay served unchanged.
extension PublicDocumentResolver {
    /// `application/vc+ld+json`: the JSON form (`application/json` for clients that accept only that).
    static let credentialJSON = "application/vc+ld+json; charset=utf-8"
    /// `application/vc+jwt`: the VC-JWT.
    static let credentialJWT = "application/vc+jwt"

    /// `/ob3/credentials/…` and `/ob3/achievements/{badgeClassID}` (`parts` with the leading `ob3`).
    func resolveOB3Issued(_ parts: [String]) async throws -> PublicDocument? {
        if parts[1] == "achievements" {
            guard parts.count == 3, let badge = try await db.badgeClass(id: parts[2]) else { return nil }
            return json(documents.ob3Achievement(badge, issuer: try await db.issuer(id: badge.issuerID)))
        }
        return try await ob3Credential(parts)
    }

    func ob3Credential(_ parts: [String]) async throws -> PublicDocument? {
        guard parts.count <= 4 else { return nil }
        var found = try await db.ob3CredentialWithBadgeClass(assertionID: parts[2])
        if found == nil, try await db.assertion(id: parts[2]) != nil {
            // An award made before OB 3.0 issuing (or seeded): its OB 3.0 form is made on first request, once.
            _ = try await issuing.issueOB3(assertionID: parts[2], actor: "system")
            found = try await db.ob3CredentialWithBadgeClass(assertionID: parts[2])
        }
        guard let (c, badge) = found else { return nil }
        switch parts.count == 3 ? "" : parts[3] {
        case "":
            let bytes = Array(c.json.utf8)
            let parsed = try? JSONValue(parsing: bytes)
            if let a = try await db.assertion(id: parts[2]), a.isRevoked {
                let id = parsed?["id"]?.stringValue ?? documents.urls.ob3Credential(a.id)
                let body: JSONValue = [
                    "id": .string(id), "revoked": true, "revocationReason": .string(a.revocationReason ?? ""),
                ]
                return PublicDocument(
                    status: 410, contentType: "application/json; charset=utf-8", body: body.encoded(), json: body)
            }
            return PublicDocument(
                status: 200, contentType: Self.credentialJSON, body: bytes, json: parsed)
        case "credential.jwt":
            return PublicDocument(status: 200, contentType: Self.credentialJWT, body: Array(c.jwt.utf8), json: nil)
        case "badge.png", "badge.svg":
            let svg = parts[3] == "badge.svg"
            let bytes = try bakedCredential(c.jwt, badge: badge, svg: svg)
            return PublicDocument(
                status: 200, contentType: svg ? "image/svg+xml" : "image/png", body: bytes, json: nil,
                etag: "\"\(SHA256Digest.hexHash(bytes).prefix(32))\"")
        default:
            return nil
        }
    }

    /// The VC-JWT baked into the badge class image: one uncompressed iTXt `openbadgecredential` chunk (PNG), or
    /// `<openbadges:credential verify="…"/>` (SVG; a PNG class image is wrapped in an SVG).
    func bakedCredential(_ jwt: String, badge: BadgeClassRecord, svg: Bool) throws -> [UInt8] {
        let image = [UInt8](badge.imageData)
        if badge.imageType == "png" {
            if svg { return try SVGBaker.bake(svg: Self.svgWrapping(png: image), credentialJWT: jwt) }
            return try carriers.prepared(badgeID: badge.id, image: image).bake(jwt, keyword: PNGBaker.credentialKeyword)
        }
        if svg { return try SVGBaker.bake(svg: image, credentialJWT: jwt) }
        throw ServiceError(.notFound, fr: "ce badge n'existe qu'en SVG", en: "this badge is only available as SVG")
    }
}
