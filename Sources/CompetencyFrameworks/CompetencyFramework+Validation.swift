// Temporary stand-in until the validating version lands (branch csv).
extension CompetencyFramework {
    /// Checks the tree and returns it in tree order.
    public func validated() throws(ReferentialError) -> CompetencyFramework { self }
}
