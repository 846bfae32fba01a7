import Foundation
import OpenBadges

/// One validated request target (a single hop).
struct RequestTarget {
    var url: URL
    var isHTTPS: Bool
    /// The host as used for resolution and TLS (no brackets, no zone).
    var host: String
    /// Set when the host is an IP literal.
    var ipLiteral: IPAddress?
    var port: UInt16
    var hostHeader: String
    /// origin-form: path and query.
    var requestTarget: String

    /// Validates `url` for fetching.
    static func make(_ url: URL) throws(Failure) -> RequestTarget {
        guard let scheme = url.scheme?.lowercased() else {
            throw Failure(.invalidURL, "URL has no scheme")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Failure(.unsupportedScheme, "scheme \"\(scheme.prefix(32))\" is not supported (only http and https)")
        }
        if url.user != nil || url.password != nil {
            throw Failure(.invalidURL, "URLs with user information are refused")
        }
        guard let rawHost = url.host, !rawHost.isEmpty else {
            throw Failure(.invalidURL, "URL has no host")
        }
        let isHTTPS = scheme == "https"
        let defaultPort = isHTTPS ? 443 : 80
        let portNumber = url.port ?? defaultPort
        guard (1...65535).contains(portNumber) else {
            throw Failure(.invalidURL, "invalid port \(portNumber)")
        }
        var host = rawHost
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var ipLiteral: IPAddress?
        if host.contains(":") {
            guard let address = IPAddress(host) else { throw Failure(.invalidURL, "invalid IPv6 host") }
            ipLiteral = address
            host = address.description
        } else if let address = IPAddress(host) {
            ipLiteral = address
        } else {
            host = host.lowercased()
            guard host.utf8.count <= 253,
                host.utf8.allSatisfy({ b in
                    (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x2d || b == 0x2e || b == 0x5f
                })
            else {
                throw Failure(.invalidURL, "invalid host name \"\(host.prefix(64))\"")
            }
        }
        var hostHeader = ipLiteral.map { $0.isIPv4 ? $0.description : "[\($0.description)]" } ?? host
        if portNumber != defaultPort { hostHeader += ":\(portNumber)" }

        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true) else {
            throw Failure(.invalidURL, "cannot parse URL")
        }
        var target = components.percentEncodedPath
        if target.isEmpty { target = "/" }
        guard target.hasPrefix("/") else { throw Failure(.invalidURL, "URL path is not absolute") }
        if let query = components.percentEncodedQuery { target += "?" + query }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw Failure(.invalidURL, "URL path contains characters that must be percent-encoded")
        }
        return RequestTarget(
            url: url, isHTTPS: isHTTPS, host: host, ipLiteral: ipLiteral, port: UInt16(portNumber),
            hostHeader: hostHeader, requestTarget: target
        )
    }
}

/// Whether a redirect from `current` to `next` may be followed (scheme-wise; the address policy
/// is applied when `next` is fetched).
func checkRedirect(from current: RequestTarget, to next: URL) throws(Failure) {
    let scheme = next.scheme?.lowercased() ?? ""
    if current.isHTTPS && scheme == "http" {
        throw Failure(
            .unsupportedScheme, "refusing to follow a redirect from https to http (\(next.absoluteString.prefix(200)))")
    }
}

/// Runs one load (all hops) synchronously on the worker thread.
struct Fetcher {
    let configuration: HTTPLoaderConfiguration
    let context: RequestContext

    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    func run(_ url: URL, accept: String) throws -> LoadedDocument {
        let deadline = Instant.now().adding(seconds: configuration.totalTimeout)
        guard !accept.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }),
            !configuration.userAgent.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f })
        else {
            throw DocumentLoaderError(
                .invalidURL, url: url.absoluteString, message: "Accept or User-Agent contains control characters")
        }
        var current = url
        var redirects = 0
        while true {
            do {
                let target = try RequestTarget.make(current)
                let (head, body) = try fetchOnce(target, accept: accept, deadline: deadline)
                if Self.redirectStatuses.contains(head.statusCode), let location = head.first("location") {
                    guard let next = URL(string: location, relativeTo: current)?.absoluteURL, next.scheme != nil else {
                        throw Failure(.malformedResponse, "invalid Location \"\(location.prefix(200))\"")
                    }
                    redirects += 1
                    if redirects > configuration.maxRedirects {
                        throw Failure(.tooManyRedirects, "more than \(configuration.maxRedirects) redirects")
                    }
                    try checkRedirect(from: target, to: next)
                    current = next
                    continue
                }
                return LoadedDocument(
                    url: current, statusCode: head.statusCode, contentType: head.first("content-type"), body: body ?? []
                )
            } catch let failure as Failure {
                throw DocumentLoaderError(failure.code, url: current.absoluteString, message: failure.message)
            }
        }
    }

    /// Fetches one hop. The body is nil for a redirect that will be followed (not read).
    func fetchOnce(_ target: RequestTarget, accept: String, deadline: Instant) throws -> (HTTPHead, [UInt8]?) {
        // 1. Resolve once and check every address; only checked addresses are connected to.
        let candidates: [IPAddress]
        if let literal = target.ipLiteral {
            candidates = [literal]
        } else {
            candidates = try resolveHost(target.host)
        }
        if context.isAborted { throw Aborted() }
        if Instant.now() >= deadline { throw Failure(.timeout, "total timeout reached while resolving \(target.host)") }
        var permitted: [IPAddress] = []
        var refusals: [String] = []
        for address in candidates {
            if let reason = configuration.addressPolicy.refusalReason(for: address) {
                refusals.append(reason)
            } else {
                permitted.append(address)
            }
        }
        guard !permitted.isEmpty else {
            let subject =
                target.ipLiteral == nil
                ? "\(target.host) resolves only to forbidden addresses: " : "refusing to connect: "
            throw Failure(.forbiddenAddress, subject + refusals.joined(separator: "; "))
        }

        // 2. Connect to a checked address.
        let (socket, _) = try connectToFirst(
            of: permitted, port: target.port, connectTimeout: configuration.connectTimeout,
            deadline: deadline, context: context
        )
        let connection = Connection(socket: socket, deadline: deadline, context: context)
        defer { connection.close() }
        if target.isHTTPS {
            let tls = try TLSContext.forConfiguration(configuration)
            try connection.startTLS(context: tls, host: target.host, ipLiteral: target.ipLiteral)
        }

        // 3. Request.
        var request = "GET \(target.requestTarget) HTTP/1.1\r\n"
        request += "Host: \(target.hostHeader)\r\n"
        request += "Accept: \(accept)\r\n"
        request += "User-Agent: \(configuration.userAgent)\r\n"
        request += "Accept-Encoding: identity\r\n"
        request += "Connection: close\r\n\r\n"
        try connection.writeAll(Array(request.utf8))

        // 4. Response.
        let reader = ResponseReader(
            maxHeaderBytes: configuration.maxHeaderBytes, maxBodyBytes: configuration.maxBodyBytes,
            readSome: { try connection.read(into: $0) }
        )
        let head = try reader.readHead()
        if Self.redirectStatuses.contains(head.statusCode) && head.first("location") != nil {
            return (head, nil)
        }
        if let coding = head.first("content-encoding")?.trimmingSpaces().lowercased(), !coding.isEmpty,
            coding != "identity"
        {
            throw Failure(
                .malformedResponse, "unsupported Content-Encoding \"\(coding.prefix(40))\" (identity was requested)")
        }
        let framing = try BodyFraming.decide(for: head, maxBodyBytes: configuration.maxBodyBytes)
        let body = try reader.readBody(framing)
        return (head, body)
    }
}
