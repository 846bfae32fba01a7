import Foundation
import HTTPTypes
import Hummingbird
import OpenBadges

/// `/`: the home page, French first (English with `?lang=en`), in the public pages' layout: what Insigne is, and the
/// ways in: verify a badge, sign in (staff or learner, or the signed-in person's own space), the public referentials.
struct HomePages: PageFeature {
    let services: ServerServices

    /// Adds `/` to the public pages (the session is read when present, to offer the person's own space).
    func addRoutes(to routes: AppRoutes) {
        routes.publicPages.get("/") { req, ctx in try await home(ctx.env, req) }
        routes.publicPages.head("/") { req, ctx in
            let r = try await home(ctx.env, req)
            return Response(status: r.status, headers: r.headers)
        }
    }

    /// The home page (with the first-start banner while `/setup` is available).
    func home(_ env: Env, _ request: Request) async throws -> Response {
        let t = env.language.resolve(Self.texts)
        var c = Pages.layoutContext(request: request, english: env.english, title: t["title"]!)
        let link = Pages.signInLink(account: env.account, english: env.english)
        c["signInLink"] = link
        c["t"] = t
        if let account = env.account, account.erasedAt == nil {
            c["signedIn"] = ["name": account.displayName, "href": link["href"]!, "label": link["label"]!]
        } else {
            c["signedIn"] = false
        }
        c["setup"] = try await services.db.firstAdminSetupCodeHash() != nil
        var response = Pages.render("home.home", c)
        response.headers[.contentLanguage] = env.lang
        return response
    }

    /// The page's strings (`t.<key>` in `home/home.mustache`).
    static let texts: [String: LocalizedText] = [
        "title": LocalizedText(fr: "Badges numériques de formation", en: "Digital badges for training"),
        "setupBanner": LocalizedText(
            fr: "Première installation : choisissez le mot de passe administrateur",
            en: "First start: choose the administrator password"),
        "lead": LocalizedText(
            fr:
                "Insigne délivre des badges numériques ouverts (Open Badges 2.0) qui attestent des compétences acquises en formation, et permet à chacun de vérifier qu'un badge est authentique.",
            en:
                "Insigne issues open digital badges (Open Badges 2.0) that attest the skills gained in training, and lets anyone check that a badge is genuine."
        ),
        "verifyTitle": LocalizedText(fr: "Vérifier un badge", en: "Verify a badge"),
        "verifyText": LocalizedText(
            fr:
                "Un candidat vous a transmis un badge ? Vérifiez en quelques secondes qu'il est authentique, valable et qu'il lui a bien été délivré.",
            en:
                "A candidate sent you a badge? Check in a few seconds that it is genuine, current and really theirs."),
        "verifyButton": LocalizedText(fr: "Vérifier un badge", en: "Verify a badge"),
        "signInTitle": LocalizedText(fr: "Se connecter", en: "Sign in"),
        "signInText": LocalizedText(
            fr:
                "Formateurs et équipes : attribuez les badges. Apprenants : retrouvez votre portfolio de preuves et vos badges.",
            en: "Trainers and staff: award badges. Learners: find your evidence portfolio and your badges."),
        "signInButton": LocalizedText(fr: "Se connecter", en: "Sign in"),
        "signedInAs": LocalizedText(fr: "Vous êtes connecté(e) :", en: "You are signed in:"),
        "referentialsTitle": LocalizedText(fr: "Référentiels de compétences", en: "Competency frameworks"),
        "referentialsText": LocalizedText(
            fr: "Consultez les référentiels publics auxquels les badges se rattachent.",
            en: "Browse the public frameworks the badges are aligned with."),
        "referentialsButton": LocalizedText(fr: "Voir les référentiels", en: "See the frameworks"),
    ]
}
