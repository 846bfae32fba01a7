import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenBadges
import Testing

@testable import InsigneServer
@testable import InsigneStore

/// Issue 9, point 2: a learner's evidence never becomes public unless they chose to publish that piece with that
/// badge class; the award shows exactly what becomes public before it is signed.
@Suite("EvidencePrivacy")
struct EvidencePrivacyTests {
    static let secretStory = "Mme R., 82 ans, diabète et isolement familial : j'ai adapté sa toilette."
    static let secretTitle = "Accompagnement de Mme R."
    static let secretFile = "bilan-sante-mme-r.pdf"

    /// A learner with one accepted narrative and one accepted file; returns their browser, id and the two pieces.
    static func acceptedPieces(_ h: WebHarness, _ trainer: WebBrowser) async throws
        -> (WebBrowser, String, EvidenceItemRecord, EvidenceItemRecord)
    {
        let (learner, account) = try await h.learner(trainer, name: "Éloïse Muller", email: "eloise@example.org")
        #expect(
            try await learner.addNarrative(title: secretTitle, text: secretStory, tags: ["dees-test|DC1.1"]).status
                == .seeOther)
        #expect(
            try await learner.upload(title: "Bilan", data: Samples.pdf, filename: secretFile).status == .seeOther)
        try await learner.submitAll()
        let pieces = try await h.pieces()
        let story = try #require(pieces.first { $0.kind == .narrative })
        let file = try #require(pieces.first { $0.kind == .file })
        for p in [story, file] {
            _ = try await trainer.get("/trainer/learners/\(account.id)")
            #expect(
                try await trainer.post("/trainer/evidence/\(p.id)/review", [("decision", "accept")]).status
                    == .seeOther)
        }
        return (learner, account.id, story, file)
    }

    /// Awards `bientraitance` citing the pieces through the form, its preview and the confirmation.
    static func award(_ h: WebHarness, _ trainer: WebBrowser, learnerID: String, pieces: [String]) async throws -> (
        form: String, preview: String
    ) {
        let form = try await trainer.get("/trainer/learners/\(learnerID)?badge=bientraitance")
        let r = try #require(form.body.range(of: #"name="nonce" value="[0-9a-f]+""#, options: .regularExpression))
        let nonce = String(form.body[r].split(separator: "\"")[3])
        let noteRange = try #require(
            form.body.range(of: #"name="evidenceNote"[^>]*>[^<]*"#, options: .regularExpression))
        let note = String(form.body[noteRange].split(separator: ">", maxSplits: 1)[1]).htmlUnescaped
        let fields =
            [("badge", "bientraitance"), ("nonce", nonce), ("narrative", "Stage validé."), ("evidenceNote", note)]
            + pieces.map { ("evidence", $0) }
        let preview = try await trainer.post("/trainer/learners/\(learnerID)/award", fields)
        #expect(preview.status == .ok)
        #expect(try await h.services.db.writer.read { db in try AssertionRecord.fetchCount(db) } == 0)
        let done = try await trainer.post("/trainer/learners/\(learnerID)/award", fields + [("confirm", "1")])
        #expect(done.status == .seeOther)
        #expect(done.location?.hasPrefix("/trainer/assertions/") == true)
        return (form.body, preview.body)
    }

    /// Every public form of the award, as text: hosted JSON and page, the JWS payload, and the payloads baked in
    /// the PNG and SVG downloads.
    static func publicForms(_ h: WebHarness, _ anonymous: WebBrowser) async throws -> (AssertionRecord, [String]) {
        let a = try #require(try await h.services.db.writer.read { db in try AssertionRecord.fetchOne(db) })
        let hosted = try await anonymous.get("/assertions/\(a.id)")
        #expect(hosted.status == .ok)
        var texts = [hosted.body, try payloadText(a.jws)]
        for format in ["png", "svg"] {
            let (status, _, bytes) = try await anonymous.bytes("/assertions/\(a.id)/badge.\(format)")
            #expect(status == .ok)
            texts.append(try payloadText(try BadgeBaker.extract(from: bytes).text))
        }
        return (a, texts)
    }

    static func payloadText(_ jws: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: try PortfolioTests.payload(jws)), as: UTF8.self)
    }

    @Test func awardCitingEvidencePublishesOnlyTheNeutralNoteByDefault() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let (_, learnerID, story, file) = try await Self.acceptedPieces(h, trainer)
            let (form, preview) = try await Self.award(h, trainer, learnerID: learnerID, pieces: [story.id, file.id])
            #expect(form.contains("Preuves examinées par"))
            #expect(form.contains("reste privée"))
            // The preview says, in plain words, what becomes public and what stays private.
            #expect(preview.contains("Ce qui sera public dans le badge"))
            #expect(preview.contains("Stage validé."))
            #expect(preview.contains("Preuves examinées par"))
            #expect(preview.contains("Citées mais qui restent privées"))
            #expect(!preview.contains("isolement familial"))
            #expect(!preview.contains("/public-evidence/"))

            let (a, forms) = try await Self.publicForms(h, WebBrowser(client: trainer.client))
            let evidence = try #require(try PortfolioTests.payload(a.jws)["evidence"] as? [[String: Any]])
            #expect(evidence.count == 1)
            #expect(evidence[0]["id"] == nil)
            let note = try #require(evidence[0]["narrative"] as? String)
            #expect(note.hasPrefix("Preuves examinées par ") && note.contains("Evidence reviewed by "))
            for text in forms {
                for secret in [
                    "isolement familial", "Mme R.", Self.secretFile, "Bilan", "/evidence/", story.id, file.id,
                ] {
                    #expect(!text.contains(secret), "\(secret) published")
                }
            }
            #expect(await h.services.verifier.verify(.text(a.jws), options: .init(now: Date())).isValid)
        }
    }

    @Test func aPieceTheLearnerPublishesAnswersAnyoneUntilWithdrawn() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let (learner, learnerID, story, file) = try await Self.acceptedPieces(h, trainer)
            // The learner opts in for both pieces, for this badge class only.
            for p in [story, file] {
                let page = try await learner.get("/evidence/\(p.id)")
                #expect(page.body.contains("Publier avec le badge"))
                let saved = try await learner.post(
                    "/portfolio/evidence/\(p.id)/publication", [("badge", "bientraitance")])
                #expect(saved.location == "/evidence/\(p.id)?published=1")
            }
            // Someone else cannot choose for them.
            let other = WebBrowser(client: trainer.client)
            #expect(try await trainer.post("/portfolio/evidence/\(story.id)/publication", []).status == .notFound)
            let (_, preview) = try await Self.award(h, trainer, learnerID: learnerID, pieces: [story.id, file.id])
            #expect(preview.contains("publiée parce que la personne"))
            #expect(preview.contains("isolement familial"))
            #expect(preview.contains("/public-evidence/"))

            let (a, _) = try await Self.publicForms(h, other)
            let evidence = try #require(try PortfolioTests.payload(a.jws)["evidence"] as? [[String: Any]])
            #expect(evidence.count == 3)
            let published = evidence.compactMap { $0["id"] as? String }
            #expect(published.count == 2)
            let storyEntry = try #require(evidence.first { $0["name"] as? String == Self.secretTitle })
            #expect(storyEntry["narrative"] as? String == Self.secretStory)
            for url in published {
                #expect(url.hasPrefix(h.services.urls.base + "/public-evidence/"))
                let path = String(url.dropFirst(h.services.urls.base.count))
                let page = try await other.get(path)
                #expect(page.status == .ok, "\(path) answers anonymously")
            }
            let storyPath = String((storyEntry["id"] as! String).dropFirst(h.services.urls.base.count))
            #expect(try await other.get(storyPath).body.contains("isolement familial"))
            let filePath = try #require(
                published.map { String($0.dropFirst(h.services.urls.base.count)) }.first { $0 != storyPath })
            let (status, _, bytes) = try await other.bytes(filePath + "/file")
            #expect(status == .ok)
            #expect(bytes == Samples.pdf)

            // Withdrawing closes the link; the signed badge stays valid.
            _ = try await learner.get("/evidence/\(story.id)")
            #expect(try await learner.post("/portfolio/evidence/\(story.id)/publication", []).status == .seeOther)
            #expect(try await other.get(storyPath).status == .notFound)
            #expect(try await other.get(filePath).status == .ok)
            #expect(await h.services.verifier.verify(.text(a.jws), options: .init(now: Date())).isValid)
        }
    }
}

