// A small, strict, namespace-aware XML 1.0 scanner working on UTF-8 bytes.
//
// It exists so that SVG baking never goes through libxml2: no DTD processing, no entity expansion
// beyond the five predefined entities and character references, hard limits on size, depth and
// attribute count, and exact byte ranges for every element so that the baker can splice the
// original bytes instead of re-serialising the document.

/// Resource limits applied while scanning.
package struct XMLScanLimits: Sendable, Equatable {
    /// Maximum document size in bytes (larger documents give `.imageTooLarge`).
    package var maxBytes: Int = 5 * 1024 * 1024
    /// Maximum element nesting depth (the root is at depth 1).
    package var maxDepth: Int = 256
    /// Maximum number of attributes (namespace declarations included) on one element.
    package var maxAttributesPerElement: Int = 256
    /// Maximum number of elements in the document.
    package var maxElements: Int = 200_000

    /// Default limits.
    package init() {}
}

/// One attribute of a start tag.
package struct XMLAttribute: Sendable, Equatable {
    /// The name as written (`xlink:href`, `verify`, `xmlns:b`).
    package var qualifiedName: String
    /// The prefix, if any.
    package var prefix: String?
    /// The local part of the name.
    package var localName: String
    /// The namespace URI: nil for unprefixed attributes, the xmlns namespace for declarations.
    package var namespaceURI: String?
    /// The normalised value (references decoded, literal whitespace turned into spaces).
    package var value: String
    /// Bytes from the first character of the name to the closing quote, inclusive.
    package var range: Range<Int>
    /// Bytes between the quotes.
    package var valueRange: Range<Int>
    /// `range` plus the whitespace before it: removing these bytes removes the attribute cleanly.
    package var spliceRange: Range<Int>
    /// True for `xmlns` and `xmlns:prefix` attributes.
    package var isNamespaceDeclaration: Bool
}

/// One element, with the byte ranges of its tags and content.
package struct XMLElementRecord: Sendable, Equatable {
    /// The name as written (`svg`, `openbadges:assertion`).
    package var qualifiedName: String
    /// The prefix, if any.
    package var prefix: String?
    /// The local part of the name.
    package var localName: String
    /// The namespace URI the element is in, nil if none.
    package var namespaceURI: String?
    /// The attributes, in document order (namespace declarations included).
    package var attributes: [XMLAttribute]
    /// The start tag (or the whole empty-element tag), `<` to `>` inclusive.
    package var startTag: Range<Int>
    /// Offset just after the last attribute (or after the name when there is none).
    package var attributesEnd: Int
    /// The closing `>` or `/>` of the start tag.
    package var startTagClose: Range<Int>
    /// True for `<name …/>`.
    package var isEmptyElementTag: Bool
    /// Bytes between the start tag and the end tag (empty for an empty-element tag).
    package var content: Range<Int>
    /// The end tag, nil for an empty-element tag.
    package var endTag: Range<Int>?
    /// Index of the parent element in `XMLScannedDocument.elements`, nil for the root.
    package var parent: Int?
    /// Nesting depth: 1 for the root.
    package var depth: Int
    /// Direct character data and CDATA content, decoded, line ends normalised to LF.
    package var text: String

    /// The whole element, from `<` of the start tag to `>` of the end tag.
    package var outerRange: Range<Int> {
        startTag.lowerBound..<(endTag?.upperBound ?? startTag.upperBound)
    }

    /// The attribute with this local name and namespace (nil namespace = unprefixed attribute).
    package func attribute(_ localName: String, namespace: String? = nil) -> XMLAttribute? {
        attributes.first {
            !$0.isNamespaceDeclaration && $0.localName == localName && $0.namespaceURI == namespace
        }
    }

    /// Namespace declarations made on this element: prefix (nil for the default namespace) and URI.
    package var namespaceDeclarations: [(prefix: String?, uri: String)] {
        attributes.compactMap { a in
            guard a.isNamespaceDeclaration else { return nil }
            return (a.prefix == nil ? nil : a.localName, a.value)
        }
    }
}

/// The result of scanning a well-formed document.
package struct XMLScannedDocument: Sendable, Equatable {
    /// All elements in document order; the root is `elements[0]`.
    package var elements: [XMLElementRecord]
    /// 3 when the document starts with a UTF-8 byte order mark, else 0.
    package var byteOrderMarkLength: Int
    /// The XML declaration, if any.
    package var xmlDeclaration: Range<Int>?
    /// The (bare) DOCTYPE declaration, if any.
    package var doctype: Range<Int>?

    /// The root element.
    package var root: XMLElementRecord { elements[0] }
}

