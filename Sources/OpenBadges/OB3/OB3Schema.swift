import Foundation

/// The official Open Badges 3.0 JSON Schemas (draft 2019-09, the strict "json" binding), bundled byte for byte in
/// `Schemas/ob3` (origin in `Schemas/SOURCES.md`), each loaded and compiled once. The verifier checks every OB 3.0
/// credential against `achievementCredential`; the issuer checks what it emits.
public enum OB3Schema: String, Sendable, CaseIterable {
    /// `achievementcredential.json`: an `OpenBadgeCredential` / `AchievementCredential`.
    case achievementCredential = "achievementcredential"
    /// `profile.json`: an issuer profile.
    case profile
    /// `endorsementcredential.json`: an `EndorsementCredential`.
    case endorsementCredential = "endorsementcredential"

    /// The violations of `document` against `schema`, in the order found; empty when it conforms. A bundled schema
    /// that cannot be loaded (a broken installation) gives one violation with the keyword `schema`.
    /// `singleValuesAsArrays` reads a single value where the schema wants an array as an array of one (JSON-LD
    /// compaction writes `"proof": {…}`; the schema's strict binding wants `[{…}]`): on for credentials received,
    /// off (strict) for what Insigne emits.
    public static func violations(
        of document: JSONValue, schema: OB3Schema, singleValuesAsArrays: Bool = false
    ) -> [JSONSchemaViolation] {
        switch schema.validator {
        case .success(var validator):
            validator.singleValuesAsArrays = singleValuesAsArrays
            return validator.validate(document)
        case .failure(let error):
            return [
                JSONSchemaViolation(
                    instancePath: "", keyword: "schema", message: "the bundled schema cannot be loaded: \(error)")
            ]
        }
    }

    /// The compiled schema, or why it could not be loaded.
    public var validator: Result<JSONSchemaValidator, JSONSchemaError> {
        // One static per schema: a dictionary look-up hashed the key on every verification.
        switch self {
        case .achievementCredential: Self.achievementCredentialLoaded
        case .profile: Self.profileLoaded
        case .endorsementCredential: Self.endorsementCredentialLoaded
        }
    }

    /// The bundled file's name, e.g. `achievementcredential.json`.
    public var fileName: String { rawValue + ".json" }

    private static let achievementCredentialLoaded = OB3Schema.achievementCredential.load()
    private static let profileLoaded = OB3Schema.profile.load()
    private static let endorsementCredentialLoaded = OB3Schema.endorsementCredential.load()

    private func load() -> Result<JSONSchemaValidator, JSONSchemaError> {
        guard let url = Bundle.module.url(forResource: rawValue, withExtension: "json", subdirectory: "Schemas/ob3"),
            let data = try? Data(contentsOf: url)
        else { return .failure(.unreadableFile("Schemas/ob3/" + fileName)) }
        do {
            let schema = try JSONValue(parsing: [UInt8](data))
            return .success(try JSONSchemaValidator(schema: schema))
        } catch let error as JSONSchemaError {
            return .failure(error)
        } catch {
            return .failure(.invalidJSON(fileName, "\(error)"))
        }
    }
}

// MARK: - VC 1.1 and VC-JWT

extension OB3Schema {
    static let vc1Context = "https://www.w3.org/2018/credentials/v1"
    static let vc2Context = "https://www.w3.org/ns/credentials/v2"

    /// The VC 2.0 view of a credential that the schema (written for VC 2.0 only) can judge. OB 3.0 accepts VC 1.1
    /// credentials too, which the schema refuses for their shape alone; in their view, the credential and every
    /// credential inside it (endorsements) have the VC 2.0 context first and `validFrom` / `validUntil` for
    /// `issuanceDate` / `expirationDate`. For a VC-JWT, the registered claims stand for what the credential omits
    /// (VC-JWT 1.1 §6.3.1): `jti` → `id`, `iss` → `issuer`, `nbf` → `validFrom`, `exp` → `validUntil`,
    /// `sub` → `credentialSubject.id`. A VC 2.0 credential without claims is its own view.
    public static func schemaView(of credential: JSONValue, claims: [String: JSONValue]? = nil) -> JSONValue {
        let view = isVC2Only(credential) ? credential : vc2View(credential)
        guard case .object(var o) = view else { return credential }
        guard let claims else { return .object(o) }
        if o["id"] == nil, let jti = claims["jti"]?.stringValue { o["id"] = .string(jti) }
        if o["issuer"] == nil, let iss = claims["iss"]?.stringValue { o["issuer"] = .string(iss) }
        if o["validFrom"] == nil, let nbf = claims["nbf"]?.numberValue { o["validFrom"] = .string(dateText(nbf)) }
        if o["validUntil"] == nil, let exp = claims["exp"]?.numberValue { o["validUntil"] = .string(dateText(exp)) }
        if case .object(var subject)? = o["credentialSubject"], subject["id"] == nil,
            let sub = claims["sub"]?.stringValue
        {
            subject["id"] = .string(sub)
            o["credentialSubject"] = .object(subject)
        }
        return .object(o)
    }

