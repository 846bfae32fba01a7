import COpenSSL
import Foundation
import OpenBadges

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An internal failure; the fetcher attaches the URL of the hop that failed.
struct Failure: Error, Sendable {
    var code: DocumentLoaderError.Code
    var message: String
    init(_ code: DocumentLoaderError.Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The request was cancelled or hit the watchdog; the caller has already been resumed.
struct Aborted: Error {}

/// A point on the monotonic clock, in nanoseconds.
struct Instant: Comparable {
    var nanoseconds: UInt64
    static func now() -> Instant { Instant(nanoseconds: DispatchTime.now().uptimeNanoseconds) }
    func adding(seconds: Double) -> Instant {
        let clamped = min(max(seconds, 0), 86_400)
        return Instant(nanoseconds: nanoseconds &+ UInt64(clamped * 1_000_000_000))
    }
    static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }
}

/// Waits for `events` on `fd`, the wake-up pipe, or `limit`.
/// Throws `Aborted` when woken, `onTimeout()` at the limit.
func waitForSocket(
    _ fd: Int32, events: Int16, until limit: Instant, context: RequestContext,
    onTimeout: () -> Failure
) throws {
    while true {
        if context.isAborted { throw Aborted() }
        let now = Instant.now()
        if now >= limit { throw onTimeout() }
        let remainingMs = (limit.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        let timeout = Int32(min(remainingMs, 60_000))
        var fds = [
            pollfd(fd: fd, events: events, revents: 0),
            pollfd(fd: context.wakeReadFD, events: Int16(POLLIN), revents: 0),
        ]
        let result = poll(&fds, 2, timeout)
        if result < 0 {
            if errno == EINTR { continue }
            throw Failure(.connectionFailed, "poll failed: \(errnoString())")
        }
        if result == 0 { continue }
        if fds[1].revents != 0 { throw Aborted() }
        if fds[0].revents & Int16(POLLNVAL) != 0 {
            throw Failure(.connectionFailed, "socket closed unexpectedly")
        }
        if fds[0].revents != 0 { return }
    }
}

/// An owned socket descriptor, closed exactly once.
final class Socket {
    private(set) var fd: Int32
    init(fd: Int32) { self.fd = fd }
    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
    deinit { close() }
}

/// Resolves `host` with getaddrinfo (AF_UNSPEC). Returns distinct addresses in resolver order.
func resolveHost(_ host: String) throws -> [IPAddress] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_protocol = Int32(IPPROTO_TCP)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, nil, &hints, &list)
    guard status == 0 else {
        let reason = status == EAI_SYSTEM ? errnoString() : String(cString: gai_strerror(status))
        throw Failure(.resolutionFailed, "cannot resolve \(host): \(reason)")
    }
    defer { freeaddrinfo(list) }
    var result: [IPAddress] = []
    var cursor = list
    while let entry = cursor {
        defer { cursor = entry.pointee.ai_next }
        guard let sa = entry.pointee.ai_addr else { continue }
        var address: IPAddress?
        switch Int32(sa.pointee.sa_family) {
        case AF_INET where entry.pointee.ai_addrlen >= MemoryLayout<sockaddr_in>.size:
            address = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                withUnsafeBytes(of: sin.pointee.sin_addr) { IPAddress(bytes: Array($0)) }
            }
        case AF_INET6 where entry.pointee.ai_addrlen >= MemoryLayout<sockaddr_in6>.size:
            address = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                withUnsafeBytes(of: sin6.pointee.sin6_addr) { IPAddress(bytes: Array($0)) }
            }
        default:
            break
        }
        if let address, !result.contains(address) { result.append(address) }
    }
    if result.isEmpty { throw Failure(.resolutionFailed, "\(host) has no IPv4 or IPv6 address") }
    return result
}

/// Calls `body` with a sockaddr for `address`:`port`.
func withSocketAddress<R>(_ address: IPAddress, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
    switch address {
    case .v4:
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address.bytes) }
        return withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    case .v6:
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address.bytes) }
        return withUnsafePointer(to: &sin6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }
}

