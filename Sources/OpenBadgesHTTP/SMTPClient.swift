import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One message to hand over: the envelope addresses and the whole RFC 5322 text (headers, blank line, body).
public struct SMTPEnvelope: Sendable, Equatable {
    public var from: String
    public var recipients: [String]
    public var message: String

    public init(from: String, recipients: [String], message: String) {
        self.from = from
        self.recipients = recipients
        self.message = message
    }
}

/// A small SMTP client (RFC 5321) over the loader's sockets and OpenSSL: EHLO, STARTTLS, AUTH PLAIN/LOGIN,
/// MAIL/RCPT/DATA with dot-stuffing and CRLF line ends, every reply checked, one deadline for the whole session.
/// Blocking work runs on a thread of its own, never on Swift's cooperative pool.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Sends one message; returns the server's final reply to the data (e.g. `250 OK queued as …`) once the
    /// server has accepted it. Throws `SMTPError`.
    @discardableResult
    public func send(_ envelope: SMTPEnvelope) async throws -> String {
        let configuration = self.configuration
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, Error>) in
            let thread = Thread {
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &set, nil)
                do {
                    let session = try SMTPSession(configuration: configuration)
                    defer { session.close() }
                    continuation.resume(returning: try session.deliver(envelope))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "insigne-smtp"
            thread.start()
        }
    }

    /// Refuses an address that could inject SMTP commands or is not a plain `local@domain`.
    static func checkAddress(_ address: String) throws(SMTPError) {
        let bad =
            address.isEmpty || address.utf8.count > 254
            || address.unicodeScalars.contains {
                $0.value < 0x21 || $0.value == 0x7F || "<>\"\\,;".unicodeScalars.contains($0)
            }
            || address.split(separator: "@", omittingEmptySubsequences: false).count != 2
        if bad { throw SMTPError(.configuration, "invalid mail address") }
    }

    /// The message with CRLF line ends, each line starting with "." doubled, ended by `CRLF.CRLF`.
    public static func dataBlock(_ message: String) -> String {
        let normalized = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let stuffed = lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return stuffed.map { $0 + "\r\n" }.joined() + ".\r\n"
    }
}

/// One server reply: the code and the text of its lines.
struct SMTPReply {
    var code: Int
    var lines: [String]
    var text: String { lines.joined(separator: " / ") }
}

/// One connection to the server, used by one thread.
final class SMTPSession {
    private let configuration: SMTPConfiguration
    private let context: RequestContext
    private let connection: Connection
    private let deadline: Instant
    private var buffer: [UInt8] = []
    private var tlsActive = false
    private var ipLiteral: IPAddress?

    init(configuration: SMTPConfiguration) throws {
        self.configuration = configuration
        deadline = Instant.now().adding(seconds: configuration.timeout)
        context = try RequestContext(url: "smtp://\(configuration.host):\(configuration.port)")
        let addresses: [IPAddress]
        do {
            ipLiteral = IPAddress(configuration.host)
            addresses = try ipLiteral.map { [$0] } ?? resolveHost(configuration.host)
            let (socket, _) = try connectToFirst(
                of: addresses, port: configuration.port, connectTimeout: configuration.timeout, deadline: deadline,
                context: context)
            connection = Connection(socket: socket, deadline: deadline, context: context)
        } catch let failure as Failure {
            throw SMTPSession.translate(failure)
        }
    }

    func close() { connection.close() }

    static func translate(_ failure: Failure) -> SMTPError {
        switch failure.code {
        case .timeout: return SMTPError(.timeout, failure.message)
        case .tlsFailed: return SMTPError(.tls, failure.message)
        default: return SMTPError(.connection, failure.message)
        }
    }

