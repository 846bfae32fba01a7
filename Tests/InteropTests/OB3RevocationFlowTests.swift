import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 13 « Done when », as a user of `make run` would do it: a fresh `insigne serve` (demo data); the admin signs
/// in with the first-start password, awards a badge through the trainer page form, downloads its OB 3.0 PNG, and
/// `insigne verify` says « VALIDE »; revoked through the trainer page with a reason, `insigne verify` says revoked
/// with that reason (read from the credential's `id`, which answers 410 Gone once revoked).
struct OB3RevocationFlowTests {
    /// A form-posting client like a browser: keeps cookies, sends the page's CSRF token, never follows redirects.
    final class FormClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        let base: String
        private let lock = NSLock()
        private var cookies: [String: String] = [:]
        private(set) var csrf = ""
        lazy var session: URLSession = {
            let config = URLSessionConfiguration.ephemeral
            config.httpShouldSetCookies = false
            config.connectionProxyDictionary = [:]
            return URLSession(configuration: config, delegate: self, delegateQueue: nil)
        }()

        init(base: String) { self.base = base }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) { completionHandler(nil) }

        struct Page {
            var status: Int
            var location: String?
            var body: Data
            var text: String { String(decoding: body, as: UTF8.self) }
        }

        func send(_ path: String, form: [(String, String)]? = nil) async throws -> Page {
            var r = URLRequest(url: URL(string: base + path)!)
            let jar = lock.withLock { cookies }
            if !jar.isEmpty {
                r.setValue(
                    jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                    forHTTPHeaderField: "Cookie")
            }
            if let form {
                r.httpMethod = "POST"
                r.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
                r.setValue(base, forHTTPHeaderField: "Origin")
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                let fields = form + [("csrf", lock.withLock { csrf })]
                r.httpBody = Data(
                    fields.map {
                        "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
                    }.joined(separator: "&").utf8)
            }
            let (data, response) = try await session.data(for: r)
            let http = try #require(response as? HTTPURLResponse)
            let page = Page(
                status: http.statusCode, location: http.value(forHTTPHeaderField: "Location"), body: data)
            let setCookies = (http.value(forHTTPHeaderField: "Set-Cookie") ?? "").split(separator: ",")
            lock.withLock {
                for c in setCookies {
                    let kv = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { continue }
                    cookies[kv[0].trimmingCharacters(in: .whitespaces)] = String(kv[1])
                }
                if let r = page.text.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) {
                    csrf = String(page.text[r].split(separator: "\"")[3])
                }
            }
            return page
        }
    }

    func verify(_ png: URL) async throws -> OfficialTools.ProcessResult {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        return try await OfficialTools.runProcess(bin, ["verify", png.path, "--allow-private-network"])
    }

    @Test func awardDownloadVerifyRevokeVerifyAgain() async throws {
        let bin = try #require(CLITests.binary, "build the insigne executable first")
        let dataDir = try OfficialTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDir) }
        let port = try OfficialTools.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = Process()
        server.executableURL = bin
        server.arguments = ["serve", "--data-dir", dataDir.path, "--port", String(port), "--public-url", base]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INSIGNE_ADMIN_TOKEN")
        server.environment = env
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        // The first-start password, then /health.
        let credentials = dataDir.appendingPathComponent("first-start-credentials.txt")
        var password: String?
        for _ in 0..<600 where password == nil {
            password = BrowserTests.password(in: (try? String(contentsOf: credentials, encoding: .utf8)) ?? "")
            if password == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let pw = try #require(password, "no first-start password in \(credentials.path)")
        var up = false
        for _ in 0..<400 where !up {
            up = try await OfficialTools.httpGet("\(base)/health") != nil
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(up, "insigne serve did not answer /health")

        let web = FormClient(base: base)
        _ = try await web.send("/login")
        let signedIn = try await web.send(
            "/login", form: [("login", "admin"), ("password", pw), ("next", "/trainer")])
        #expect(signedIn.status == 303, "sign-in: \(signedIn.status) \(signedIn.text.prefix(500))")

        // Award through the trainer page form.
        let form = try await web.send("/trainer/badges/bientraitance/award")
        #expect(form.status == 200)
        let nonce = try #require(
            form.text.range(of: #"name="nonce" value="[0-9a-f]+""#, options: .regularExpression))
        let awarded = try await web.send(
            "/trainer/badges/bientraitance/award",
            form: [
                ("email", "lea.martin@example.fr"), ("name", "Léa Martin"), ("narrative", "Session du 12 mars"),
                ("expires", ""), ("evidence", ""), ("nonce", String(form.text[nonce].split(separator: "\"")[3])),
            ])
        #expect(awarded.status == 303, "award: \(awarded.status) \(awarded.text.prefix(500))")
        let location = try #require(awarded.location)
        let id = String(location.split(separator: "/").last?.split(separator: "?").first ?? "")
        #expect(location.contains("/trainer/assertions/\(id)") && id.count == 36, "\(location)")

        // Download its OB 3.0 PNG; `insigne verify` says valid.
        let png = dataDir.appendingPathComponent("badge.png")
        let download = try await web.send("/ob3/credentials/\(id)/badge.png")
        #expect(download.status == 200)
        try download.body.write(to: png)
        let valid = try await verify(png)
        #expect(valid.status == 0, "\(valid.stdout)\n\(valid.stderr)")
        #expect(valid.stdout.contains("VALIDE") && !valid.stdout.contains("NON VALIDE"), "\(valid.stdout)")

        // Revoke through the trainer page with a reason; `insigne verify` says revoked, with the reason.
        _ = try await web.send("/trainer/assertions/\(id)")
        let reason = "Attribué par erreur (mauvaise session)"
        let revoked = try await web.send("/trainer/assertions/\(id)/revoke", form: [("reason", reason)])
        #expect(revoked.status == 303, "revoke: \(revoked.status) \(revoked.text.prefix(500))")
        let again = try await verify(png)
        #expect(again.status == 1, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.lowercased().contains("révoqué"), "\(again.stdout)")
        #expect(again.stdout.contains(reason), "\(again.stdout)")
    }
}
