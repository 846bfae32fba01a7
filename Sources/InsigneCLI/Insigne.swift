import ArgumentParser

@main
struct Insigne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "insigne", abstract: "Insigne Open Badges tool")
}
