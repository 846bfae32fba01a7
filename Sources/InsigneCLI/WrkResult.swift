import Foundation

/// What `wrk --latency` reports for one route: requests per second and latencies in seconds.
struct WrkResult: Sendable, Equatable {
    var rate: Double
    var p50: Double
    var p99: Double
    var max: Double

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