extension EvidencePrivacyTests {
    /// Any other route (API, bulk CSV) that cites `<base>/evidence/<id>`: the private link is never signed; it becomes
    /// the public link of a piece the learner published with this badge class, else the neutral note.
    @Test func citationsThroughTheAPINeverSignAPrivateLink() async throws {
        let h = try await WebHarness.make()
        try h.importFramework()
        try await h.run { trainer in
            try await trainer.signIn()
            let (learner, _, story, file) = try await Self.acceptedPieces(h, trainer)
            _ = try await learner.get("/evidence/\(file.id)")
            _ = try await learner.post("/portfolio/evidence/\(file.id)/publication", [("badge", "bientraitance")])
            let admin = try #require(
                try await h.services.db.writer.read { db in
                    try AccountRecord.filter { $0.login == "admin" }.fetchOne(db)
                })
            let base = h.services.urls.base
            let (record, _) = try await h.services.issuing.award(
                AwardRequest(
                    badgeClassID: "bientraitance", recipientEmail: "eloise@example.org",
                    evidence: [
                        EvidenceRecord(id: base + "/evidence/" + story.id),
                        EvidenceRecord(id: base + "/evidence/" + file.id, name: "Bilan de stage"),
                    ]),
                actor: admin.id)
            let payload = try Self.payloadText(record.jws)
            #expect(!payload.contains("/evidence/"))
            #expect(!payload.contains(story.id) && !payload.contains(file.id))
            #expect(payload.contains("Preuves examin"))
            let evidence = try #require(try PortfolioTests.payload(record.jws)["evidence"] as? [[String: Any]])
            let link = try #require(evidence.compactMap { $0["id"] as? String }.first)
            #expect(link.hasPrefix(base + "/public-evidence/"))
            #expect(try await WebBrowser(client: trainer.client).get(String(link.dropFirst(base.count))).status == .ok)
        }
    }
}

