import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// What the backpack pages do with the entries `ServerServices.backpackEntries` lists: state words, baked files,
/// the ZIP of everything, the LinkedIn link, the opt-in public page, and the backpack's part of the RGPD export
/// and erasure.
struct Backpack: Sendable {
    let services: ServerServices

    /// The largest badge file accepted for import.
    static let maxImportSize = 5 * 1024 * 1024

    // MARK: - State

    /// A verification state in words, with its CSS tone.
    struct State {
        var code: String
        var fr: String
        var en: String
        var css: String
    }

    /// Valid, revoked, expired, cannot be checked now, or invalid.
    static func state(_ outcome: String) -> State {
        switch VerificationOutcome(rawValue: outcome) {
        case .valid?: State(code: "valid", fr: "valide", en: "valid", css: "good")
        case .revoked?: State(code: "revoked", fr: "révoqué", en: "revoked", css: "bad")
        case .suspended?: State(code: "suspended", fr: "suspendu", en: "suspended", css: "neutral")
        case .expired?: State(code: "expired", fr: "expiré", en: "expired", css: "neutral")
        case .unverifiable?:
            State(
                code: "unverifiable", fr: "vérification impossible pour l'instant", en: "cannot be checked now",
                css: "neutral")
        default: State(code: "invalid", fr: "non valide", en: "invalid", css: "bad")
        }
    }

    // MARK: - Files

    /// The badge baked as PNG (or SVG): issued here, the hosted download; imported, the file as received when it
    /// has that format, else the badge (JWS or hosted assertion) baked into the badge class image.
    func bakedImage(_ e: BackpackEntry, svg: Bool) async -> [UInt8]? {
        switch e.origin {
        case .issuedHere(let a):
            let path = "/assertions/\(a.id)/badge.\(svg ? "svg" : "png")"
            guard let doc = try? await services.resolver.resolve(path: path), doc.status == 200 else { return nil }
            return doc.body
        case .stored(let r):
            let wanted: BadgeImageFormat = svg ? .svg : .png
            if let data = r.originalData, BadgeImageFormat.detect([UInt8](data)) == wanted { return [UInt8](data) }
            guard var image = await classImage(r) else { return nil }
            if svg, BadgeImageFormat.detect(image) == .png { image = PublicDocumentResolver.svgWrapping(png: image) }
            guard BadgeImageFormat.detect(image) == wanted else { return nil }
            if let jws = r.jws {
                // An OB 3.0 credential is only given back in the file it came in (kept above).
                guard VCJWT(text: jws) == nil else { return nil }
                return try? BadgeBaker.bake(image: image, jws: jws).bytes
            }
            guard let hosted = try? Assertion(document: e.assertion) else { return nil }
            return try? BadgeBaker.bake(image: image, hostedAssertion: hosted).bytes
        }
    }

    /// An image to show for the entry: the baked PNG, else the baked SVG; for an OB 3.0 badge imported as a
    /// JWT or JSON credential, the achievement's image.
    func displayImage(_ e: BackpackEntry) async -> (bytes: [UInt8], type: String)? {
        if let png = await bakedImage(e, svg: false) { return (png, "image/png") }
        if let svg = await bakedImage(e, svg: true) { return (svg, "image/svg+xml") }
        if case .stored(let r) = e.origin, Self.isOB3(e), let image = await classImage(r),
            let format = BadgeImageFormat.detect(image)
        {
            return (image, format.mimeType)
        }
        return nil
    }

    // MARK: - OB 3.0 credentials

    /// True for an Open Badges 3.0 credential (imported: its original file is what is given back, never re-baked).
    static func isOB3(_ e: BackpackEntry) -> Bool { OB3Credential.isCredential(e.assertion) }

