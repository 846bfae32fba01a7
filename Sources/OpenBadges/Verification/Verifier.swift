import Foundation
import OpenBadgesCrypto

/// What to verify.
public enum VerificationInput: Sendable {
    /// File bytes: a baked PNG or SVG, or a text file holding a JWS, assertion JSON or URL.
    case data([UInt8])
    /// Text: a compact JWS, assertion JSON or a hosted assertion URL.
    case text(String)
    /// The URL of a hosted assertion.
    case url(URL)
}

/// The identifier the badge is expected to have been issued to.
public struct RecipientIdentifier: Sendable, Equatable {
    /// `email`, `url` or `telephone`.
    public var type: String
    /// The plaintext identifier as typed. It matches when the badge was issued to it exactly, or (email only) to
    /// its normalised form (`EmailNormalization`: trimmed, Unicode NFC, lowercased).
    public var value: String

    /// Creates an identifier.
    public init(type: String = "email", value: String) {
        self.type = type
        self.value = value
    }

    /// How `recipient` was issued to this identifier: as typed, else (email only) its normalised form; nil when
    /// neither matches. A plaintext identity also matches when both normalise to the same address.
    public func match(_ recipient: IdentityObject) -> RecipientMatch? {
        guard ObjectReader.localTypeName(recipient.type) == type else { return nil }
        func issued(to candidate: String) -> Bool {
            if recipient.hashed {
                return IdentityHash(recipient.identity)?.matches(identifier: candidate, salt: recipient.salt) ?? false
            }
            return recipient.identity == candidate
        }
        if issued(to: value) { return .asTyped }
        guard type == "email" else { return nil }
        let normalized = EmailNormalization.normalize(value)
        if normalized != value, issued(to: normalized) { return .normalized }
        if !recipient.hashed, EmailNormalization.normalize(recipient.identity) == normalized { return .normalized }
        return nil
    }
}

/// Parameters of one verification.
public struct VerificationOptions: Sendable {
    /// The verifier's clock (injected: the core reads no clock).
    public var now: Date
    /// The expected recipient, if known.
    public var recipient: RecipientIdentifier?

    /// Creates options.
    public init(now: Date, recipient: RecipientIdentifier? = nil) {
        self.now = now
        self.recipient = recipient
    }
}

/// Parsed public keys by PEM text, shared across verifications (PEM decoding is slower than verifying).
public final class PublicKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: PublicKey] = [:]
    private let capacity: Int

    /// Creates a cache holding at most `capacity` keys.
    public init(capacity: Int = 512) { self.capacity = capacity }

    /// The parsed key for `pem`, parsing it once.
    public func key(pem: String) throws -> PublicKey {
        lock.lock()
        if let k = keys[pem] {
            lock.unlock()
            return k
        }
        lock.unlock()
        let k = try PublicKey(pem: pem)
        lock.lock()
        if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
        keys[pem] = k
        lock.unlock()
        return k
    }
}

/// Linked documents already decoded (badge classes, profiles, keys, revocation lists), by URL. An entry is
/// reused only for the exact bytes it was decoded from, so a changed document is always decoded again.
final class DecodedDocumentCache: @unchecked Sendable {
    /// A decoded document of one of the linked kinds.
    enum Entry {
        case badge(BadgeClass)
        case profile(Profile)
        case key(CryptographicKey, PublicKey?)
        case revocationList(RevocationList)
        /// An OB 3.0 verification method read from a key or DID document (by method id).
        case verificationMethod(ResolvedKey)
    }

    private let lock = NSLock()
    private var entries: [String: (body: [UInt8], value: Entry)] = [:]
    private let capacity = 1024

    func value(_ url: String, body: [UInt8]) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = entries[url], e.body == body else { return nil }
        return e.value
    }

    func store(_ url: String, body: [UInt8], value: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[url] = (body, value)
    }
}

/// How each linked document kind is read from JSON and kept in the decoded-document cache.
protocol LinkedDocument: Sendable {
    static func decodeLinked(_ json: JSONValue) throws(ModelError) -> Self
    static func fromEntry(_ entry: DecodedDocumentCache.Entry) -> Self?
    var entry: DecodedDocumentCache.Entry { get }
}

extension BadgeClass: LinkedDocument {
    static func decodeLinked(_ json: JSONValue) throws(ModelError) -> BadgeClass { try BadgeClass(document: json) }
    static func fromEntry(_ e: DecodedDocumentCache.Entry) -> BadgeClass? {
        if case .badge(let v) = e { v } else { nil }
    }
    var entry: DecodedDocumentCache.Entry { .badge(self) }
}

extension Profile: LinkedDocument {
    /// An issuer profile: the hosted document with the properties an issuer requires.
    static func decodeLinked(_ json: JSONValue) throws(ModelError) -> Profile {
        let p = try Profile(document: json)
        try p.requireIssuerProperties()
        return p
    }
    static func fromEntry(_ e: DecodedDocumentCache.Entry) -> Profile? {
        if case .profile(let v) = e { v } else { nil }
    }
    var entry: DecodedDocumentCache.Entry { .profile(self) }
}

