import Foundation

/// One piece of evidence attached to an assertion.
public struct EvidenceRecord: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var narrative: String?
    public var description: String?
    public var genre: String?

    /// Creates evidence.
    public init(
        id: String? = nil, name: String? = nil, narrative: String? = nil, description: String? = nil,
        genre: String? = nil
    ) {
        self.id = id
        self.name = name
        self.narrative = narrative
        self.description = description
        self.genre = genre
    }
}
