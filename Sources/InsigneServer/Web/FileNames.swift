import Foundation

/// File names handed to browsers and archives (evidence downloads, the personal-data export, baked badges).
enum FileNames {
    /// A file name safe in an archive: letters, digits, dot, dash, underscore; the sniffed extension.
    static func safe(_ name: String, mediaType: String) -> String {
        var base = ""
        for ch in (name as NSString).deletingPathExtension.folding(options: .diacriticInsensitive, locale: nil) {
            if ch.isASCII, ch.isLetter || ch.isNumber || ch == "-" || ch == "_" {
                base.append(ch)
            } else if !base.hasSuffix("_") {
                base.append("_")
            }
        }
        base = String(base.prefix(60))
        if base.isEmpty || base == "_" { base = "fichier" }
        return base + "." + MediaSniffer.fileExtension(mediaType)
    }
}
