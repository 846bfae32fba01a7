import Foundation
import HTTPTypes
import InsigneServer
import InsigneStore
import OpenBadges
import Testing

/// Deep pages without OFFSET, as clients see them: the admin API's `cursor` / `nextCursor` / `Link`, the trainers'
/// list's « Suivants » and « Précédents » links; a cursor that is not one: 400 in French and English.
@Suite("Deep pages by cursor")
struct DeepPagesTests {
    @Test func theAPIWalksEveryAwardByCursorAndRefusesOthers() async throws {
        let h = try await APIHarness.make()
        try await h.run { api in
            var made: [String] = []
            for i in 0..<7 {
                made.append(try #require(try await api.award("p\(i)@example.org").json["id"]?.stringValue))
            }
            var seen: [String] = []
            var uri = "/api/v1/assertions?perPage=3&badge=bientraitance"
            var pages = 0
            while pages < 10 {
                let page = try await api.get(uri)
                #expect(page.status == .ok)
                #expect(page.json["total"]?.numberValue == 7)
                #expect(page.json["page"]?.numberValue == Double(pages + 1))
                seen += page.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                pages += 1
                guard let next = page.json["nextCursor"]?.stringValue else {
                    #expect(page.json["nextCursor"] == .null)
                    #expect(page.headers[HTTPField.Name("Link")!] == nil)
                    break
                }
                // The Link header carries the same cursor, the filters and perPage.
                let link = try #require(page.headers[HTTPField.Name("Link")!])
                #expect(link.hasPrefix("</api/v1/assertions?badge=bientraitance&perPage=3&cursor=\(next)&page="))
                #expect(link.hasSuffix(">; rel=\"next\""))
                uri = String(link.dropFirst().prefix { $0 != ">" })
            }
            #expect(pages == 3)
            #expect(Set(seen) == Set(made) && seen.count == 7)
            // Newest first: the last one awarded comes first.
            #expect(seen.first == made.last)
            for bad in ["x", "bm90IGEgY3Vyc29y", "%27%20OR%201%3D1", String(repeating: "A", count: 600)] {
                let r = try await api.get("/api/v1/assertions?cursor=\(bad)")
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.isBilingualProblem)
                #expect(r.json["detail"]?.stringValue?.contains("curseur") == true)
            }
        }
    }

    @Test func theTrainersListLeadsOnByCursorLinks() async throws {
        let h = try await WebHarness.make()
        for i in 0..<60 {
            _ = try await h.services.issuing.award(
                AwardRequest(badgeClassID: "bientraitance", recipientEmail: "stagiaire\(i)@example.fr"), actor: "admin")
        }
        try await h.run { b in
            try await b.signIn()
            let first = try await b.get("/trainer/assertions")
            #expect(first.body.contains("60 résultat(s) — page 1 / 3"))
            let next = try #require(Self.link(first.body, rel: "next"))
            #expect(next.contains("&page=2&after="))
            let second = try await b.get(next)
            #expect(second.body.contains("page 2 / 3"))
            // Page 2 goes back to the plain first page.
            #expect(Self.link(second.body, rel: "prev")?.hasSuffix("&page=1") == true)
            let third = try await b.get(try #require(Self.link(second.body, rel: "next")))
            #expect(third.body.contains("page 3 / 3"))
            #expect(Self.link(third.body, rel: "next") == nil)
            #expect(Self.link(third.body, rel: "first")?.hasSuffix("&page=1") == true)
            let back = try #require(Self.link(third.body, rel: "prev"))
            #expect(back.contains("&page=2&before="))
            #expect(try await b.get(back).body == second.body)
            // Every award once over the three pages.
            let emails = [first, second, third].flatMap { Self.emails($0.body) }
            #expect(emails.count == 60 && Set(emails).count == 60)
            let bad = try await b.get("/trainer/assertions?page=3&after=pas-un-curseur")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Lien de page invalide"))
        }
    }

    /// The href of the pager's link `rel`, HTML entities decoded.
    static func link(_ html: String, rel: String) -> String? {
        guard let r = html.range(of: "rel=\"\(rel)\" href=\"") else { return nil }
        let href = html[r.upperBound...].prefix { $0 != "\"" }
        return href.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#x3D;", with: "=")
    }

    /// The recipients' addresses listed on a page.
    static func emails(_ html: String) -> [String] {
        html.components(separatedBy: "<span class=\"break\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }
}
