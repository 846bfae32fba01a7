import Foundation
import InsigneStore
import OpenBadges

/// What to change in a badge class: nil leaves a field as it is (JSON merge-patch style).
public struct BadgeClassChanges: Sendable {
    public var name: String?
    public var description: String?
    public var criteriaNarrative: String?
    /// `.some(nil)` removes the criteria page.
    public var criteriaURL: String??
    /// A new image, PNG or SVG, checked (square) and sanitised like at creation.
    public var image: Data?
    public var tags: [String]?
    public var alignment: [AlignmentRecord]?
    /// An ISO 8601 duration (`P3Y`, checked by `Validity`); `.some(nil)` removes the validity. New awards only.
    public var validity: String??
    /// Reminder thresholds in days before expiry.
    public var reminderDays: [Int]?
    /// True archives (no new awards), false brings the badge class back into use.
    public var archived: Bool?

    /// No change.
    public init() {}
}

/// What to change in an issuer: nil leaves a field as it is.
public struct IssuerChanges: Sendable {
    public var name: String?
    /// `.some(nil)` removes the description.
    public var description: String??
    public var url: String?
    public var email: String?
    /// A new logo (checked like a badge image); `.some(nil)` removes it.
    public var image: Data??

    /// No change.
    public init() {}
}

/// Editing, archiving and deleting badge classes; editing issuers. Every change is audited with the names of the
/// fields it changed; hosted documents follow at once (their cache is dropped on commit), awards already signed
/// keep verifying (they point at the badge class's URL, which now serves the new version).
extension IssuingService {
    /// A 409 unless the badge class may still be awarded (not archived).
    static func requireAwardable(_ b: BadgeClassRecord) throws {
        guard b.isArchived else { return }
        throw ServiceError(
            .conflict, field: "badge",
            fr: "la classe de badge « \(b.name) » est archivée : elle ne peut plus être attribuée "
                + "(les badges déjà attribués restent valides)",
            en: "the badge class \"\(b.name)\" is archived: it can no longer be awarded "
                + "(badges already awarded remain valid)")
    }

    /// Applies `changes` to a badge class (validated as at creation), audited; returns it with the changed fields.
    public func editBadgeClass(id: String, _ changes: BadgeClassChanges, actor: String) async throws
        -> (badge: BadgeClassRecord, changed: [String])
    {
        var image: (Data, String)?
        if let data = changes.image { image = try Validation.badgeImage(data) }
        let now = Date()
        let edit = try await db.editBadgeClass(id: id, actor: actor, now: now) { [image] old in
            var b = old
            if let v = changes.name { b.name = v }
            if let v = changes.description { b.description = v }
            if let v = changes.criteriaNarrative { b.criteriaNarrative = v }
            if let v = changes.criteriaURL { b.criteriaURL = v }
            if let (data, type) = image { (b.imageData, b.imageType) = (data, type) }
            if let v = changes.tags { b.tags = v }
            if let v = changes.alignment { b.alignment = v }
            if let v = changes.validity { b.validity = try Validity.optional(v)?.description }
            if let v = changes.reminderDays { b.reminderDays = try ReminderDays.validated(v) }
            if let archived = changes.archived { b.archivedAt = archived ? (old.archivedAt ?? now) : nil }
            try Validation.badgeClass(b)
            return b
        }
        guard case .updated(let b, let changed) = edit else {
            throw ServiceError.notFound("Classe de badge / badge class", id)
        }
        keys.setBadge(b)
        return (b, changed)
    }

    /// Deletes a badge class that was never awarded (409 when it was: archive it instead), audited.
    public func deleteBadgeClass(id: String, actor: String) async throws {
        switch try await db.deleteBadgeClass(id: id, actor: actor) {
        case .deleted:
            keys.removeBadge(id)
        case .unknownBadgeClass:
            throw ServiceError.notFound("Classe de badge / badge class", id)
        case .hasAwards(let n):
            throw ServiceError(
                .conflict, field: "id",
                fr: "cette classe de badge a déjà été attribuée (\(n) fois) : elle ne peut pas être supprimée, "
                    + "archivez-la pour ne plus l'attribuer",
                en: "this badge class has been awarded (\(n) times): it cannot be deleted, "
                    + "archive it to stop awarding it")
        }
    }

    /// Applies `changes` to an issuer (validated as at creation), audited; returns it with the changed fields.
    public func editIssuer(id: String, _ changes: IssuerChanges, actor: String) async throws
        -> (issuer: IssuerRecord, changed: [String])
    {
        var image: (Data, String)??
        if let change = changes.image {
            image = .some(try change.map { try Validation.badgeImage($0) })
        }
        let edit = try await db.editIssuer(id: id, actor: actor) { [image] old in
            var i = old
            if let v = changes.name { i.name = v }
            if let v = changes.description { i.description = v }
            if let v = changes.url { i.url = v }
            if let v = changes.email { i.email = v }
            if let change = image { (i.imageData, i.imageType) = (change?.0, change?.1) }
            try Validation.issuer(i)
            return i
        }
        guard case .updated(let i, let changed) = edit else { throw ServiceError.notFound("Émetteur / issuer", id) }
        return (i, changed)
    }
}
