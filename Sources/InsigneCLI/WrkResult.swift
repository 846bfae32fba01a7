import Foundation

/// What `wrk --latency` reports for one route: requests per second and latencies in seconds.
struct WrkResult: Sendable, Equatable {
    var rate: Double
    var p50: Double
    var p99: Double
    var max: Double
    /// Some answers were not 2xx/3xx, or some requests timed out or failed.
    var errors = false

    /// Reads wrk's text output: `Requests/sec:`, the `Latency` line of the thread stats (its third figure is the
    /// maximum) and the `50%` and `99%` lines of the latency distribution; nil when one is missing.
    init?(output: String) {
        var rate: Double?
        var p50: Double?
        var p99: Double?
        var max: Double?
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first else { continue }
            switch first {
            case "Requests/sec:" where words.count == 2: rate = Double(words[1])
            case "Latency" where words.count >= 4: max = Self.seconds(words[3])
            case "50%" where words.count == 2: p50 = Self.seconds(words[1])
            case "99%" where words.count == 2: p99 = Self.seconds(words[1])
            default: break
            }
        }
        guard let rate, let p50, let p99, let max else { return nil }
        self.rate = rate
        self.p50 = p50
        self.p99 = p99
        self.max = max
        self.errors = output.contains("Non-2xx or 3xx responses") || output.contains("Socket errors:")
    }

    /// `635.91us`, `1.23ms`, `2.01s`, `1.50m` in seconds.
    static func seconds(_ text: Substring) -> Double? {
        for (unit, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }

    /// `1.23 ms`.
    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

    /// `p50 1.23 ms, p99 4.56 ms, max 12.00 ms`.
    var latencyText: String { "p50 \(Self.ms(p50)), p99 \(Self.ms(p99)), max \(Self.ms(max))" }
}

/// Runs `/usr/bin/wrk --latency` against one URL (`bench-server`, `bench-scale`): threads, connections, duration
/// and per-request timeout, plus headers and a Lua script.
struct WrkRunner: Sendable {
    var threads: Int
    var connections: Int
    /// Seconds of load.
    var duration: Int
    /// Seconds after which wrk counts a request as timed out (wrk's default: 2).
    var timeout: Int? = nil

    /// The measurement, and wrk's whole text output.
    func run(_ url: String, headers: [String] = [], script: String? = nil) async throws -> (WrkResult, String) {
        var args = ["-t", String(threads), "-c", String(connections), "-d", "\(duration)s", "--latency"]
        if let timeout { args += ["--timeout", "\(timeout)s"] }
        for h in headers { args += ["-H", h] }
        if let script { args += ["-s", script] }
        args.append(url)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            throw CLIError(fr: "wrk introuvable (apt-get install wrk)", en: "wrk not found (apt-get install wrk)")
        }
        let data = await Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let result = WrkResult(output: text) else {
            throw CLIError(fr: "sortie de wrk illisible", en: "unreadable wrk output: \(text)")
        }
        return (result, text)
    }
}