/// Connects (non-blocking connect + poll) to the first of `addresses` that accepts, trying each
/// within `connectTimeout` and never past `deadline`. Only the given (already checked) addresses
/// are ever connected to.
func connectToFirst(
    of addresses: [IPAddress], port: UInt16, connectTimeout: Double, deadline: Instant,
    context: RequestContext
) throws -> (Socket, IPAddress) {
    var problems: [String] = []
    var allTimedOut = true
    for address in addresses {
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(
            family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            Int32(IPPROTO_TCP))
        guard fd >= 0 else {
            problems.append("\(address): socket: \(errnoString())")
            allTimedOut = false
            continue
        }
        let sock = Socket(fd: fd)
        let rc = withSocketAddress(address, port: port) { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return (sock, address) }
        let code = errno
        guard code == EINPROGRESS || code == EINTR else {
            problems.append("\(address): \(errnoString(code))")
            allTimedOut = false
            continue
        }
        let attemptLimit = min(Instant.now().adding(seconds: connectTimeout), deadline)
        do {
            try waitForSocket(fd, events: Int16(POLLOUT), until: attemptLimit, context: context) {
                Failure(.timeout, "connect timed out")
            }
        } catch let failure as Failure where failure.code == .timeout {
            if Instant.now() >= deadline {
                throw Failure(.timeout, "total timeout reached while connecting to \(address)")
            }
            problems.append("\(address): connect timed out")
            continue
        }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) != 0 { soError = errno }
        if soError == 0 { return (sock, address) }
        problems.append("\(address): \(errnoString(soError))")
        allTimedOut = false
    }
    let detail = problems.joined(separator: "; ")
    if allTimedOut && !problems.isEmpty { throw Failure(.timeout, "connect timed out (\(detail))") }
    throw Failure(.connectionFailed, "cannot connect (\(detail))")
}

/// A process-wide OpenSSL client context.
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(trustedCertificatesFile: String?) throws(Failure) {
        ERR_clear_error()
        let created: OpaquePointer?
        if let trustedCertificatesFile {
            created = trustedCertificatesFile.withCString { insigne_tls_client_ctx_new($0) }
        } else {
            created = insigne_tls_client_ctx_new(nil)
        }
        guard let created else {
            throw Failure(.tlsFailed, "cannot create TLS context: \(lastOpenSSLError())")
        }
        pointer = created
    }

    deinit { SSL_CTX_free(pointer) }

    static let systemDefault: Result<TLSContext, Failure> = Result { () throws(Failure) -> TLSContext in
        try TLSContext(trustedCertificatesFile: nil)
    }

    static func forConfiguration(_ configuration: HTTPLoaderConfiguration) throws -> TLSContext {
        if let file = configuration.trustedCertificatesFile {
            return try TLSContext(trustedCertificatesFile: file)
        }
        return try systemDefault.get()
    }
}

func lastOpenSSLError() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    insigne_tls_last_error(&buffer, buffer.count)
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return text.isEmpty ? "unknown TLS error" : text
}

/// A connected byte stream (plain TCP or TLS over it) with deadline-bounded I/O.
final class Connection {
    private let socket: Socket
    private var ssl: OpaquePointer?
    private let deadline: Instant
    private let context: RequestContext

    init(socket: Socket, deadline: Instant, context: RequestContext) {
        self.socket = socket
        self.deadline = deadline
        self.context = context
    }

    deinit { close() }

    func close() {
        if let ssl {
            SSL_free(ssl)
            self.ssl = nil
        }
        socket.close()
    }

    private func wait(_ events: Int32, _ what: String) throws {
        try waitForSocket(socket.fd, events: Int16(events), until: deadline, context: context) {
            Failure(.timeout, "timed out \(what)")
        }
    }

