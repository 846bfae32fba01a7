import Foundation
import OpenBadgesCrypto

/// A verification key found for a proof, with who controls it.
public struct ResolvedKey: Sendable {
    /// The key.
    public var key: PublicKey
    /// The method's `controller` (for `did:key`, the DID itself); nil when the document does not say.
    public var controller: String?
    /// How it was found: `did:key`, `did:web`, `url` or `jwk`.
    public var method: String
}

/// Pure helpers for DID URLs and verification-method documents (no network).
public enum DIDResolution {
    /// The key of a `did:key` DID or DID URL (`did:key:z6Mk…`, `did:key:z6Mk…#z6Mk…`); its controller is the DID.
    public static func didKey(_ didURL: String) throws(KeyResolutionError) -> ResolvedKey {
        let did = String(didURL.prefix { $0 != "#" })
        guard did.hasPrefix("did:key:") else {
            throw KeyResolutionError(fr: "ce n'est pas un identifiant did:key", en: "not a did:key identifier")
        }
        let value = String(did.dropFirst("did:key:".count))
        if let fragment = didURL.firstIndex(of: "#").map({ didURL[didURL.index(after: $0)...] }),
            !fragment.isEmpty, fragment != value
        {
            throw KeyResolutionError(
                fr: "le fragment du did:key ne désigne pas sa clé", en: "the did:key fragment does not name its key")
        }
        return ResolvedKey(key: try Multibase.publicKey(multikey: value), controller: did, method: "did:key")
    }

    /// The HTTPS address of a `did:web` DID document: `did:web:host` → `https://host/.well-known/did.json`,
    /// `did:web:host:path:to` → `https://host/path/to/did.json` (`%3A` in the host is a port separator).
    public static func didWebURL(_ didURL: String) throws(KeyResolutionError) -> String {
        let did = String(didURL.prefix { $0 != "#" && $0 != "?" })
        guard did.hasPrefix("did:web:") else {
            throw KeyResolutionError(fr: "ce n'est pas un identifiant did:web", en: "not a did:web identifier")
        }
        let parts = did.dropFirst("did:web:".count).split(separator: ":", omittingEmptySubsequences: false)
        guard let hostPart = parts.first, let host = hostPart.removingPercentEncoding, !host.isEmpty,
            !host.contains("/"), !host.contains("@"),
            parts.dropFirst().allSatisfy({ !$0.isEmpty && !$0.contains("/") && $0 != ".." && $0 != "." })
        else {
            throw KeyResolutionError(fr: "identifiant did:web invalide", en: "invalid did:web identifier")
        }
        let path = parts.dropFirst().map(String.init)
        return "https://\(host)/" + (path.isEmpty ? ".well-known" : path.joined(separator: "/")) + "/did.json"
    }

    /// The verification method `id` in a document: the document itself when it is the method, else an entry of
    /// `verificationMethod` or `assertionMethod` (ids may be relative `#fragment`s of the document's id).
    public static func method(_ id: String, in document: JSONValue) -> [String: JSONValue]? {
        guard case .object(let doc) = document else { return nil }
        let docID = doc["id"]?.stringValue
        func matches(_ candidate: String?) -> Bool {
            guard let candidate else { return false }
            if candidate == id { return true }
            if candidate.hasPrefix("#"), let docID { return docID + candidate == id }
            return false
        }
        if matches(docID), doc["publicKeyMultibase"] != nil || doc["publicKeyJwk"] != nil { return doc }
        for list in ["verificationMethod", "assertionMethod"] {
            for entry in doc[list]?.oneOrMany ?? [] {
                if case .object(let m) = entry, matches(m["id"]?.stringValue) { return m }
            }
        }
        // A document without fragment ids holding a single key addressed by the document URL.
        if !id.contains("#"), docID == nil || docID == id,
            doc["publicKeyMultibase"] != nil || doc["publicKeyJwk"] != nil
        {
            return doc
        }
        return nil
    }

    /// The key of a verification method object (Multikey, Ed25519VerificationKey2020, JsonWebKey, JsonWebKey2020).
    public static func key(of method: [String: JSONValue], via: String) throws(KeyResolutionError) -> ResolvedKey {
        let controller = method["controller"]?.stringValue
        if let multibase = method["publicKeyMultibase"]?.stringValue {
            return ResolvedKey(key: try Multibase.publicKey(multikey: multibase), controller: controller, method: via)
        }
        if let jwk = method["publicKeyJwk"] {
            return ResolvedKey(key: try KeyMaterial.publicKey(jwk: jwk), controller: controller, method: via)
        }
        throw KeyResolutionError(
            fr: "la méthode de vérification ne contient ni publicKeyMultibase ni publicKeyJwk",
            en: "the verification method holds neither publicKeyMultibase nor publicKeyJwk")
    }
}
