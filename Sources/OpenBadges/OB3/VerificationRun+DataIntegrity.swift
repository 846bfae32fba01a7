import Foundation
import LinkedData
import OpenBadgesCrypto

/// Embedded Data Integrity proofs (`eddsa-rdfc-2022`, `Ed25519Signature2020`; ISSUE12 point 3). A credential with
/// several proofs (a proof set) is authentic only when every one of them verifies.
extension VerificationRun {
    /// Checks every embedded proof of `document`; the first that does not verify decides.
    func checkDataIntegrity(document: JSONValue) async {
        let proofs = (document["proof"]?.oneOrMany ?? []).compactMap(\.objectValue)
        let issuerID = document["issuer"]?.stringValue ?? document["issuer"]?["id"]?.stringValue
        let suites = proofs.compactMap(DataIntegrity.suite(of:))
        summary?.verificationType = suites.first.map { "Data Integrity " + $0 } ?? "DataIntegrityProof"
        for (index, proof) in proofs.enumerated() {
            let label = proofs.count > 1 ? " (\(index + 1)/\(proofs.count))" : ""
            guard await checkDataIntegrityProof(proof, label: label, issuerID: issuerID, document: document)
            else { return }
        }
        let list = Array(Set(suites)).sorted().joined(separator: ", ")
        let many = proofs.count > 1
        pass(
            "proof",
            fr: many
                ? "Les \(proofs.count) preuves Data Integrity sont valides (\(list))"
                : "Preuve Data Integrity \(list) valide",
            en: many
                ? "All \(proofs.count) Data Integrity proofs are valid (\(list))"
                : "Valid \(list) Data Integrity proof")
    }

    /// One proof; false when it does not verify (a failed or blocking check was recorded).
    func checkDataIntegrityProof(
        _ proof: [String: JSONValue], label: String, issuerID: String?, document: JSONValue
    ) async -> Bool {
        let type = proof["type"]?.stringValue ?? "?"
        guard let suite = DataIntegrity.suite(of: proof) else {
            if type == "DataIntegrityProof" {
                let name = proof["cryptosuite"]?.stringValue ?? "?"
                skip(
                    "proof", blocking: true, fr: "Suite cryptographique non prise en charge\(label) : \(name)",
                    en: "Unsupported cryptosuite\(label): \(name)")
            } else {
                fail(
                    "proof", .invalid, fr: "Type de preuve non pris en charge\(label) : \(type)",
                    en: "Unsupported proof type\(label): \(type)")
            }
            return false
        }
        guard checkProofOptions(proof, label: label) else { return false }
        guard let key = await proofKey(proof, label: label, issuerID: issuerID) else { return false }
        return checkProofSignature(proof, suite: suite, label: label, key: key, document: document)
    }

    /// `proofPurpose` is `assertionMethod`; `created`, when given, is a date not in the future.
    func checkProofOptions(_ proof: [String: JSONValue], label: String) -> Bool {
        let purpose = proof["proofPurpose"]?.stringValue ?? "absent"
        guard purpose == "assertionMethod" else {
            fail(
                "proof", .invalid, fr: "But de la preuve\(label) « \(purpose) » au lieu de « assertionMethod »",
                en: "Proof purpose\(label) \"\(purpose)\" instead of \"assertionMethod\"")
            return false
        }
        if let created = proof["created"] {
            guard let date = created.stringValue.flatMap(DateTimeValue.init) else {
                fail(
                    "proof", .malformed, fr: "Date « created » de la preuve\(label) illisible",
                    en: "Unreadable proof\(label) \"created\" date")
                return false
            }
            if date.date > options.now {
                fail(
                    "proof", .invalid, fr: "Preuve\(label) créée dans le futur (\(date.text))",
                    en: "Proof\(label) created in the future (\(date.text))")
                return false
            }
        }
        return true
    }

    /// The key of `verificationMethod`, which must belong to the issuer.
    func proofKey(_ proof: [String: JSONValue], label: String, issuerID: String?) async -> ResolvedKey? {
        guard let id = proof["verificationMethod"]?.stringValue, !id.isEmpty else {
            fail(
                "key.resolve", .forged, fr: "La preuve\(label) ne nomme pas sa clé (« verificationMethod »)",
                en: "The proof\(label) names no key (\"verificationMethod\")")
            return nil
        }
        let resolved: ResolvedKey
        do { resolved = try await resolveKey(id: id) } catch {
            if error.unreachable {
                skip(
                    "key.resolve", blocking: true, fr: "Clé publique inaccessible\(label) : \(error.fr)",
                    en: "Public key unreachable\(label): \(error.en)")
            } else {
                fail(
                    "key.resolve", .forged, fr: "Clé publique inutilisable\(label) : \(error.fr)",
                    en: "Unusable public key\(label): \(error.en)")
            }
            return nil
        }
        pass(
            "key.resolve", fr: "Clé publique obtenue\(label) (\(resolved.method))",
            en: "Public key obtained\(label) (\(resolved.method))")
        guard let issuerID, resolved.controller == issuerID else {
            let owner = resolved.controller ?? "?"
            fail(
                "key.owner", .forged,
                fr: "La clé\(label) appartient à « \(owner) », pas à l'émetteur « \(issuerID ?? "?") »",
                en: "The key\(label) belongs to \"\(owner)\", not to the issuer \"\(issuerID ?? "?")\"")
            return nil
        }
        pass("key.owner", fr: "La clé\(label) appartient à l'émetteur", en: "The key\(label) belongs to the issuer")
        return resolved
    }

    /// RDFC-1.0 canonical forms, SHA-256 hashes, Ed25519 signature of `proofValue`.
    func checkProofSignature(
        _ proof: [String: JSONValue], suite: String, label: String, key: ResolvedKey, document: JSONValue
    ) -> Bool {
        guard let value = proof["proofValue"]?.stringValue, let signature = DataIntegrity.signature(proofValue: value)
        else {
            fail(
                "proof", .forged, fr: "Valeur de preuve\(label) illisible (signature Ed25519 en base58btc attendue)",
                en: "Unreadable proof value\(label) (a base58btc Ed25519 signature expected)")
            return false
        }
        let hashes: DataIntegrity.Hashes
        do { hashes = try DataIntegrity.hashes(document: document, proof: proof) } catch let e as LinkedDataError {
            switch e {
            case .unknownContext(let url):
                skip(
                    "proof", blocking: true, fr: "Contexte JSON-LD inconnu, jamais téléchargé : \(url)",
                    en: "Unknown JSON-LD context, never fetched: \(url)")
            case .tooComplex:
                skip(
                    "proof", blocking: true, fr: "Graphe trop complexe à canoniser : preuve non vérifiée",
                    en: "Graph too complex to canonicalize: proof not checked")
            case .invalid(let code, _), .notJSON(let code):
                fail(
                    "proof", .malformed, fr: "JSON-LD invalide (\(code)) : preuve\(label) invérifiable",
                    en: "Invalid JSON-LD (\(code)): proof\(label) cannot be checked")
            }
            return false
        } catch {
            fail(
                "proof", .invalid, fr: "Le « @context » de la preuve\(label) ne reprend pas celui du justificatif",
                en: "The proof\(label) \"@context\" does not start the credential's")
            return false
        }
        guard DataIntegrity.isValid(signature: signature, hashes: hashes, key: key.key) else {
            fail(
                "proof", .forged,
                fr:
                    "Signature \(suite)\(label) invalide : le badge a été modifié ou n'a pas été signé par cet émetteur",
                en: "Invalid \(suite) signature\(label): the badge was altered or not signed by this issuer")
            return false
        }
        return true
    }
}
