import Foundation
import InsigneStore
import OpenBadges

/// The renewal and expiry parts of a hosted award page: « Renouvelle le badge du … », « Renouvelé le … » (links to
/// the other hosted awards of the chain) and, once the expiry date has passed, « Ce badge a expiré le … ».
extension HostedDocumentPages {
    static let renewalTexts: [String: LocalizedText] = [
        "renewal": LocalizedText(fr: "Renouvellement", en: "Renewal"),
        "renewalOf": LocalizedText(fr: "Renouvelle le badge du", en: "Renews the badge of"),
        "renewed": LocalizedText(fr: "Renouvelé", en: "Renewed"),
        "renewedBy": LocalizedText(fr: "Renouvelé le", en: "Renewed on"),
        "expiredTitle": LocalizedText(fr: "Ce badge a expiré", en: "This badge has expired"),
        "expiredText": LocalizedText(fr: "Sa date de validité est passée :", en: "Its validity date has passed:"),
        "seeRenewal": LocalizedText(fr: "Voir le badge renouvelé", en: "See the renewed badge"),
    ]

    /// The keys the award part of `hosted/assertion.mustache` reads for renewals and expiry.
    func renewalContext(_ a: AssertionRecord, english: Bool, now: Date = Date()) async throws -> [String: Any] {
        var c: [String: Any] = ["renewalOf": false, "renewedBy": false, "expired": false]
        if let id = a.renewalOf, let p = try await services.db.assertion(id: id) {
            c["renewalOf"] = [
                "href": localPath(urls.assertion(p.id)), "date": WebDates.long(p.issuedOn, english: english) ?? "",
            ]
        }
        if let id = a.renewedBy, let n = try await services.db.assertion(id: id) {
            c["renewedBy"] = [
                "href": localPath(urls.assertion(n.id)), "date": WebDates.long(n.issuedOn, english: english) ?? "",
            ]
        }
        if !a.isRevoked, let text = a.expires, let expires = DateTimeValue(text)?.date, expires <= now {
            c["expired"] = ["date": WebDates.long(text, english: english) ?? text]
        }
        return c
    }
}