extension String {
    /// Undoes the HTML escaping of a template value.
    var htmlUnescaped: String {
        replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension EvidencePrivacyTests {
    /// The « Publier avec un badge » choices list only the badge classes that can cite the piece: those of the issuer
    /// it was submitted to (before that, of the issuers the learner is enrolled with); the POST refuses any other.
    @Test func publicationChoicesListOnlyTheLearnersIssuersBadges() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "foyers", password: "mot de passe foyers", issuerID: DemoSeeder.establishmentID)
        var own = try #require(try await h.services.db.badgeClass(id: DemoSeeder.badgeID))
        own.id = "accueil-foyers"
        own.issuerID = DemoSeeder.establishmentID
        own.name = "Accueil au foyer"
        #expect(try await h.services.db.createBadgeClass(own, actor: "admin") == .created)
        try await h.run { browser in
            let foyers = WebBrowser(client: browser.client)
            try await foyers.signIn("foyers", "mot de passe foyers")
            let (learner, _) = try await h.learner(foyers, name: "Dominique Duo", email: "duo@example.org")
            _ = try await learner.addNarrative(title: "Récit", text: "Une journée au foyer.")
            let piece = try #require(try await h.pieces().first)
            for submitted in [false, true] {
                if submitted { try await learner.submitAll() }
                let page = try await learner.get("/evidence/\(piece.id)")
                #expect(page.body.contains("value=\"accueil-foyers\""), "submitted: \(submitted)")
                #expect(!page.body.contains("value=\"bientraitance\""), "another issuer's badge (\(submitted))")
                let refused = try await learner.post(
                    "/portfolio/evidence/\(piece.id)/publication", [("badge", DemoSeeder.badgeID)])
                #expect(refused.status == .badRequest)
                _ = try await learner.get("/evidence/\(piece.id)")
                let saved = try await learner.post(
                    "/portfolio/evidence/\(piece.id)/publication", [("badge", "accueil-foyers")])
                #expect(saved.location == "/evidence/\(piece.id)?published=1")
            }
            let published = try await h.services.db.writer.read { db in
                try EvidencePublicationRecord.fetchAll(db).map(\.badgeClassID)
            }
            #expect(published == ["accueil-foyers"])
        }
    }
}
