import Foundation

/// The certificate's fixed wording and date format, in French and English.
struct CertificateText {
    let language: CertificateContent.Language

    var french: Bool { language == .fr }
    var title: String { french ? "Attestation de réussite" : "Certificate of achievement" }
    var awardedTo: String { french ? "décernée à" : "awarded to" }
    var forBadge: String { french ? "pour l’obtention du badge" : "for earning the badge" }
    var criteria: String { french ? "Critères d’obtention" : "Criteria" }
    var competencies: String { french ? "Compétences visées" : "Aligned competencies" }
    var scanToVerify: String { french ? "Vérifier l’authenticité" : "Verify authenticity" }
    var documentTitle: String { french ? "Attestation de réussite" : "Certificate of achievement" }
    var attachmentDescription: String {
        french ? "Badge Open Badges 2.0 signé (JWS)" : "Signed Open Badges 2.0 badge (JWS)"
    }
    var credentialAttachmentDescription: String {
        french
            ? "Badge Open Badges 3.0 signé (VC-JWT), pour les portefeuilles numériques"
            : "Signed Open Badges 3.0 badge (VC-JWT), for digital wallets"
    }
    var embeddedNote: String {
        french
            ? "Le badge numérique signé (Open Badges 2.0) est joint à ce document : assertion.jws."
            : "The signed digital badge (Open Badges 2.0) is attached to this document: assertion.jws."
    }

    func certificateNumber(_ n: String) -> String { french ? "Attestation n° \(n)" : "Certificate no. \(n)" }

    func more(_ count: Int) -> String {
        french ? "… et \(count) autre\(count > 1 ? "s" : "")" : "… and \(count) more"
    }

    func dates(issued: Date, expires: Date?) -> String {
        let issuedText = (french ? "Délivrée le " : "Issued on ") + date(issued)
        guard let expires else { return issuedText }
        return issuedText + (french ? " · valable jusqu’au " : " · valid until ") + date(expires)
    }

    func signedAt(place: String, on day: Date) -> String {
        let place = place.trimmingCharacters(in: .whitespaces)
        if place.isEmpty { return french ? "Le \(date(day))" : date(day) }
        return french ? "Fait à \(place), le \(date(day))" : "\(place), \(date(day))"
    }

    /// « 23 novembre 2026 » / « 1er mars 2027 » (Paris time); "23 November 2026" in English.
    func date(_ d: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 0)!
        let c = calendar.dateComponents([.year, .month, .day], from: d)
        let (day, month, year) = (c.day ?? 1, (c.month ?? 1) - 1, c.year ?? 1970)
        if french {
            let months = [
                "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre",
            ]
            return "\(day == 1 ? "1er" : String(day)) \(months[month]) \(year)"
        }
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(day) \(months[month]) \(year)"
    }
}
