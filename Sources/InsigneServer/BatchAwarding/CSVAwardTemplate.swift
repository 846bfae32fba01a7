/// The bulk-award template offered for download: French headers, two example rows, semicolon separated (French
/// Excel's list separator), UTF-8 with a byte-order mark so that Excel opens it with its accents right, CRLF line
/// ends. Read back by `CSVAwardReader` as is, or after Excel saved it again (« CSV UTF-8 » or plain « CSV »).
enum CSVAwardTemplate {
    /// The file's text (without its byte-order mark).
    static let text =
        "Prénom;Nom;Courriel;Date d'expiration;Preuve;Commentaire\r\n"
        + "Marie;Durand;marie.durand@example.fr;31/12/2030;https://intranet.example.fr/attestations/42;"
        + "Session du 12 mars\r\n"
        + "Jean;Martin;jean.martin@example.fr;;;\"Très bon travail ; à poursuivre\"\r\n"

    /// The file's bytes: a UTF-8 byte-order mark, then `text`.
    static var bytes: [UInt8] { [0xEF, 0xBB, 0xBF] + Array(text.utf8) }

    /// The name offered for the download of a badge class's template.
    static func filename(badgeID: String) -> String { "modele-attribution-\(badgeID).csv" }
}
