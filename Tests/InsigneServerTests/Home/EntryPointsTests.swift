import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import Testing

@testable import InsigneServer

/// Issue 11 point 6: the home page, « Se connecter » on public pages, where each person lands after signing out,
/// and the way back from dead ends.
@Suite("Entry points")
struct EntryPointsTests {
    @Test func homePageInFrenchAndEnglish() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let fr = try await b.get("/")
            #expect(fr.status == .ok)
            #expect(fr.headers[.contentType] == "text/html; charset=utf-8")
            #expect(fr.body.contains("<html lang=\"fr\">"))
            #expect(fr.body.contains("Insigne délivre des badges numériques ouverts"))
            #expect(fr.body.contains("href=\"/verify?lang=fr\""))
            #expect(fr.body.contains("href=\"/login?lang=fr\""))
            #expect(fr.body.contains("href=\"/referentials?lang=fr\""))
            #expect(fr.body.contains(">Se connecter</a>"))
            #expect(fr.body.contains("Voir les référentiels"))
            #expect(!fr.body.contains("style="))
            let en = try await b.get("/?lang=en")
            #expect(en.status == .ok)
            #expect(en.body.contains("<html lang=\"en\">"))
            #expect(en.body.contains("Insigne issues open digital badges"))
            #expect(en.body.contains("href=\"/verify?lang=en\""))
            #expect(en.body.contains(">Sign in</a>"))
            #expect(en.body.contains("See the frameworks"))
            #expect(!en.body.contains("Vérifier un badge"))
            let head = try await b.send("/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.isEmpty)
        }
    }

    @Test func homePageOffersTheSignedInPersonTheirSpace() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let page = try await trainer.get("/")
            #expect(page.body.contains("Vous êtes connecté(e)"))
            #expect(page.body.contains("href=\"/trainer\""))
            #expect(!page.body.contains("href=\"/login?lang=fr\""))
            let token = try await trainer.invite(name: "Léa Petit", email: "lea@example.org")
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(token)
            let mine = try await learner.get("/?lang=fr")
            #expect(mine.body.contains("href=\"/portfolio\""))
            #expect(mine.body.contains("Mon portfolio"))
            #expect(!mine.body.contains("href=\"/trainer\""))
            // A signed-in learner opening /login goes to their portfolio, not to the trainers' pages.
            #expect(try await learner.get("/login").location == "/portfolio")
        }
    }

    @Test func publicPagesShowSignIn() async throws {
        let h = try await WebHarness.make()
        let a = try await h.services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "marie@example.org"), actor: "test"
        ).record
        try await h.run { b in
            for path in ["/verify", "/referentials", "/assertions/\(a.id)", "/badges/bientraitance"] {
                let page = try await b.send(path, method: .get, headers: [.accept: "text/html"])
                #expect(page.body.contains("<a class=\"sign-in\" href=\"/login\">Se connecter</a>"), "\(path)")
                #expect(page.body.contains("<a class=\"brand\" href=\"/?lang=fr\">"), "\(path)")
            }
            let en = try await b.get("/verify?lang=en")
            #expect(en.body.contains("<a class=\"sign-in\" href=\"/login\">Sign in</a>"))
            // With a session cookie, the link leads to the person's space (through /login).
            try await b.signIn()
            let signedIn = try await b.get("/verify")
            #expect(signedIn.body.contains("<a class=\"sign-in\" href=\"/login\">Mon espace</a>"))
            // The public « not found » page offers the home page.
            let missing = try await b.send("/badges/nope", method: .get, headers: [.accept: "text/html"])
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("href=\"/?lang=fr\">Accueil</a>"))
            // An address no route serves: the same page for a browser, a plain 404 for others and the API.
            let nowhere = try await b.send("/nowhere/at/all?lang=en", method: .get, headers: [.accept: "text/html"])
            #expect(nowhere.status == .notFound)
            #expect(nowhere.body.contains("href=\"/?lang=en\">Home</a>"))
            #expect(nowhere.body.contains("<a class=\"sign-in\" href=\"/login\">"))
            let plain = try await b.send("/nowhere", method: .get, headers: [.accept: "application/json"])
            #expect(plain.status == .notFound)
            #expect(!plain.body.contains("<html"))
            let api = try await b.send("/api/v1/nowhere", method: .get, headers: [.accept: "text/html"])
            #expect(api.status == .notFound)
            #expect(!api.body.contains("<html"))
        }
    }

    @Test func eachKindOfUserLandsOnAPageMeantForThemAfterSigningOut() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let token = try await trainer.invite(name: "Léa Petit", email: "lea@example.org")
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(token)
            _ = try await learner.get("/portfolio")
            let out = try await learner.post("/logout", [])
            #expect(out.location == "/login?bye=learner")
            let login = try await learner.follow(out)
            #expect(login.status == .ok)
            #expect(login.body.contains("Pour retrouver votre portfolio et vos badges"))
            #expect(login.body.contains("et pour les apprenants"))
            #expect(login.body.contains("Identifiant ou adresse électronique"))
            #expect(!login.body.contains("réservé aux formateurs"))
            #expect(login.body.contains("Retour à l&#39;accueil"))
            let english = try await learner.get("/login?bye=learner&lang=en")
            #expect(english.body.contains("To get back to your portfolio and your badges"))

            _ = try await trainer.get("/trainer")
            let staffOut = try await trainer.post("/logout", [])
            #expect(staffOut.location == "/login?bye=staff")
            let staffLogin = try await trainer.follow(staffOut)
            #expect(staffLogin.body.contains("Vous êtes déconnecté(e) de l&#39;espace formateurs"))
        }
    }

    @Test func deadEndsOfferTheWayBack() async throws {
        let h = try await WebHarness.make()
        try await h.run { trainer in
            try await trainer.signIn()
            let token = try await trainer.invite(name: "Léa Petit", email: "lea@example.org")
            let learner = WebBrowser(client: trainer.client)
            try await learner.accept(token)
            // A used invitation, opened by someone with no account: sign in or go home, no dashboard.
            let stranger = WebBrowser(client: trainer.client)
            let used = try await stranger.get("/invitation/\(token)")
            #expect(used.status == .notFound)
            #expect(used.body.contains("<a href=\"/login\">Se connecter</a>"))
            #expect(used.body.contains("<a href=\"/\">Retour à l&#39;accueil</a>"))
            #expect(!used.body.contains("Retour au tableau de bord"))
            #expect(used.body.contains("<a class=\"sign-in\" href=\"/login\">Se connecter</a>"))
            let login = try await stranger.get("/login")
            #expect(!login.body.contains("class=\"sign-in\""))
            let usedEN = try await stranger.get("/invitation/\(token)?lang=en")
            #expect(usedEN.body.contains("Back to the home page"))
            #expect(usedEN.body.contains(">Sign in</a>"))
            // The learner's 404 offers their portfolio; the trainer's their dashboard.
            let lost = try await learner.get("/portfolio/evidence/999999/edit")
            #expect(lost.status == .notFound)
            #expect(lost.body.contains("<a href=\"/portfolio\">Mon portfolio</a>"))
            #expect(!lost.body.contains("Retour au tableau de bord"))
            let staffLost = try await trainer.get("/trainer/badges/nope/award")
            #expect(staffLost.status == .notFound)
            #expect(staffLost.body.contains("<a href=\"/trainer\">Retour au tableau de bord</a>"))
            #expect(staffLost.body.contains("<a href=\"/\">Retour à l&#39;accueil</a>"))
        }
    }
}
