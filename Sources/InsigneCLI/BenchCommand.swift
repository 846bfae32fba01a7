import ArgumentParser

/// `insigne bench`: issue and verify throughput against raw OpenSSL, measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmark (release build).")
    func run() async throws {}
}
