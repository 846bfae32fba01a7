import Foundation

/// openbadgeslib (Python, `.venv-ob3`) verifying the bench's Data Integrity credential, driven slice by slice so that
/// it alternates with Insigne's own measurements: `Tests/Interop/ob3_reference_bench.py` verifies once, prints
/// `ready`, then answers each line `SECONDS` with the verifications per second it managed in that time.
final class OB3ReferenceBench: @unchecked Sendable {
    static let python = ".venv-ob3/bin/python"
    static let script = "Tests/Interop/ob3_reference_bench.py"

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let file: URL
    private var pending: [UInt8] = []

    /// Starts the reference on `credential`; throws a message saying why it cannot run (no venv, no script,
    /// openbadgeslib refuses the credential).
    init(credential: [UInt8]) throws {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: Self.python), fm.fileExists(atPath: Self.script) else {
            throw CLIError(
                fr: "\(Self.python) ou \(Self.script) absent (lancez `make ob3-deps` depuis la racine du dépôt)",
                en: "\(Self.python) or \(Self.script) missing (run `make ob3-deps` from the repository root)")
        }
        file = fm.temporaryDirectory.appendingPathComponent("insigne-bench-\(UUID().uuidString).json")
        try Data(credential).write(to: file)
        let toChild = Pipe()
        let fromChild = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.script, file.path]
        process.standardInput = toChild
        process.standardOutput = fromChild
        input = toChild.fileHandleForWriting
        output = fromChild.fileHandleForReading
        try process.run()
        guard let first = readLine(), first == "ready" else {
            stop()
            throw CLIError(
                fr: "openbadgeslib n'a pas vérifié le justificatif de référence",
                en: "openbadgeslib did not verify the reference credential")
        }
    }

    /// openbadgeslib's verifications per second over about `seconds` (0 if the process stopped).
    func rate(seconds: Double) -> Double {
        input.write(Data("\(seconds)\n".utf8))
        return readLine().flatMap(Double.init) ?? 0
    }

    func stop() {
        try? input.close()
        if process.isRunning { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: file)
    }

    private func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let data = output.availableData
            if data.isEmpty { return nil }
            pending.append(contentsOf: data)
        }
    }
}
