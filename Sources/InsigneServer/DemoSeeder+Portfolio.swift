// Stub: seeds a demo trainer-reviewer and learner once.
extension DemoSeeder {
    /// Seeds the portfolio demo once.
    func seedPortfolioIfNeeded() async throws {}
}
