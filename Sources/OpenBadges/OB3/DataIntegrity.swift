import Foundation
import LinkedData
import OpenBadgesCrypto

/// Data Integrity proofs with RDFC-1.0 and Ed25519 (W3C `vc-di-eddsa`): `DataIntegrityProof` with the
/// `eddsa-rdfc-2022` cryptosuite and the legacy `Ed25519Signature2020`. Pure: keys are resolved by the caller.
public enum DataIntegrity {
    /// The proof suites verified here: `eddsa-rdfc-2022` (and `eddsa-2022`, its name in earlier drafts, the same
    /// algorithm), `Ed25519Signature2020`, or nil.
    public static func suite(of proof: [String: JSONValue]) -> String? {
        let cryptosuite = proof["cryptosuite"]?.stringValue ?? ""
        switch proof["type"]?.stringValue {
        case "DataIntegrityProof" where ["eddsa-rdfc-2022", "eddsa-2022"].contains(cryptosuite): return cryptosuite
        case "Ed25519Signature2020": return "Ed25519Signature2020"
        default: return nil
        }
    }

    /// Every intermediate value of the `eddsa-rdfc-2022` transformation and hashing steps.
    public struct Hashes: Sendable, Equatable {
        /// RDFC-1.0 canonical N-Quads of the document without its `proof`, as UTF-8 bytes (what is hashed).
        public var canonicalDocumentBytes: [UInt8]
        /// RDFC-1.0 canonical N-Quads of the proof options, as UTF-8 bytes.
        public var canonicalProofBytes: [UInt8]
        /// SHA-256 of ``canonicalDocument``.
        public var documentHash: [UInt8]
        /// SHA-256 of ``canonicalProof``.
        public var proofHash: [UInt8]
        /// RDFC-1.0 canonical N-Quads of the document without its `proof` (made on demand: verifying needs only
        /// the hashes).
        public var canonicalDocument: String { String(decoding: canonicalDocumentBytes, as: UTF8.self) }
        /// RDFC-1.0 canonical N-Quads of the proof options (the proof without `proofValue`, with the document's
        /// `@context`).
        public var canonicalProof: String { String(decoding: canonicalProofBytes, as: UTF8.self) }
        /// What is signed: proofHash ‖ documentHash (64 bytes).
        public var hashData: [UInt8] { proofHash + documentHash }
    }

    /// Why the proof options cannot be hashed (besides a JSON-LD ``LinkedDataError``).
    public enum OptionsError: Error, Equatable {
        /// The proof's own `@context` is not a prefix of the document's.
        case contextMismatch
    }

    /// Canonicalizes and hashes `document` (its `proof` member is ignored) and `proof` (its `proofValue` is
    /// ignored; its `@context`, when present, must start the document's, which replaces it).
    public static func hashes(
        document: JSONValue, proof: [String: JSONValue], loader: any ContextLoader = BundledContexts.standard
    ) throws -> Hashes {
        guard case .object(let members) = document else { throw OptionsError.contextMismatch }
        let documentContext = members["@context"]?.oneOrMany ?? []
        if let own = proof["@context"]?.oneOrMany {
            guard own.count <= documentContext.count, Array(documentContext.prefix(own.count)) == own else {
                throw OptionsError.contextMismatch
            }
        }
        // Converted straight to JSON-LD values: the document without `proof`, the proof without `proofValue`
        // and with the document's `@context` (no intermediate copy of either object).
        let unsecured = LDJSON.members(of: members, without: "proof")
        var options = LDJSON.members(of: proof, without: "proofValue")
        options["@context"] = unsecured["@context"]
        let canonicalDocument = try LinkedData.canonicalBytes(of: .object(unsecured), loader: loader)
        let canonicalProof = try LinkedData.canonicalBytes(of: .object(options), loader: loader)
        return Hashes(
            canonicalDocumentBytes: canonicalDocument, canonicalProofBytes: canonicalProof,
            documentHash: SHA256Digest.hash(canonicalDocument), proofHash: SHA256Digest.hash(canonicalProof))
    }

    /// The 64-byte Ed25519 signature of a multibase base58btc `proofValue` (`z…`), or nil.
    public static func signature(proofValue: String) -> [UInt8]? {
        guard proofValue.hasPrefix("z"), let bytes = Multibase.decode(proofValue), bytes.count == 64 else {
            return nil
        }
        return bytes
    }

    /// `document` with an embedded `DataIntegrityProof` `eddsa-rdfc-2022` made with the Ed25519 `key`
    /// (`verificationMethod` must resolve to its public half; `proofPurpose` assertionMethod). Any earlier `proof`
    /// of the document is replaced.
    public static func sign(
        document: JSONValue, key: PrivateKey, verificationMethod: String, created: Date,
        loader: any ContextLoader = BundledContexts.standard
    ) throws -> JSONValue {
        guard case .object(var signed) = document else { throw OptionsError.contextMismatch }
        var proof: [String: JSONValue] = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
            "created": .string(DateTimeValue(created).text), "verificationMethod": .string(verificationMethod),
            "proofPurpose": "assertionMethod",
        ]
        let hashes = try hashes(document: document, proof: proof, loader: loader)
        let signature = try key.signature(for: hashes.hashData, algorithm: .edDSA)
        proof["proofValue"] = .string("z" + Multibase.encodeBase58(signature))
        signed["proof"] = .object(proof)
        return .object(signed)
    }

    /// Whether `proofValue` is `key`'s Ed25519 signature of `hashes.hashData`.
    public static func isValid(proofValue: String, hashes: Hashes, key: PublicKey) -> Bool {
        guard let signature = signature(proofValue: proofValue) else { return false }
        return isValid(signature: signature, hashes: hashes, key: key)
    }

    /// Whether `signature` (from ``signature(proofValue:)``) is `key`'s Ed25519 signature of `hashes.hashData`.
    public static func isValid(signature: [UInt8], hashes: Hashes, key: PublicKey) -> Bool {
        guard key.algorithm.supports(.edDSA) else { return false }
        return key.isValidSignature(signature, for: hashes.hashData, algorithm: .edDSA)
    }
}

extension LDJSON {
    /// The members of a JSON object as JSON-LD values, but `excluded`.
    static func members(of object: [String: JSONValue], without excluded: String) -> [String: LDJSON] {
        var out: [String: LDJSON] = [:]
        out.reserveCapacity(object.count)
        for (key, value) in object where key != excluded { out[key] = LDJSON(value) }
        return out
    }

    /// The same JSON value, for JSON-LD processing.
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(LDJSON.init))
        case .object(let o): self = .object(o.mapValues(LDJSON.init))
        }
    }
}
