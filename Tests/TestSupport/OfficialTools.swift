import Foundation
import OpenBadges
import OpenBadgesHTTP

/// Runs `Tests/Interop/official_tools.py` (the 1EdTech validator and bakery) in the venv made by `make deps`.
public enum OfficialTools {
    /// `.venv/bin/python` at the package root.
    public static var python: URL { TestPaths.packageRoot.appendingPathComponent(".venv/bin/python") }

    /// True when `make deps` has installed the tools.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// Runs a command of the harness and parses its JSON output (the last line of stdout).
    public static func run(_ arguments: [String]) async throws -> JSONValue {
        let result = try await runProcess(
            python, [TestPaths.packageRoot.appendingPathComponent("Tests/Interop/official_tools.py").path] + arguments)
        guard let last = result.stdout.split(separator: "\n").last else {
            throw HarnessError(message: "no output; stderr: \(result.stderr)")
        }
        do { return try JSONValue(parsing: String(last)) } catch {
            throw HarnessError(message: "bad output \(last.prefix(500)); stderr: \(result.stderr)")
        }
    }

    /// What a finished process printed.
    public struct ProcessResult: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs a program to completion on its own thread, so the waiting never blocks Swift's cooperative pool
    /// (other tests measure time and would see it stall).
    public static func runProcess(
        _ executable: URL, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:]
    ) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessResult, Error>) in
            let thread = Thread {
                do {
                    let p = Process()
                    p.executableURL = executable
                    p.arguments = arguments
                    if let cwd { p.currentDirectoryURL = cwd }
                    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                    let out = Pipe()
                    let err = Pipe()
                    p.standardOutput = out
                    p.standardError = err
                    try p.run()
                    // Read stderr concurrently so a chatty process cannot fill its pipe and stall.
                    nonisolated(unsafe) var errData = Data()
                    let group = DispatchGroup()
                    group.enter()
                    DispatchQueue.global().async {
                        errData = err.fileHandleForReading.readDataToEndOfFile()
                        group.leave()
                    }
                    let outData = out.fileHandleForReading.readDataToEndOfFile()
                    group.wait()
                    p.waitUntilExit()
                    continuation.resume(
                        returning: ProcessResult(
                            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// A harness failure.
    public struct HarnessError: Error, CustomStringConvertible {
        /// What happened.
        public var message: String
        public var description: String { message }
    }

    /// GET over HTTP on loopback (test servers); the body of a 2xx/4xx answer, nil when nothing answered.
    public static func httpGet(_ url: String, accept: String = "*/*") async throws -> [UInt8]? {
        var config = HTTPLoaderConfiguration()
        config.addressPolicy = .allowAll
        config.totalTimeout = 5
        guard let u = URL(string: url) else { return nil }
        do {
            return try await HTTPDocumentLoader(configuration: config).load(u, accept: accept).body
        } catch {
            return nil
        }
    }

    /// The path of a command-line tool on `PATH` (or in /usr/bin), if installed.
    public static func tool(_ name: String) -> URL? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return (dirs + ["/usr/bin"]).map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A free TCP port on 127.0.0.1.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError(message: "socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw HarnessError(message: "bind failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("insigne-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The validator's verdict: (valid, errorCount, warningCount, messages).
    public static func summary(_ report: JSONValue) -> (valid: Bool, errors: Int, warnings: Int, messages: String) {
        let r = report["report"]
        let messages = (r?["messages"]?.arrayValue ?? []).map { m in
            "\(m["messageLevel"]?.stringValue ?? "?"): \(m["result"]?.stringValue ?? m.encodedString())"
        }
        return (
            r?["valid"]?.boolValue ?? false, Int(r?["errorCount"]?.numberValue ?? -1),
            Int(r?["warningCount"]?.numberValue ?? -1), messages.joined(separator: "\n")
        )
    }
}
