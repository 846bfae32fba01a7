import Foundation

// The document is scanned by the strict `XMLScanner` (no DTD, no entities) and edited by splicing the
// original bytes: everything the baker does not touch stays byte-identical.

/// Bakes Open Badges 2.0 assertions into SVG images and extracts them (DIGEST §3.2).
public enum SVGBaker {
    /// The OB 2.0 namespace of the `assertion` element.
    public static let openBadgesNamespace = "http://openbadges.org"
    /// The OB 3.0 namespace of `<openbadges:credential>`.
    public static let credentialNamespace = "https://purl.imsglobal.org/ob/v3p0"
    /// The OB 3.0 namespace of the `credential` element.
    public static let openBadges3Namespace = "https://purl.imsglobal.org/ob/v3p0"
    /// The SVG namespace.
    static let svgNamespace = "http://www.w3.org/2000/svg"

    /// Bakes a signed badge: `<openbadges:assertion verify="JWS"/>` as the first child of the root <svg>.
    public static func bake(svg: [UInt8], signature jws: String) throws -> [UInt8] {
        let token = jws.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isCompactJWS(token) else {
            throw BakingError(
                .invalidPayload,
                fr:
                    "La signature à intégrer n’est pas un JWS compact (trois segments base64url séparés par des points).",
                en: "The signature to bake is not a compact JWS (three base64url segments separated by dots).")
        }
        return try bake(svg: svg) { prefix in
            Array("<\(prefix):assertion verify=\"\(token)\"/>".utf8)
        }
    }

    /// Bakes an OB 3.0 VC-JWT: `<openbadges:credential verify="JWT"/>` (namespace
    /// `https://purl.imsglobal.org/ob/v3p0`) as the first child of the root <svg>; earlier badge data is removed.
    public static func bake(svg: [UInt8], credentialJWT jwt: String) throws -> [UInt8] {
        let token = jwt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isCompactJWS(token) else {
            throw BakingError(
                .invalidPayload, fr: "Le justificatif à intégrer n’est pas un JWT compact.",
                en: "The credential to bake is not a compact JWT.")
        }
        return try bake(svg: svg, namespace: credentialNamespace) { prefix in
            Array("<\(prefix):credential verify=\"\(token)\"/>".utf8)
        }
    }

    /// Bakes a hosted badge: `<openbadges:assertion verify="ASSERTION-URL"><![CDATA[JSON]]></openbadges:assertion>` (JSON containing "]]>" must be split across CDATA sections correctly).
    public static func bake(svg: [UInt8], assertionURL: String, assertionJSON: String) throws -> [UInt8] {
        let url = assertionURL.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isHTTPURL(url) else {
            throw BakingError(
                .invalidPayload,
                fr: "L’URL de l’assertion « \(url) » n’est pas une URL http(s) valide.",
                en: "The assertion URL \"\(url)\" is not a valid http(s) URL.")
        }
        let json = assertionJSON.trimmingCharacters(in: .whitespacesAndNewlines)
        guard json.hasPrefix("{"), isJSONObject(json) else {
            throw BakingError(
                .invalidPayload,
                fr: "Le JSON de l’assertion est vide ou n’est pas un objet JSON valide.",
                en: "The assertion JSON is empty or not a valid JSON object.")
        }
        guard json.unicodeScalars.allSatisfy(isXMLChar) else {
            throw BakingError(
                .invalidPayload,
                fr: "Le JSON de l’assertion contient des caractères interdits en XML.",
                en: "The assertion JSON contains characters that are not allowed in XML.")
        }
        let verify = try escapeAttribute(url)
        let body = cdataSections(json)
        return try bake(svg: svg) { prefix in
            Array("<\(prefix):assertion verify=\"\(verify)\">\(body)</\(prefix):assertion>".utf8)
        }
    }

    /// Extracts the first OB 2.0 assertion element (any prefix bound to http://openbadges.org): body text if non-empty (trimmed), else the verify attribute. Throws .notBaked if none, .nonConformant if there is more than one <assertion> in that namespace.
    public static func unbake(svg: [UInt8]) throws -> String {
        let document = try XMLScanner.scan(svg)
        try requireSVGRoot(document.root)
        // OB 2.0 `<openbadges:assertion>` or OB 3.0 `<openbadges:credential>`: one badge element in all.
        let assertions = document.elements.filter { isAssertion($0) || isCredential($0) }
        guard let first = assertions.first else {
            throw BakingError(
                .notBaked,
                fr: "Le SVG ne contient pas d’élément <openbadges:assertion>.",
                en: "The SVG contains no <openbadges:assertion> element.")
        }
        guard assertions.count == 1 else {
            throw BakingError(
                .nonConformant,
                fr: "Le SVG contient \(assertions.count) éléments <openbadges:assertion> ; un seul est permis.",
                en: "The SVG contains \(assertions.count) <openbadges:assertion> elements; only one is allowed.")
        }
        let body = first.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !body.isEmpty { return body }
        let verify = first.attribute("verify")?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !verify.isEmpty else {
            throw BakingError(
                .nonConformant,
                fr: "L’élément <openbadges:assertion> n’a ni contenu ni attribut verify.",
                en: "The <openbadges:assertion> element has neither content nor a verify attribute.")
        }
        return verify
    }

