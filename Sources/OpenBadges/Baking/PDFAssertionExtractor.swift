import OpenBadgesPNG

/// The badges found in a certificate PDF: the signed OB 2.0 assertion and/or an OB 3.0 credential.
public struct PDFExtractedAssertion: Sendable, Equatable {
    /// The compact JWS of `assertion.jws` / `/OpenBadgesAssertion`, when the PDF carries one.
    public var jws: String?
    /// True when it came from the `assertion.jws` attachment.
    public var fromAttachment: Bool
    /// True when it came from the `/OpenBadgesAssertion` document information entry.
    public var fromInfo: Bool
    /// The attached OB 3.0 credential (VC-JWT or JSON text), when the PDF carries one.
    public var credential: String?
    /// The name of the attachment holding `credential`.
    public var credentialName: String?

    /// Creates a result.
    public init(
        jws: String?, fromAttachment: Bool, fromInfo: Bool, credential: String? = nil, credentialName: String? = nil
    ) {
        self.jws = jws
        self.fromAttachment = fromAttachment
        self.fromInfo = fromInfo
        self.credential = credential
        self.credentialName = credentialName
    }
}

/// Finds the signed assertion (compact JWS) in a certificate PDF: the embedded file `assertion.jws`
/// (uncompressed or `/FlateDecode`) and the document information entry `/OpenBadgesAssertion` (literal or
/// hexadecimal string). When both are present they must be identical. An OB 3.0 credential attached beside it (or
/// alone) is found too: a file named `open-badge-credential.*`, `openbadgecredential.*`, `*.jwt` or `*.json` whose
/// content is a Verifiable Credential (JSON) or a VC-JWT. Pure: no libharu, bounded sizes, and every malformed input
/// is a `BakingError`, never a crash.
public enum PDFAssertionExtractor {
    /// Largest PDF read.
    public static let maxPDFBytes = 32 << 20
    /// Largest JWS accepted (after inflating).
    public static let maxJWSBytes = 1 << 20
    /// The attachment name looked for.
    public static let attachmentName = "assertion.jws"
    /// The document information key looked for.
    public static let infoKey = "OpenBadgesAssertion"