/// Strict XML 1.0 + Namespaces scanner. Every failure is a `BakingError`.
package enum XMLScanner {
    /// The namespace bound to the `xml` prefix.
    package static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    /// The namespace of `xmlns` attributes.
    package static let xmlnsNamespace = "http://www.w3.org/2000/xmlns/"

    /// Scans a whole document and checks that it is well-formed and namespace-well-formed.
    package static func scan(_ bytes: [UInt8], limits: XMLScanLimits = XMLScanLimits()) throws -> XMLScannedDocument {
        if bytes.count > limits.maxBytes {
            throw BakingError(
                .imageTooLarge,
                fr: "Le SVG est trop volumineux (\(bytes.count) octets, maximum \(limits.maxBytes)).",
                en: "The SVG is too large (\(bytes.count) bytes, maximum \(limits.maxBytes)).")
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            var core = ScannerCore(buffer, limits: limits, rootOnly: false)
            return try core.run()
        }
    }

    /// Scans only the prolog and the root start tag (no size limit, no full validation): cheap detection.
    package static func scanRootStartTag(_ bytes: [UInt8]) throws -> XMLElementRecord {
        try bytes.withUnsafeBufferPointer { buffer in
            var core = ScannerCore(buffer, limits: XMLScanLimits(), rootOnly: true)
            return try core.run().root
        }
    }
}

// MARK: - Errors

extension BakingError {
    static func xmlMalformed(_ fr: String, _ en: String, at offset: Int) -> BakingError {
        BakingError(
            .malformedImage,
            fr: "SVG mal formé (octet \(offset)) : \(fr)",
            en: "Malformed SVG (byte \(offset)): \(en)")
    }

    static func xmlUnsafe(_ fr: String, _ en: String, at offset: Int) -> BakingError {
        BakingError(
            .unsafeXML,
            fr: "SVG refusé par sécurité (octet \(offset)) : \(fr)",
            en: "SVG refused for safety (byte \(offset)): \(en)")
    }
}

// MARK: - Byte classes

private enum B {
    static let lt: UInt8 = 0x3C  // <
    static let gt: UInt8 = 0x3E  // >
    static let amp: UInt8 = 0x26  // &
    static let slash: UInt8 = 0x2F  // /
    static let bang: UInt8 = 0x21  // !
    static let question: UInt8 = 0x3F  // ?
    static let eq: UInt8 = 0x3D  // =
    static let dquote: UInt8 = 0x22  // "
    static let squote: UInt8 = 0x27  // '
    static let colon: UInt8 = 0x3A  // :
    static let semicolon: UInt8 = 0x3B  // ;
    static let hash: UInt8 = 0x23  // #
    static let rbracket: UInt8 = 0x5D  // ]
    static let lbracket: UInt8 = 0x5B  // [
    static let dash: UInt8 = 0x2D  // -
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool {
        c == space || c == lf || c == tab || c == cr
    }

    @inline(__always) static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c == colon || c >= 0x80
    }

    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == dash || c == 0x2E
    }
}

// MARK: - Core

private struct ScannerCore {
    let b: UnsafeBufferPointer<UInt8>
    let n: Int
    let limits: XMLScanLimits
    let rootOnly: Bool
    var i = 0

    var elements: [XMLElementRecord] = []
    /// Open elements: index into `elements`.
    var stack: [Int] = []
    /// Decoded direct text of each open element.
    var textStack: [[UInt8]] = []
    /// Prefixes declared by each open element (popped when it closes).
    var declaredStack: [[String]] = []
    /// Current bindings: prefix ("" = default namespace) to a stack of URIs ("" = no namespace).
    var bindings: [String: [String]] = ["xml": [XMLScanner.xmlNamespace]]

    var bomLength = 0
    var xmlDeclaration: Range<Int>?
    var doctype: Range<Int>?
    var sawRoot = false

    init(_ buffer: UnsafeBufferPointer<UInt8>, limits: XMLScanLimits, rootOnly: Bool) {
        self.b = buffer
        self.n = buffer.count
        self.limits = limits
        self.rootOnly = rootOnly
    }

    // MARK: Helpers

    @inline(__always) func peek(_ offset: Int = 0) -> UInt8? {
        let k = i + offset
        return k < n ? b[k] : nil
    }

    func matches(_ literal: StaticString, at position: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= n else { return false }
        let p = literal.utf8Start
        for k in 0..<count where b[position + k] != p[k] { return false }
        return true
    }

