import Hummingbird

// Stub: the learners' backpack pages (badges received, downloads, ZIP, public page, LinkedIn, imports) land here.
extension WebController {
    /// Registers the backpack pages.
    func registerBackpackPages(on router: Router<AppRequestContext>) {}
}