    /// True when no object, at any depth, has the VC 1.1 context first: the view is then the credential itself
    /// (a walk that copies nothing).
    private static func isVC2Only(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let a):
            return a.allSatisfy(isVC2Only)
        case .object(let o):
            if case .array(let contexts)? = o["@context"], contexts.first == .string(vc1Context) { return false }
            return o.values.allSatisfy { v in
                switch v {
                case .array, .object: isVC2Only(v)
                default: true
                }
            }
        default:
            return true
        }
    }

    /// VC 1.1 objects, at any depth, in their VC 2.0 shape (the JSON parser bounds the depth).
    private static func vc2View(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let a):
            return .array(a.map(vc2View))
        case .object(var o):
            for (k, v) in o where v.arrayValue != nil || v.objectValue != nil { o[k] = vc2View(v) }
            if case .array(var contexts)? = o["@context"], contexts.first == .string(vc1Context) {
                contexts[0] = .string(vc2Context)
                o["@context"] = .array(contexts)
                rename("issuanceDate", to: "validFrom", in: &o)
                rename("expirationDate", to: "validUntil", in: &o)
            }
            return .object(o)
        default:
            return value
        }
    }

    private static func rename(_ old: String, to new: String, in o: inout [String: JSONValue]) {
        guard let value = o.removeValue(forKey: old), o[new] == nil else { return }
        o[new] = value
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` (UTC, whole seconds), as `ISO8601DateFormatter` writes it: by arithmetic from
    /// 1970 to 9999 (a formatter costs tens of microseconds to make), by the formatter outside.
    static func dateText(_ seconds: Double) -> String {
        let whole = seconds.rounded(.down)
        if whole >= 0, whole < 253_402_300_800 {
            let t = Int(whole)
            let (days, rest) = t.quotientAndRemainder(dividingBy: 86_400)
            let (year, month, day) = HumanDate.civilDate(days: days)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            let y = String(year)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-\(two(month))-\(two(day))T"
                + "\(two(rest / 3_600)):\(two(rest % 3_600 / 60)):\(two(rest % 60))Z"
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}

// MARK: - Messages

extension OB3Schema {
    /// The first `limit` distinct problems, each named by its JSON Pointer, in French and English, e.g.
    /// « /credentialSubject/achievement/criteria manquant ».
    public static func describe(_ violations: [JSONSchemaViolation], limit: Int = 3) -> LocalizedText {
        var seen = Set<String>()
        var fr: [String] = []
        var en: [String] = []
        // The first 200 are enough to choose from (and keep this cheap on hostile input); an `anyOf` / `oneOf`
        // failure is left out when a violation below it says more.
        let head = violations.prefix(200)
        let combinators = ["anyOf", "oneOf"]
        let vague = Set(
            head.filter { combinators.contains($0.keyword) }.map(\.instancePath).filter { p in
                head.contains { $0.pointer.hasPrefix(p + "/") }
            })
        for v in head
        where !(combinators.contains(v.keyword) && vague.contains(v.instancePath))
            && seen.insert(v.pointer + "|" + v.keyword).inserted
        {
            if fr.count == limit { continue }
            let p = v.pointer.isEmpty ? "/" : v.pointer
            let (f, e) = phrases(v.keyword)
            fr.append(v.keyword == "required" ? "\(p) \(f)" : "\(p) : \(f)")
            en.append(v.keyword == "required" ? "\(p) \(e)" : "\(p): \(e)")
        }
        let more = seen.count - fr.count + violations.count - head.count
        if more > 0 {
            fr.append("et \(more) autre\(more > 1 ? "s" : "")")
            en.append("and \(more) more")
        }
        return LocalizedText(fr: fr.joined(separator: " ; "), en: en.joined(separator: "; "))
    }

    private static func phrases(_ keyword: String) -> (fr: String, en: String) {
        switch keyword {
        case "required": ("manquant", "missing")
        case "additionalProperties": ("propriété non autorisée", "property not allowed")
        case "type": ("type incorrect", "wrong type")
        case "format": ("format incorrect", "wrong format")
        case "enum", "const": ("valeur non autorisée", "value not allowed")
        case "budget": ("document trop complexe pour être vérifié", "document too complex to be checked")
        case "schema": ("schéma Open Badges 3.0 illisible", "unreadable Open Badges 3.0 schema")
        default: ("valeur non conforme (\(keyword))", "value does not conform (\(keyword))")
        }
    }
}
