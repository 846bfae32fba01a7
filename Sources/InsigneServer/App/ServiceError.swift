import Foundation
import OpenBadges

/// The one error of the server's features: a kind (mapped to an HTTP status by `ServiceError+HTTP.swift`), a French
/// and English message, the field at fault and the underlying error. Pages render it as the HTML error page, the API
/// as a problem document; wire formats fixed by a standard (OAuth, Badge Connect) keep their own shape.
public struct ServiceError: BilingualError, Equatable {
    /// What went wrong.
    public enum Kind: String, Sendable {
        case invalid, notFound, conflict, forbidden, unauthorized, tooLarge, serverError
        case unsupportedMediaType, unprocessable, gone, tooManyRequests
    }
    /// The kind.
    public var kind: Kind
    /// The field at fault, if any.
    public var field: String?
    /// French message.
    public var messageFR: String
    /// English message.
    public var messageEN: String
    /// Seconds to wait before retrying (429, 503).
    public var retryAfter: Int?
    /// The `WWW-Authenticate` challenge of a 401.
    public var challenge: String?
    /// Extra members of the problem document (`line` of a refused file…).
    public var extra: [String: JSONValue] = [:]
    /// What caused it (logged, never shown).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ kind: Kind, field: String? = nil, fr: String, en: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.field = field
        self.messageFR = fr
        self.messageEN = en
        self.underlying = underlying
    }

    /// The message in both languages.
    public var message: LocalizedText { LocalizedText(fr: messageFR, en: messageEN) }

    /// Equal when everything but the underlying error is.
    public static func == (a: ServiceError, b: ServiceError) -> Bool {
        a.kind == b.kind && a.field == b.field && a.messageFR == b.messageFR && a.messageEN == b.messageEN
            && a.retryAfter == b.retryAfter && a.challenge == b.challenge && a.extra == b.extra
    }

    static func notFound(_ what: String, _ id: String) -> ServiceError {
        ServiceError(.notFound, fr: "\(what) introuvable : \(id)", en: "\(what) not found: \(id)")
    }

    /// A page or resource that does not exist, or that the reader may not know exists.
    static func notFound() -> ServiceError {
        ServiceError(.notFound, fr: "Cette page n'existe pas ou plus.", en: "This page does not exist.")
    }

    /// Not allowed for this account.
    static func forbidden() -> ServiceError {
        ServiceError(
            .forbidden, fr: "Vous n'avez pas accès à cette page ou cette action n'est pas autorisée.",
            en: "You do not have access to this page, or this action is not allowed.")
    }

    /// A request the reader must correct.
    static func badRequest(_ fr: String, _ en: String) -> ServiceError {
        ServiceError(.invalid, fr: fr, en: en)
    }
}
