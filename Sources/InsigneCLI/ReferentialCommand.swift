import ArgumentParser

/// `insigne referential import FILE` / `insigne referential export ID` (stub).
struct ReferentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referential", abstract: "Import or export a competency framework (Moodle CSV or JSON).")
}
