import Foundation
import GRDB

/// The stored bitstring of an issuer's status list (one per purpose): the served `BitstringStatusListCredential`
/// is built and signed from it. Absent until the first bit is set (an all-zero list is served meanwhile).
public struct StatusListRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "statusList"
    /// The table's columns, for the store's queries.
    public enum Columns {
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let purpose = Column(CodingKeys.purpose)
        public static let bits = Column(CodingKeys.bits)
        public static let updatedAt = Column(CodingKeys.updatedAt)
    }
    /// Number of entries of every list: the Bitstring Status List minimum (16 KiB).
    public static let size = 131_072

    public var issuerID: String
    /// `revocation`.
    public var purpose: String
    /// `size / 8` bytes; index 0 is the most significant bit of the first byte.
    public var bits: Data
    public var updatedAt: Date

    /// Creates a record.
    public init(issuerID: String, purpose: String, bits: Data, updatedAt: Date) {
        self.issuerID = issuerID
        self.purpose = purpose
        self.bits = bits
        self.updatedAt = updatedAt
    }

    /// An all-zero list.
    public static func empty(issuerID: String, purpose: String, at date: Date) -> StatusListRecord {
        StatusListRecord(issuerID: issuerID, purpose: purpose, bits: Data(count: size / 8), updatedAt: date)
    }

    /// The bit at `index`.
    public func bit(at index: Int) -> Bool {
        guard index >= 0, index / 8 < bits.count else { return false }
        return bits[bits.startIndex + index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// Sets the bit at `index` (ignored beyond the end).
    public mutating func setBit(at index: Int) {
        guard index >= 0, index / 8 < bits.count else { return }
        bits[bits.startIndex + index / 8] |= 0x80 >> UInt8(index % 8)
    }
}
