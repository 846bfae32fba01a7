import OpenBadges
import Testing

@testable import InsigneServer

/// One text mechanism: `LocalizedText` tables resolved by `Language`, templates receive resolved strings.
@Suite struct TextTablesTests {
    @Test func signedInPagesTableResolvesBothLanguages() {
        let fr = WebText.table(.fr)
        let en = WebText.table(.en)
        #expect(fr.count == WebText.texts.count)
        #expect(Set(fr.keys) == Set(en.keys))
        #expect(fr["signIn"] == "Se connecter")
        #expect(en["signIn"] == "Sign in")
        #expect(fr["otherLanguage"] == "English")
        #expect(en["badgeIDHelp"]?.hasSuffix("(for example foyers-la-maison-bientraitance).") == true)
    }

    @Test func publicLayoutStrings() {
        let fr = Language.fr.resolve(Pages.layoutTexts)
        let en = Language.en.resolve(Pages.layoutTexts)
        #expect(fr["skip"] == "Aller au contenu")
        #expect(en["navReferentials"] == "Competency frameworks")
        #expect(fr["switchTitle"] == "Read this page in English")
        #expect(en["switchTitle"] == "Lire cette page en français")
        #expect(
            Set(fr.keys) == [
                "skip", "brandTagline", "navVerify", "navReferentials", "navSignIn", "navMySpace", "home",
                "switchTitle", "footer",
            ])
        #expect(fr["navSignIn"] == "Se connecter" && en["navSignIn"] == "Sign in")
    }

    @Test func resolvePicksTheLanguage() {
        let table = ["k": LocalizedText(fr: "oui", en: "yes")]
        #expect(Language.fr.resolve(table) == ["k": "oui"])
        #expect(Language.en.resolve(table) == ["k": "yes"])
    }
}
