import Foundation
import InsigneStore
import Logging
import OpenBadgesHTTP
import TestSupport
import Testing

@testable import InsigneServer

/// The venv of the SMTP test server.
enum SMTPTestVenv {
    static var python: URL { TestPaths.packageRoot.appendingPathComponent(".venv-smtp/bin/python") }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: python.path) }
}

/// Issue 11, point 2: real e-mail against a real SMTP server process (aiosmtpd in `.venv-smtp`, made by
/// `make smtp-deps`, through Tests/Interop/smtp_server.py): a French message with accents, STARTTLS with
/// authentication, the server down at first, and a restart in the middle of the queue.
@Suite(.serialized, .enabled(if: SMTPTestVenv.available, "needs .venv-smtp (run `make smtp-deps`)"))
struct SMTPInteropTests {
    struct ServerDidNotStart: Error {}

    /// One aiosmtpd process writing what it accepts to `maildir`.
    final class SMTPServer {
        let process = Process()
        let maildir: URL
        let port: Int

        init(port: Int, maildir: URL, extra: [String] = []) throws {
            self.port = port
            self.maildir = maildir
            process.executableURL = SMTPTestVenv.python
            process.arguments =
                [
                    TestPaths.packageRoot.appendingPathComponent("Tests/Interop/smtp_server.py").path, String(port),
                    maildir.path,
                ] + extra
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits until the port accepts connections.
        func waitUntilUp() async throws {
            for _ in 0..<200 {
                if SMTPInteropTests.accepts(port) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw ServerDidNotStart()
        }

        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)  // a test server: nothing to flush
                process.waitUntilExit()
            }
        }

        deinit { stop() }

        /// The messages received, in order.
        func messages() throws -> [String] {
            let names = try FileManager.default.contentsOfDirectory(atPath: maildir.path).filter {
                $0.hasSuffix(".eml")
            }
            return try names.sorted().map {
                try String(contentsOf: maildir.appendingPathComponent($0), encoding: .utf8)
            }
        }

        /// Waits until `count` messages arrived (or 15 s passed).
        func waitFor(_ count: Int) async throws -> [String] {
            for _ in 0..<300 {
                let m = try messages()
                if m.count >= count { return m }
                try await Task.sleep(for: .milliseconds(50))
            }
            return try messages()
        }
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// A Mailer and its database (a file, so that a "restart" can open it again) for `smtpURL`.
    static func mailer(_ smtpURL: String, dir: URL) throws -> Mailer {
        var config = ServerConfiguration()
        config.dataDirectory = dir.path
        config.smtpURL = smtpURL
        config.mailFrom = "badges@ifsi.example.fr"
        let db = try AppDatabase.open(path: dir.appendingPathComponent("insigne.sqlite").path)
        return try Mailer(configuration: config, db: db)
    }