    mutating func skipWhitespace() {
        while i < n && B.isWhitespace(b[i]) { i += 1 }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    /// Position of `literal` at or after `from`, or nil.
    func find(_ literal: StaticString, from: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        let p = literal.utf8Start
        let first = p[0]
        var k = from
        while k + count <= n {
            if b[k] == first {
                var ok = true
                for j in 1..<count where b[k + j] != p[j] {
                    ok = false
                    break
                }
                if ok { return k }
            }
            k += 1
        }
        return nil
    }

    func malformed(_ fr: String, _ en: String, at offset: Int? = nil) -> BakingError {
        .xmlMalformed(fr, en, at: offset ?? i)
    }

    // MARK: Driver

    mutating func run() throws -> XMLScannedDocument {
        try checkEncodingSignature()
        if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            bomLength = 3
            i = 3
        }
        if !rootOnly { try validateCharacters(from: i) }
        if matches("<?xml", at: i), i + 5 < n, B.isWhitespace(b[i + 5]) || b[i + 5] == B.question {
            try parseXMLDeclaration()
        }
        while i < n {
            let c = b[i]
            if c == B.lt {
                guard let next = peek(1) else {
                    throw malformed("« < » isolé en fin de document", "lone '<' at end of document")
                }
                if next == B.question {
                    try parseProcessingInstruction()
                } else if next == B.bang {
                    if matches("<!--", at: i) {
                        try parseComment()
                    } else if matches("<![CDATA[", at: i) {
                        guard !stack.isEmpty else {
                            throw malformed(
                                "section CDATA hors de l’élément racine", "CDATA section outside the root element")
                        }
                        try parseCDATA()
                    } else if matches("<!DOCTYPE", at: i) {
                        try parseDoctype()
                    } else {
                        throw malformed("déclaration « <! » inattendue", "unexpected '<!' declaration")
                    }
                } else if next == B.slash {
                    try parseEndTag()
                } else {
                    try parseStartTag()
                    if rootOnly {
                        return XMLScannedDocument(
                            elements: elements, byteOrderMarkLength: bomLength, xmlDeclaration: xmlDeclaration,
                            doctype: doctype)
                    }
                }
            } else if c == B.amp {
                guard !stack.isEmpty else {
                    throw malformed("référence hors de l’élément racine", "reference outside the root element")
                }
                var out: [UInt8] = []
                try parseReference(into: &out)
                textStack[textStack.count - 1].append(contentsOf: out)
            } else {
                try parseCharacterData()
            }
        }
        guard sawRoot else {
            throw malformed("aucun élément racine (document vide ?)", "no root element (empty document?)")
        }
        guard stack.isEmpty else {
            let open = elements[stack[stack.count - 1]].qualifiedName
            throw malformed(
                "fin de document alors que l’élément <\(open)> n’est pas fermé",
                "end of document while element <\(open)> is still open")
        }
        return XMLScannedDocument(
            elements: elements, byteOrderMarkLength: bomLength, xmlDeclaration: xmlDeclaration, doctype: doctype)
    }

    // MARK: Encoding

    func checkEncodingSignature() throws {
        guard n >= 2 else { return }
        let utf16 =
            (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)
            || (b[0] == 0x00 && b[1] == 0x3C) || (b[0] == 0x3C && b[1] == 0x00)
        if utf16 {
            throw BakingError(
                .malformedImage,
                fr: "SVG en UTF-16 (ou UTF-32) non pris en charge : seul l’UTF-8 est accepté.",
                en: "UTF-16 (or UTF-32) SVG is not supported: only UTF-8 is accepted.")
        }
    }