    /// True if the bytes look like an SVG document (root element {http://www.w3.org/2000/svg}svg or svg without namespace) — cheap check for input detection.
    public static func looksLikeSVG(_ bytes: [UInt8]) -> Bool {
        do {
            return isSVGRoot(try XMLScanner.scanRootStartTag(bytes))
        } catch let error as BakingError where error.code == .unsafeXML {
            // A refused DOCTYPE hides the root: still route the bytes to the SVG code path, which
            // will report the precise safety error.
            let head = bytes.prefix(64 * 1024)
            return head.firstRange(of: Array("<svg".utf8)) != nil
                || head.firstRange(of: Array("<!DOCTYPE svg".utf8)) != nil
        } catch {
            return false
        }
    }

    // MARK: - Baking

    private struct Edit {
        var range: Range<Int>
        var replacement: [UInt8]
    }

    /// Removes old assertions, scripts and event handlers, declares the namespace on the root and
    /// inserts the element built by `makeElement(prefix)` right after the root start tag.
    private static func bake(
        svg: [UInt8], namespace: String = openBadgesNamespace, makeElement: (String) -> [UInt8]
    ) throws -> [UInt8] {
        let document = try XMLScanner.scan(svg)
        let root = document.root
        try requireSVGRoot(root)

        var edits = cleaningEdits(document)

        // Choose the prefix and declare it on the root if needed.
        let declarations = root.namespaceDeclarations
        func boundURI(_ prefix: String) -> String? {
            declarations.last { $0.prefix == prefix }?.uri
        }
        let prefix: String
        var needsDeclaration = false
        if boundURI("openbadges") == namespace {
            prefix = "openbadges"
        } else if boundURI("openbadges") == nil {
            prefix = "openbadges"
            needsDeclaration = true
        } else if let existing = declarations.first(where: { $0.prefix != nil && $0.uri == namespace })?
            .prefix
        {
            prefix = existing
        } else {
            var candidate = "ob"
            var counter = 1
            while boundURI(candidate) != nil || candidate == "xml" {
                candidate = "ob\(counter)"
                counter += 1
            }
            prefix = candidate
            needsDeclaration = true
        }
        if needsDeclaration {
            edits.append(
                Edit(
                    range: root.attributesEnd..<root.attributesEnd,
                    replacement: Array(" xmlns:\(prefix)=\"\(namespace)\"".utf8)))
        }

        let element = makeElement(prefix)
        if root.isEmptyElementTag {
            edits.append(
                Edit(
                    range: root.startTagClose,
                    replacement: Array(">".utf8) + element + Array("</\(root.qualifiedName)>".utf8)))
        } else {
            let at = root.startTag.upperBound
            edits.append(Edit(range: at..<at, replacement: element))
        }

        let output = apply(edits, to: svg)
        // Defensive: the result must itself be well-formed and carry exactly one assertion.
        let check: XMLScannedDocument
        do {
            check = try XMLScanner.scan(output)
        } catch let error as BakingError where error.code == .imageTooLarge {
            throw error
        } catch {
            throw BakingError(
                .malformedImage,
                fr: "Le SVG produit n’est pas bien formé (erreur interne : \(error)).",
                en: "The baked SVG is not well-formed (internal error: \(error)).")
        }
        guard check.elements.filter({ isAssertion($0) || isCredential($0) }).count == 1 else {
            throw BakingError(
                .malformedImage,
                fr: "Le SVG produit ne contient pas exactement une assertion (erreur interne).",
                en: "The baked SVG does not contain exactly one assertion (internal error).")
        }
        return output
    }

    /// Removals of badge data, scripts and event handlers.
    private static func cleaningEdits(_ document: XMLScannedDocument) -> [Edit] {
        var edits: [Edit] = []
        // Elements are in document order, so a descendant of a removed element starts before the
        // end of the last removal.
        var removedUntil = 0
        for element in document.elements {
            if element.startTag.lowerBound < removedUntil { continue }
            if isAssertion(element) || isCredential(element) || isScript(element) {
                edits.append(Edit(range: element.outerRange, replacement: []))
                removedUntil = element.outerRange.upperBound
                continue
            }
            for attribute in element.attributes where isActiveContent(attribute) {
                edits.append(Edit(range: attribute.spliceRange, replacement: []))
            }
        }
        return edits
    }

