import Foundation
import InsigneStore
import OpenBadgesCrypto

/// Seeds the demo organisation once: issuer *Mutuelle Vivre Ensemble* and its establishment *Foyers La Maison*,
/// their RSA keys in the keystore, the *Bientraitance* badge class, and an admin account with an API token.
/// Restarting never duplicates anything.
extension ServerServices {
    /// Seeds the demo issuer, establishment, badge class and admin account once; returns the one-time message.
    public func seedDemoData(adminToken: String?) async throws -> String? {
        try await DemoSeeder(services: self).seedIfNeeded(adminToken: adminToken)
    }
}

struct DemoSeeder: Sendable {
    let services: ServerServices

    static let issuerID = "mutuelle-vivre-ensemble"
    static let establishmentID = "foyers-la-maison"
    static let badgeID = "bientraitance"

    /// Seeds when needed; returns the one-time message (sign-in password, API token) to print, or nil.
    func seedIfNeeded(adminToken: String?) async throws -> String? {
        let db = services.db
        // Later additions to the demo seed themselves once each, on old data directories too.
        try await seedReferentialsIfNeeded()
        try await giveDemoBadgeValidityIfNeeded()
        if try await db.hasSetting("seeded") { return nil }
        let issuing = services.issuing
        let now = Date()
        if !(try await db.issuerExists(id: Self.issuerID)) {
            _ = try await issuing.createIssuer(
                IssuerRecord(
                    id: Self.issuerID, name: "Mutuelle Vivre Ensemble", url: "https://www.mutuelle-vivre-ensemble.fr",
                    email: "formation@mutuelle-vivre-ensemble.fr",
                    description:
                        "Foyers d'hébergement, ESAT et maison médicale : la formation des équipes et des stagiaires.",
                    createdAt: now), actor: "seed")
        }
        if !(try await db.issuerExists(id: Self.establishmentID)) {
            _ = try await issuing.createIssuer(
                IssuerRecord(
                    id: Self.establishmentID, parentID: Self.issuerID,
                    name: "Foyers La Maison (Mutuelle Vivre Ensemble)",
                    url: "https://www.mutuelle-vivre-ensemble.fr/foyers-la-maison",
                    email: "foyers-la-maison@mutuelle-vivre-ensemble.fr",
                    description: "Établissement d'hébergement de la Mutuelle Vivre Ensemble.", createdAt: now),
                actor: "seed")
        }
        if !(try await db.badgeClassExists(id: Self.badgeID)) {
            _ = try await issuing.createBadgeClass(
                BadgeClassRecord(
                    id: Self.badgeID, issuerID: Self.issuerID, name: "Bientraitance",
                    description: "Formation obligatoire à la bientraitance des personnes accompagnées.",
                    criteriaNarrative: """
                        Avoir suivi la formation « Bientraitance » (7 heures) : repérer les situations de maltraitance, \
                        respecter l'intimité et le consentement, signaler selon la procédure de l'établissement ; \
                        avoir validé l'étude de cas finale.
                        """,
                    imageData: Data(try DemoBadgeArt.png()), imageType: "png",
                    tags: ["bientraitance", "formation obligatoire", "accompagnement"],
                    validity: Self.demoValidity, createdAt: now), actor: "seed")
        }
        let password = try SecureRandom.hex(byteCount: 9)
        let randomToken = "ins_" + (try SecureRandom.hex(byteCount: 24))
        let token = adminToken ?? randomToken
        let passwordHash = try PasswordHash.hash(password)
        let setupCode = try FirstAdminSetup.newCode()
        try await db.seedFirstAdmin(
            passwordHash: passwordHash, apiTokenHash: SHA256Digest.hexHash(Array(token.utf8)),
            setupCodeHash: FirstAdminSetup.hash(setupCode), now: now)
        try await alignDemoBadgeIfNeeded()  // the demo badge exists only now on a fresh data directory
        try await giveDemoBadgeValidityIfNeeded()
        let urls = services.urls
        let copy = URL(fileURLWithPath: services.configuration.dataDirectory)
            .appendingPathComponent(FirstStartCredentials.fileName).path
        return """

            ────────────────────────────────────────────────────────────────
             Insigne — première installation / first start
             Données de démonstration créées / demo data created:
               émetteur / issuer : \(urls.issuer(Self.issuerID))
               badge             : \(urls.badgeClass(Self.badgeID))
             Choisir le mot de passe administrateur / choose the admin password:
               \(urls.base)/setup
               depuis cette machine : sans code / from this machine: no code
               d'ailleurs / from elsewhere : code d'installation / setup code \(setupCode)
             Ou se connecter tout de suite / or sign in now : \(urls.base)/login
               identifiant / login      : admin
               mot de passe / password  : \(password)
             Jeton d'API / API token    : \(adminToken == nil ? token : "INSIGNE_ADMIN_TOKEN")
             Copie / copy : \(copy) (0600)
               notez-les puis supprimez ce fichier / note them, then delete that file
             Vérifier un badge / verify : \(urls.verifyPage)
            ────────────────────────────────────────────────────────────────

            """
    }
}
