import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesPNG

/// Input checks shared by the API and the pages; every failure is a 4xx `ServiceError` naming the field.
enum Validation {
    static let maxImageBytes = 2 * 1024 * 1024

    static func invalid(_ field: String, fr: String, en: String) -> ServiceError {
        ServiceError(.invalid, field: field, fr: "« \(field) » : \(fr)", en: "\"\(field)\": \(en)")
    }

    /// Longest id of an issuer or a badge class, given or derived (`BadgeClassIDs`).
    static let maxIDLength = 63

    /// An id used in URLs (issuers, badge classes): lowercase letters, digits and dashes, not starting with a dash,
    /// `maxIDLength` characters at most. The one rule and the one message for the API, the pages and the seeder.
    static func slug(_ value: String, field: String) throws {
        guard value.utf8.count <= maxIDLength,
            value.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) != nil
        else {
            throw invalid(
                field, fr: "lettres minuscules, chiffres et tirets, \(maxIDLength) caractères au plus",
                en: "lowercase letters, digits and dashes, \(maxIDLength) characters at most")
        }
    }

    /// A name that gives no id (no letter or digit): the caller must give one.
    static func underivableID(field: String = "id") -> ServiceError {
        invalid(
            field, fr: "impossible de dériver un identifiant du nom : indiquez « id »",
            en: "cannot derive an id from the name: give \"id\"")
    }

    static func text(_ value: String, field: String, max: Int, required: Bool = true) throws {
        let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, t.isEmpty { throw invalid(field, fr: "obligatoire", en: "required") }
        if value.count > max {
            throw invalid(
                field, fr: "trop long (\(max) caractères au plus)", en: "too long (\(max) characters at most)")
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw invalid(field, fr: "caractères de contrôle interdits", en: "control characters are not allowed")
        }
    }

    /// Longest web address accepted anywhere (bytes of UTF-8).
    static let maxURLLength = 2000

    /// The one URL check of the server: an `http` or `https` URL with a host, no user name or password, no space
    /// or control character, `maxURLLength` bytes at most. Returns its parts (so a caller can layer stricter
    /// rules, as OAuth's redirect URIs do), nil when `value` is not such a URL.
    static func webURL(_ value: String) -> URLComponents? {
        guard value.utf8.count <= maxURLLength,
            !value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "\u{7F}" }),
            let c = URLComponents(string: value), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = c.host, !host.isEmpty, c.user == nil, c.password == nil
        else { return nil }
        return c
    }

    /// The one e-mail check of the server (`EmailNormalization.isPlausible`): one `@`, a dotted domain, no space,
    /// control character or angle bracket, 254 bytes at most. Checks `value` as given: callers that store an
    /// address check its normalised form.
    static func isEmail(_ value: String) -> Bool { EmailNormalization.isPlausible(value) }

    /// Parses an ISO 8601 date-time that carries a time zone (the API's `expires`); a 400 naming `field` otherwise.
    static func dateTime(_ text: String, field: String) throws -> Date {
        guard let d = DateTimeValue(text.trimmingCharacters(in: .whitespaces)) else {
            throw Validation.invalid(
                field, fr: "date ISO 8601 avec fuseau horaire attendue, par exemple 2027-06-30T23:59:59+02:00",
                en: "an ISO 8601 date-time with a time zone is expected, e.g. 2027-06-30T23:59:59+02:00")
        }
        return d.date
    }

    /// A 400 naming `field` unless `value` passes `webURL`.
    static func httpURL(_ value: String, field: String) throws {
        guard webURL(value) != nil else {
            throw invalid(field, fr: "adresse http(s) attendue", en: "an http(s) URL is expected")
        }
    }

    /// A 400 naming `field` unless `value`, normalised as it will be stored, passes `isEmail`.
    static func email(_ value: String, field: String) throws {
        guard isEmail(EmailNormalization.normalize(value)) else {
            throw invalid(field, fr: "adresse électronique invalide", en: "invalid email address")
        }
    }

    static func issuer(_ i: IssuerRecord) throws {
        try slug(i.id, field: "id")
        try text(i.name, field: "name", max: 200)
        try httpURL(i.url, field: "url")
        try email(i.email, field: "email")
        if let d = i.description { try text(d, field: "description", max: 5000, required: false) }
    }

    static func badgeClass(_ b: BadgeClassRecord) throws {
        try slug(b.id, field: "id")
        try text(b.name, field: "name", max: 200)
        try text(b.description, field: "description", max: 5000)
        try text(b.criteriaNarrative, field: "criteria.narrative", max: 20000)
        if let u = b.criteriaURL { try httpURL(u, field: "criteria.id") }
        guard b.tags.count <= 30, b.tags.allSatisfy({ !$0.isEmpty && $0.count <= 60 }) else {
            throw invalid(
                "tags", fr: "30 mots-clés au plus, non vides, 60 caractères chacun",
                en: "at most 30 non-empty tags of 60 characters")
        }
        for a in b.alignment {
            try text(a.targetName, field: "alignment.targetName", max: 500)
            try httpURL(a.targetUrl, field: "alignment.targetUrl")
        }
        _ = try Validity.optional(b.validity)
        _ = try ReminderDays.validated(b.reminderDays)
    }

    /// Validates a badge image: PNG decoded by libpng within limits, or SVG parsed safely and sanitised.
    static func badgeImage(_ data: Data) throws -> (Data, String) {
        guard data.count <= maxImageBytes else {
            throw ServiceError(
                .tooLarge, field: "image", fr: "image trop volumineuse (2 Mo au plus)",
                en: "image too large (2 MiB at most)")
        }
        let bytes = [UInt8](data)
        do {
            switch BadgeImageFormat.detect(bytes) {
            case .png:
                let prepared = try PreparedPNG(
                    bytes, limits: PNGImageLimits(maxBytes: maxImageBytes, maxWidth: 2048, maxHeight: 2048))
                try square(width: Double(prepared.info.width), height: Double(prepared.info.height))
                return (data, "png")
            case .svg:
                let clean = try SVGBaker.sanitize(svg: bytes)
                for (w, h) in svgSizes(clean) { try square(width: w, height: h) }
                return (Data(clean), "svg")
            case nil:
                throw invalid("image", fr: "PNG ou SVG attendu", en: "PNG or SVG expected")
            }
        } catch let e as BakingError {
            throw ServiceError(.invalid, field: "image", fr: "image : \(e.messageFR)", en: "image: \(e.messageEN)")
        }
    }

    /// A 400 unless the image is square (the badge is shown in a circle or a square everywhere).
    static func square(width: Double, height: Double) throws {
        guard abs(width - height) > 0.01 else { return }
        let size = "\(number(width)) × \(number(height))"
        throw ServiceError(
            .invalid, field: "image", fr: "l'image doit être carrée (largeur = hauteur) : reçue \(size)",
            en: "the image must be square (width = height): got \(size)")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%.2f", v)
    }

    /// The sizes an SVG declares on its root element: its `width` and `height` attributes when both are plain
    /// numbers or pixels, and its `viewBox`'s width and height; empty when it declares none (then any size goes).
    static func svgSizes(_ svg: [UInt8]) -> [(Double, Double)] {
        let text = String(decoding: svg.prefix(64 * 1024), as: UTF8.self)
        guard let start = text.range(of: "<svg", options: .caseInsensitive),
            let end = text[start.upperBound...].firstIndex(of: ">")
        else { return [] }
        let tag = String(text[start.upperBound..<end])
        func attribute(_ name: String) -> String? {
            let pattern = "(^|\\s)\(name)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')"
            guard let r = tag.range(of: pattern, options: [.regularExpression, .caseInsensitive]) else { return nil }
            let match = tag[r]
            guard let eq = match.firstIndex(of: "=") else { return nil }
            return match[match.index(after: eq)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r\"'"))
        }
        var sizes: [(Double, Double)] = []
        func length(_ name: String) -> Double? {
            guard var v = attribute(name)?.trimmingCharacters(in: .whitespaces) else { return nil }
            if v.hasSuffix("px") { v.removeLast(2) }
            return Double(v)
        }
        if let w = length("width"), let h = length("height"), w > 0, h > 0 { sizes.append((w, h)) }
        if let box = attribute("viewBox") {
            let n = box.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" })
                .compactMap { Double($0) }
            if n.count == 4, n[2] > 0, n[3] > 0 { sizes.append((n[2], n[3])) }
        }
        return sizes
    }

    static func award(_ r: AwardRequest) throws {
        try email(r.recipientEmail, field: "recipient.email")
        if let n = r.recipientName { try text(n, field: "recipient.name", max: 200, required: false) }
        if let n = r.narrative { try text(n, field: "narrative", max: 20000, required: false) }
        guard r.evidence.count <= 50 else {
            throw invalid("evidence", fr: "50 preuves au plus", en: "at most 50 evidence items")
        }
        for e in r.evidence {
            if let id = e.id { try httpURL(id, field: "evidence.id") }
            guard e.id != nil || e.narrative != nil || e.name != nil || e.description != nil else {
                throw invalid(
                    "evidence", fr: "chaque preuve a un lien, un nom ou un récit",
                    en: "each evidence item needs an id, name or narrative")
            }
        }
        if let exp = r.expires, exp <= Date() {
            throw invalid(
                "expires", fr: "la date d'expiration doit être dans le futur",
                en: "the expiry date must be in the future")
        }
        if let k = r.idempotencyKey { try text(k, field: "idempotencyKey", max: 200) }
    }
}