    static func worker(_ mailer: Mailer) throws -> MailWorker {
        var w = MailWorker(db: mailer.db, smtp: try #require(mailer.smtp), logger: Logger(label: "smtp-test"))
        w.pollInterval = 0.1
        w.baseDelay = 0.2
        w.maxDelay = 0.5
        return w
    }

    /// Decodes the quoted-printable body parts of a message (soft breaks and =XX).
    static func decoded(_ text: String) -> String {
        let joined = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < joined.count {
            if joined[i] == UInt8(ascii: "="), i + 2 < joined.count,
                let b = UInt8(String(decoding: joined[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(b)
                i += 3
            } else {
                bytes.append(joined[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func messageIDs(_ messages: [String]) -> [String] {
        messages.compactMap { m in
            m.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: <") }.map {
                String($0.dropFirst(13).dropLast())
            }
        }
    }

    @Test("a French message with accents arrives whole: headers, both parts, the subject decoded")
    func frenchMessage() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let port = try OfficialTools.freePort()
        let server = try SMTPServer(port: port, maildir: dir)
        defer { server.stop() }
        try await server.waitUntilUp()
        let mailer = try Self.mailer("smtp://127.0.0.1:\(port)", dir: dir)
        let subject = "Votre badge « Hygiène des mains » est arrivé"
        try await mailer.send(
            MailMessage(
                to: "Lea.Martin@Example.org", subject: subject,
                body:
                    "Bonjour Léa,\n\nFélicitations : l'IFSI vous a décerné le badge « Hygiène des mains ».\n.\n\n---\n\nHello Léa,\n\nCongratulations."
            ))
        #expect(try await Self.worker(mailer).sendNext())
        let messages = try await server.waitFor(1)
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m.hasPrefix("X-Envelope-From: badges@ifsi.example.fr\r\nX-Envelope-To: lea.martin@example.org\r\n"))
        for header in ["Auto-Submitted: auto-generated", "MIME-Version: 1.0", "From: Insigne <badges@ifsi.example.fr>"]
        {
            #expect(m.contains("\r\n\(header)\r\n"), "\(header)")
        }
        #expect(m.contains("\r\nDate: ") && m.contains("@ifsi.example.fr>\r\n"))
        let subjectLine = try #require(
            m.components(separatedBy: "\r\nSubject: ").last?.components(separatedBy: "\r\nDate:").first)
        let words = subjectLine.components(separatedBy: "\r\n ").map { $0.dropFirst(10).dropLast(2) }
        let decodedSubject = words.compactMap { Data(base64Encoded: String($0)) }.map {
            String(decoding: $0, as: UTF8.self)
        }
        .joined()
        #expect(decodedSubject == subject)
        let body = Self.decoded(m)
        #expect(
            body.contains("Bonjour Léa,\r\n\r\nFélicitations : l'IFSI vous a décerné le badge « Hygiène des mains »."))
        #expect(body.contains("\r\n.\r\n"))  // the lone dot came back un-stuffed
        #expect(body.contains("text/html") && body.contains("<p>Bonjour Léa,</p>"))
        let stored = try await mailer.db.mailMessages()
        #expect(stored.map(\.status) == [MailMessageRecord.sent])
    }

    @Test("STARTTLS with authentication (self-signed certificate trusted through cafile); a wrong password is retried")
    func startTLSWithAuthentication() async throws {
        let openssl = try #require(OfficialTools.tool("openssl"))
        let dir = try OfficialTools.temporaryDirectory()
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let gen = Process()
        gen.executableURL = openssl
        gen.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
            "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        gen.standardError = FileHandle.nullDevice
        gen.standardOutput = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        #expect(gen.terminationStatus == 0)
        let maildir = dir.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        let port = try OfficialTools.freePort()
        let server = try SMTPServer(
            port: port, maildir: maildir, extra: ["--tls", cert, key, "--auth", "insigne", "mot de passe é"])
        defer { server.stop() }
        try await server.waitUntilUp()

        let url = "smtp://insigne:mot%20de%20passe%20%C3%A9@127.0.0.1:\(port)?starttls=required&cafile=\(cert)"
        let client = SMTPClient(configuration: try SMTPConfiguration(url: url))
        let envelope = SMTPEnvelope(
            from: "badges@ifsi.example.fr", recipients: ["lea@example.org"],
            message: "Subject: test\r\n\r\nBonjour\r\n")
        let reply = try await client.send(envelope)
        #expect(reply.hasPrefix("250"))
        #expect(try await server.waitFor(1).count == 1)

        let wrong = SMTPClient(
            configuration: try SMTPConfiguration(
                url: "smtp://insigne:faux@127.0.0.1:\(port)?starttls=required&timeout=5&cafile=\(cert)"))
        do {
            try await wrong.send(envelope)
            Issue.record("a wrong password was accepted")
        } catch let error as SMTPError {
            #expect(error.kind == .authentication && !error.isPermanent, "\(error)")
            #expect(!error.description.contains("faux"))
        }
        // Without the certificate in cafile, the system trust store refuses the self-signed server.
        let untrusted = SMTPClient(
            configuration: try SMTPConfiguration(url: "smtp://insigne:x@127.0.0.1:\(port)?starttls=required"))
        await #expect(throws: SMTPError.self) { try await untrusted.send(envelope) }
        // Through the queue as well.
        let mailer = try Self.mailer(url, dir: dir)
        try await mailer.send(MailMessage(to: "sam@example.org", subject: "Accès", body: "Bonjour Sam"))
        #expect(try await Self.worker(mailer).sendNext())
        #expect(try await server.waitFor(2).count == 2)
        #expect(try await server.messages().count == 2)
    }

    @Test("the server down at first: the worker retries with backoff and delivers once it is up, exactly once")
    func serverDownAtFirst() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let port = try OfficialTools.freePort()
        let mailer = try Self.mailer("smtp://127.0.0.1:\(port)?timeout=2", dir: dir)
        try await mailer.send(MailMessage(to: "lea@example.org", subject: "Réessai", body: "Bonjour"))
        let worker = try Self.worker(mailer)
        let running = Task { try await worker.run() }
        try await Task.sleep(for: .milliseconds(1200))
        let waiting = try #require(try await mailer.db.mailMessages().first)
        #expect(waiting.status == MailMessageRecord.queued && waiting.attempts >= 2)
        #expect(waiting.lastError?.contains("SMTP") == true)

        let server = try SMTPServer(port: port, maildir: dir)
        defer { server.stop() }
        try await server.waitUntilUp()
        #expect(try await server.waitFor(1).count == 1)
        try await Task.sleep(for: .milliseconds(500))
        running.cancel()
        try await running.value
        #expect(try server.messages().count == 1)
        let sent = try #require(try await mailer.db.mailMessages().first)
        #expect(sent.status == MailMessageRecord.sent && sent.attempts >= 3)
    }

    @Test("a restart in the middle of the queue sends every message once; a claim left by a crash is sent once")
    func restartMidQueue() async throws {
        let dir = try OfficialTools.temporaryDirectory()
        let maildir = dir.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        let port = try OfficialTools.freePort()
        let server = try SMTPServer(port: port, maildir: maildir)
        defer { server.stop() }
        try await server.waitUntilUp()
        let url = "smtp://127.0.0.1:\(port)"
        let first = try Self.mailer(url, dir: dir)
        // A crash: the oldest message claimed by a worker that died before any answer; its claim goes stale.
        try await first.send(MailMessage(to: "apprenant9@example.org", subject: "Message 9", body: "n° 9"))
        let crashed = try #require(try await first.db.claimNextMail())
        for i in 1...8 {
            try await first.send(MailMessage(to: "apprenant\(i)@example.org", subject: "Message \(i)", body: "n° \(i)"))
        }
        // The first run stops (as on SIGTERM) once a message is out: the one in flight finishes and is marked.
        let worker = try Self.worker(first)
        let running = Task { try await worker.run() }
        _ = try await server.waitFor(1)
        running.cancel()
        try await running.value
        let afterStop = try await first.db.mailMessages()
        #expect(afterStop.filter { $0.status == MailMessageRecord.sending }.map(\.id) == [crashed.id])
        #expect(afterStop.filter { $0.status == MailMessageRecord.sent }.count == (try server.messages().count))

        // Restart: the database opened again, a new worker drains the queue.
        let again = try Self.mailer(url, dir: dir)
        var second = try Self.worker(again)
        second.staleAfter = 0.5
        try await Task.sleep(for: .milliseconds(600))
        while try await second.sendNext() {}
        let messages = try await server.waitFor(9)
        #expect(messages.count == 9)
        let ids = Self.messageIDs(messages)
        #expect(Set(ids).count == 9, "a message was sent twice")
        let stored = try await again.db.mailMessages()
        #expect(stored.allSatisfy { $0.status == MailMessageRecord.sent })
        #expect(Set(stored.map { "\($0.id)@ifsi.example.fr" }) == Set(ids))
        #expect(stored.first { $0.id == crashed.id }?.attempts == 2)
    }
}
