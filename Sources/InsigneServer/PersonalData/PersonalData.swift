import Foundation
import InsigneStore
import OpenBadges

/// The learner's personal data ("Mes données"): the export as a ZIP archive and the erasure. Each feature gives its
/// part (`Portfolio.personalData`, `Backpack.personalData`; in the store `erasePortfolioData`, `eraseBackpackData`
/// inside the one `eraseLearner` transaction); this type only assembles them, so no feature reaches into another's.
struct PersonalData: Sendable {
    let services: ServerServices

    /// Everything stored about a learner, as a ZIP archive.
    func export(_ account: AccountRecord, now: Date = Date()) async throws -> [UInt8] {
        let db = services.db
        let urls = services.urls
        let more = try await db.learnerPersonalRecords(accountID: account.id, primaryEmail: account.email)
        let portfolio = try await Portfolio(services: services).personalData(account, records: more)
        let badges = more.assertions.map { ($0, more.badgeClasses[$0.badgeClassID]) }
        var subjects = [account.id] + portfolio.auditSubjects + badges.map(\.0.id) + more.confirmedEmails
        if let e = account.email { subjects.append(e) }
        let audit = try await db.personalAuditEvents(accountID: account.id, subjects: subjects)
        let iso = ISO8601DateFormatter()
        func date(_ d: Date?) -> Any { d.map { iso.string(from: $0) } ?? NSNull() }
        func json(_ v: Any) throws -> [UInt8] {
            [UInt8](
                try JSONSerialization.data(
                    withJSONObject: v, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
        }
        var zip = ZIPWriter(date: now)
        zip.add("README.txt", Array(Self.exportReadme(account, now: iso.string(from: now)).utf8))
        zip.add(
            "account.json",
            try json(
                [
                    "id": account.id, "login": account.login, "displayName": account.displayName,
                    "email": account.email as Any,
                    "role": account.role.rawValue, "createdAt": date(account.createdAt),
                ] as [String: Any]))
        for (name, bytes) in portfolio.entries { zip.add(name, bytes) }
        zip.add(
            "badges.json",
            try json(
                badges.map { a, b -> [String: Any] in
                    [
                        "id": a.id, "badge": b?.name ?? a.badgeClassID, "hostedURL": urls.assertion(a.id),
                        "issuedOn": a.issuedOn, "recipientEmail": a.recipientEmail,
                        "expires": a.expires as Any, "revoked": a.isRevoked, "jws": a.jws,
                    ]
                }))
        zip.add("badge-connect.json", try json(Self.badgeConnectData(more, date: date)))
        zip.add(
            "audit.json",
            try json(
                audit.map { e -> [String: Any] in
                    [
                        "at": date(e.at), "actor": e.actor, "action": e.action, "subject": e.subject,
                        "detail": e.detail as Any,
                    ]
                }))
        for (name, bytes) in try await Backpack.personalData(accountID: account.id, db: db) { zip.add(name, bytes) }
        let rosters = try await db.rosterEntries(emails: more.confirmedEmails + [account.email].compactMap { $0 })
        zip.add(
            "rosters.json",
            try json(
                rosters.map { issuerName, p -> [String: Any] in
                    [
                        "establishment": issuerName, "firstName": p.person.firstName, "lastName": p.person.lastName,
                        "emails": p.emails, "externalId": p.person.externalID as Any,
                        "joinedAt": date(p.person.joinedAt), "leftAt": date(p.person.leftAt),
                    ]
                }))
        return zip.finish()
    }

    /// Erases a learner: every row about them goes or is blanked in one transaction
    /// (`AppDatabase.eraseLearner`), then the evidence files no longer referenced are removed from disk and the
    /// messages kept for their addresses leave the mail queue and the outbox.
    func erase(_ account: AccountRecord, now: Date = Date()) async throws -> LearnerErasure {
        let erasure = try await services.db.eraseLearner(accountID: account.id, primaryEmail: account.email, now: now)
        let files = EvidenceFiles(dataDirectory: services.configuration.dataDirectory)
        erasure.orphanBlobs.forEach(files.remove)
        try await services.mailer.removeMessages(to: erasure.addresses)
        return erasure
    }

    /// The Badge Connect part of the export: the applications granted access, and the metadata of each code and
    /// token (never a secret nor its hash).
    static func badgeConnectData(_ r: LearnerPersonalRecords, date: (Date?) -> Any) -> [String: Any] {
        [
            "applications": r.oauthClients.map { c -> [String: Any] in
                let meta = (try? JSONSerialization.jsonObject(with: Data(c.metadataJSON.utf8))) as? [String: Any]
                return [
                    "clientId": c.id, "name": meta?["client_name"] ?? NSNull(), "uri": meta?["client_uri"] ?? NSNull(),
                    "redirectURIs": c.redirectURIs, "registeredAt": date(c.createdAt),
                ]
            },
            "authorizationCodes": r.oauthCodes.map { c -> [String: Any] in
                [
                    "clientId": c.clientID, "scopes": c.scopes, "redirectURI": c.redirectURI,
                    "expiresAt": date(c.expiresAt), "usedAt": date(c.usedAt),
                ]
            },
            "tokens": r.oauthTokens.map { t -> [String: Any] in
                [
                    "clientId": t.clientID, "kind": t.kind.rawValue, "scopes": t.scopes, "createdAt": date(t.createdAt),
                    "expiresAt": date(t.expiresAt), "revokedAt": date(t.revokedAt),
                ]
            },
        ]
    }

    /// The archive's README, in French then English (CRLF line ends).
    static func exportReadme(_ account: AccountRecord, now: String) -> String {
        """
        Insigne — vos données personnelles / your personal data
        Exporté le / exported on: \(now)

        FRANÇAIS
        Cette archive contient tout ce qu'Insigne conserve à votre sujet :
          account.json      votre compte (nom, identifiant, courriel, date de création) ;
          evidence.json     vos preuves, leurs rattachements au référentiel et l'état de leur examen ;
          files/            les fichiers que vous avez déposés ;
          badges.json       les badges qui vous ont été attribués, à toutes vos adresses confirmées (le JWS est
                            la version signée, vérifiable) ;
          invitations.json  les invitations reçues ;
          evidence-publications.json  les preuves que vous avez choisi de publier avec un badge ;
          badge-connect.json  les applications autorisées par Badge Connect et leurs jetons (sans les secrets) ;
          establishments.json  les établissements qui vous ont invité(e) (vos inscriptions) ;
          share-links.json  les liens de partage que vous avez créés (les liens eux-mêmes ne sont pas conservés) ;
          audit.json        le journal des actions qui vous concernent ;
          backpack.json     vos adresses supplémentaires, les badges importés (backpack/ : les fichiers reçus)
                            et l'état de votre page publique ;
          rosters.json      les listes du personnel des établissements où figure l'une de vos adresses.
        Vous pouvez effacer ces données depuis « Mes données ». Les badges déjà attribués restent vérifiables :
        ils ne contiennent qu'une empreinte salée de votre adresse.

        ENGLISH
        This archive holds everything Insigne keeps about you: your account, your evidence with its tags and review
        state, your uploaded files, the badges awarded to you at every confirmed address (the JWS is the signed,
        verifiable form), your invitations, the evidence you chose to publish with a badge, the applications you
        allowed through Badge Connect and their tokens (without secrets), the establishments you are enrolled with, the share links you created (the links themselves are not kept), the log of actions about you, and backpack.json (your
        extra addresses, the badges you imported, with their files in backpack/, and your public page's state), and
        rosters.json (the establishments' staff lists that hold one of your addresses).
        You can erase this data from "My data". Badges already awarded stay verifiable: they hold only a salted hash
        of your address.

        """.replacingOccurrences(of: "\n", with: "\r\n")
    }
}