    /// The file an OB 3.0 badge was imported in, unchanged (PNG, SVG, JSON credential), or its VC-JWT as pasted;
    /// with its media type and file extension.
    static func originalCredential(_ e: BackpackEntry) -> (bytes: [UInt8], type: String, ext: String)? {
        guard case .stored(let r) = e.origin, isOB3(e) else { return nil }
        if let data = r.originalData {
            let bytes = [UInt8](data)
            if let format = BadgeImageFormat.detect(bytes) { return (bytes, format.mimeType, format.rawValue) }
            if let text = String(validating: bytes, as: UTF8.self),
                VCJWT(text: text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil
            {
                return (bytes, "application/vc+jwt", "jwt")
            }
            return (bytes, "application/vc+ld+json", "json")
        }
        guard let jws = r.jws else { return nil }
        return (Array(jws.utf8), "application/vc+jwt", "jwt")
    }

    /// The badge class image named in the stored report: a data: URI, or a URL fetched through the verifier's
    /// loader (own documents from the database, others over HTTP behind the SSRF guard).
    func classImage(_ r: BackpackBadgeRecord) async -> [UInt8]? {
        guard let report = try? JSONValue(parsing: r.reportJSON),
            case .string(let src)? = report["assertion"]?["badgeImage"]
        else { return nil }
        if src.hasPrefix("data:") {
            guard let comma = src.firstIndex(of: ","), src[..<comma].hasSuffix(";base64"),
                let data = Data(base64Encoded: String(src[src.index(after: comma)...]))
            else { return nil }
            return [UInt8](data)
        }
        guard let doc = try? await services.verifier.loader.load(urlString: src, accept: "image/png, image/svg+xml"),
            doc.statusCode == 200, doc.body.count <= Self.maxImportSize, BadgeImageFormat.detect(doc.body) != nil
        else { return nil }
        return doc.body
    }

    // MARK: - ZIP of everything

    /// Every badge as a baked PNG (SVG when no PNG can be made) and its JSON, an `index.json` and a README.
    func exportZIP(_ entries: [BackpackEntry], learnerName: String, now: Date = Date()) async -> [UInt8] {
        var zip = ZIPWriter(date: now)
        zip.add("LISEZMOI-README.txt", Array(Self.readme(learnerName, count: entries.count).utf8))
        var index: [JSONValue] = []
        for (n, e) in entries.enumerated() {
            let stem =
                String(format: "badges/%02d-", n + 1)
                + String(FileNames.safe(e.badgeName, mediaType: "image/png").dropLast(".png".count))
            var item: [String: JSONValue] = [
                "name": .string(e.badgeName), "issuer": .string(e.issuerName), "assertionId": .string(e.assertionID),
                "state": .string(Self.state(e.outcome).code), "json": .string(stem + ".json"),
                "origin": .string(e.isIssuedHere ? "issued" : "imported"),
            ]
            if let d = e.issuedOn { item["issuedOn"] = .string(d) }
            if let j = e.jws { item["jws"] = .string(j) }
            if let original = Self.originalCredential(e), BadgeImageFormat.detect(original.bytes) == nil {
                // An OB 3.0 credential imported as text: given back as it came, byte for byte.
                let name = stem + (original.ext == "json" ? ".credential.json" : ".jwt")
                zip.add(name, original.bytes)
                item["credential"] = .string(name)
                item["specVersion"] = "3.0"
            } else if Self.isOB3(e) {
                item["specVersion"] = "3.0"
            }
            if let png = await bakedImage(e, svg: false) {
                zip.add(stem + ".png", png)
                item["image"] = .string(stem + ".png")
            } else if let svg = await bakedImage(e, svg: true) {
                zip.add(stem + ".svg", svg)
                item["image"] = .string(stem + ".svg")
            }
            zip.add(stem + ".json", Array(e.assertion.encodedString().utf8))
            if let ob3 = await issuedOB3(e) {
                zip.add(stem + "-ob3.json", Array(ob3.json.utf8))
                zip.add(stem + "-ob3.jwt", Array(ob3.jwt.utf8))
                item["ob3"] = ["json": .string(stem + "-ob3.json"), "jwt": .string(stem + "-ob3.jwt")]
            }
            index.append(.object(item))
        }
        zip.add("index.json", Array(JSONValue.array(index).encodedString().utf8))
        return zip.finish()
    }

    /// The OB 3.0 form of a valid award of this service (made now for older awards); nil for anything else.
    func issuedOB3(_ e: BackpackEntry) async -> OB3CredentialRecord? {
        guard case .issuedHere(let a) = e.origin, !a.isRevoked else { return nil }
        return try? await services.issuing.issueOB3(assertionID: a.id, actor: "system").record
    }

    static func readme(_ name: String, count: Int) -> String {
        """
        Insigne — mes badges / my badges (\(name))

        FRANÇAIS
        Cette archive contient vos \(count) badge(s) :
          badges/NN-nom.png   le badge « cuit » : l'image contient la version signée, vérifiable par tout
                              vérificateur Open Badges 2.0 (par exemple la page « Vérifier un badge » d'Insigne) ;
          badges/NN-nom.json  l'assertion Open Badges (JSON) ;
          badges/NN-nom-ob3.json, badges/NN-nom-ob3.jwt
                              les badges attribués par Insigne au format Open Badges 3.0 (JSON signé et VC-JWT),
                              pour les portefeuilles numériques ;
          index.json          la liste des badges, leur émetteur, leur date et leur état au moment de l'export.

        ENGLISH
        This archive holds your \(count) badge(s): each baked PNG image (it carries the signed, verifiable badge;
        any Open Badges 2.0 verifier accepts it), its Open Badges assertion (JSON), and index.json listing the
        badges with their issuer, date and state at export time. Badges awarded through Insigne also come in the
        Open Badges 3.0 format for digital wallets (NN-name-ob3.json signed JSON, NN-name-ob3.jwt VC-JWT).

        """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    // MARK: - LinkedIn

    /// LinkedIn's "Add to profile" link (certification) for the badge.
    static func linkedInURL(_ e: BackpackEntry, urls: PublicURLs) -> String {
        var q: [(String, String)] = [
            ("startTask", "CERTIFICATION_NAME"), ("name", e.badgeName), ("organizationName", e.issuerName),
        ]
        if let (year, month) = yearMonth(e.issuedOn) { q += [("issueYear", year), ("issueMonth", month)] }
        if let url = certificateURL(e, urls: urls) { q.append(("certUrl", url)) }
        q.append(("certId", e.isIssuedHere ? e.id : e.assertionID))
        return "https://www.linkedin.com/profile/add?"
            + q.map { "\($0.0)=\(Pages.queryEscape($0.1))" }.joined(separator: "&")
    }

    /// Where someone can check the badge: the hosted assertion, for badges that have one.
    static func certificateURL(_ e: BackpackEntry, urls: PublicURLs) -> String? {
        if e.isIssuedHere { return urls.assertion(e.id) }
        let id = e.assertionID.lowercased()
        return id.hasPrefix("https://") || id.hasPrefix("http://") ? e.assertionID : nil
    }

    /// The verification page for the badge, when it has a hosted URL.
    static func verifyURL(_ e: BackpackEntry, urls: PublicURLs) -> String? {
        certificateURL(e, urls: urls).map { "/verify?url=" + Pages.queryEscape($0) }
    }

    /// Year and month (1–12, no leading zero) of an OB date: ISO 8601 text or, from older badges, a Unix time.
    static func yearMonth(_ issuedOn: String?) -> (String, String)? {
        guard let s = issuedOn?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        if s.allSatisfy(\.isNumber), let t = TimeInterval(s) {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = WebDates.paris
            let c = cal.dateComponents([.year, .month], from: Date(timeIntervalSince1970: t))
            return c.year.flatMap { y in c.month.map { ("\(y)", "\($0)") } }
        }
        let parts = s.prefix(7).split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m)
        else { return nil }
        return ("\(y)", "\(m)")
    }

    // MARK: - Public page

    /// The slug of the learner's public page, nil while private.
    func publicSlug(accountID: String) async throws -> String? {
        try await services.db.backpackPublicSlug(accountID: accountID)
    }

    /// Opens (a fresh random slug, kept while open) or closes the public page; returns the slug while open.
    func setPublic(_ open: Bool, accountID: String, now: Date = Date()) async throws -> String? {
        let fresh = try SecureRandom.hex(byteCount: 16)
        return try await services.db.setBackpackPublic(open, accountID: accountID, freshSlug: fresh, now: now)
    }

    /// The learner whose public page this slug opens (nil when unknown, closed or erased).
    func publicOwner(slug: String) async throws -> AccountRecord? {
        guard slug.count == 32, slug.allSatisfy(\.isHexDigit) else { return nil }
        return try await services.db.publicBackpackOwner(slug: slug)
    }

    // MARK: - Personal data (this feature's part)

    /// The backpack's part of the learner's data export: `backpack.json` and the imported files as received.
    static func personalData(accountID: String, db: AppDatabase) async throws -> [(String, [UInt8])] {
        let records = try await db.backpackPersonalRecords(accountID: accountID)
        let (emails, badges, setting) = (records.emails, records.badges, records.setting)
        let iso = ISO8601DateFormatter()
        func date(_ d: Date?) -> JSONValue { d.map { .string(iso.string(from: $0)) } ?? .null }
        func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        var files: [(String, [UInt8])] = []
        let imported: [JSONValue] = badges.map { r in
            var o: [String: JSONValue] = [
                "id": .string(r.id), "source": .string(r.source.rawValue), "assertionId": .string(r.assertionID),
                "badgeName": .string(r.badgeName), "issuerName": .string(r.issuerName), "issuedOn": text(r.issuedOn),
                "state": .string(r.outcome), "verifiedAt": date(r.verifiedAt), "createdAt": date(r.createdAt),
                "jws": text(r.jws), "assertion": (try? JSONValue(parsing: r.assertionJSON)) ?? .string(r.assertionJSON),
                "verificationReport": (try? JSONValue(parsing: r.reportJSON)) ?? .null,
            ]
            if let data = r.originalData {
                let ext = BadgeImageFormat.detect([UInt8](data))?.rawValue ?? "bin"
                let name = "backpack/\(r.id).\(ext)"
                files.append((name, [UInt8](data)))
                o["file"] = .string(name)
            }
            return .object(o)
        }
        let doc: JSONValue = [
            "emails": .array(
                emails.map { e in
                    ["email": .string(e.email), "verifiedAt": date(e.verifiedAt), "addedAt": date(e.createdAt)]
                }),
            "publicPage": ["open": .bool(setting?.publicSlug != nil), "since": date(setting?.publicSince)],
            "importedBadges": .array(imported),
        ]
        return [("backpack.json", Array(doc.encodedString().utf8))] + files
    }
}

extension BackpackEntry {
    /// True for badges awarded by this service.
    var isIssuedHere: Bool {
        if case .issuedHere = origin { return true }
        return false
    }
}