    /// True for bytes that start like a PDF file (`%PDF-`).
    public static func looksLikePDF(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("%PDF-".utf8)) }

    /// Extracts the JWS.
    public static func extract(from bytes: [UInt8]) throws(BakingError) -> PDFExtractedAssertion {
        guard looksLikePDF(bytes) else {
            throw BakingError(.unsupportedFormat, fr: "ce fichier n'est pas un PDF", en: "this file is not a PDF")
        }
        guard bytes.count <= maxPDFBytes else {
            throw BakingError(
                .imageTooLarge, fr: "PDF trop volumineux (\(maxPDFBytes >> 20) Mo au maximum)",
                en: "PDF too large (\(maxPDFBytes >> 20) MiB at most)")
        }
        guard PDFObjectParser.find(Array("%%EOF".utf8), in: Array(bytes.suffix(1024)), from: 0) != nil else {
            throw malformed(
                fr: "PDF tronqué (marqueur de fin %%EOF absent)", en: "truncated PDF (no %%EOF end marker)")
        }
        var parser = PDFObjectParser(bytes)
        do { try parser.parseAll() } catch {
            throw malformed(fr: "PDF illisible (trop d'objets)", en: "unreadable PDF (too many objects)")
        }
        let found = try attachments(parser)
        let attached = found.jws
        let info = try infoEntry(parser)
        guard attached.count <= 1 else {
            throw BakingError(
                .nonConformant, fr: "le PDF joint plusieurs badges « assertion.jws » différents",
                en: "the PDF attaches several different \"assertion.jws\" badges")
        }
        guard found.credentials.count <= 1 else {
            throw BakingError(
                .nonConformant, fr: "le PDF joint plusieurs justificatifs Open Badges 3.0 différents",
                en: "the PDF attaches several different Open Badges 3.0 credentials")
        }
        let credential = found.credentials.first
        switch (attached.first, info) {
        case (nil, nil):
            guard let credential else {
                throw BakingError(
                    .notBaked,
                    fr: "ce PDF ne contient pas de badge Open Badges "
                        + "(ni pièce jointe assertion.jws ou open-badge-credential, ni entrée OpenBadgesAssertion)",
                    en: "this PDF carries no Open Badges badge "
                        + "(no assertion.jws or open-badge-credential attachment, no OpenBadgesAssertion entry)")
            }
            return PDFExtractedAssertion(
                jws: nil, fromAttachment: false, fromInfo: false, credential: credential.text,
                credentialName: credential.name)
        case (let a?, let i?) where a != i:
            throw BakingError(
                .nonConformant, fr: "la pièce jointe assertion.jws et l'entrée OpenBadgesAssertion du PDF diffèrent",
                en: "the PDF's assertion.jws attachment and OpenBadgesAssertion entry differ")
        default:
            let jws = attached.first ?? info!
            return PDFExtractedAssertion(
                jws: jws, fromAttachment: !attached.isEmpty, fromInfo: info != nil, credential: credential?.text,
                credentialName: credential?.name)
        }
    }

    // MARK: Sources

    /// The distinct JWS texts of every file specification named `assertion.jws`, and the distinct OB 3.0
    /// credentials attached (with their attachment's name).
    static func attachments(_ parser: PDFObjectParser) throws(BakingError) -> (
        jws: [String], credentials: [(name: String, text: String)]
    ) {
        var found: [String] = []
        var credentials: [(name: String, text: String)] = []
        var specs: [[String: PDFObject]] = []
        for object in parser.objects.values { collectFileSpecs(object, into: &specs, depth: 0) }
        for spec in specs {
            guard let name = [spec["UF"], spec["F"]].compactMap({ parser.resolve($0) }).compactMap(textString).first
            else { continue }
            if name == attachmentName {
                let jws = try jwsText(
                    try embeddedData(spec, parser: parser, name: name),
                    what: ("la pièce jointe assertion.jws", "the assertion.jws attachment"))
                if !found.contains(jws) { found.append(jws) }
            } else if let explicit = credentialNameKind(name) {
                let data = try embeddedData(spec, parser: parser, name: name)
                guard let text = credentialText(data) else {
                    guard !explicit else {
                        throw malformed(
                            fr: "la pièce jointe \(name) n'est pas un justificatif Open Badges 3.0 (JSON ou VC-JWT)",
                            en: "the \(name) attachment is not an Open Badges 3.0 credential (JSON or VC-JWT)")
                    }
                    continue
                }
                if !credentials.contains(where: { $0.text == text }) { credentials.append((name, text)) }
            }
        }
        return (found, credentials)
    }

    /// For an attachment name that may hold an OB 3.0 credential: true when the name says so
    /// (`open-badge-credential.*`, `openbadgecredential.*`), false for any `*.jwt` or `*.json`; nil otherwise.
    static func credentialNameKind(_ name: String) -> Bool? {
        let lower = name.lowercased()
        if lower.hasPrefix("open-badge-credential.") || lower.hasPrefix("openbadgecredential.") { return true }
        if lower.hasSuffix(".jwt") || lower.hasSuffix(".json") { return false }
        return nil
    }

    /// The credential text of an attachment: a JSON Verifiable Credential or a VC-JWT, else nil.
    static func credentialText(_ data: ArraySlice<UInt8>) -> String? {
        guard let raw = String(validating: data, as: UTF8.self) else { return nil }
        let text = raw.trimmingASCIIWhitespace()
        if text.hasPrefix("{") {
            guard let json = try? JSONValue(parsing: text), OB3Credential.isVerifiableCredential(json) else {
                return nil
            }
            return text
        }
        return CompactJWS.looksLikeJWS(text) && VCJWT(text: text) != nil ? text : nil
    }

    /// The decoded content of an embedded file specification.
    static func embeddedData(_ spec: [String: PDFObject], parser: PDFObjectParser, name: String) throws(BakingError)
        -> ArraySlice<UInt8>
    {
        guard case .dictionary(let ef)? = parser.resolve(spec["EF"]),
            case .stream(let dict, let range)? = parser.resolve(ef["UF"] ?? ef["F"])
        else {
            throw malformed(fr: "pièce jointe \(name) sans contenu", en: "\(name) attachment has no content")
        }
        // The declared length wins: without it (an indirect `/Length`), the parser had to guess where the data
        // ends before `endstream` and may have taken a final CR or LF of the data for the line end.
        var data = range
        // A length read from the file is checked before any arithmetic (`/Length +1e300` once trapped here).
        if let length = parser.resolve(dict["Length"])?.wholeNumber(atMost: range.count + 2),
            length <= parser.bytes.count - range.lowerBound
        {
            data = range.lowerBound..<range.lowerBound + length
        }
        return try decode(parser.bytes[data], filter: parser.resolve(dict["Filter"]), parser: parser)
    }

    /// Dictionaries that look like file specifications (they have an `/EF` entry), nested ones included.
    static func collectFileSpecs(_ object: PDFObject, into specs: inout [[String: PDFObject]], depth: Int) {
        guard depth < PDFObjectParser.maxDepth else { return }
        switch object {
        case .dictionary(let d):
            if d["EF"] != nil { specs.append(d) }
            for v in d.values { collectFileSpecs(v, into: &specs, depth: depth + 1) }
        case .array(let items):
            for v in items { collectFileSpecs(v, into: &specs, depth: depth + 1) }
        default: break
        }
    }

    /// `/OpenBadgesAssertion` of the document information dictionary named by the last trailer.
    static func infoEntry(_ parser: PDFObjectParser) throws(BakingError) -> String? {
        guard let trailer = parser.trailers.last(where: { $0["Info"] != nil }),
            case .dictionary(let info)? = parser.resolve(trailer["Info"]),
            let entry = info[infoKey]
        else { return nil }
        guard case .string(let raw)? = parser.resolve(entry) else {
            throw malformed(
                fr: "entrée OpenBadgesAssertion du PDF invalide", en: "invalid OpenBadgesAssertion entry in the PDF")
        }
        guard raw.count <= maxJWSBytes else { throw tooLarge }
        let text = textString(.string(raw)).map { Array($0.utf8) } ?? raw
        return try jwsText(text[...], what: ("l'entrée OpenBadgesAssertion", "the OpenBadgesAssertion entry"))
    }

    // MARK: Decoding

    static func decode(_ data: ArraySlice<UInt8>, filter: PDFObject?, parser: PDFObjectParser) throws(BakingError)
        -> ArraySlice<UInt8>
    {
        var filters: [PDFObject] = []
        switch filter {
        case nil, .null?: break
        case .name?: filters = [filter!]
        case .array(let items)?: filters = items.compactMap { parser.resolve($0) }
        default: throw malformed(fr: "filtre de flux PDF invalide", en: "invalid PDF stream filter")
        }
        guard filters.count <= 1 else {
            throw malformed(fr: "filtres de flux PDF non pris en charge", en: "unsupported PDF stream filters")
        }
        guard let only = filters.first else {
            guard data.count <= maxJWSBytes else { throw tooLarge }
            return data
        }
        guard only == .name("FlateDecode") else {
            throw malformed(
                fr: "filtre de flux PDF non pris en charge : \(only)", en: "unsupported PDF stream filter: \(only)")
        }
        do {
            return try Zlib.inflate(data, maxBytes: maxJWSBytes)[...]
        } catch {
            if error.code == .tooLarge { throw tooLarge }
            throw malformed(fr: "pièce jointe du PDF corrompue (zlib)", en: "corrupt PDF attachment (zlib)")
        }
    }

    /// A PDF text string: UTF-16BE with a byte-order mark, or 8-bit (ASCII here).
    static func textString(_ object: PDFObject) -> String? {
        guard case .string(let bytes) = object else { return nil }
        if bytes.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JWS in `bytes` (surrounding whitespace ignored), or a malformed error naming `what`.
    static func jwsText(_ bytes: ArraySlice<UInt8>, what: (fr: String, en: String)) throws(BakingError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw malformed(fr: "\(what.fr) n'est pas du texte UTF-8", en: "\(what.en) is not UTF-8 text")
        }
        let jws = text.trimmingASCIIWhitespace()
        guard CompactJWS.looksLikeJWS(jws) else {
            throw malformed(fr: "\(what.fr) n'est pas un JWS compact", en: "\(what.en) is not a compact JWS")
        }
        return jws
    }

    static func malformed(fr: String, en: String) -> BakingError { BakingError(.malformedImage, fr: fr, en: en) }

    static let tooLarge = BakingError(
        .imageTooLarge, fr: "badge du PDF trop volumineux (1 Mo au maximum)", en: "PDF badge too large (1 MiB at most)"
    )
}
