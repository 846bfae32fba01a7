import Hummingbird

// Stub: the learners' portfolio pages, evidence access, share links, RGPD, and the trainers' review land here.
extension WebController {
    /// Registers the portfolio pages.
    func registerPortfolioPages(on router: Router<AppRequestContext>) {}
}
