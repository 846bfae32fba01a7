import Foundation
import Testing

@testable import InsigneServer

/// A page refused for lack of a role says which role it needs, at which issuer, and who can grant it (French first,
/// English with `?lang=en`), as the organisation browser scenario shows a trainer meeting the badge editor.
@Suite("Role refusal pages")
struct RoleRefusalTests {
    @Test("a trainer opening the badge editor is told it needs the manager role of the badge's issuer")
    func trainerAtTheBadgeEditor() async throws {
        let f = try await RoleFixture.shared.value
        let badge = AccessFixture.badge(.a)
        try await f.base.harness.run { browser in
            try await f.signIn(browser, as: .trainerA)
            let page = try await browser.get("/trainer/badges/\(badge)/edit")
            #expect(page.status == .forbidden)
            #expect(page.body.contains("Cette action demande le rôle de responsable de « Foyers La Maison"))
            #expect(page.body.contains("administrateur peut vous le donner"))
            let english = try await browser.get("/trainer/badges/\(badge)/edit?lang=en")
            #expect(english.status == .forbidden)
            #expect(english.body.contains("This action needs the manager role at Foyers La Maison"))
        }
    }

    @Test("a reviewer opening the award form is told it needs the trainer or manager role")
    func reviewerAtTheAwardForm() async throws {
        let f = try await RoleFixture.shared.value
        try await f.base.harness.run { browser in
            try await f.signIn(browser, as: .reviewerA)
            let page = try await browser.get("/trainer/badges/\(AccessFixture.badge(.a))/award")
            #expect(page.status == .forbidden)
            #expect(page.body.contains("rôle de formateur·rice ou responsable"))
        }
    }
}
