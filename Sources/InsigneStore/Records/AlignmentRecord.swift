import Foundation

/// One competency a badge class aligns to.
public struct AlignmentRecord: Codable, Sendable, Equatable {
    public var targetName: String
    public var targetUrl: String
    public var targetDescription: String?
    public var targetFramework: String?
    public var targetCode: String?

    /// Creates an alignment.
    public init(
        targetName: String, targetUrl: String, targetDescription: String? = nil, targetFramework: String? = nil,
        targetCode: String? = nil
    ) {
        self.targetName = targetName
        self.targetUrl = targetUrl
        self.targetDescription = targetDescription
        self.targetFramework = targetFramework
        self.targetCode = targetCode
    }
}