    /// The SVG without badge data, scripts or event handlers, everything else byte for byte (for storing an
    /// uploaded badge class image). Throws like `bake` on malformed or unsafe XML.
    public static func sanitize(svg: [UInt8]) throws -> [UInt8] {
        let document = try XMLScanner.scan(svg)
        try requireSVGRoot(document.root)
        let output = apply(cleaningEdits(document), to: svg)
        _ = try XMLScanner.scan(output)
        return output
    }

    private static func apply(_ edits: [Edit], to bytes: [UInt8]) -> [UInt8] {
        let sorted = edits.enumerated().sorted { lhs, rhs in
            if lhs.element.range.lowerBound != rhs.element.range.lowerBound {
                return lhs.element.range.lowerBound < rhs.element.range.lowerBound
            }
            if lhs.element.range.upperBound != rhs.element.range.upperBound {
                return lhs.element.range.upperBound < rhs.element.range.upperBound
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.replacement.count })
        var position = 0
        for edit in sorted {
            // Overlapping edits cannot happen (removals inside removed elements are skipped);
            // an overlap would be a bug, so keep the earlier edit.
            guard edit.range.lowerBound >= position else { continue }
            output.append(contentsOf: bytes[position..<edit.range.lowerBound])
            output.append(contentsOf: edit.replacement)
            position = edit.range.upperBound
        }
        output.append(contentsOf: bytes[position...])
        return output
    }

    // MARK: - Classification

    private static func isAssertion(_ element: XMLElementRecord) -> Bool {
        element.namespaceURI == openBadgesNamespace && element.localName == "assertion"
    }

    /// Any element whose local name is `script` (SVG, XHTML in foreignObject, or otherwise), whatever its
    /// case, and animation elements that target an event handler or a link (`<set attributeName="onload">`,
    /// `<animate attributeName="href" values="javascript:…">`).
    private static func isCredential(_ element: XMLElementRecord) -> Bool {
        element.namespaceURI == credentialNamespace && element.localName == "credential"
    }

    private static func isScript(_ element: XMLElementRecord) -> Bool {
        let local = element.localName.lowercased()
        if local == "script" { return true }
        guard ["set", "animate", "animatetransform", "animatemotion"].contains(local),
            let target = element.attribute("attributeName")?.value
        else { return false }
        let targetLocal =
            target.trimmingCharacters(in: .whitespaces).lowercased()
            .split(separator: ":").last.map(String.init) ?? ""
        return targetLocal.hasPrefix("on") || targetLocal == "href"
    }

    /// Event handlers (`onload`, `onclick`…) and `javascript:` links.
    private static func isActiveContent(_ attribute: XMLAttribute) -> Bool {
        if attribute.isNamespaceDeclaration { return false }
        let local = attribute.localName.lowercased()
        if attribute.prefix == nil && local.hasPrefix("on") { return true }
        if local == "href" {
            let squeezed = attribute.value.unicodeScalars
                .filter { $0.value > 0x20 }
                .map { Character($0) }
            return String(squeezed).lowercased().hasPrefix("javascript:")
        }
        return false
    }

    private static func isSVGRoot(_ element: XMLElementRecord) -> Bool {
        element.localName == "svg"
            && (element.namespaceURI == svgNamespace || (element.namespaceURI == nil && element.prefix == nil))
    }

    private static func requireSVGRoot(_ root: XMLElementRecord) throws {
        guard isSVGRoot(root) else {
            let name = root.namespaceURI.map { "{\($0)}\(root.localName)" } ?? root.localName
            throw BakingError(
                .unsupportedFormat,
                fr: "Le document XML n’est pas un SVG (élément racine \(name)).",
                en: "The XML document is not an SVG (root element \(name)).")
        }
    }

    // MARK: - Payload checks and escaping

    private static func isCompactJWS(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return false }
        return token.utf8.allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                || c == 0x2D || c == 0x5F || c == 0x2E
        }
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            return false
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            return false
        }
        return true
    }

    private static func isJSONObject(_ text: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return false }
        return object is [String: Any]
    }

    private static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v)
            || (0xE000...0xFFFD).contains(v) || v >= 0x10000
    }

    /// Escapes an attribute value for double quotes; refuses characters XML cannot carry.
    static func escapeAttribute(_ value: String) throws -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                guard isXMLChar(scalar) else {
                    throw BakingError(
                        .invalidPayload,
                        fr:
                            "La valeur contient un caractère interdit en XML (U+\(String(scalar.value, radix: 16, uppercase: true))).",
                        en:
                            "The value contains a character not allowed in XML (U+\(String(scalar.value, radix: 16, uppercase: true)))."
                    )
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Wraps text in CDATA, splitting every "]]>" across two sections ("]]" ends one, ">" starts the next).
    static func cdataSections(_ text: String) -> String {
        "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
