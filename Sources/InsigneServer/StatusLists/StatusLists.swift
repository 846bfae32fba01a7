import Foundation
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// OB 3.0 revocation through a W3C Bitstring Status List (ISSUE13 point 3): each award gets a random index in its
/// issuer's list (`entry`, the credential's `credentialStatus`); the list is served as a signed
/// `BitstringStatusListCredential` (`credential`), signed again only when its bits or the issuer's key change.
public final class StatusLists: Sendable {
    /// The only purpose offered: revocation (no suspension).
    public static let revocation = "revocation"

    let db: AppDatabase
    let urls: PublicURLs
    private let cache = SignedListCache()

    /// Creates the service.
    public init(db: AppDatabase, urls: PublicURLs) {
        self.db = db
        self.urls = urls
    }

    /// The `credentialStatus` of an award's OB 3.0 credential: reserves the award's random index in its issuer's
    /// revocation list (the same index again for the same award) and returns the `BitstringStatusListEntry`.
    public func entry(issuerID: String, assertionID: String) async throws -> JSONValue {
        let index: Int
        do {
            index = try await db.reserveStatusListIndex(
                issuerID: issuerID, assertionID: assertionID, purpose: Self.revocation)
        } catch let e as StatusListFull {
            if !e.issuerExists { throw ServiceError.notFound("Émetteur / issuer", issuerID) }
            throw ServiceError(
                .conflict, fr: "la liste de statut de l'émetteur est pleine (131 072 badges)",
                en: "the issuer's status list is full (131,072 badges)")
        }
        return OB3CredentialBuilder.revocationEntry(
            listURL: urls.ob3StatusList(issuerID, purpose: Self.revocation), index: index)
    }

    /// The issuer's signed `BitstringStatusListCredential` (nil when the issuer does not exist), with an embedded
    /// `eddsa-rdfc-2022` proof by `key` (the issuer's active Ed25519 key). Kept until the list or the key changes.
    public func credential(
        issuerID: String, key: (String) async throws -> (DataIntegrityKeyRecord, PrivateKey)
    ) async throws -> JSONValue? {
        guard let list = try await db.statusList(issuerID: issuerID, purpose: Self.revocation) else { return nil }
        let (record, privateKey) = try await key(issuerID)
        if let hit = cache.get(issuerID, updatedAt: list.updatedAt, keyID: record.id) { return hit }
        let signed = try DataIntegrity.sign(
            document: try unsigned(list), key: privateKey, verificationMethod: urls.ob3Key(record.id),
            created: max(list.updatedAt, record.createdAt))
        cache.put(issuerID, updatedAt: list.updatedAt, keyID: record.id, signed)
        return signed
    }

    /// The credential before its proof: VC 2.0 context (which defines the Bitstring terms), GZIP + multibase list.
    func unsigned(_ list: StatusListRecord) throws -> JSONValue {
        let listURL = urls.ob3StatusList(list.issuerID, purpose: list.purpose)
        return [
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": .string(listURL), "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": .string(urls.ob3Issuer(list.issuerID)),
            "validFrom": .string(DateTimeValue(list.updatedAt).text),
            "credentialSubject": [
                "id": .string(listURL + "#list"), "type": "BitstringStatusList",
                "statusPurpose": .string(list.purpose),
                "encodedList": .string(try BitstringStatusList.encode([UInt8](list.bits))),
            ],
        ]
    }
}

/// Signed lists by issuer, each valid for one state of the bits and one key.
final class SignedListCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (updatedAt: Date, keyID: String, credential: JSONValue)] = [:]

    func get(_ issuerID: String, updatedAt: Date, keyID: String) -> JSONValue? {
        lock.withLock {
            guard let e = entries[issuerID], e.updatedAt == updatedAt, e.keyID == keyID else { return nil }
            return e.credential
        }
    }

    func put(_ issuerID: String, updatedAt: Date, keyID: String, _ credential: JSONValue) {
        lock.withLock {
            if entries.count >= 1000 { entries.removeAll(keepingCapacity: true) }
            entries[issuerID] = (updatedAt, keyID, credential)
        }
    }
}