    /// Performs the TLS handshake, verifying the peer certificate for `host` (a DNS name) or
    /// `ipLiteral`.
    func startTLS(context tls: TLSContext, host: String, ipLiteral: IPAddress?) throws {
        ERR_clear_error()
        guard let ssl = SSL_new(tls.pointer) else {
            throw Failure(.tlsFailed, "SSL_new failed: \(lastOpenSSLError())")
        }
        self.ssl = ssl
        guard SSL_set_fd(ssl, socket.fd) == 1 else {
            throw Failure(.tlsFailed, "SSL_set_fd failed: \(lastOpenSSLError())")
        }
        if let ipLiteral {
            guard insigne_tls_expect_ip(ssl, ipLiteral.description) == 1 else {
                throw Failure(.tlsFailed, "cannot set expected IP address: \(lastOpenSSLError())")
            }
        } else {
            var name = host
            if name.hasSuffix(".") { name.removeLast() }
            guard insigne_tls_set_server_name(ssl, name) == 1 else {
                throw Failure(.tlsFailed, "cannot set SNI name: \(lastOpenSSLError())")
            }
            guard insigne_tls_expect_host(ssl, name) == 1 else {
                throw Failure(.tlsFailed, "cannot set expected host name: \(lastOpenSSLError())")
            }
        }
        SSL_set_connect_state(ssl)
        while true {
            ERR_clear_error()
            errno = 0
            let rc = SSL_connect(ssl)
            if rc == 1 { return }
            let error = SSL_get_error(ssl, rc)
            switch error {
            case SSL_ERROR_WANT_READ:
                try wait(POLLIN, "during the TLS handshake")
            case SSL_ERROR_WANT_WRITE:
                try wait(POLLOUT, "during the TLS handshake")
            default:
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    let reason = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "error \(verify)"
                    throw Failure(.tlsFailed, "certificate verification failed: \(reason)")
                }
                if error == SSL_ERROR_SYSCALL {
                    let code = errno
                    let detail =
                        ERR_peek_last_error() != 0
                        ? lastOpenSSLError()
                        : (code == 0 ? "connection closed by peer" : errnoString(code))
                    throw Failure(.tlsFailed, "TLS handshake failed: \(detail)")
                }
                if error == SSL_ERROR_ZERO_RETURN {
                    throw Failure(.tlsFailed, "TLS handshake failed: connection closed by peer")
                }
                throw Failure(.tlsFailed, "TLS handshake failed: \(lastOpenSSLError())")
            }
        }
    }

    /// Writes all of `bytes`.
    func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                if let ssl {
                    ERR_clear_error()
                    errno = 0
                    let chunk = Int32(min(raw.count - offset, Int(Int32.max)))
                    let n = SSL_write(ssl, base + offset, chunk)
                    if n > 0 {
                        offset += Int(n)
                        continue
                    }
                    let error = SSL_get_error(ssl, n)
                    switch error {
                    case SSL_ERROR_WANT_READ: try wait(POLLIN, "sending the request")
                    case SSL_ERROR_WANT_WRITE: try wait(POLLOUT, "sending the request")
                    case SSL_ERROR_SYSCALL:
                        throw Failure(
                            .connectionFailed,
                            "cannot send request: \(errno == 0 ? "connection closed" : errnoString())")
                    default:
                        throw Failure(.tlsFailed, "cannot send request: \(lastOpenSSLError())")
                    }
                } else {
                    let n = send(socket.fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n > 0 {
                        offset += n
                        continue
                    }
                    let code = errno
                    if n < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                        try wait(POLLOUT, "sending the request")
                    } else if n < 0 && code == EINTR {
                        continue
                    } else {
                        throw Failure(
                            .connectionFailed,
                            "cannot send request: \(n == 0 ? "connection closed" : errnoString(code))")
                    }
                }
            }
        }
    }

    /// Reads at most `count` bytes into `buffer` (which must hold `count`); 0 means end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if let ssl {
                ERR_clear_error()
                errno = 0
                let n = SSL_read(ssl, base, Int32(min(buffer.count, Int(Int32.max))))
                if n > 0 { return Int(n) }
                let error = SSL_get_error(ssl, n)
                switch error {
                case SSL_ERROR_WANT_READ: try wait(POLLIN, "waiting for the response")
                case SSL_ERROR_WANT_WRITE: try wait(POLLOUT, "waiting for the response")
                case SSL_ERROR_ZERO_RETURN: return 0
                case SSL_ERROR_SYSCALL:
                    let code = errno
                    if code == 0 && ERR_peek_last_error() == 0 { return 0 }
                    throw Failure(
                        .connectionFailed, "read failed: \(code == 0 ? lastOpenSSLError() : errnoString(code))")
                default:
                    throw Failure(.tlsFailed, "TLS read failed: \(lastOpenSSLError())")
                }
            } else {
                let n = recv(socket.fd, base, buffer.count, 0)
                if n >= 0 { return n }
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK {
                    try wait(POLLIN, "waiting for the response")
                } else if code == EINTR {
                    continue
                } else {
                    throw Failure(.connectionFailed, "read failed: \(errnoString(code))")
                }
            }
        }
    }
}
