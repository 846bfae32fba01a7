// Stub: seeds the shipped referentials and aligns the demo badge.
extension DemoSeeder {
    /// Seeds the four shipped frameworks once.
    func seedReferentialsIfNeeded() async throws {}
}
