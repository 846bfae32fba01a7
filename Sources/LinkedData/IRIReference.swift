/// RFC 3986 references as JSON-LD resolves them, for other modules (the JSON Schema `$id`/`$ref` resolution of
/// OpenBadges needs the same rules): the absolute-IRI test and reference resolution (§5.2.2, dot segments removed).
public enum IRIReference {
    /// True if `s` starts with a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
    public static func isAbsolute(_ s: String) -> Bool { IRI.isAbsolute(s) }

    /// `reference` resolved against the absolute `base` (RFC 3986 §5.2.2, with dot-segment removal).
    public static func resolve(_ reference: String, against base: String) -> String {
        IRI.resolve(reference, against: base)
    }
}
