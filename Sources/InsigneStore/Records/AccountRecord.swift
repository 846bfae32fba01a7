import Foundation
import GRDB

/// A person who signs in (trainer, issuer staff, admin).
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"
    /// The table's columns, for the store's queries (`filter { $0.<column> == … }`, `order(\.<column>)`).
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let login = Column(CodingKeys.login)
        public static let displayName = Column(CodingKeys.displayName)
        public static let passwordHash = Column(CodingKeys.passwordHash)
        public static let role = Column(CodingKeys.role)
        public static let issuerID = Column(CodingKeys.issuerID)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let email = Column(CodingKeys.email)
        public static let erasedAt = Column(CodingKeys.erasedAt)
    }
    /// Roles: `admin` sees everything; `staff` is limited to its issuer (trainers, reviewers); `learner` keeps a
    /// portfolio of evidence (VAE candidates, stagiaires).
    public enum Role: String, Codable, Sendable { case admin, staff, learner }
    public var id: String
    public var login: String
    public var displayName: String
    /// scrypt hash (`scrypt$N$r$p$salt$hash`), nil for token-only accounts.
    public var passwordHash: String?
    public var role: Role
    public var issuerID: String?
    public var createdAt: Date
    /// A learner's email (badges are awarded to it); private.
    public var email: String?
    /// Set when the person's data was erased (RGPD): the row stays as a tombstone, emptied.
    public var erasedAt: Date?

    /// Creates a record.
    public init(
        id: String, login: String, displayName: String, passwordHash: String?, role: Role, issuerID: String?,
        createdAt: Date, email: String? = nil, erasedAt: Date? = nil
    ) {
        self.email = email
        self.erasedAt = erasedAt
        self.id = id
        self.login = login
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.issuerID = issuerID
        self.createdAt = createdAt
    }
}
