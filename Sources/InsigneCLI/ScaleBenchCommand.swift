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

    @Option(
        name: .customLong("route-bound"),
        help:
            "Secondes au plus par requête : au-delà, la route n'est pas chargée / at most seconds per request: a route slower than this alone is not loaded."
    )
    var routeBound: Int = 10

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
        /// The cursors a reader following the "next" links reaches at the deep pages (admin API, trainers' list).
        var deepAPICursor: String
        var deepListCursor: String
    }

    /// The deep pages measured: half-way through the admin API's list (50 a page), a quarter of the way through
    /// the trainers' list (25 a page; page 10,000 at a million).
    static func deepPages(_ awards: Int) -> (api: Int, list: Int) {
        (max(2, awards / 50 / 2), max(2, min(100_000, awards / 50 / 2)))
    }

    /// The cursor of the last award before page `page` of `perPage` (of every award, newest first).
    static func cursor(_ db: AppDatabase, page: Int, perPage: Int) async throws -> String {
        try await db.awardsPage(AwardListFilter(), start: .offset((page - 1) * perPage - 1), perPage: 1).slice.newer?
            .token ?? ""
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

        var results: [RouteFigure] = []
        for (label, path, headers, script) in routes(filled, dir: base) {
            results.append(try await measure(label, port: port, path: path, headers: headers, script: script))
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
        let deep = Self.deepPages(awards)
        guard let sample = try await services.db.assertion(id: ids.first ?? ""),
            let badge = try await services.db.badgeClass(id: sample.badgeClassID),
            let most = try await services.db.issuerWithMostRevocations()
        else { throw CLIError(fr: "base vide", en: "empty database") }
        return Filled(
            seconds: report.seconds, signed: report.signed, counts: try await services.db.bulkCounts(),
            cookie: try await fill.adminSessionCookie(), ids: ids, issuerID: badge.issuerID, badgeID: badge.id,
            email: sample.recipientEmail, name: sample.recipientName ?? "", revocations: most,
            deepAPICursor: try await Self.cursor(services.db, page: deep.api, perPage: 50),
            deepListCursor: try await Self.cursor(services.db, page: deep.list, perPage: 25))
    }

    /// The measured routes: label, path, headers, wrk script.
    func routes(_ f: Filled, dir: String) -> [(String, String, [String], String?)] {
        let page = ["Cookie: \(f.cookie)"]
        let api = ["Authorization: Bearer bench-token", "Accept: application/json"]
        let q = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        let (deepAPI, deepList) = Self.deepPages(awards)
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
            ("trainer awards list, page \(deepList) (offset)", "/trainer/assertions?page=\(deepList)", page, nil),
            (
                "trainer awards list, page \(deepList) (cursor)",
                "/trainer/assertions?page=\(deepList)&after=\(f.deepListCursor)", page, nil
            ),
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
            ("admin API awards, page \(deepAPI) (offset)", "/api/v1/assertions?perPage=50&page=\(deepAPI)", api, nil),
            (
                "admin API awards, page \(deepAPI) (cursor)",
                "/api/v1/assertions?perPage=50&cursor=\(f.deepAPICursor)", api, nil
            ),
            ("admin API awards of one issuer", "/api/v1/assertions?perPage=50&issuer=\(issuer)", api, nil),
            (
                "revocation list (\(f.revocations.revoked) revoked)", "/issuers/\(f.revocations.issuerID)/revocations",
                ["Accept: application/ld+json"], nil
            ),
        ]
    }

    /// The report printed at the end.
    func summary(
        _ f: Filled, size: Int, startup: Double, results: [RouteFigure], backup: (Double, Int)
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
        for figure in results {
            let label = figure.label.padding(toLength: 48, withPad: " ", startingAt: 0)
            guard let r = figure.load else {
                lines.append(
                    label + String(format: "  not loaded: one request alone took over %d s", routeBound))
                continue
            }
            lines.append(
                label + String(format: "%9.0f  %8.2f ms %8.2f ms", r.rate, r.p50 * 1000, r.p99 * 1000)
                    + (r.errors ? "  (errors or timeouts!)" : ""))
        }
        let lists = results.filter {
            $0.label.hasPrefix("trainer") || $0.label.hasPrefix("people") || $0.label.hasPrefix("compliance")
        }
        if let slowest = lists.max(by: { ($0.load?.p99 ?? .infinity) < ($1.load?.p99 ?? .infinity) }) {
            lines.append(
                String(
                    format: "slowest trainers' list: %@ — p50 %.2f ms, p99 %.2f ms", slowest.label,
                    (slowest.load?.p50 ?? slowest.alone) * 1000, (slowest.load?.p99 ?? slowest.alone) * 1000))
        }
        return lines.joined(separator: "\n")
    }

    func pct(_ a: Int, _ b: Int) -> String { String(format: "%.1f %%", 100 * Double(a) / Double(max(1, b))) }

    /// One route's figures: one request alone (seconds; the bound when it took longer), then wrk's load (nil when
    /// the request alone took longer than the bound).
    struct RouteFigure {
        var label: String
        var alone: Double
        var load: WrkResult?
    }

    /// Measures one route alone: one request first (bounded by `routeBound`: a slower route is reported, not
    /// loaded, so that its requests left in flight cannot starve the next routes), then wrk with the same bound as
    /// its timeout, then a wait as long as the slowest answer seen, for the requests still in flight to end.
    func measure(_ label: String, port: Int, path: String, headers: [String], script: String?) async throws
        -> RouteFigure
    {
        let t0 = Date()
        let answered = (try? Self.get(port: port, path: path, headers: headers, timeout: routeBound)) != nil
        let alone = Date().timeIntervalSince(t0)
        guard answered, alone < Double(routeBound) else {
            // The server may still be working on it: give it the bound again before the next route.
            try await Task.sleep(for: .seconds(routeBound))
            return RouteFigure(label: label, alone: Double(routeBound), load: nil)
        }
        let runner = WrkRunner(threads: 1, connections: connections, duration: duration, timeout: routeBound)
        let (load, _) = try await runner.run("http://127.0.0.1:\(port)\(path)", headers: headers, script: script)
        try await Task.sleep(for: .seconds(min(load.max, Double(routeBound))))
        try await Self.waitForHealth(port: port)
        return RouteFigure(label: label, alone: alone, load: load)
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

    /// One HTTP/1.1 GET over a blocking loopback socket with these headers; the first bytes of the answer, read
    /// to its end when `timeout` (seconds) is given (throws when it runs out).
    static func get(port: Int, path: String, headers: [String] = [], timeout: Int? = nil) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        if let timeout {
            var tv = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
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
        let head = headers.map { $0 + "\r\n" }.joined()
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(head)Connection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var first = ""
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw CLIError(fr: "pas de réponse à temps", en: "no answer in time") }
            if n == 0 { return first }
            if first.isEmpty { first = String(decoding: buffer[0..<min(n, 64)], as: UTF8.self) }
            if timeout == nil { return first }
        }
    }
}
