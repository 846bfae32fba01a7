import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import OpenBadgesCrypto
import Testing

@testable import InsigneServer
@testable import InsigneStore

@Suite("Trainer pages")
struct WebTrainerTests {
    @Test func signInSetsSecureSessionCookieAndSignOutDeletesIt() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let login = try await b.get("/login")
            #expect(login.status == .ok)
            let r = try await b.signIn()
            #expect(r.status == .seeOther)
            #expect(r.location == "/trainer")
            let cookie = try #require(r.setCookies.first { $0.hasPrefix("insigne_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(cookie.contains("Max-Age=28800"))
            #expect(!cookie.contains("Secure"))
            let token = try #require(b.cookie("insigne_session"))
            let sessions = try await h.services.db.writer.read { db in try WebSessionRecord.fetchAll(db) }
            #expect(sessions.count == 1)
            #expect(sessions[0].tokenHash == SHA256Digest.hexHash(Array(token.utf8)))
            #expect(sessions[0].tokenHash != token)
            #expect(abs(sessions[0].expiresAt.timeIntervalSinceNow - 8 * 3600) < 60)
            let dash = try await b.get("/trainer")
            #expect(dash.status == .ok)
            #expect(dash.body.contains("Tableau de bord"))
            #expect(dash.body.contains("Bientraitance"))
            // Sign out (CSRF-protected POST), then the session is gone.
            let out = try await b.post("/logout", [])
            #expect(out.status == .seeOther)
            let left = try await h.services.db.writer.read { db in try WebSessionRecord.fetchCount(db) }
            #expect(left == 0)
            b.setCookie("insigne_session", token)  // a stolen old cookie no longer works
            let again = try await b.get("/trainer")
            #expect(again.status == .seeOther)
            #expect(again.location?.hasPrefix("/login") == true)
        }
    }

    @Test func sessionCookieIsSecureOverHTTPS() async throws {
        let h = try await WebHarness.make(publicURL: "https://badges.example.fr")
        try await h.run { b in
            let r = try await b.signIn()
            let cookie = try #require(r.setCookies.first { $0.hasPrefix("insigne_session=") })
            #expect(cookie.contains("; Secure"))
            #expect(cookie.contains("HttpOnly"))
        }
    }

    @Test func signInFailureAndThrottle() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let bad = try await b.signIn("admin", "wrong")
            #expect(bad.status == .unauthorized)
            #expect(bad.body.contains("Identifiant ou mot de passe incorrect"))
            #expect(bad.body.contains(#"value="admin""#))  // login kept
            #expect(b.cookie("insigne_session") == nil)
            let unknown = try await b.signIn("nobody", "x")
            #expect(unknown.status == .unauthorized)
            for _ in 0..<3 { _ = try await b.signIn("ADMIN", "wrong") }
            // Five failures from this address: even the right password must wait (from another address it would
            // not: SignInGuardTests).
            let blocked = try await b.signIn("admin", WebHarness.adminPassword)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.contains("Trop de tentatives"))
            #expect(b.cookie("insigne_session") == nil)
            let failures = try await h.services.db.writer.read { db in
                try AuditEventRecord.filter { $0.action == "session.signin-failed" }.fetchCount(db)
            }
            #expect(failures == 5)
        }
    }

    @Test func postsWithoutOrWithWrongCSRFTokenAreRefused() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            // The sign-in form itself carries a token.
            _ = try await b.get("/login")
            let noLoginToken = try await b.post(
                "/login", [("login", "admin"), ("password", WebHarness.adminPassword)], csrf: "")
            #expect(noLoginToken.status == .forbidden)
            try await b.signIn()
            _ = try await b.get("/trainer/badges/bientraitance/award")
            let fields = [("email", "a@example.fr"), ("nonce", "n1")]
            let missing = try await b.postRaw(
                "/trainer/badges/bientraitance/award", contentType: "application/x-www-form-urlencoded",
                body: Array("email=a%40example.fr".utf8))
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("Jeton de sécurité"))
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
            let wrong = try await b.post(
                "/trainer/badges/bientraitance/award", fields, csrf: String(repeating: "0", count: 64))
            #expect(wrong.status == .forbidden)
            let logout = try await b.post("/logout", [], csrf: "nope")
            #expect(logout.status == .forbidden)
            #expect(try await h.assertionCount() == 0)
            #expect(try await h.services.db.writer.read { db in try WebSessionRecord.fetchCount(db) } == 1)
        }
    }

    @Test func pagesRequireSignIn() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let r = try await b.get("/trainer/assertions?q=x")
            #expect(r.status == .seeOther)
            #expect(r.location == "/login?next=%2Ftrainer%2Fassertions%3Fq%3Dx")
            let post = try await b.post("/trainer/badges/bientraitance/award", [("email", "a@example.fr")])
            #expect(post.status == .forbidden)
            #expect(try await h.assertionCount() == 0)
            // After sign-in, back to the page asked for; open redirects are refused.
            _ = try await b.get("/login?next=%2Ftrainer%2Fassertions")
            let ok = try await b.post(
                "/login", [("login", "admin"), ("password", WebHarness.adminPassword), ("next", "/trainer/assertions")])
            #expect(ok.location == "/trainer/assertions")
            _ = try await b.get("/trainer")
            #expect(try await b.post("/logout", []).status == .seeOther)
            _ = try await b.get("/login")
            let evil = try await b.post(
                "/login",
                [("login", "admin"), ("password", WebHarness.adminPassword), ("next", "https://evil.example/")])
            #expect(evil.location == "/trainer")
        }
    }

    @Test func awardOneRecipient() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let form = try await b.get("/trainer/badges/bientraitance/award")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"type="date""#))
            let nonce = try #require(
                form.body.range(of: #"name="nonce" value="[0-9a-f]+""#, options: .regularExpression))
            let nonceValue = String(form.body[nonce].split(separator: "\"")[3])
            let fields = [
                ("email", " Marie.Durand@Example.fr "), ("name", "Marie Durand"),
                ("narrative", "Session du 12 mars, foyer Les Tilleuls"),
                ("expires", "2031-06-15"), ("evidence", ""), ("nonce", nonceValue),
            ]
            let r = try await b.post("/trainer/badges/bientraitance/award", fields)
            #expect(r.status == .seeOther)
            let location = try #require(r.location)
            #expect(location.hasPrefix("/trainer/assertions/"))
            #expect(location.hasSuffix("?awarded=1"))
            let id = String(location.dropFirst("/trainer/assertions/".count).prefix(36))
            let a = try #require(
                try await h.services.db.assertion(id: id))
            #expect(a.recipientEmail == "marie.durand@example.fr")
            #expect(a.recipientName == "Marie Durand")
            #expect(a.expires == "2031-06-15T21:59:59Z")  // end of day, Paris summer time
            #expect(a.createdBy == "admin")
            let report = await h.services.verifier.verify(.text(a.jws), options: .init(now: Date()))
            #expect(report.isValid)
            let page = try await b.get(location)
            #expect(page.status == .ok)
            #expect(page.body.contains("Le badge a été attribué"))
            #expect(page.body.contains("http://127.0.0.1:8080/assertions/\(id)"))
            #expect(page.body.contains("http://127.0.0.1:8080/assertions/\(id)/badge.png"))
            #expect(page.body.contains("http://127.0.0.1:8080/assertions/\(id)/badge.svg"))
            #expect(page.body.contains("http://127.0.0.1:8080/assertions/\(id)/certificate.pdf"))
            #expect(page.body.contains("http://127.0.0.1:8080/verify?url="))
            // Posting the same form twice (double click, back + resubmit) awards once.
            _ = try await b.get("/trainer/badges/bientraitance/award")
            let again = try await b.post("/trainer/badges/bientraitance/award", fields)
            #expect(again.location == location)
            #expect(try await h.assertionCount() == 1)
        }
    }

    @Test func awardFormShowsErrorsNextToFieldsAndKeepsValues() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            _ = try await b.get("/trainer/badges/bientraitance/award")
            let r = try await b.post(
                "/trainer/badges/bientraitance/award",
                [
                    ("email", "pas-une-adresse"), ("name", "Jean <Martin>"), ("narrative", "x"),
                    ("expires", "2020-13-45"), ("nonce", "abc"),
                ])
            #expect(r.status == .unprocessableContent)
            #expect(r.body.contains("Date invalide"))
            #expect(r.body.contains("Jean &lt;Martin&gt;"))
            #expect(r.body.contains(#"value="pas-une-adresse""#))
            let past = try await b.post(
                "/trainer/badges/bientraitance/award",
                [("email", "pas-une-adresse"), ("expires", ""), ("nonce", "abc")])
            #expect(past.status == .unprocessableContent)
            #expect(past.body.contains("Adresse électronique invalide"))
            #expect(past.body.contains(#"id="email-error""#))
            #expect(try await h.assertionCount() == 0)
        }
    }

    static let csv = Array(
        ("\u{FEFF}email;name;narrative;expires;evidence\r\n"
            + "marie.durand@example.fr;Marie Durand;Session du 12 mars;2031-03-31;\r\n"
            + "pas-une-adresse;Paul;;;\r\n"
            + "\"jean.martin@example.fr\";\"Martin; Jean\";\"Stage, \"\"foyer\"\" Les Tilleuls\";;https://intranet.example.fr/att/42\r\n"
            + "claire@example.fr;Claire;;31/13/2031;\r\n").utf8)

    func uploadCSV(_ b: WebBrowser, _ data: [UInt8] = csv) async throws -> WebBrowser.Page {
        _ = try await b.get("/trainer/badges/bientraitance/bulk")
        return try await b.postMultipart(
            "/trainer/badges/bientraitance/bulk", [],
            files: [.init(field: "csv", filename: "stagiaires.csv", contentType: "text/csv", data: data)])
    }

    func confirmAndWait(_ b: WebBrowser, _ preview: WebBrowser.Page) async throws -> WebBrowser.Page {
        let action = try #require(
            preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
        let r = try await b.post(String(preview.body[action]), [])
        #expect(r.status == .seeOther)
        let batchURL = try #require(r.location)
        for _ in 0..<200 {
            let p = try await b.get(batchURL)
            if !p.body.contains(#"http-equiv="refresh""#) { return p }
            #expect(p.body.contains("<progress"))
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("batch did not finish")
        return try await b.get(batchURL)
    }

    @Test func bulkPreviewThenConfirmNeverAwardsTwice() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let preview = try await uploadCSV(b)
            #expect(preview.status == .ok)
            #expect(preview.body.contains("Vérification du fichier"))
            // Line 3 is the bad address, line 5 the bad date (the quoted row stays on line 4).
            #expect(preview.body.contains(#"<td class="num">3</td>"#))
            #expect(preview.body.contains("Adresse électronique invalide"))
            #expect(preview.body.contains(#"<td class="num">5</td>"#))
            #expect(preview.body.contains("Date d&#39;expiration invalide"))
            #expect(preview.body.contains("Martin; Jean"))
            #expect(preview.body.contains("Confirmer l&#39;attribution (2)"))
            #expect(try await h.assertionCount() == 0)

            let done = try await confirmAndWait(b, preview)
            #expect(done.body.contains("Terminé"))
            #expect(done.body.contains("2 badge(s) attribué(s)"))
            #expect(try await h.assertionCount() == 2)
            let jean = try #require(
                try await h.services.db.writer.read { db in
                    try AssertionRecord.filter { $0.recipientEmail == "jean.martin@example.fr" }.fetchOne(db)
                })
            #expect(jean.recipientName == "Martin; Jean")
            #expect(jean.narrative == "Stage, \"foyer\" Les Tilleuls")
            #expect(jean.evidence.first?.id == "https://intranet.example.fr/att/42")

            // Re-confirming the same batch does nothing; uploading the same file again awards nothing twice.
            let batchAction = try #require(
                preview.body.range(of: #"/trainer/batches/[0-9a-f]+/confirm"#, options: .regularExpression))
            _ = try await b.post(String(preview.body[batchAction]), [])
            let second = try await uploadCSV(b)
            let done2 = try await confirmAndWait(b, second)
            #expect(done2.body.contains("0 badge(s) attribué(s), 2 déjà attribué(s)"))
            #expect(done2.body.contains("Déjà attribué"))
            #expect(try await h.assertionCount() == 2)
        }
    }

    @Test func bulkStructuralErrorsAreShownOnTheUploadForm() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let unknown = try await uploadCSV(b, Array("mail,civilite\na@example.fr,Mme\n".utf8))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("colonne inconnue"))
            let quote = try await uploadCSV(b, Array("email,name\n\"a@example.fr,A\n".utf8))
            #expect(quote.status == .unprocessableContent)
            #expect(quote.body.contains("Ligne 2"))
            let binary = try await uploadCSV(b, [0x41, 0x00, 0x81, 0x0A])
            #expect(binary.status == .unprocessableContent)
            #expect(binary.body.contains("UTF-8"))
            _ = try await b.get("/trainer/badges/bientraitance/bulk")
            let pasted = try await b.postMultipart(
                "/trainer/badges/bientraitance/bulk", [("csvText", "email\nzoe@example.fr\n")], files: [])
            #expect(pasted.status == .ok)
            #expect(pasted.body.contains("zoe@example.fr"))
            #expect(try await h.assertionCount() == 0)
        }
    }

    @Test func listSearchAndPaging() async throws {
        let h = try await WebHarness.make()
        for i in 0..<30 {
            _ = try await h.services.issuing.award(
                AwardRequest(
                    badgeClassID: "bientraitance", recipientEmail: "stagiaire\(i)@example.fr",
                    recipientName: "Stagiaire \(i)"),
                actor: "admin")
        }
        _ = try await h.services.issuing.award(
            AwardRequest(
                badgeClassID: "bientraitance", recipientEmail: "marie.durand@example.fr", recipientName: "Marie Durand"),
            actor: "admin")
        try await h.run { b in
            try await b.signIn()
            let all = try await b.get("/trainer/assertions")
            #expect(all.body.contains("31 résultat(s)"))
            #expect(all.body.contains("page 1 / 2"))
            #expect(all.body.contains(#"rel="next""#))
            let p2 = try await b.get("/trainer/assertions?page=2")
            #expect(p2.body.contains("page 2 / 2"))
            #expect(p2.body.contains(#"rel="prev""#))
            let search = try await b.get("/trainer/assertions?q=DURAND")
            #expect(search.body.contains("1 résultat(s)"))
            #expect(search.body.contains("marie.durand@example.fr"))
            #expect(!search.body.contains("stagiaire1@example.fr"))
            let revoked = try await b.get("/trainer/assertions?state=revoked&badge=bientraitance")
            #expect(revoked.body.contains("0 résultat(s)"))
            let weird = try await b.get("/trainer/assertions?q=%25_%27%22&page=-4&state=%00")
            #expect(weird.status == .ok)
        }
    }

    @Test func revokeRequiresAReasonAndRecordsWhoAndWhen() async throws {
        let h = try await WebHarness.make()
        let (a, _) = try await h.services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "paul@example.fr"), actor: "admin")
        try await h.run { b in
            try await b.signIn()
            let page = try await b.get("/trainer/assertions/\(a.id)")
            #expect(page.body.contains("Révoquer ce badge"))
            let empty = try await b.post("/trainer/assertions/\(a.id)/revoke", [("reason", "   ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Le motif de révocation est obligatoire"))
            #expect(
                try await h.services.db.assertion(id: a.id)?.revokedAt
                    == nil)
            let ok = try await b.post("/trainer/assertions/\(a.id)/revoke", [("reason", "Attribué par erreur")])
            #expect(ok.status == .seeOther)
            let shown = try await b.follow(ok)
            #expect(shown.body.contains("Révoqué par"))
            #expect(shown.body.contains("Administrateur"))
            #expect(shown.body.contains("Attribué par erreur"))
            let revoked = try #require(
                try await h.services.db.assertion(id: a.id))
            #expect(revoked.revokedBy == "admin")
            #expect(revoked.revocationReason == "Attribué par erreur")
            let event = try #require(
                try await h.services.db.writer.read { db in
                    try AuditEventRecord.filter { $0.action == "assertion.revoke" && $0.subject == a.id }
                        .fetchOne(db)
                })
            #expect(event.actor == "admin")
            #expect(event.detail == "Attribué par erreur")
            #expect(abs(event.at.timeIntervalSinceNow) < 60)
        }
    }

    @Test func staffOnlySeesAndActsForItsIssuer() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "lea", password: "mot de passe lea", issuerID: DemoSeeder.establishmentID)
        let (a, _) = try await h.services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "paul@example.fr"), actor: "admin")
        try await h.run { b in
            let r = try await b.signIn("lea", "mot de passe lea")
            #expect(r.status == .seeOther)
            let dash = try await b.get("/trainer")
            #expect(dash.body.contains("Foyers La Maison"))
            #expect(!dash.body.contains("/trainer/badges/bientraitance/award"))
            let issuers = try await b.get("/trainer/issuers")
            #expect(!issuers.body.contains(">Mutuelle Vivre Ensemble<"))
            #expect(try await b.get("/trainer/badges/bientraitance/award").status == .forbidden)
            #expect(try await b.get("/trainer/badges/bientraitance/bulk").status == .forbidden)
            #expect(try await b.get("/trainer/assertions/\(a.id)").status == .forbidden)
            let list = try await b.get("/trainer/assertions")
            #expect(!list.body.contains("paul@example.fr"))
            _ = try await b.get("/trainer")
            let award = try await b.post(
                "/trainer/badges/bientraitance/award", [("email", "x@example.fr"), ("nonce", "1")])
            #expect(award.status == .forbidden)
            #expect(award.body.contains("Accès refusé"))
            let revoke = try await b.post("/trainer/assertions/\(a.id)/revoke", [("reason", "non")])
            #expect(revoke.status == .forbidden)
            _ = try await b.get("/trainer/badges/new")
            let create = try await b.postMultipart(
                "/trainer/badges/new",
                [("issuer", DemoSeeder.issuerID), ("name", "Hygiène"), ("description", "d"), ("criteria", "c")],
                files: [
                    .init(field: "image", filename: "b.png", contentType: "image/png", data: try DemoBadgeArt.png())
                ])
            #expect(create.status == .forbidden)
            #expect(try await h.assertionCount() == 1)
            #expect(
                try await h.services.db.assertion(id: a.id)?.revokedAt
                    == nil)
        }
    }

    @Test func createBadgeClassWithImageUpload() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            let form = try await b.get("/trainer/badges/new")
            #expect(form.body.contains(#"enctype="multipart/form-data""#))
            let bad = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", DemoSeeder.establishmentID), ("name", "Hygiène des mains"), ("description", ""),
                    ("criteria", "Suivre l'atelier"), ("validityChoice", "other"), ("validity", "douze"),
                ],
                files: [
                    .init(field: "image", filename: "b.png", contentType: "image/png", data: Array("not an image".utf8))
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("n&#39;est pas une durée ISO 8601"))
            #expect(bad.body.contains(#"value="Hygiène des mains""#))
            #expect(bad.body.contains("Suivre l&#39;atelier"))
            let noDesc = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", DemoSeeder.establishmentID), ("name", "Hygiène des mains"), ("description", ""),
                    ("criteria", "c"),
                ],
                files: [
                    .init(field: "image", filename: "b.png", contentType: "image/png", data: Array("not an image".utf8))
                ])
            #expect(noDesc.body.contains(#"id="description-error""#))
            let badImage = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", DemoSeeder.establishmentID), ("name", "Hygiène des mains"), ("description", "d"),
                    ("criteria", "c"),
                ],
                files: [
                    .init(field: "image", filename: "b.png", contentType: "image/png", data: Array("not an image".utf8))
                ])
            #expect(badImage.body.contains(#"id="image-error""#))
            #expect(badImage.body.contains("PNG ou SVG attendu"))
            let ok = try await b.postMultipart(
                "/trainer/badges/new",
                [
                    ("issuer", DemoSeeder.establishmentID), ("name", "Hygiène des mains"), ("description", "Atelier"),
                    ("criteria", "Suivre l'atelier"), ("tags", "hygiène, soins"), ("validityChoice", "P1Y"),
                    ("reminders", "14; 60"),
                ],
                files: [
                    .init(field: "image", filename: "b.png", contentType: "image/png", data: try DemoBadgeArt.png())
                ])
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/trainer?created=foyers-la-maison-hygiene-des-mains")
            let created = try #require(
                try await h.services.db.writer.read { db in
                    try BadgeClassRecord.fetchOne(db, key: "foyers-la-maison-hygiene-des-mains")
                })
            #expect(created.issuerID == DemoSeeder.establishmentID)
            #expect(created.tags == ["hygiène", "soins"])
            #expect(created.validity == "P1Y")
            #expect(created.reminderDays == [60, 14])
            let dash = try await b.follow(ok)
            #expect(dash.body.contains("« Hygiène des mains » a été créée"))
        }
    }

    @Test func frenchByDefaultEnglishOnRequest() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            let fr = try await b.get("/login")
            #expect(fr.body.contains(#"<html lang="fr">"#))
            #expect(fr.body.contains("Mot de passe"))
            #expect(fr.headers[HTTPField.Name("Content-Language")!] == "fr")
            let en = try await b.get("/login?lang=en")
            #expect(en.body.contains(#"<html lang="en">"#))
            #expect(en.body.contains("Password"))
            // The choice sticks (cookie) for the next pages.
            try await b.signIn()
            let dash = try await b.get("/trainer")
            #expect(dash.body.contains("Dashboard"))
            let back = try await b.get("/trainer?lang=fr")
            #expect(back.body.contains("Tableau de bord"))
        }
    }

    @Test func garbageInputNeverGives500() async throws {
        let h = try await WebHarness.make()
        try await h.run { b in
            try await b.signIn()
            _ = try await b.get("/trainer")
            let token = b.csrf
            let targets = [
                "/trainer/badges/new", "/trainer/badges/bientraitance/award", "/trainer/badges/bientraitance/bulk",
                "/trainer/badges/nope/award", "/trainer/batches/zzz/confirm", "/trainer/assertions/nope/revoke",
                "/login",
            ]
            let bodies: [(String, [UInt8])] = [
                ("application/x-www-form-urlencoded", Array("csrf=\(token)&%%%=%ZZ&email=%FF%FE&&=&nonce=\u{0}".utf8)),
                ("application/x-www-form-urlencoded", [0xFF, 0x00, 0x26, 0x3D, 0x3D]),
                ("multipart/form-data; boundary=xyz", Array("--xyz\r\nContent-Disposition: form-data\r\n\r\nx".utf8)),
                ("multipart/form-data", Array("nothing".utf8)),
                ("application/json", Array("{}".utf8)),
                (
                    "multipart/form-data; boundary=b",
                    Array(
                        "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x\"\r\n\r\n\u{1}\u{2}\r\n--b--"
                            .utf8)
                ),
            ]
            for t in targets {
                for (type, body) in bodies {
                    let r = try await b.postRaw(t, contentType: type, body: body)
                    #expect(r.status.code < 500, "\(t) \(type) → \(r.status)")
                    #expect(!r.body.contains("Error(") && !r.body.contains(".swift"))
                }
            }
            for path in [
                "/trainer/assertions/%00", "/trainer/batches/..%2f", "/trainer/badges/%FF/award",
                "/trainer/assertions?page=99999999999999999999",
            ] {
                let r = try await b.get(path)
                #expect(r.status.code < 500, "\(path) → \(r.status)")
            }
        }
    }
}
