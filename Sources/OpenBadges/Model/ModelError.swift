/// A document that does not follow the Open Badges 2.0 data model. Messages are French and English.
public struct ModelError: BilingualError, Equatable {
    /// The class being read ("Assertion", "BadgeClass"…).
    public var objectType: String
    /// The property at fault, if any.
    public var property: String?
    /// French explanation.
    public var messageFR: String
    /// English explanation.
    public var messageEN: String

    /// Creates an error.
    public init(_ objectType: String, property: String?, fr: String, en: String) {
        self.objectType = objectType
        self.property = property
        self.messageFR = fr
        self.messageEN = en
    }

    static func missing(_ type: String, _ property: String) -> ModelError {
        ModelError(
            type, property: property,
            fr: "\(type) : la propriété obligatoire « \(property) » est absente",
            en: "\(type): required property \"\(property)\" is missing")
    }

    static func wrongType(_ type: String, _ property: String, expected: String, got: JSONValue) -> ModelError {
        ModelError(
            type, property: property,
            fr: "\(type) : « \(property) » doit être \(expected) (reçu : \(got.typeName))",
            en: "\(type): \"\(property)\" must be \(expected) (got \(got.typeName))")
    }

    static func invalid(_ type: String, _ property: String, fr: String, en: String) -> ModelError {
        ModelError(
            type, property: property, fr: "\(type) : « \(property) » \(fr)", en: "\(type): \"\(property)\" \(en)")
    }
}
