import ArgumentParser
import Foundation
import Hummingbird
import InsigneServer
import InsigneStore
import OpenBadges
import OpenBadgesCrypto

/// `insigne bench-server`: HTTP throughput of the service against a trivial route of the same server, a
/// 10,000-recipient batch award against twice the raw RSA-2048 sign rate (two cores), and memory use.
/// Load comes from `wrk` (Debian package) in a second process, on loopback only.
struct ServerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-server",
        abstract: "Mesure le service HTTP / benchmark the HTTP service (release build, needs wrk).")

    @Option(help: "Secondes par mesure HTTP / seconds per HTTP measurement.")
    var duration: Int = 5

    @Option(help: "Connexions simultanées / concurrent connections.")
    var connections: Int = 32

    @Option(help: "Nombre de destinataires du lot / batch size.")
    var batch: Int = 10_000

    func run() async throws {
        let port = try Self.freePort()
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = port
        config.publicURL = "http://127.0.0.1:\(port)"
        config.dataDirectory = NSTemporaryDirectory() + "insigne-bench-\(UUID().uuidString)"
        config.verifyRateLimitPerMinute = nil
        let services = try ServerServices(configuration: config)
        _ = try await services.seedDemoData(adminToken: "bench-token")
        let (award, _) = try await services.issuing.award(
            AwardRequest(badgeClassID: "bientraitance", recipientEmail: "marie.dupont@example.org"), actor: "bench")
        let app = makeServedApplication(services: services)
        let server = Task { try await app.run() }
        defer { server.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        let rssIdle = Self.rssMiB()

        let baked = try await services.resolver.resolve(path: "/assertions/\(award.id)/badge.png")!.body
        let dir = URL(fileURLWithPath: config.dataDirectory)
        let pngPath = dir.appendingPathComponent("bench.png").path
        try Data(baked).write(to: URL(fileURLWithPath: pngPath))
        let lua = dir.appendingPathComponent("verify.lua").path
        try Self.verifyScript(pngPath: pngPath).write(toFile: lua, atomically: true, encoding: .utf8)

        let base = "http://127.0.0.1:\(port)"
        let trivial = try await wrk("\(base)/health")
        let hosted = try await wrk("\(base)/assertions/\(award.id)", headers: ["Accept: application/ld+json"])
        let rssLoad = Self.rssMiB()
        let verify = try await wrk("\(base)/verify", script: lua)
        let rssAfterVerify = Self.rssMiB()

        // Batch: a CSV of `batch` recipients through the same path as the API's batch endpoint.
        let key = try PrivateKey.generate(.rsa2048)
        let rawSign = RawOpenSSLBenchmark.rs256SignsPerSecond(
            key: key, message: Array(repeating: 0x41, count: 900), duration: 2)
        var csv = "email,name,narrative,expires,evidence\n"
        for n in 0..<batch { csv += "stagiaire\(n)@example.org,Stagiaire \(n),Formation bientraitance,,\n" }
        let start = DispatchTime.now().uptimeNanoseconds
        let counts = try await services.awardBatch(csv: Array(csv.utf8), badgeID: "bientraitance", actor: "bench")
        guard counts.created == batch, counts.errors == 0 else {
            throw CLIError(fr: "lot incomplet : \(counts)", en: "incomplete batch: \(counts)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let batchRate = Double(batch) / seconds

        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? (a / b * 1000).rounded() / 1000 : 0 }
        let hostedRatio = ratio(hosted.rate, trivial.rate)
        let verifyRatio = ratio(verify.rate, trivial.rate)
        let batchRatio = ratio(batchRate, 2 * rawSign)
        print("Insigne bench-server — wrk \(connections) connections × \(duration) s, loopback")
        for (name, m) in [
            ("trivial GET /health", trivial), ("GET hosted assertion", hosted), ("POST /verify (baked PNG)", verify),
        ] {
            print(
                name.padding(toLength: 28, withPad: " ", startingAt: 0) + "\(Int(m.rate)) req/s".leftPad(14) + "   "
                    + m.latencyText)
        }
        print("hosted_get_ratio \(hostedRatio) (goal ≥ 0.5)")
        print("verify_route_ratio \(verifyRatio) (goal ≥ 0.25), p99 \(WrkResult.ms(verify.p99)) (goal < 20 ms)")
        print(
            "batch award \(batch): \(Int(batchRate)) awards/s; batch_ratio \(batchRatio) to 2× raw sign (\(Int(2 * rawSign))/s) (goal ≥ 0.7)"
        )
        let rssLoadMax = max(rssLoad, rssAfterVerify)
        print("RSS idle \(rssIdle) MiB (goal < 64), under load \(rssLoadMax) MiB (goal < 150)")
        var result: [String: JSONValue] = [
            "trivial_rps": .number(trivial.rate.rounded()), "hosted_get_rps": .number(hosted.rate.rounded()),
            "hosted_get_ratio": .number(hostedRatio), "verify_rps": .number(verify.rate.rounded()),
            "verify_ratio": .number(verifyRatio), "batch_per_s": .number(batchRate.rounded()),
            "raw_sign_per_s": .number(rawSign.rounded()), "batch_ratio": .number(batchRatio),
            "rss_idle_mib": .number(Double(rssIdle)), "rss_load_mib": .number(Double(rssLoadMax)),
        ]
        for (prefix, m) in [("trivial", trivial), ("hosted_get", hosted), ("verify", verify)] {
            result[prefix + "_p50_ms"] = .number((m.p50 * 100_000).rounded() / 100)
            result[prefix + "_p99_ms"] = .number((m.p99 * 100_000).rounded() / 100)
            result[prefix + "_max_ms"] = .number((m.max * 100_000).rounded() / 100)
        }
        let json = JSONValue.object(result)
        print(json.encodedString())
        try? FileManager.default.removeItem(at: dir)
    }

    /// Runs wrk against `url` and returns its Requests/sec and latencies.
    func wrk(_ url: String, headers: [String] = [], script: String? = nil) async throws -> WrkResult {
        let (result, text) = try await WrkRunner(threads: 2, connections: connections, duration: duration)
            .run(url, headers: headers, script: script)
        if text.contains("Non-2xx or 3xx responses") {
            FileHandle.standardError.write(Data("warning: \(url) answered errors under load\n\(text)\n".utf8))
        }
        return result
    }

    /// A wrk script posting the baked PNG as multipart/form-data.
    static func verifyScript(pngPath: String) -> String {
        """
        local f = io.open("\(pngPath)", "rb")
        local png = f:read("*all")
        f:close()
        local boundary = "----insigne-bench-boundary"
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
        wrk.headers["Accept"] = "application/json"
        wrk.body = "--" .. boundary .. "\\r\\n" ..
          "Content-Disposition: form-data; name=\\"file\\"; filename=\\"badge.png\\"\\r\\n" ..
          "Content-Type: image/png\\r\\n\\r\\n" .. png .. "\\r\\n--" .. boundary .. "--\\r\\n"
        """
    }

    /// Resident memory of this process, in MiB.
    static func rssMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }

    /// A free loopback port.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
