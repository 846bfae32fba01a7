import Foundation

/// Where and how mail is handed over, parsed from a URL:
/// `smtp://host:25` (plain, a local relay), `smtp://user:password@host:587?starttls=required` (STARTTLS then
/// AUTH PLAIN or LOGIN), `smtps://host:465` (implicit TLS). Optional query items: `cafile=/path.pem` (trusted CA
/// certificates replacing the system store), `timeout=<seconds>` (whole session, default 30), `helo=<name>`.
/// `description` never shows the password.
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        /// No TLS (a relay on the same machine or network); AUTH is refused unless the host is loopback.
        case plain
        /// Plain TCP, then STARTTLS, which the server must offer.
        case startTLS
        /// TLS from the first byte (`smtps`, port 465).
        case implicitTLS
    }

    public var host: String
    public var port: UInt16
    public var security: Security
    public var username: String?
    public var password: String?
    /// The name sent in EHLO.
    public var heloName: String
    /// Seconds allowed for one whole session (connect, greeting, TLS, authentication, one message).
    public var timeout: Double
    /// A PEM file of trusted CA certificates replacing the system trust store (self-signed relays, tests).
    public var trustedCertificatesFile: String?

    /// Creates a configuration.
    public init(
        host: String, port: UInt16, security: Security, username: String? = nil, password: String? = nil,
        heloName: String = "localhost", timeout: Double = 30, trustedCertificatesFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    /// Parses an `smtp://` or `smtps://` URL; throws `SMTPError` (`.configuration`) with a message that never
    /// contains the password.
    public init(url text: String) throws(SMTPError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw SMTPError(.configuration, "not an smtp:// or smtps:// URL with a host")
        }
        var security: Security
        switch scheme {
        case "smtp": security = .plain
        case "smtps": security = .implicitTLS
        default: throw SMTPError(.configuration, "unknown scheme \(scheme) (use smtp:// or smtps://)")
        }
        var timeout = 30.0
        var cafile: String?
        var helo = "localhost"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "starttls":
                guard scheme == "smtp" else { throw SMTPError(.configuration, "starttls only applies to smtp://") }
                switch value.lowercased() {
                case "required", "true", "yes": security = .startTLS
                case "never", "false", "no": security = .plain
                default: throw SMTPError(.configuration, "starttls must be 'required' or 'never'")
                }
            case "timeout":
                guard let t = Double(value), t > 0, t <= 600 else {
                    throw SMTPError(.configuration, "timeout must be a number of seconds between 0 and 600")
                }
                timeout = t
            case "cafile": cafile = value
            case "helo":
                guard !value.isEmpty,
                    value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) })
                else { throw SMTPError(.configuration, "helo must be a host name") }
                helo = value
            default: throw SMTPError(.configuration, "unknown option \(item.name)")
            }
        }
        let defaultPort: UInt16 = security == .implicitTLS ? 465 : (security == .startTLS ? 587 : 25)
        let port = components.port ?? Int(defaultPort)
        guard (1...65535).contains(port) else { throw SMTPError(.configuration, "port out of range") }
        let user = components.user.flatMap { $0.removingPercentEncoding ?? $0 }
        let password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        if (user == nil) != (password == nil) || user == "" {
            throw SMTPError(.configuration, "give both a user name and a password, or neither")
        }
        var h = host
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        self.init(
            host: h, port: UInt16(port), security: security, username: user, password: password, heloName: helo,
            timeout: timeout, trustedCertificatesFile: cafile)
    }

    /// The URL without the password (for logs and the start-up banner).
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let credentials = username.map { "\($0):***@" } ?? ""
        let tls = security == .startTLS ? "?starttls=required" : ""
        return "\(scheme)://\(credentials)\(host):\(port)\(tls)"
    }
}

/// A failed SMTP session. `isPermanent` is true when the server refused this message for good (5xx to MAIL,
/// RCPT or the data): retrying cannot help. Everything else (network, timeout, TLS, 4xx, authentication) is worth
/// retrying later.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case configuration, connection, timeout, tls, protocolError, authentication, rejected, deferred
    }
    public var kind: Kind
    /// The server's reply code, when a reply caused the failure.
    public var code: Int?
    public var message: String

    public init(_ kind: Kind, _ message: String, code: Int? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    /// The server refused this message for good.
    public var isPermanent: Bool { kind == .rejected }

    public var description: String { "SMTP \(kind.rawValue): \(message)" }
}