extension RevocationList: LinkedDocument {
    static func decodeLinked(_ json: JSONValue) throws(ModelError) -> RevocationList {
        try RevocationList(document: json)
    }
    static func fromEntry(_ e: DecodedDocumentCache.Entry) -> RevocationList? {
        if case .revocationList(let v) = e { v } else { nil }
    }
    var entry: DecodedDocumentCache.Entry { .revocationList(self) }
}

/// Verifies Open Badges 2.0 assertions (signed and hosted) following the specification (DIGEST §2).
///
/// ```swift
/// let verifier = Verifier(loader: HTTPDocumentLoader())
/// let report = await verifier.verify(.data(pngBytes), options: .init(now: Date()))
/// print(report.verdict, report.summary.fr)
/// ```
public struct Verifier: Sendable {
    /// Where linked documents come from.
    public let loader: DocumentLoader
    /// Shared parsed-key cache.
    public let keyCache: PublicKeyCache
    /// Shared cache of decoded linked documents.
    let modelCache = DecodedDocumentCache()

    /// Creates a verifier.
    public init(loader: DocumentLoader, keyCache: PublicKeyCache = PublicKeyCache()) {
        self.loader = loader
        self.keyCache = keyCache
    }

    /// Verifies one input. Never throws: every problem is a check in the report.
    public func verify(_ input: VerificationInput, options: VerificationOptions) async -> VerificationReport {
        let run = VerificationRun(loader: loader, keyCache: keyCache, modelCache: modelCache, options: options)
        await run.start(input)
        var report = VerificationReport(checks: run.checks, inputFormat: run.inputFormat, assertion: run.summary)
        report.jws = run.jws
        report.assertionDocument = run.assertionDocument
        report.recipientMatch = run.recipientMatch
        report.forms = run.forms
        return report
    }
}

/// Accept header for JSON-LD documents.
let jsonLDAccept = "application/ld+json, application/json"

/// Accept header for a badge URL: OB 2.0 assertions and OB 3.0 credentials (JSON or VC-JWT).
let badgeAccept = "application/ld+json, application/json, application/vc+ld+json, application/vc+jwt, application/vc"

/// The state of one verification: checks accumulated in order, documents loaded once.
final class VerificationRun {
    let loader: DocumentLoader
    let keyCache: PublicKeyCache
    let modelCache: DecodedDocumentCache
    let options: VerificationOptions
    var checks: [VerificationCheck] = []
    var inputFormat: String?
    var summary: AssertionSummary?
    var jws: String?
    var assertionDocument: JSONValue?
    var recipientMatch: RecipientMatch?
    /// The forms of the badge verified when the input carries more than one (a PDF with OB 2.0 and OB 3.0).
    var forms: [String] = []
    /// Documents loaded by this run, by URL: a handful, so a list compared by URL beats hashing every URL.
    private var documents: [(url: String, result: Result<LoadedDocument, DocumentLoaderError>)] = []

    init(
        loader: DocumentLoader, keyCache: PublicKeyCache, modelCache: DecodedDocumentCache, options: VerificationOptions
    ) {
        self.loader = loader
        self.keyCache = keyCache
        self.modelCache = modelCache
        self.options = options
        checks.reserveCapacity(24)
    }

    // MARK: Recording

    func pass(_ id: String, fr: String, en: String) {
        checks.append(VerificationCheck(id: id, status: .passed, message: LocalizedText(fr: fr, en: en)))
    }

    func fail(_ id: String, _ outcome: VerificationOutcome, fr: String, en: String, detail: LocalizedText? = nil) {
        checks.append(
            VerificationCheck(
                id: id, status: .failed, message: LocalizedText(fr: fr, en: en), outcome: outcome, detail: detail))
    }

    /// The file carrying the badge is damaged or was modified (bad CRC, truncated, unreadable data): a plain
    /// sentence for people, the parser's words kept as the technical detail.
    func failDamaged(_ id: String, _ error: BakingError) {
        fail(
            id, .damaged,
            fr: "Le fichier a été endommagé ou modifié après sa création : son contenu n'est plus intact",
            en: "The file was damaged or modified after it was issued: its content is no longer intact",
            detail: LocalizedText(fr: error.messageFR, en: error.messageEN))
    }

    func skip(_ id: String, blocking: Bool, fr: String, en: String) {
        checks.append(
            VerificationCheck(id: id, status: .skipped, message: LocalizedText(fr: fr, en: en), blocking: blocking))
    }

    // MARK: Input

