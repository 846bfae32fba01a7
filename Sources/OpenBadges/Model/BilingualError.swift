/// An error whose message is given in French (the users' language) and English.
public protocol BilingualError: Error, Sendable, CustomStringConvertible {
    /// French message.
    var messageFR: String { get }
    /// English message.
    var messageEN: String { get }
}

extension BilingualError {
    public var description: String { "\(messageFR) / \(messageEN)" }
}
