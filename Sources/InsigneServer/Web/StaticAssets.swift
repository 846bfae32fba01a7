import Foundation
import HTTPTypes
import Hummingbird
import OpenBadgesCrypto

/// Files under `Static/`, loaded once, served at `/static/{name}` with a content hash as ETag and version.
struct StaticAssets: Sendable {
    /// One file: its bytes, `Content-Type` and version (the start of its SHA-256).
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let version: String
    }

    /// The bundle's `Static/` files, loaded on first use.
    static let shared = StaticAssets()

    /// The files by name.
    let assets: [String: Asset]

    init() {
        var found: [String: Asset] = [:]
        if let root = Bundle.module.resourceURL?.appendingPathComponent("Static"),
            let files = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        {
            for name in files where !name.hasPrefix(".") {
                guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) else {
                    continue
                }
                let bytes = [UInt8](data)
                found[name] = Asset(
                    bytes: bytes, contentType: Self.contentType(name),
                    version: String(SHA256Digest.hexHash(bytes).prefix(12)))
            }
        }
        assets = found
    }

    /// The `Content-Type` of a file, from its extension.
    static func contentType(_ name: String) -> String {
        switch name.split(separator: ".").last?.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// `/static/{name}?v={hash}`: versioned, so it can be cached for a year.
    static func href(_ name: String) -> String {
        guard let a = shared.assets[name] else { return "/static/\(name)" }
        return "/static/\(name)?v=\(a.version)"
    }

    /// Adds `GET /static/:name` to the `open` group, and `GET /static/trainer.css` as the signed-in layout links
    /// it: without a version, so kept an hour in cache and sent without an ETag.
    static func addRoutes(to routes: AppRoutes) {
        let router = routes.open
        router.get("/static/trainer.css") { _, _ in
            HTTP.bytes(
                shared.assets["trainer.css"]?.bytes ?? [], contentType: "text/css; charset=utf-8",
                headers: [.cacheControl: "public, max-age=3600"])
        }
        router.get("/static/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            guard let asset = shared.assets[name] else {
                return HTTP.text("introuvable / not found\n", status: .notFound)
            }
            var headers: HTTPFields = [:]
            let etag = "\"\(asset.version)\""
            headers[.eTag] = etag
            headers[.cacheControl] =
                request.uri.queryParameters.get("v") == asset.version
                ? "public, max-age=31536000, immutable" : "public, max-age=300"
            if HTTP.ifNoneMatch(request, etag: etag) {
                return Response(status: .notModified, headers: headers)
            }
            return HTTP.bytes(asset.bytes, contentType: asset.contentType, headers: headers)
        }
    }
}
