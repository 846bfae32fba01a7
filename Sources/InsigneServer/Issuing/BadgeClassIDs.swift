import OpenBadgesCrypto

/// The one rule for ids derived from names, used by the API, the trainer pages, batch awarding, the referentials
/// and the demo seeder. An issuer given no id gets the slug of its name; a badge class given no id gets
/// `<issuer id>-<slug of its name>` (cut to `Validation.maxIDLength` by `bounded`), so every establishment can have
/// its own « Bientraitance » and a name used twice by one issuer is a clear 409. Ids given explicitly follow the
/// same rule (`Validation.slug`). Ids stored before this rule (`bientraitance`, `dees-2007-dc1-1`) are kept as
/// they are, with their URLs.
enum BadgeClassIDs {
    /// A URL slug derived from a name: accents folded to ASCII, lowercase, dashes, at most `Validation.maxIDLength`
    /// characters; nil when nothing is left.
    static func slug(from name: String) -> String? {
        var out = ""
        var dash = false
        let special: [Character: String] = [
            "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th",
        ]
        for ch in name.lowercased().decomposedStringWithCanonicalMapping {
            var piece: String
            if let s = special[ch] {
                piece = s
            } else {
                piece = String(
                    String.UnicodeScalarView(
                        ch.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }))
            }
            piece = String(piece.unicodeScalars.filter { $0.isASCII }.map(Character.init))
            for c in piece {
                if c.isASCII, c.isLetter || c.isNumber {
                    if dash, !out.isEmpty { out.append("-") }
                    dash = false
                    out.append(c)
                } else {
                    dash = true
                }
            }
            if piece.isEmpty { dash = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? nil : bounded(out)
    }

    /// A slug cut to `Validation.maxIDLength`: a longer one keeps its start and ends with 8 hex digits of its
    /// SHA-256, so two long names that share their beginning still get different ids.
    static func bounded(_ slug: String) -> String {
        guard slug.utf8.count > Validation.maxIDLength else { return slug }
        var head = String(slug.prefix(Validation.maxIDLength - 9))
        while head.hasSuffix("-") { head.removeLast() }
        return head + "-" + String(SHA256Digest.hexHash(Array(slug.utf8)).prefix(8))
    }

    /// The id derived from a name for `issuerID`; nil when the name holds no letter or digit.
    static func derived(issuerID: String, name: String) -> String? {
        guard let name = slug(from: name) else { return nil }
        return bounded(issuerID + "-" + name)
    }

    /// The id of a new badge class given without one; a 400 (`Validation.underivableID`) when the name gives none.
    static func required(issuerID: String, name: String) throws -> String {
        guard let id = derived(issuerID: issuerID, name: name) else { throw Validation.underivableID() }
        return id
    }

    /// The id of a new issuer given without one: the slug of its name, or a 400 when the name gives none.
    static func requiredIssuerID(name: String) throws -> String {
        guard let id = slug(from: name) else { throw Validation.underivableID() }
        return id
    }
}
