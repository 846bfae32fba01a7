import CompetencyFrameworks
import Testing

struct PlainTextTests {
    @Test func stripsTagsAndDecodesEntities() {
        #expect(
            CompetencyFramework.plainText("<p>Savoir &amp; faire</p>\n<p>ensemble</p>") == "Savoir & faire ensemble")
    }
}
