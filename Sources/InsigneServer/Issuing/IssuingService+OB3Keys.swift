import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

extension IssuingService {
    // MARK: Ed25519 keys of OB 3.0 Data Integrity proofs

    /// Generates an Ed25519 key for the issuer (keystore file 0600, like the RSA keys) and stores it as the active
    /// Data Integrity key; `rotating` retires the current one. Without `rotating`, an issuer that already has an
    /// active key keeps it (the new file is removed).
    @discardableResult
    func addDataIntegrityKey(issuerID: String, rotating: Bool, actor: String) async throws -> Bool {
        let key = try PrivateKey.generate(.ed25519)
        guard let multikey = Multibase.multikey(key.publicKey) else {
            throw ServiceError(.serverError, fr: "clé Ed25519 inutilisable", en: "unusable Ed25519 key")
        }
        let keyID = "\(issuerID)-ed25519-\(try SecureRandom.hex(byteCount: 4))"
        let file = try keystore.store(key, name: keyID)
        let record = DataIntegrityKeyRecord(
            id: keyID, issuerID: issuerID, publicKeyMultibase: multikey, privateKeyFile: file, createdAt: Date())
        let removeFile = {
            try? FileManager.default.removeItem(at: self.keystore.directory.appendingPathComponent(file))
        }
        do {
            let stored = try await db.addDataIntegrityKey(record, retiringOthers: rotating, actor: actor)
            if !stored { removeFile() }
            return stored
        } catch {
            removeFile()
            throw error
        }
    }

    /// Gives every issuer created before OB 3.0 issuing its Ed25519 key (at start-up; idempotent).
    public func ensureDataIntegrityKeys() async throws {
        for issuerID in try await db.issuersWithoutDataIntegrityKey() {
            try await addDataIntegrityKey(issuerID: issuerID, rotating: false, actor: "system")
        }
    }

    /// The issuer's active Ed25519 key and its private half (loaded once from the keystore; created on first use
    /// for an issuer that has none yet).
    public func activeDataIntegrityKey(issuerID: String) async throws -> (DataIntegrityKeyRecord, PrivateKey) {
        if let cached = keys.activeDataIntegrity(issuerID) { return cached }
        var record = try await db.activeDataIntegrityKey(issuerID: issuerID)
        if record == nil {
            try await addDataIntegrityKey(issuerID: issuerID, rotating: false, actor: "system")
            record = try await db.activeDataIntegrityKey(issuerID: issuerID)
        }
        guard let record else { throw ServiceError.notFound("Émetteur / issuer", issuerID) }
        let value = (record, try keystore.load(record.privateKeyFile))
        keys.setActiveDataIntegrity(issuerID, value)
        return value
    }
}