    func start(_ input: VerificationInput) async {
        switch input {
        case .url(let url):
            inputFormat = "url"
            pass("input.format", fr: "Adresse d'un badge hébergé", en: "Hosted badge URL")
            await verifyHosted(url: url)
        case .text(let text):
            await classify(text: text, carrier: nil)
        case .data(let bytes):
            if PDFAssertionExtractor.looksLikePDF(bytes) {
                await verifyPDF(bytes)
            } else if let format = BadgeImageFormat.detect(bytes) {
                inputFormat = format.rawValue
                if format == .png {
                    pass("input.format", fr: "Image PNG reconnue", en: "PNG image recognised")
                } else {
                    pass("input.format", fr: "Image SVG reconnue", en: "SVG image recognised")
                }
                let extracted: ExtractedBadge
                do {
                    extracted = try BadgeBaker.extract(from: bytes)
                } catch {
                    switch error.code {
                    case .malformedImage: failDamaged("input.extract", error)
                    case .notBaked, .unsupportedFormat:
                        fail("input.extract", .notABadge, fr: error.messageFR, en: error.messageEN)
                    default: fail("input.extract", .malformed, fr: error.messageFR, en: error.messageEN)
                    }
                    return
                }
                if extracted.isLegacy {
                    pass(
                        "input.extract", fr: "Badge extrait (ancien format tEXt, adresse hébergée)",
                        en: "Badge extracted (legacy tEXt chunk, hosted URL)")
                } else {
                    pass(
                        "input.extract", fr: "Données du badge extraites de l'image",
                        en: "Badge data extracted from the image")
                }
                await classify(text: extracted.text, carrier: format)
            } else if let text = String(
                validating: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
            {
                // A leading UTF-8 byte-order mark (text files saved by some editors) is skipped, as the JSON parser does.
                await classify(text: text, carrier: nil)
            } else {
                fail(
                    "input.format", .notABadge,
                    fr: "Format de fichier non reconnu (PNG, SVG, PDF, JWS ou JSON attendu)",
                    en: "Unrecognised file format (PNG, SVG, PDF, JWS or JSON expected)")
            }
        }
    }

    /// Classifies badge text (DIGEST §2.4): JSON, then URL, then JWS.
    func classify(text raw: String, carrier: BadgeImageFormat?) async {
        let text = raw.trimmingASCIIWhitespace()
        // A compact JWS is split and decoded once, whether it is an OB 3.0 VC-JWT or a signed OB 2.0 assertion.
        // (`CompactJWS.init` succeeds only where `looksLikeJWS` holds: three non-empty base64url parts.)
        let compact = text.hasPrefix("{") ? nil : try? CompactJWS(text)
        if text.hasPrefix("{"), let json = try? JSONValue(parsing: text), OB3Credential.isVerifiableCredential(json) {
            if carrier == nil {
                inputFormat = "json"
                pass(
                    "input.format", fr: "Badge Open Badges 3.0 (JSON) reconnu",
                    en: "Open Badges 3.0 badge (JSON) recognised")
            }
            await verifyOB3(json: json)
        } else if let compact, let jwt = VCJWT(compact) {
            if carrier == nil {
                inputFormat = "jws"
                pass(
                    "input.format", fr: "Badge Open Badges 3.0 (JWT) reconnu",
                    en: "Open Badges 3.0 badge (JWT) recognised")
            }
            await verifyOB3(jwt: jwt)
        } else if text.hasPrefix("{") {
            if carrier == nil {
                inputFormat = "json"
                pass("input.format", fr: "Assertion JSON reconnue", en: "Assertion JSON recognised")
            }
            await verifyJSON(text)
        } else if Self.startsWithHTTPScheme(text), let url = URL(string: text), url.host != nil {
            if carrier == nil {
                inputFormat = "url"
                pass("input.format", fr: "Adresse d'un badge hébergé", en: "Hosted badge URL")
            }
            await verifyHosted(url: url)
        } else if carrier != nil || CompactJWS.looksLikeJWS(text) {
            if carrier == nil {
                inputFormat = "jws"
                pass("input.format", fr: "Badge signé (JWS) reconnu", en: "Signed badge (JWS) recognised")
            }
            await verifySigned(jws: text, parsed: compact)
        } else {
            fail(
                "input.format", .notABadge,
                fr: "Contenu non reconnu : ni assertion JSON, ni adresse, ni JWS",
                en: "Unrecognised content: neither assertion JSON, nor URL, nor JWS")
        }
    }

    /// True when `text` starts with `http://` or `https://`, in any case (read from the UTF-8 bytes).
    static func startsWithHTTPScheme(_ text: String) -> Bool {
        var u = text.utf8.makeIterator()
        for c in "http".utf8 {
            guard let b = u.next(), b | 0x20 == c else { return false }
        }
        var b = u.next()
        if b.map({ $0 | 0x20 }) == UInt8(ascii: "s") { b = u.next() }
        return b == UInt8(ascii: ":") && u.next() == UInt8(ascii: "/") && u.next() == UInt8(ascii: "/")
    }

    // MARK: Loading

    func load(_ url: String, accept: String = jsonLDAccept) async -> Result<LoadedDocument, DocumentLoaderError> {
        for d in documents where d.url == url { return d.result }
        let result: Result<LoadedDocument, DocumentLoaderError>
        do {
            result = .success(try await loader.load(urlString: url, accept: accept))
        } catch let e as DocumentLoaderError {
            result = .failure(e)
        } catch {
            result = .failure(DocumentLoaderError(.connectionFailed, url: url, message: "\(error)"))
        }
        documents.append((url, result))
        return result
    }

    /// Loads a linked document and checks its status. Records a blocking skip (unreachable) or a failure (bad URL).
    func loadDocument(_ url: String, check id: String, what: LocalizedText) async -> LoadedDocument? {
        switch await load(url) {
        case .failure(let e):
            if e.code == .invalidURL || e.code == .unsupportedScheme {
                fail(
                    id, .malformed, fr: "\(what.fr) : adresse invalide (\(url))",
                    en: "\(what.en): invalid URL (\(url))")
            } else {
                skip(
                    id, blocking: true, fr: "\(what.fr) inaccessible (\(url)) : \(e.message)",
                    en: "\(what.en) unreachable (\(url)): \(e.message)")
            }
            return nil
        case .success(let doc):
            guard (200..<300).contains(doc.statusCode) else {
                skip(
                    id, blocking: true, fr: "\(what.fr) inaccessible (\(url)) : HTTP \(doc.statusCode)",
                    en: "\(what.en) unreachable (\(url)): HTTP \(doc.statusCode)")
                return nil
            }
            return doc
        }
    }

    /// Loads a linked document and decodes it (JSON, then the model), reusing an earlier decode of the same
    /// bytes. Records a failure when it is not JSON or not a valid document.
    func loadDecoded<T: LinkedDocument>(_ url: String, check id: String, what: LocalizedText) async -> T? {
        guard let doc = await loadDocument(url, check: id, what: what) else { return nil }
        if let e = modelCache.value(url, body: doc.body), let cached = T.fromEntry(e) { return cached }
        var json = doc.json
        if json == nil {
            json = try? JSONValue(parsing: doc.body)
        }
        guard let json else {
            fail(
                id, .malformed, fr: "\(what.fr) (\(url)) n'est pas du JSON valide",
                en: "\(what.en) (\(url)) is not valid JSON")
            return nil
        }
        do {
            let value = try T.decodeLinked(json)
            modelCache.store(url, body: doc.body, value: value.entry)
            return value
        } catch {
            fail(id, .malformed, fr: error.messageFR, en: error.messageEN)
            return nil
        }
    }

    // MARK: Entry points

    func verifyJSON(_ text: String) async {
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch {
            fail(
                "assertion.json", .malformed, fr: "JSON invalide : \(error.reason)", en: "Invalid JSON: \(error.reason)"
            )
            return
        }
        let verification = json["verification"] ?? json["verify"]
        let vtypes = (verification?["type"]?.oneOrMany ?? []).compactMap(\.stringValue).map(ObjectReader.localTypeName)
        if vtypes.contains("SignedBadge") || vtypes.contains("signed") {
            fail(
                "signature.present", .invalid,
                fr: "Badge signé présenté sans sa signature (JWS) : il ne peut pas être vérifié",
                en: "Signed badge presented without its signature (JWS): it cannot be verified")
            return
        }
        guard vtypes.contains("HostedBadge") || vtypes.contains("hosted") else {
            fail(
                "assertion.verificationType", .malformed,
                fr: "Type de vérification absent ou inconnu (HostedBadge ou SignedBadge attendu)",
                en: "Missing or unknown verification type (HostedBadge or SignedBadge expected)")
            return
        }
        // A hosted assertion given in full is only trusted to identify its URL.
        guard let id = json["id"]?.stringValue, let url = URL(string: id),
            ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host != nil
        else {
            fail(
                "assertion.id", .malformed, fr: "Un badge hébergé doit avoir pour « id » son adresse http(s)",
                en: "A hosted badge's \"id\" must be its http(s) URL")
            return
        }
        await verifyHosted(url: url)
    }

    /// Verifies a signed OB 2.0 assertion; `parsed` is `text` already split and decoded, when it was.
    func verifySigned(jws text: String, parsed: CompactJWS? = nil) async {
        let jws: CompactJWS
        if let parsed {
            jws = parsed
        } else {
            do { jws = try CompactJWS(text) } catch {
                fail(
                    "jws.structure", .malformed, fr: "JWS invalide : \(error.messageFR)",
                    en: "Invalid JWS: \(error.messageEN)")
                return
            }
        }
        self.jws = jws.compact
        pass("jws.structure", fr: "Structure JWS compacte correcte", en: "Well-formed compact JWS")
        // Pin the algorithm before anything else, before any key lookup.
        guard jws.algorithm == "RS256" else {
            fail(
                "jws.algorithm", .forged,
                fr: "Algorithme de signature refusé : « \(jws.algorithm ?? "absent") » (seul RS256 est accepté)",
                en: "Signature algorithm refused: \"\(jws.algorithm ?? "missing")\" (only RS256 is accepted)")
            return
        }
        pass("jws.algorithm", fr: "Algorithme RS256", en: "RS256 algorithm")
        let json: JSONValue
        do { json = try JSONValue(parsing: jws.payload) } catch {
            fail(
                "assertion.json", .malformed, fr: "La charge utile du JWS n'est pas du JSON valide : \(error.reason)",
                en: "The JWS payload is not valid JSON: \(error.reason)")
            return
        }
        guard let assertion = decodeAssertion(json) else { return }
        guard assertion.verification.isSigned else {
            fail(
                "assertion.verificationType", .invalid,
                fr: "L'assertion signée doit déclarer une vérification « SignedBadge »",
                en: "A signed assertion must declare \"SignedBadge\" verification")
            return
        }
        pass(
            "assertion.verificationType", fr: "Vérification par signature (SignedBadge)",
            en: "Signed verification (SignedBadge)")
        await verifyLinked(assertion, signed: jws)
    }

    func verifyHosted(url: URL) async {
        let requested = url.absoluteString
        let doc: LoadedDocument
        switch await load(requested, accept: badgeAccept) {
        case .failure(let e) where e.code == .notFound:
            failNotFound(requested, status: nil)
            return
        case .failure(let e):
            skip(
                "assertion.load", blocking: true, fr: "Assertion inaccessible (\(requested)) : \(e.message)",
                en: "Assertion unreachable (\(requested)): \(e.message)")
            return
        case .success(let d): doc = d
        }
        var summary = AssertionSummary()
        summary.id = requested
        summary.verificationType = "HostedBadge"
        if doc.statusCode == 410 {
            summary.revocationReason = (try? JSONValue(parsing: doc.body))?["revocationReason"]?.stringValue
            self.summary = summary
            fail(
                "revocation", .revoked, fr: "L'émetteur a révoqué ce badge (HTTP 410)",
                en: "The issuer revoked this badge (HTTP 410)")
            return
        }
        if doc.statusCode == 404 {
            failNotFound(requested, status: 404)
            return
        }
        guard (200..<300).contains(doc.statusCode) else {
            skip(
                "assertion.load", blocking: true, fr: "Assertion inaccessible (\(requested)) : HTTP \(doc.statusCode)",
                en: "Assertion unreachable (\(requested)): HTTP \(doc.statusCode)")
            return
        }
        if let text = String(validating: doc.body, as: UTF8.self), let jwt = VCJWT(text: text) {
            pass("assertion.load", fr: "Badge Open Badges 3.0 récupéré", en: "Open Badges 3.0 badge retrieved")
            await verifyOB3(jwt: jwt)
            return
        }
        if let json = try? JSONValue(parsing: doc.body), OB3Credential.isVerifiableCredential(json) {
            pass("assertion.load", fr: "Badge Open Badges 3.0 récupéré", en: "Open Badges 3.0 badge retrieved")
            await verifyOB3(json: json)
            return
        }
        pass("assertion.load", fr: "Assertion hébergée récupérée", en: "Hosted assertion retrieved")
        let json: JSONValue
        do { json = try JSONValue(parsing: doc.body) } catch {
            fail(
                "assertion.json", .malformed, fr: "L'assertion hébergée n'est pas du JSON valide",
                en: "The hosted assertion is not valid JSON")
            return
        }
        if json["revoked"]?.boolValue == true {
            summary.revocationReason = json["revocationReason"]?.stringValue
            self.summary = summary
            fail("revocation", .revoked, fr: "L'émetteur a révoqué ce badge", en: "The issuer revoked this badge")
            return
        }
        guard let assertion = decodeAssertion(json) else { return }
        // The hosted copy is the source of truth, and must be the object that was asked for.
        if assertion.id != requested && assertion.id != doc.url.absoluteString {
            fail(
                "assertion.id", .invalid,
                fr:
                    "L'assertion hébergée porte l'identifiant « \(assertion.id) » au lieu de son adresse « \(requested) »",
                en: "The hosted assertion's id \"\(assertion.id)\" is not its URL \"\(requested)\"")
            return
        }
        pass("assertion.id", fr: "L'identifiant de l'assertion est son adresse", en: "The assertion's id is its URL")
        guard assertion.verification.isHosted else {
            fail(
                "assertion.verificationType", .invalid,
                fr: "L'assertion hébergée doit déclarer une vérification « HostedBadge »",
                en: "A hosted assertion must declare \"HostedBadge\" verification")
            return
        }
        pass(
            "assertion.verificationType", fr: "Vérification hébergée (HostedBadge)",
            en: "Hosted verification (HostedBadge)")
        await verifyLinked(assertion, signed: nil)
    }

    /// The issuer answers that the hosted assertion does not exist: a definitive verdict, not "try again later".
    func failNotFound(_ url: String, status: Int?) {
        let answer = status.map { "HTTP \($0)" } ?? "not found"
        fail(
            "assertion.load", .notFound, fr: "Ce badge n'existe pas (ou plus) chez son émetteur",
            en: "This badge does not exist (any more) at its issuer",
            detail: LocalizedText(
                fr: "\(url) : \(status.map { "HTTP \($0)" } ?? "introuvable")", en: "\(url): \(answer)"))
    }

    /// Reads the assertion document, records its structure check and the summary.
    func decodeAssertion(_ json: JSONValue) -> Assertion? {
        do {
            let assertion = try Assertion(document: json)
            assertionDocument = json
            summarize(assertion)
            pass(
                "assertion.structure", fr: "Assertion Open Badges 2.0 conforme",
                en: "Conformant Open Badges 2.0 assertion")
            return assertion
        } catch {
            fail("assertion.structure", .malformed, fr: error.messageFR, en: error.messageEN)
            return nil
        }
    }

    // MARK: Linked documents and checks

    func summarize(_ a: Assertion) {
        var s = summary ?? AssertionSummary()
        s.id = a.id
        s.badgeID = a.badgeID
        s.issuedOn = a.issuedOn.text
        s.expires = a.expires?.text
        s.recipientHashed = a.recipient.hashed
        s.verificationType = a.verification.isSigned ? "SignedBadge" : (a.verification.isHosted ? "HostedBadge" : nil)
        s.narrative = a.narrative
        s.evidence = a.evidence.compactMap { if case .embedded(let e) = $0 { e } else { nil } }
        if case .embedded(let b) = a.badge { fill(&s, badge: b) }
        summary = s
    }

    func fill(_ s: inout AssertionSummary, badge b: BadgeClass) {
        s.badgeID = b.id
        s.badgeName = b.name
        s.badgeDescription = b.description
        s.badgeImage = b.imageID
        s.alignment = b.alignment
        if case .embedded(let p) = b.issuer {
            s.issuerID = p.id
            s.issuerName = p.name
        } else {
            s.issuerID = b.issuerID
        }
    }

    func verifyLinked(_ assertion: Assertion, signed jws: CompactJWS?) async {
        // BadgeClass: an embedded copy is what was claimed at issue time (signed); hosted badges always fetch it.
        var badge: BadgeClass?
        switch assertion.badge {
        case .embedded(let b) where jws != nil:
            badge = b
            pass("badge.structure", fr: "Classe de badge intégrée conforme", en: "Conformant embedded badge class")
        default:
            guard let id = assertion.badgeID else {
                fail(
                    "badge.structure", .malformed, fr: "Classe de badge sans identifiant",
                    en: "Badge class without an id")
                return
            }
            let what = LocalizedText(fr: "Classe de badge", en: "Badge class")
            guard let b: BadgeClass = await loadDecoded(id, check: "badge.structure", what: what) else { return }
            if b.id != id {
                fail(
                    "badge.structure", .invalid,
                    fr: "La classe de badge récupérée à « \(id) » porte l'identifiant « \(b.id) »",
                    en: "The badge class fetched from \"\(id)\" has the id \"\(b.id)\"")
                return
            }
            badge = b
            pass("badge.structure", fr: "Classe de badge conforme", en: "Conformant badge class")
        }
        guard let badge else { return }
        if summary != nil { fill(&summary!, badge: badge) }

        // Issuer: always the hosted profile, fetched from its id.
        guard let issuerID = badge.issuerID else {
            fail(
                "issuer.structure", .malformed, fr: "Classe de badge sans émetteur", en: "Badge class without an issuer"
            )
            return
        }
        let what = LocalizedText(fr: "Profil de l'émetteur", en: "Issuer profile")
        guard let issuer: Profile = await loadDecoded(issuerID, check: "issuer.structure", what: what) else { return }
        pass("issuer.structure", fr: "Profil d'émetteur conforme", en: "Conformant issuer profile")
        summary?.issuerID = issuer.id
        summary?.issuerName = issuer.name
        if issuer.id != issuerID {
            fail(
                "badge.issuer", .invalid,
                fr: "Le profil récupéré à « \(issuerID) » porte l'identifiant « \(issuer.id) »",
                en: "The profile fetched from \"\(issuerID)\" has the id \"\(issuer.id)\"")
        } else if case .embedded(let claimed) = badge.issuer, claimed.id != issuer.id {
            fail(
                "badge.issuer", .invalid, fr: "L'émetteur de la classe de badge ne correspond pas",
                en: "The badge class issuer does not match")
        } else {
            pass(
                "badge.issuer", fr: "La classe de badge appartient à cet émetteur",
                en: "The badge class belongs to this issuer")
        }

        if let jws {
            await checkSignature(jws, assertion: assertion, issuer: issuer)
            await checkRevocationList(assertion, issuer: issuer)
        } else {
            checkHostedScope(assertion, badge: badge, issuer: issuer)
            pass(
                "revocation", fr: "Non révoqué (l'assertion hébergée est servie normalement)",
                en: "Not revoked (the hosted assertion is served normally)")
        }
        checkDates(assertion)
        checkRecipient(assertion)
        await checkBadgeImage(badge)
    }

    func checkSignature(_ jws: CompactJWS, assertion: Assertion, issuer: Profile) async {
        let listed = issuer.publicKeyIDs
        var candidates: [String]
        if let creator = assertion.verification.creator {
            guard listed.contains(creator) else {
                fail(
                    "key.authorized", .forged,
                    fr: "La clé de signature « \(creator) » n'est pas publiée par l'émetteur",
                    en: "The signing key \"\(creator)\" is not published by the issuer")
                return
            }
            candidates = [creator]
        } else {
            candidates = listed
        }
        let embeddedKeys = issuer.publicKey.compactMap { ref -> CryptographicKey? in
            if case .embedded(let k) = ref { return k }
            return nil
        }
        guard !candidates.isEmpty || !embeddedKeys.isEmpty else {
            fail(
                "key.authorized", .forged, fr: "L'émetteur ne publie aucune clé publique",
                en: "The issuer publishes no public key")
            return
        }
        pass("key.authorized", fr: "Clé de signature publiée par l'émetteur", en: "Signing key published by the issuer")

        var unreachable: [String] = []
        var ownerProblem: String?
        for keyID in candidates {
            let key: CryptographicKey
            let parsed: PublicKey?
            if let k = embeddedKeys.first(where: { $0.id == keyID && $0.publicKeyPem != nil }) {
                key = k
                parsed = k.publicKeyPem.flatMap { try? keyCache.key(pem: $0) }
            } else {
                switch await load(keyID) {
                case .failure(let e):
                    unreachable.append("\(keyID): \(e.message)")
                    continue
                case .success(let doc):
                    guard (200..<300).contains(doc.statusCode) else {
                        unreachable.append("\(keyID): HTTP \(doc.statusCode)")
                        continue
                    }
                    if let e = modelCache.value(keyID, body: doc.body), case .key(let k, let pk) = e {
                        (key, parsed) = (k, pk)
                    } else {
                        guard let json = doc.json ?? (try? JSONValue(parsing: doc.body)),
                            let k = try? CryptographicKey(document: json)
                        else {
                            unreachable.append("\(keyID): not a CryptographicKey document")
                            continue
                        }
                        let pk = k.publicKeyPem.flatMap { try? keyCache.key(pem: $0) }
                        modelCache.store(keyID, body: doc.body, value: .key(k, pk))
                        (key, parsed) = (k, pk)
                    }
                }
            }
            if let owner = key.owner, owner != issuer.id {
                ownerProblem = owner
                continue
            }
            guard let publicKey = parsed, case .rsa = publicKey.algorithm else { continue }
            if publicKey.isValidSignature(jws.signature, for: jws.signingInput, algorithm: .rs256) {
                if key.owner == nil {
                    skip(
                        "key.owner", blocking: false,
                        fr: "La clé ne déclare pas son propriétaire (« owner ») ; elle est publiée par l'émetteur",
                        en: "The key does not declare its \"owner\"; it is published by the issuer")
                } else {
                    pass("key.owner", fr: "La clé appartient à l'émetteur", en: "The key belongs to the issuer")
                }
                pass("signature", fr: "Signature RS256 valide", en: "Valid RS256 signature")
                return
            }
        }
        if let ownerProblem {
            fail(
                "key.owner", .forged, fr: "La clé appartient à un autre profil (« \(ownerProblem) »)",
                en: "The key belongs to another profile (\"\(ownerProblem)\")")
            return
        }
        if !unreachable.isEmpty && unreachable.count == candidates.count {
            skip(
                "signature", blocking: true, fr: "Clé publique inaccessible : \(unreachable.joined(separator: "; "))",
                en: "Public key unreachable: \(unreachable.joined(separator: "; "))")
            return
        }
        fail(
            "signature", .forged,
            fr: "Signature invalide : le badge a été modifié ou n'a pas été signé par cet émetteur",
            en: "Invalid signature: the badge was altered or not signed by this issuer")
    }

    func checkRevocationList(_ assertion: Assertion, issuer: Profile) async {
        guard let listURL = issuer.revocationList else {
            pass(
                "revocation", fr: "Non révoqué (l'émetteur ne publie pas de liste de révocation)",
                en: "Not revoked (the issuer publishes no revocation list)")
            return
        }
        let what = LocalizedText(fr: "Liste de révocation", en: "Revocation list")
        guard let list: RevocationList = await loadDecoded(listURL, check: "revocation", what: what) else { return }
        if let entry = list.entry(for: assertion.id) {
            summary?.revocationReason = entry.revocationReason
            fail("revocation", .revoked, fr: "L'émetteur a révoqué ce badge", en: "The issuer revoked this badge")
        } else {
            pass("revocation", fr: "Non révoqué", en: "Not revoked")
        }
    }

    /// Hosted verification scope (DIGEST §2.2 step 5): `startsWith` and `allowedOrigins`, or the issuer's origin.
    func checkHostedScope(_ assertion: Assertion, badge: BadgeClass, issuer: Profile) {
        let policy = issuer.verification
        if let prefixes = policy?.startsWith, !prefixes.isEmpty,
            !prefixes.contains(where: { assertion.id.hasPrefix($0) })
        {
            fail(
                "hosted.origin", .forged,
                fr: "L'adresse de l'assertion n'est pas dans le périmètre déclaré par l'émetteur",
                en: "The assertion URL is outside the issuer's declared scope")
            return
        }
        let allowed: [String]
        if let origins = policy?.allowedOrigins, !origins.isEmpty {
            allowed = origins.map { $0.lowercased() }
        } else {
            guard let issuerAuthority = Verifier.authority(of: issuer.id) else {
                skip(
                    "hosted.origin", blocking: false, fr: "Identifiant d'émetteur non http(s) : origine non vérifiable",
                    en: "Issuer id is not http(s): origin not checkable")
                return
            }
            allowed = [issuerAuthority]
        }
        let assertionOK = Verifier.authority(of: assertion.id).map(allowed.contains) ?? false
        let badgeOK = policy != nil || (Verifier.authority(of: badge.id).map(allowed.contains) ?? false)
        guard assertionOK, badgeOK else {
            fail(
                "hosted.origin", .forged,
                fr:
                    "L'assertion ou la classe de badge n'est pas hébergée chez l'émetteur (\(allowed.joined(separator: ", ")))",
                en: "The assertion or badge class is not hosted by the issuer (\(allowed.joined(separator: ", ")))")
            return
        }
        pass("hosted.origin", fr: "Hébergée à l'origine de l'émetteur", en: "Hosted at the issuer's origin")
    }

    func checkDates(_ assertion: Assertion) {
        let now = options.now
        let issued = HumanDate.text(assertion.issuedOn.date)
        if assertion.issuedOn.date > now {
            fail(
                "dates.issuedOn", .notYetValid, fr: "Date d'émission dans le futur (\(issued.fr))",
                en: "Issue date in the future (\(issued.en))", detail: iso(assertion.issuedOn))
        } else {
            pass("dates.issuedOn", fr: "Émis le \(issued.fr)", en: "Issued on \(issued.en)")
        }
        guard let expires = assertion.expires else {
            pass("dates.expires", fr: "Pas de date d'expiration", en: "No expiry date")
            return
        }
        if expires.date < assertion.issuedOn.date {
            fail(
                "dates.expires", .invalid, fr: "La date d'expiration précède la date d'émission",
                en: "The expiry date is before the issue date")
        } else if expires.date <= now {
            let day = HumanDate.text(expires.date)
            fail("dates.expires", .expired, fr: "Expiré depuis le \(day.fr)", en: "Expired on \(day.en)")
        } else {
            let day = HumanDate.text(expires.date)
            pass("dates.expires", fr: "Valide jusqu'au \(day.fr)", en: "Valid until \(day.en)")
        }
    }

    /// The date as written in the badge (ISO 8601), as a technical detail.
    func iso(_ value: DateTimeValue) -> LocalizedText {
        LocalizedText(fr: "date dans le badge : \(value.text)", en: "date in the badge: \(value.text)")
    }

    func checkRecipient(_ assertion: Assertion) {
        guard let expected = options.recipient else {
            skip(
                "recipient", blocking: false, fr: "Destinataire non vérifié (aucune adresse fournie)",
                en: "Recipient not checked (no identifier given)")
            return
        }
        let r = assertion.recipient
        guard ObjectReader.localTypeName(r.type) == expected.type else {
            fail(
                "recipient", .recipientMismatch,
                fr: "Le badge identifie son destinataire par « \(r.type) », pas par « \(expected.type) »",
                en: "The badge identifies its recipient by \"\(r.type)\", not \"\(expected.type)\"")
            return
        }
        if let match = expected.match(r) {
            recipientMatch = match
            switch match {
            case .asTyped:
                pass(
                    "recipient", fr: "Délivré à \(expected.value) (adresse telle que saisie)",
                    en: "Issued to \(expected.value) (address as typed)")
            case .normalized where EmailNormalization.normalize(expected.value) == expected.value:
                pass(
                    "recipient",
                    fr: "Délivré à \(expected.value) (le badge écrit l'adresse autrement, même forme normalisée)",
                    en: "Issued to \(expected.value) (the badge writes the address differently, same normalised form)")
            case .normalized:
                let normalized = EmailNormalization.normalize(expected.value)
                pass(
                    "recipient",
                    fr: "Délivré à \(normalized), forme normalisée de l'adresse saisie « \(expected.value) » "
                        + "(espaces retirés, minuscules)",
                    en: "Issued to \(normalized), the normalised form of the address typed \"\(expected.value)\" "
                        + "(spaces removed, lower case)")
            }
            return
        }
        let normalized = EmailNormalization.normalize(expected.value)
        let both = expected.type == "email" && normalized != expected.value
        fail(
            "recipient", .recipientMismatch,
            fr: "Ce badge n'a pas été délivré à \(expected.value)"
                + (both ? " (ni à sa forme normalisée « \(normalized) »)" : ""),
            en: "This badge was not issued to \(expected.value)"
                + (both ? " (nor to its normalised form \"\(normalized)\")" : ""))
    }

    func checkBadgeImage(_ badge: BadgeClass) async {
        guard let image = badge.imageID else { return }
        if image.hasPrefix("data:") {
            let header = image.prefix(while: { $0 != "," }).lowercased()
            if header.hasPrefix("data:image/png") || header.hasPrefix("data:image/svg+xml") {
                pass("badge.image", fr: "Image du badge PNG ou SVG", en: "PNG or SVG badge image")
            } else {
                fail(
                    "badge.image", .invalid, fr: "L'image du badge doit être PNG ou SVG",
                    en: "The badge image must be PNG or SVG")
            }
            return
        }
        switch await load(image, accept: "image/png, image/svg+xml") {
        case .failure(let e):
            skip(
                "badge.image", blocking: true, fr: "Image du badge inaccessible : \(e.message)",
                en: "Badge image unreachable: \(e.message)")
        case .success(let doc):
            guard (200..<300).contains(doc.statusCode) else {
                skip(
                    "badge.image", blocking: true, fr: "Image du badge inaccessible : HTTP \(doc.statusCode)",
                    en: "Badge image unreachable: HTTP \(doc.statusCode)")
                return
            }
            if BadgeImageFormat.detect(doc.body) != nil {
                pass("badge.image", fr: "Image du badge PNG ou SVG", en: "PNG or SVG badge image")
            } else {
                fail(
                    "badge.image", .invalid, fr: "L'image du badge n'est ni PNG ni SVG",
                    en: "The badge image is neither PNG nor SVG")
            }
        }
    }
}

extension Verifier {
    /// RFC 3986 authority (`host[:port]`, lowercased) of an http(s) URL.
    public static func authority(of id: String) -> String? {
        guard let c = URLComponents(string: id), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = c.host?.lowercased(), !host.isEmpty
        else { return nil }
        if let port = c.port { return "\(host):\(port)" }
        return host
    }
}