    /// The whole session for one message; returns the final reply's text.
    func deliver(_ envelope: SMTPEnvelope) throws -> String {
        try SMTPClient.checkAddress(envelope.from)
        guard !envelope.recipients.isEmpty else { throw SMTPError(.configuration, "no recipient") }
        for r in envelope.recipients { try SMTPClient.checkAddress(r) }
        do {
            if configuration.security == .implicitTLS { try startTLS() }
            try expect(read(), 220, .protocolError, "greeting")
            var extensions = try hello()
            if configuration.security == .startTLS {
                guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                    throw SMTPError(.tls, "the server does not offer STARTTLS")
                }
                try expect(command("STARTTLS"), 220, .tls, "STARTTLS")
                guard buffer.isEmpty else { throw SMTPError(.protocolError, "data sent before the TLS handshake") }
                try startTLS()
                extensions = try hello()
            }
            if configuration.username != nil { try authenticate(extensions) }
            try expect(command("MAIL FROM:<\(envelope.from)>"), 250, .rejected, "MAIL FROM")
            for r in envelope.recipients {
                let reply = try command("RCPT TO:<\(r)>")
                guard reply.code == 250 || reply.code == 251 else { throw refusal(reply, "RCPT TO") }
            }
            try expect(command("DATA"), 354, .rejected, "DATA")
            try write(SMTPClient.dataBlock(envelope.message))
            let accepted = try read()
            try expect(accepted, 250, .rejected, "end of data")
            _ = try? command("QUIT")
            return "\(accepted.code) \(accepted.text)"
        } catch let failure as Failure {
            throw SMTPSession.translate(failure)
        }
    }

    private func startTLS() throws {
        let tls: TLSContext
        if let file = configuration.trustedCertificatesFile {
            tls = try TLSContext(trustedCertificatesFile: file)
        } else {
            tls = try TLSContext.systemDefault.get()
        }
        try connection.startTLS(context: tls, host: configuration.host, ipLiteral: ipLiteral)
        tlsActive = true
    }

    /// EHLO; returns the extension keywords (first word of each line after the first).
    private func hello() throws -> [String] {
        let reply = try command("EHLO \(configuration.heloName)")
        try expect(reply, 250, .protocolError, "EHLO")
        return reply.lines.dropFirst().map { String($0.split(separator: " ").first ?? "") }
            + reply.lines.dropFirst().filter { $0.uppercased().hasPrefix("AUTH") }
    }

    private func authenticate(_ extensions: [String]) throws {
        guard let user = configuration.username, let password = configuration.password else { return }
        let loopback = ipLiteral.map { $0.category == .loopback } ?? (configuration.host == "localhost")
        guard tlsActive || loopback else {
            throw SMTPError(.configuration, "refusing to send the password without TLS (use starttls=required)")
        }
        let mechanisms = Set(
            extensions.filter { $0.uppercased().hasPrefix("AUTH") }
                .flatMap { $0.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst() }
                .map(String.init))
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try expect(command("AUTH PLAIN \(token)", secret: true), 235, .authentication, "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try expect(command("AUTH LOGIN"), 334, .authentication, "AUTH LOGIN")
            try expect(command(Data(user.utf8).base64EncodedString(), secret: true), 334, .authentication, "AUTH LOGIN")
            try expect(
                command(Data(password.utf8).base64EncodedString(), secret: true), 235, .authentication, "AUTH LOGIN")
        } else {
            throw SMTPError(.authentication, "the server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    private func refusal(_ reply: SMTPReply, _ step: String) -> SMTPError {
        let kind: SMTPError.Kind = (500..<600).contains(reply.code) ? .rejected : .deferred
        return SMTPError(kind, "\(step): \(reply.code) \(reply.text)", code: reply.code)
    }

    /// Checks the reply code; a 4xx is `.deferred`, a 5xx is `kind` (`.rejected` only for the message's steps).
    private func expect(_ reply: SMTPReply, _ code: Int, _ kind: SMTPError.Kind, _ step: String) throws {
        guard reply.code != code else { return }
        if (400..<500).contains(reply.code) {
            throw SMTPError(.deferred, "\(step): \(reply.code) \(reply.text)", code: reply.code)
        }
        throw SMTPError(kind, "\(step): \(reply.code) \(reply.text)", code: reply.code)
    }

    /// Sends one command line (CR/LF inside refused) and reads the reply. A secret is never part of an error.
    private func command(_ line: String, secret: Bool = false) throws -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else {
            throw SMTPError(.configuration, "line break inside an SMTP command")
        }
        try write(line + "\r\n")
        return try read()
    }

    private func write(_ text: String) throws {
        try connection.writeAll(Array(text.utf8))
    }

    /// Reads one (possibly multi-line) reply; at most 512 lines of 4 KiB.
    private func read() throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(line.prefix(3))), (200..<600).contains(code) else {
                throw SMTPError(.protocolError, "malformed reply from the server")
            }
            let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw SMTPError(.protocolError, "malformed reply from the server")
            }
            lines.append(String(line.dropFirst(4)))
            if separator == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
            if lines.count > 512 { throw SMTPError(.protocolError, "reply too long") }
        }
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<end])
                buffer.removeFirst(end + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if buffer.count > 4096 { throw SMTPError(.protocolError, "reply line too long") }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
            if n == 0 { throw SMTPError(.connection, "connection closed by the server") }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
