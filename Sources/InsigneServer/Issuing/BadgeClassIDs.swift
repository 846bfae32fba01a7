/// Ids of new badge classes. A badge class given no id gets `<issuer id>-<slug of its name>` (cut to
/// `Validation.maxIDLength` by `APIFormat.boundedID`), so every establishment can have its own « Bientraitance »
/// and a name used twice by one issuer is a clear 409. Ids given explicitly (API, trainer form, demo seeder) follow
/// the same rule (`Validation.slug`). Ids stored before this rule (`bientraitance`, `dees-2007-dc1-1`) are kept
/// as they are, with their URLs.
enum BadgeClassIDs {
    /// The id derived from a name for `issuerID`; nil when the name holds no letter or digit.
    static func derived(issuerID: String, name: String) -> String? {
        guard let name = APIFormat.slug(from: name) else { return nil }
        return APIFormat.boundedID(issuerID + "-" + name)
    }
}
