import Foundation
import HTTPTypes
import Hummingbird
import InsigneStore
import OpenBadges

/// The backpack's downloads: the ZIP of everything and each badge's files (baked PNG or SVG, assertion JSON, image),
/// for the learner and, for valid badges, on the public page.
extension BackpackPages {
    /// `/backpack/export.zip`: every badge of the learner, baked, with its JSON and an index.
    func backpackZIP(_ env: Env) async throws -> Response {
        let me = try learner(env)
        let entries = try await services.backpackEntries(learnerID: me.id)
        let zip = await backpack.exportZIP(entries, learnerName: me.displayName)
        return HTTP.bytes(
            zip, contentType: "application/zip",
            headers: [
                .contentDisposition: "attachment; filename=\"insigne-mes-badges.zip\"",
                .cacheControl: "private, no-store",
            ])
    }

    /// `badge.png`, `badge.svg`, `assertion.json` or `image` of one of the learner's entries.
    func backpackFile(_ env: Env, id: String, file: String) async throws -> Response {
        let me = try learner(env)
        guard
            let entry = try await services.backpackEntries(learnerID: me.id).first(where: {
                $0.id == id || $0.importedCopy?.id == id
            })
        else {
            throw PageError.notFound()
        }
        return try await badgeFile(entry, file: file, download: file != "image")
    }

    /// One file of an entry (`badge.png`, `badge.svg`, `assertion.json`, `image`), sandboxed, never cached.
    func badgeFile(_ e: BackpackEntry, file: String, download: Bool) async throws -> Response {
        let stem = String(FileNames.safe(e.badgeName, mediaType: "image/png").dropLast(".png".count))
        let bytes: [UInt8]?
        let type: String
        switch file {
        case "badge.png": (bytes, type) = (await backpack.bakedImage(e, svg: false), "image/png")
        case "badge.svg": (bytes, type) = (await backpack.bakedImage(e, svg: true), "image/svg+xml")
        case "assertion.json":
            (bytes, type) = (Array(e.assertion.encodedString().utf8), "application/ld+json; charset=utf-8")
        case "credential":
            guard let original = Backpack.originalCredential(e) else { throw PageError.notFound() }
            return Self.download(original.bytes, type: original.type, name: "\(stem).\(original.ext)")
        case "image":
            let shown = await backpack.displayImage(e)
            (bytes, type) = (shown?.bytes, shown?.type ?? "")
        default: throw PageError.notFound()
        }
        guard let bytes else {
            throw PageError(
                status: .notFound,
                fr: "Ce fichier ne peut pas être produit pour ce badge (image du badge indisponible).",
                en: "This file cannot be produced for this badge (badge image unavailable).")
        }
        let ext = file == "assertion.json" ? "json" : (type == "image/png" ? "png" : "svg")
        var headers: HTTPFields = [
            .cacheControl: "private, no-store",
            .contentSecurityPolicy: "sandbox; default-src 'none'; style-src 'unsafe-inline'",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if download { headers[.contentDisposition] = "attachment; filename=\"\(stem).\(ext)\"" }
        return HTTP.bytes(bytes, contentType: type, headers: headers)
    }

    /// A file given back as stored, sandboxed, never cached.
    static func download(_ bytes: [UInt8], type: String, name: String) -> Response {
        HTTP.bytes(
            bytes, contentType: type,
            headers: [
                .cacheControl: "private, no-store",
                .contentSecurityPolicy: "sandbox; default-src 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ])
    }

    /// The image or baked PNG of a valid badge on an open public page.
    func publicBadgeFile(_ env: Env, slug: String, id: String, file: String) async throws -> Response {
        guard file == "image" || file == "badge.png", let owner = try await backpack.publicOwner(slug: slug),
            let entry = try await services.backpackEntries(learnerID: owner.id).first(where: { $0.id == id }),
            entry.outcome == "valid"
        else { throw PageError.notFound() }
        var response = try await badgeFile(entry, file: file, download: file != "image")
        response.headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        return response
    }

}