    /// Checks that the bytes are valid UTF-8 and only contain characters allowed by XML 1.0.
    func validateCharacters(from start: Int) throws {
        var k = start
        while k < n {
            let c = b[k]
            if c < 0x80 {
                if c < 0x20 && c != B.tab && c != B.lf && c != B.cr {
                    throw malformed(
                        "caractère de contrôle U+\(hex(UInt32(c))) interdit en XML",
                        "control character U+\(hex(UInt32(c))) is not allowed in XML", at: k)
                }
                k += 1
                continue
            }
            var scalar: UInt32
            var length: Int
            if c & 0xE0 == 0xC0 {
                scalar = UInt32(c & 0x1F)
                length = 2
            } else if c & 0xF0 == 0xE0 {
                scalar = UInt32(c & 0x0F)
                length = 3
            } else if c & 0xF8 == 0xF0 {
                scalar = UInt32(c & 0x07)
                length = 4
            } else {
                throw malformed("UTF-8 invalide", "invalid UTF-8", at: k)
            }
            guard k + length <= n else { throw malformed("UTF-8 tronqué", "truncated UTF-8", at: k) }
            for j in 1..<length {
                let cc = b[k + j]
                guard cc & 0xC0 == 0x80 else { throw malformed("UTF-8 invalide", "invalid UTF-8", at: k) }
                scalar = (scalar << 6) | UInt32(cc & 0x3F)
            }
            let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                throw malformed("UTF-8 invalide", "invalid UTF-8", at: k)
            }
            if scalar == 0xFFFE || scalar == 0xFFFF {
                throw malformed(
                    "caractère U+\(hex(scalar)) interdit en XML", "character U+\(hex(scalar)) is not allowed in XML",
                    at: k)
            }
            k += length
        }
    }

    // MARK: Prolog

    mutating func parseXMLDeclaration() throws {
        let start = i
        guard let end = find("?>", from: i + 5) else {
            throw malformed("déclaration XML non terminée", "unterminated XML declaration")
        }
        // Pseudo-attributes: version (required), encoding, standalone, in this order.
        i = start + 5
        var seen: [String] = []
        while true {
            let before = i
            skipWhitespace()
            if i == end { break }
            guard i > before else {
                throw malformed("espace attendu dans la déclaration XML", "whitespace expected in the XML declaration")
            }
            let nameStart = i
            while i < end && B.isNameChar(b[i]) { i += 1 }
            let name = string(nameStart..<i)
            skipWhitespace()
            guard i < end, b[i] == B.eq else {
                throw malformed("« = » attendu dans la déclaration XML", "'=' expected in the XML declaration")
            }
            i += 1
            skipWhitespace()
            guard i < end, b[i] == B.dquote || b[i] == B.squote else {
                throw malformed("guillemet attendu dans la déclaration XML", "quote expected in the XML declaration")
            }
            let quote = b[i]
            i += 1
            let valueStart = i
            while i < end && b[i] != quote { i += 1 }
            guard i < end else {
                throw malformed(
                    "valeur non terminée dans la déclaration XML", "unterminated value in the XML declaration")
            }
            let value = string(valueStart..<i)
            i += 1
            switch name {
            case "version" where seen.isEmpty:
                guard value.hasPrefix("1."), value.count > 2,
                    value.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber })
                else {
                    throw malformed(
                        "version XML « \(value) » non prise en charge", "unsupported XML version \"\(value)\"",
                        at: valueStart)
                }
            case "encoding" where seen == ["version"]:
                let lower = value.lowercased()
                guard lower == "utf-8" || lower == "us-ascii" else {
                    throw BakingError(
                        .malformedImage,
                        fr: "Encodage « \(value) » non pris en charge : le SVG doit être en UTF-8.",
                        en: "Unsupported encoding \"\(value)\": the SVG must be UTF-8.")
                }
            case "standalone" where seen.last == "version" || seen.last == "encoding":
                guard value == "yes" || value == "no" else {
                    throw malformed("valeur de standalone invalide", "invalid standalone value", at: valueStart)
                }
            default:
                throw malformed(
                    "pseudo-attribut « \(name) » inattendu dans la déclaration XML",
                    "unexpected pseudo-attribute \"\(name)\" in the XML declaration", at: nameStart)
            }
            seen.append(name)
        }
        guard seen.first == "version" else {
            throw malformed(
                "version absente de la déclaration XML", "version missing from the XML declaration", at: start)
        }
        i = end + 2
        xmlDeclaration = start..<i
    }

    mutating func parseDoctype() throws {
        let start = i
        guard !sawRoot else { throw malformed("DOCTYPE après l’élément racine", "DOCTYPE after the root element") }
        guard doctype == nil else { throw malformed("second DOCTYPE", "second DOCTYPE") }
        i += 9  // <!DOCTYPE
        let before = i
        skipWhitespace()
        guard i > before, i < n, B.isNameStart(b[i]) else {
            throw malformed("nom attendu après <!DOCTYPE", "name expected after <!DOCTYPE")
        }
        while i < n && B.isNameChar(b[i]) { i += 1 }
        skipWhitespace()
        guard i < n else { throw malformed("DOCTYPE non terminé", "unterminated DOCTYPE") }
        if b[i] == B.gt {
            i += 1
            doctype = start..<i
            return
        }
        if b[i] == B.lbracket {
            throw BakingError.xmlUnsafe(
                "DOCTYPE avec sous-ensemble interne (déclarations d’entités possibles : XXE, « billion laughs »)",
                "DOCTYPE with an internal subset (possible entity declarations: XXE, billion laughs)", at: i)
        }
        if matches("PUBLIC", at: i), try acceptStandardSVGDoctype(start: start) { return }
        if matches("SYSTEM", at: i) || matches("PUBLIC", at: i) {
            throw BakingError.xmlUnsafe(
                "DOCTYPE avec identifiant externe (SYSTEM/PUBLIC) refusé",
                "DOCTYPE with an external identifier (SYSTEM/PUBLIC) refused", at: i)
        }
        throw BakingError.xmlUnsafe("DOCTYPE non pris en charge", "unsupported DOCTYPE", at: i)
    }

    /// The W3C SVG document types that design tools write (Illustrator, Inkscape…). Their DTD is never fetched
    /// or read; with no internal subset they cannot declare entities, so they are accepted as plain markers.
    static let standardSVGPublicIDs: Set<String> = [
        "-//W3C//DTD SVG 1.1//EN", "-//W3C//DTD SVG 1.0//EN", "-//W3C//DTD SVG 1.1 Basic//EN",
        "-//W3C//DTD SVG 1.1 Tiny//EN", "-//W3C//DTD SVG 20010904//EN",
    ]

    /// At `PUBLIC`: accepts `PUBLIC "<W3C SVG id>" "http://www.w3.org/…">` and returns true; false otherwise
    /// (the caller then refuses the DOCTYPE).
    mutating func acceptStandardSVGDoctype(start: Int) throws -> Bool {
        let save = i
        func literal() -> String? {
            guard i < n, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { return nil }
            let quote = b[i]
            var j = i + 1
            while j < n, b[j] != quote { j += 1 }
            guard j < n else { return nil }
            let text = String(decoding: b[(i + 1)..<j], as: UTF8.self)
            i = j + 1
            return text
        }
        i += 6  // PUBLIC
        skipWhitespace()
        guard let publicID = literal(), ScannerCore.standardSVGPublicIDs.contains(publicID) else {
            i = save
            return false
        }
        skipWhitespace()
        guard let systemID = literal(), systemID.hasPrefix("http://www.w3.org/") else {
            i = save
            return false
        }
        skipWhitespace()
        guard i < n, b[i] == B.gt else {
            i = save
            return false
        }
        i += 1
        doctype = start..<i
        return true
    }

    // MARK: Misc markup

    mutating func parseComment() throws {
        let start = i
        guard let dashes = find("--", from: i + 4) else {
            throw malformed("commentaire non terminé", "unterminated comment", at: start)
        }
        guard dashes + 2 < n, b[dashes + 2] == B.gt else {
            throw malformed("« -- » interdit dans un commentaire", "'--' is not allowed inside a comment", at: dashes)
        }
        i = dashes + 3
    }

    mutating func parseProcessingInstruction() throws {
        let start = i
        i += 2
        guard i < n, B.isNameStart(b[i]) else {
            throw malformed("nom de cible attendu après « <? »", "target name expected after '<?'")
        }
        let nameStart = i
        while i < n && B.isNameChar(b[i]) { i += 1 }
        let target = string(nameStart..<i)
        if target.lowercased() == "xml" {
            throw malformed(
                "déclaration XML ailleurs qu’au début du document", "XML declaration not at the start of the document",
                at: start)
        }
        guard i < n else {
            throw malformed("instruction de traitement non terminée", "unterminated processing instruction", at: start)
        }
        if !(matches("?>", at: i)) {
            guard B.isWhitespace(b[i]) else {
                throw malformed("caractère invalide dans le nom de la cible", "invalid character in the target name")
            }
        }
        guard let end = find("?>", from: i) else {
            throw malformed("instruction de traitement non terminée", "unterminated processing instruction", at: start)
        }
        i = end + 2
    }

    mutating func parseCDATA() throws {
        let start = i
        let contentStart = i + 9
        guard let end = find("]]>", from: contentStart) else {
            throw malformed("section CDATA non terminée", "unterminated CDATA section", at: start)
        }
        appendText(contentStart..<end)
        i = end + 3
    }

    /// Appends raw text to the current element, normalising CR LF and lone CR to LF.
    mutating func appendText(_ range: Range<Int>) {
        guard !textStack.isEmpty, !range.isEmpty else { return }
        let top = textStack.count - 1
        var k = range.lowerBound
        var runStart = k
        while k < range.upperBound {
            if b[k] == B.cr {
                textStack[top].append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<k]))
                textStack[top].append(B.lf)
                if k + 1 < range.upperBound && b[k + 1] == B.lf { k += 1 }
                runStart = k + 1
            }
            k += 1
        }
        textStack[top].append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<range.upperBound]))
    }

    mutating func parseCharacterData() throws {
        let start = i
        while i < n {
            let c = b[i]
            if c == B.lt || c == B.amp { break }
            if c == B.gt && i >= start + 2 && b[i - 1] == B.rbracket && b[i - 2] == B.rbracket {
                throw malformed("« ]]> » interdit dans le texte", "']]>' is not allowed in character data", at: i - 2)
            }
            i += 1
        }
        if stack.isEmpty {
            for k in start..<i where !B.isWhitespace(b[k]) {
                throw malformed("texte hors de l’élément racine", "text outside the root element", at: k)
            }
        } else {
            appendText(start..<i)
        }
    }

    // MARK: References

    mutating func parseReference(into out: inout [UInt8]) throws {
        let start = i
        i += 1  // &
        guard i < n else { throw malformed("« & » non échappé", "unescaped '&'", at: start) }
        if b[i] == B.hash {
            i += 1
            var isHex = false
            if i < n && b[i] == 0x78 {  // x
                isHex = true
                i += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while i < n && b[i] != B.semicolon {
                let c = b[i]
                let d: UInt32
                if c >= 0x30 && c <= 0x39 {
                    d = UInt32(c - 0x30)
                } else if isHex && c >= 0x61 && c <= 0x66 {
                    d = UInt32(c - 0x61 + 10)
                } else if isHex && c >= 0x41 && c <= 0x46 {
                    d = UInt32(c - 0x41 + 10)
                } else {
                    throw malformed("référence de caractère invalide", "invalid character reference", at: start)
                }
                value = value * (isHex ? 16 : 10) + d
                digits += 1
                if value > 0x10FFFF {
                    throw malformed(
                        "référence de caractère hors limites", "character reference out of range", at: start)
                }
                i += 1
            }
            guard i < n, digits > 0 else {
                throw malformed("référence de caractère invalide", "invalid character reference", at: start)
            }
            i += 1  // ;
            let allowed =
                value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
            guard allowed, let scalar = Unicode.Scalar(value) else {
                throw malformed(
                    "la référence &#\(value); désigne un caractère interdit en XML",
                    "reference &#\(value); designates a character not allowed in XML", at: start)
            }
            out.append(contentsOf: String(Character(scalar)).utf8)
            return
        }
        guard B.isNameStart(b[i]) else { throw malformed("« & » non échappé", "unescaped '&'", at: start) }
        let nameStart = i
        while i < n && B.isNameChar(b[i]) { i += 1 }
        guard i < n, b[i] == B.semicolon else { throw malformed("« & » non échappé", "unescaped '&'", at: start) }
        let name = string(nameStart..<i)
        i += 1
        switch name {
        case "lt": out.append(B.lt)
        case "gt": out.append(B.gt)
        case "amp": out.append(B.amp)
        case "apos": out.append(B.squote)
        case "quot": out.append(B.dquote)
        default:
            throw malformed(
                "référence à l’entité non déclarée « &\(name); »",
                "reference to the undeclared entity \"&\(name);\"", at: start)
        }
    }

    // MARK: Names

    mutating func scanName() -> Range<Int>? {
        let start = i
        guard i < n, B.isNameStart(b[i]) else { return nil }
        i += 1
        while i < n && B.isNameChar(b[i]) { i += 1 }
        return start..<i
    }

    /// Splits a QName into prefix and local part, enforcing the Namespaces in XML rules.
    func splitQName(_ range: Range<Int>) throws -> (prefix: String?, local: String) {
        var colon: Int?
        for k in range where b[k] == B.colon {
            guard colon == nil else {
                throw malformed(
                    "nom qualifié avec plusieurs « : »", "qualified name with several ':'", at: range.lowerBound)
            }
            colon = k
        }
        guard let colon else { return (nil, string(range)) }
        guard colon > range.lowerBound, colon + 1 < range.upperBound, B.isNameStart(b[colon + 1]) else {
            throw malformed(
                "nom qualifié invalide « \(string(range)) »", "invalid qualified name \"\(string(range))\"",
                at: range.lowerBound)
        }
        return (string(range.lowerBound..<colon), string((colon + 1)..<range.upperBound))
    }

    // MARK: Tags

    private struct RawAttribute {
        var nameRange: Range<Int>
        var valueRange: Range<Int>
        var range: Range<Int>
        var spliceRange: Range<Int>
        var value: [UInt8]
    }

    mutating func parseStartTag() throws {
        let tagStart = i
        if sawRoot && stack.isEmpty {
            throw malformed("second élément racine", "second root element")
        }
        i += 1
        guard let nameRange = scanName() else {
            throw malformed("nom d’élément attendu après « < »", "element name expected after '<'")
        }
        if stack.count >= limits.maxDepth {
            throw BakingError.xmlUnsafe(
                "imbrication trop profonde (plus de \(limits.maxDepth) niveaux)",
                "nesting too deep (more than \(limits.maxDepth) levels)", at: tagStart)
        }
        if elements.count >= limits.maxElements {
            throw BakingError.xmlUnsafe(
                "trop d’éléments (plus de \(limits.maxElements))",
                "too many elements (more than \(limits.maxElements))", at: tagStart)
        }
        var raw: [RawAttribute] = []
        var attributesEnd = nameRange.upperBound
        var close: Range<Int>
        var isEmpty: Bool
        while true {
            let wsStart = i
            skipWhitespace()
            guard i < n else { throw malformed("balise ouvrante non terminée", "unterminated start tag", at: tagStart) }
            let c = b[i]
            if c == B.gt {
                close = i..<(i + 1)
                isEmpty = false
                i += 1
                break
            }
            if c == B.slash {
                guard i + 1 < n, b[i + 1] == B.gt else {
                    throw malformed("« > » attendu après « / »", "'>' expected after '/'")
                }
                close = i..<(i + 2)
                isEmpty = true
                i += 2
                break
            }
            guard i > wsStart else {
                throw malformed("espace attendu avant un attribut", "whitespace expected before an attribute")
            }
            let attrStart = i
            guard let attrName = scanName() else {
                throw malformed("nom d’attribut attendu", "attribute name expected")
            }
            skipWhitespace()
            guard i < n, b[i] == B.eq else {
                throw malformed("« = » attendu après le nom d’attribut", "'=' expected after the attribute name")
            }
            i += 1
            skipWhitespace()
            guard i < n, b[i] == B.dquote || b[i] == B.squote else {
                throw malformed("valeur d’attribut entre guillemets attendue", "quoted attribute value expected")
            }
            let quote = b[i]
            i += 1
            let valueStart = i
            var value: [UInt8] = []
            while true {
                guard i < n else {
                    throw malformed("valeur d’attribut non terminée", "unterminated attribute value", at: valueStart)
                }
                let v = b[i]
                if v == quote { break }
                if v == B.lt {
                    throw malformed(
                        "« < » interdit dans une valeur d’attribut", "'<' is not allowed in an attribute value")
                } else if v == B.amp {
                    try parseReference(into: &value)
                } else if v == B.cr {
                    value.append(B.space)
                    i += 1
                    if i < n && b[i] == B.lf { i += 1 }
                } else if v == B.lf || v == B.tab {
                    value.append(B.space)
                    i += 1
                } else {
                    value.append(v)
                    i += 1
                }
            }
            let valueEnd = i
            i += 1  // closing quote
            raw.append(
                RawAttribute(
                    nameRange: attrName, valueRange: valueStart..<valueEnd, range: attrStart..<i,
                    spliceRange: wsStart..<i, value: value))
            attributesEnd = i
            if raw.count > limits.maxAttributesPerElement {
                throw BakingError.xmlUnsafe(
                    "trop d’attributs sur un élément (plus de \(limits.maxAttributesPerElement))",
                    "too many attributes on one element (more than \(limits.maxAttributesPerElement))", at: attrStart)
            }
        }

        // Attribute names must be unique.
        var qnames = Set<String>()
        var attributes: [XMLAttribute] = []
        attributes.reserveCapacity(raw.count)
        for r in raw {
            let qname = string(r.nameRange)
            guard qnames.insert(qname).inserted else {
                throw malformed(
                    "attribut « \(qname) » en double", "duplicate attribute \"\(qname)\"", at: r.range.lowerBound)
            }
            let (prefix, local) = try splitQName(r.nameRange)
            let isDecl = (prefix == nil && local == "xmlns") || prefix == "xmlns"
            attributes.append(
                XMLAttribute(
                    qualifiedName: qname, prefix: prefix, localName: local,
                    namespaceURI: isDecl ? XMLScanner.xmlnsNamespace : nil,
                    value: String(decoding: r.value, as: UTF8.self),
                    range: r.range, valueRange: r.valueRange, spliceRange: r.spliceRange,
                    isNamespaceDeclaration: isDecl))
        }

        // Namespace declarations.
        var declared: [String] = []
        for a in attributes where a.isNamespaceDeclaration {
            let at = a.range.lowerBound
            if a.prefix == nil {
                if a.value == XMLScanner.xmlNamespace || a.value == XMLScanner.xmlnsNamespace {
                    throw malformed(
                        "espace de noms réservé lié par défaut", "reserved namespace bound as default", at: at)
                }
                bindings["", default: []].append(a.value)
                declared.append("")
            } else {
                let p = a.localName
                if p == "xmlns" {
                    throw malformed(
                        "le préfixe xmlns ne peut pas être déclaré", "the xmlns prefix cannot be declared", at: at)
                }
                if p == "xml" {
                    guard a.value == XMLScanner.xmlNamespace else {
                        throw malformed(
                            "le préfixe xml ne peut être lié qu’à son espace de noms",
                            "the xml prefix can only be bound to its namespace", at: at)
                    }
                    continue
                }
                if a.value.isEmpty {
                    throw malformed(
                        "le préfixe « \(p) » ne peut pas être lié à un URI vide",
                        "prefix \"\(p)\" cannot be bound to an empty URI", at: at)
                }
                if a.value == XMLScanner.xmlNamespace || a.value == XMLScanner.xmlnsNamespace {
                    throw malformed(
                        "espace de noms réservé lié au préfixe « \(p) »", "reserved namespace bound to prefix \"\(p)\"",
                        at: at)
                }
                bindings[p, default: []].append(a.value)
                declared.append(p)
            }
        }

        // Resolve the element and attribute names.
        let (prefix, local) = try splitQName(nameRange)
        if prefix == "xmlns" {
            throw malformed("le préfixe xmlns est réservé", "the xmlns prefix is reserved", at: nameRange.lowerBound)
        }
        let namespace: String?
        if let prefix {
            guard let uri = bindings[prefix]?.last else {
                throw malformed(
                    "préfixe « \(prefix) » non déclaré", "undeclared prefix \"\(prefix)\"", at: nameRange.lowerBound)
            }
            namespace = uri
        } else {
            let uri = bindings[""]?.last ?? ""
            namespace = uri.isEmpty ? nil : uri
        }
        var expanded = Set<String>()
        for k in attributes.indices where !attributes[k].isNamespaceDeclaration {
            guard let p = attributes[k].prefix else { continue }
            guard let uri = bindings[p]?.last else {
                throw malformed(
                    "préfixe « \(p) » non déclaré", "undeclared prefix \"\(p)\"", at: attributes[k].range.lowerBound)
            }
            attributes[k].namespaceURI = uri
            guard expanded.insert(uri + " " + attributes[k].localName).inserted else {
                throw malformed(
                    "attribut {\(uri)}\(attributes[k].localName) en double",
                    "duplicate attribute {\(uri)}\(attributes[k].localName)", at: attributes[k].range.lowerBound)
            }
        }

        let index = elements.count
        let contentStart = i
        elements.append(
            XMLElementRecord(
                qualifiedName: string(nameRange), prefix: prefix, localName: local, namespaceURI: namespace,
                attributes: attributes, startTag: tagStart..<i, attributesEnd: attributesEnd,
                startTagClose: close, isEmptyElementTag: isEmpty,
                content: contentStart..<contentStart, endTag: nil,
                parent: stack.last, depth: stack.count + 1, text: ""))
        sawRoot = true
        if isEmpty {
            for p in declared { bindings[p]?.removeLast() }
        } else {
            stack.append(index)
            textStack.append([])
            declaredStack.append(declared)
        }
    }

    mutating func parseEndTag() throws {
        let tagStart = i
        i += 2
        guard let nameRange = scanName() else {
            throw malformed("nom attendu dans la balise fermante", "name expected in the end tag", at: tagStart)
        }
        skipWhitespace()
        guard i < n, b[i] == B.gt else {
            throw malformed("« > » attendu à la fin de la balise fermante", "'>' expected at the end of the end tag")
        }
        i += 1
        let name = string(nameRange)
        guard let index = stack.last else {
            throw malformed(
                "balise fermante </\(name)> sans balise ouvrante", "end tag </\(name)> without a start tag",
                at: tagStart)
        }
        let open = elements[index].qualifiedName
        guard name == open else {
            throw malformed(
                "balise fermante </\(name)> inattendue, </\(open)> attendue",
                "unexpected end tag </\(name)>, expected </\(open)>", at: tagStart)
        }
        stack.removeLast()
        let text = textStack.removeLast()
        for p in declaredStack.removeLast() { bindings[p]?.removeLast() }
        elements[index].content = elements[index].startTag.upperBound..<tagStart
        elements[index].endTag = tagStart..<i
        elements[index].text = String(decoding: text, as: UTF8.self)
    }
}

private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}
