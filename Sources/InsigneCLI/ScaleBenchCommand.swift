import ArgumentParser
import Foundation
import Hummingbird
import InsigneServer
import InsigneStore
import OpenBadges

/// `insigne bench-scale`: one node holding a million awards. Fills a fresh database (`ScaleFill`: one award per
/// badge class signed for real, the others copies of it), restarts the service on it, then measures each route
/// through a real loopback socket with wrk (as `bench-server` does): rate, p50 and p99.
struct ScaleBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scale",
        abstract: "Mesure un nœud à un million d'attributions / one node at a million awards (release build, wrk).")

    @Option(help: "Attributions / awards.")
    var awards: Int = 1_000_000

    @Option(help: "Émetteurs / issuers.")
    var issuers: Int = 50

    @Option(name: .customLong("badge-classes"), help: "Badges / badge classes.")
    var badgeClasses: Int = 500

    @Option(help: "Répertoire de la base (sinon temporaire) / database directory (else a temporary one).")
    var dir: String?

    @Flag(help: "Garder la base / keep the database.")
    var keep = false

    @Option(help: "Secondes par mesure / seconds per measurement.")
    var duration: Int = 3

    @Option(help: "Connexions simultanées / concurrent connections.")
    var connections: Int = 4

    /// What the fill leaves for the measurements.
    struct Filled {
        var seconds: Double
        var signed: Int
        var counts: BulkCounts
        var cookie: String
        var ids: [String]
        var issuerID: String
        var badgeID: String
        var email: String
        var name: String
        var revocations: (issuerID: String, revoked: Int)
    }

    func run() async throws {
        let base = dir ?? NSTemporaryDirectory() + "insigne-scale-\(UUID().uuidString)"
        let dataDir = base + "/data"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: dataDir) else {
            throw CLIError(
                fr: "\(dataDir) existe déjà : base neuve requise", en: "\(dataDir) exists: a fresh one is needed")
        }
        let port = try ServerBenchCommand.freePort()
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = port
        config.publicURL = "http://127.0.0.1:\(port)"
        config.dataDirectory = dataDir
        config.verifyRateLimitPerMinute = nil
        let filled = try await fill(config)
        let size = Self.fileSize(config.databasePath) + Self.fileSize(config.databasePath + "-wal")

        // Start-up on the filled database: open + migrations + route table + first answered request.
        let t0 = Date()
        let services = try ServerServices(configuration: config)
        let app = Application(
            router: buildRouter(services),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "Insigne"))
        let server = Task { try await app.run() }
        defer { server.cancel() }
        try await Self.waitForHealth(port: port)
        let startup = Date().timeIntervalSince(t0)

        var results: [(String, WrkResult)] = []
        for (label, path, headers, script) in routes(filled, dir: base) {
            results.append((label, try await wrk("http://127.0.0.1:\(port)\(path)", headers: headers, script: script)))
        }
        let backupPath = base + "/backup.sqlite"
        let b0 = Date()
        try services.db.backup(to: backupPath)
        let backupSeconds = Date().timeIntervalSince(b0)
        let backupSize = Self.fileSize(backupPath)
        try? FileManager.default.removeItem(atPath: backupPath)
        print(summary(filled, size: size, startup: startup, results: results, backup: (backupSeconds, backupSize)))
        if keep {
            print("Base gardée / database kept: \(dataDir)")
        } else {
            try? FileManager.default.removeItem(atPath: base)
        }
    }

    /// Fills the database, then closes it (the services go out of scope) so that start-up is measured cold.
    func fill(_ config: ServerConfiguration) async throws -> Filled {
        let services = try ServerServices(configuration: config)
        _ = try await services.seedDemoData(adminToken: "bench-token")
        let fill = ScaleFill(services: services)
        let plan = ScaleFill.Plan(awards: awards, issuers: issuers, badgeClasses: badgeClasses)
        let step = max(plan.batchSize, awards / 10)
        let report = try await fill.run(plan) { n in
            if n % step == 0 || n == plan.awards {
                FileHandle.standardError.write(Data("  \(n) attributions / awards\n".utf8))
            }
        }
        let ids = try await services.db.randomAwardIDs(count: 20_000)
        guard let sample = try await services.db.assertion(id: ids.first ?? ""),
            let badge = try await services.db.badgeClass(id: sample.badgeClassID),
            let most = try await services.db.issuerWithMostRevocations()
        else { throw CLIError(fr: "base vide", en: "empty database") }
        return Filled(
            seconds: report.seconds, signed: report.signed, counts: try await services.db.bulkCounts(),
            cookie: try await fill.adminSessionCookie(), ids: ids, issuerID: badge.issuerID, badgeID: badge.id,
            email: sample.recipientEmail, name: sample.recipientName ?? "", revocations: most)
    }

    /// The measured routes: label, path, headers, wrk script.
    func routes(_ f: Filled, dir: String) -> [(String, String, [String], String?)] {
        let page = ["Cookie: \(f.cookie)"]
        let api = ["Authorization: Bearer bench-token", "Accept: application/json"]
        let q = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        let deepAPI = max(1, f.counts.assertions / 50 / 2)
        let deepList = max(1, min(100_000, f.counts.assertions / 50 / 2))
        let lua = dir + "/hosted.lua"
        let ids = f.ids.map { "\"\($0)\"" }.joined(separator: ",")
        try? """
        local ids = {\(ids)}
        wrk.headers["Accept"] = "application/ld+json"
        request = function() return wrk.format("GET", "/assertions/" .. ids[math.random(#ids)]) end
        """.write(toFile: lua, atomically: true, encoding: .utf8)
        let issuer = f.issuerID
        return [
            ("GET /health (trivial)", "/health", [], nil),
            ("GET hosted assertion, random ids", "/assertions/x", [], lua),
            ("trainer dashboard (admin, all issuers)", "/trainer", page, nil),
            ("trainer awards list, page 1 (admin)", "/trainer/assertions", page, nil),
            ("trainer awards list, page \(deepList)", "/trainer/assertions?page=\(deepList)", page, nil),
            ("trainer awards, one badge class", "/trainer/assertions?badge=\(f.badgeID)", page, nil),
            ("trainer awards, revoked only", "/trainer/assertions?state=revoked", page, nil),
            ("search recipient e-mail (all awards)", "/trainer/assertions?q=\(q(f.email))", page, nil),
            ("search recipient name (all awards)", "/trainer/assertions?q=\(q(f.name))", page, nil),
            ("people list (one issuer)", "/trainer/issuers/\(issuer)/people", page, nil),
            ("people search (name)", "/trainer/issuers/\(issuer)/people?q=\(q(f.name))", page, nil),
            (
                "compliance view (one badge class)", "/trainer/issuers/\(issuer)/compliance?badge=\(f.badgeID)", page,
                nil
            ),
            ("admin API awards, first page", "/api/v1/assertions?perPage=50", api, nil),
            ("admin API awards, page \(deepAPI)", "/api/v1/assertions?perPage=50&page=\(deepAPI)", api, nil),
            ("admin API awards of one issuer", "/api/v1/assertions?perPage=50&issuer=\(issuer)", api, nil),
            (
                "revocation list (\(f.revocations.revoked) revoked)", "/issuers/\(f.revocations.issuerID)/revocations",
                ["Accept: application/ld+json"], nil
            ),
        ]
    }

    /// The report printed at the end.
    func summary(
        _ f: Filled, size: Int, startup: Double, results: [(String, WrkResult)], backup: (Double, Int)
    ) -> String {
        let c = f.counts
        var lines = [
            "Insigne bench-scale — \(c.assertions) awards, \(issuers) issuers, \(badgeClasses) badge classes; "
                + "wrk \(connections) connections × \(duration) s per route, loopback",
            "Signed for real: \(f.signed) awards (one per badge class); the others are copies of their badge class's "
                + "signed award with their own id, recipient, dates and state (their signatures do not match them).",
            String(
                format: "fill            %.1f s (%.0f awards/s)", f.seconds,
                Double(c.assertions) / max(f.seconds, 0.001)),
            "  revoked \(c.revoked) (\(pct(c.revoked, c.assertions))), evidence \(c.withEvidence) "
                + "(\(pct(c.withEvidence, c.assertions))), renewals \(c.renewals), backpack \(c.backpack) "
                + "(\(pct(c.backpack, c.assertions))), roster people \(c.people), audit rows \(c.audit)",
            "database        \(size / 1_048_576) MiB (file + WAL)",
            String(format: "start-up        %.0f ms (open + migrations + routes + first request)", startup * 1000),
            String(format: "online backup   %.1f s (%d MiB)", backup.0, backup.1 / 1_048_576),
            "route                                              req/s      p50        p99",
        ]
        for (label, r) in results {
            lines.append(
                label.padding(toLength: 48, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f  %8.2f ms %8.2f ms", r.rps, r.p50 * 1000, r.p99 * 1000)
                    + (r.errors ? "  (errors!)" : ""))
        }
        let lists = results.filter {
            $0.0.hasPrefix("trainer") || $0.0.hasPrefix("people") || $0.0.hasPrefix("compliance")
        }
        if let slowest = lists.max(by: { $0.1.p99 < $1.1.p99 }) {
            lines.append(
                String(
                    format: "slowest trainers' list: %@ — p50 %.2f ms, p99 %.2f ms", slowest.0, slowest.1.p50 * 1000,
                    slowest.1.p99 * 1000))
        }
        return lines.joined(separator: "\n")
    }

    func pct(_ a: Int, _ b: Int) -> String { String(format: "%.1f %%", 100 * Double(a) / Double(max(1, b))) }

    /// wrk's rate, median and 99th percentile (seconds), and whether any answer was not 2xx/3xx.
    struct WrkResult {
        var rps: Double
        var p50: Double
        var p99: Double
        var errors: Bool
    }

    func wrk(_ url: String, headers: [String], script: String?) async throws -> WrkResult {
        var args = ["-t", "1", "-c", String(connections), "-d", "\(duration)s", "--latency", "--timeout", "30s"]
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
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func value(_ prefix: String) -> Substring? {
            lines.first(where: { $0.hasPrefix(prefix) }).flatMap { $0.split(separator: " ").last }
        }
        guard let rps = value("Requests/sec:").flatMap({ Double($0) }) else {
            throw CLIError(fr: "sortie de wrk illisible", en: "unreadable wrk output: \(text)")
        }
        return WrkResult(
            rps: rps, p50: Self.seconds(value("50%")), p99: Self.seconds(value("99%")),
            errors: text.contains("Non-2xx or 3xx responses"))
    }

    /// wrk's "1.23ms" / "850.00us" / "1.02s" in seconds.
    static func seconds(_ s: Substring?) -> Double {
        guard let s else { return 0 }
        for (unit, factor) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0)] where s.hasSuffix(unit) {
            return (Double(s.dropLast(unit.count)) ?? 0) * factor
        }
        return 0
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Polls GET /health over a plain socket until it answers 200.
    static func waitForHealth(port: Int) async throws {
        for _ in 0..<5000 {
            if let answer = try? Self.get(port: port, path: "/health"), answer.hasPrefix("HTTP/1.1 200") { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw CLIError(fr: "le service ne répond pas", en: "the service does not answer")
    }

    /// One HTTP/1.1 GET over a blocking loopback socket; the first bytes of the answer.
    static func get(port: Int, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { throw CLIError(fr: "connexion refusée", en: "connection refused") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }
}
