import Foundation
import HTTPTypes
import Hummingbird
import OpenBadgesHTTP

/// One address or a CIDR block (`192.0.2.10`, `10.0.0.0/8`, `::1`, `2001:db8::/32`).
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's bytes (4 or 16), host bits cleared.
    let network: [UInt8]
    /// Prefix length in bits.
    let prefix: Int

    /// Parses an address or `address/prefix`; nil when either part is invalid.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let bytes = ClientAddress.unmapped(address).bytes
        var prefix = bytes.count * 8
        if parts.count == 2 {
            let full = address.bytes.count * 8
            guard parts[1].allSatisfy(\.isASCIIDigit), let p = Int(parts[1]), (0...full).contains(p) else { return nil }
            // An IPv4-mapped IPv6 block (::ffff:10.0.0.0/104) is the IPv4 block it maps.
            prefix = full == bytes.count * 8 ? p : max(0, p - 96)
        }
        network = IPRange.masked(bytes, prefix: prefix)
        self.prefix = prefix
    }

    /// True when `address` lies in the range (IPv4-mapped IPv6 addresses count as IPv4).
    public func contains(_ address: IPAddress) -> Bool {
        let bytes = ClientAddress.unmapped(address).bytes
        return bytes.count == network.count && IPRange.masked(bytes, prefix: prefix) == network
    }

    static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { i, b in
            let bits = min(8, max(0, prefix - i * 8))
            return bits == 8 ? b : b & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }

    public var description: String {
        "\(IPAddress(bytes: network).map { "\($0)" } ?? "?")/\(prefix)"
    }
}

/// The proxies whose `X-Forwarded-For` is believed (`INSIGNE_TRUSTED_PROXIES`); empty: the socket peer is the client.
public struct TrustedProxies: Sendable, Equatable {
    /// The trusted ranges.
    public var ranges: [IPRange]

    /// No proxy trusted.
    public init(_ ranges: [IPRange] = []) { self.ranges = ranges }

    /// A comma-separated list of addresses or CIDRs; throws, naming the bad entry, in French and English.
    public init(parsing list: String) throws {
        var ranges: [IPRange] = []
        for entry in list.split(separator: ",") {
            let text = entry.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let range = IPRange(text) else { throw TrustedProxiesError(entry: text) }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    /// True when the address is one of the trusted proxies.
    public func trusts(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }
}

/// A bad entry in the trusted proxy list.
public struct TrustedProxiesError: Error, Sendable, CustomStringConvertible {
    /// The entry as written.
    public var entry: String
    /// French message.
    public var fr: String { "INSIGNE_TRUSTED_PROXIES : « \(entry) » n'est ni une adresse IP ni un bloc CIDR." }
    /// English message.
    public var en: String { "INSIGNE_TRUSTED_PROXIES: \"\(entry)\" is neither an IP address nor a CIDR block." }
    public var description: String { fr + " / " + en }
}

/// Who a request comes from, for rate limits and logs: the socket peer, or, when the peer is a trusted proxy,
/// the first untrusted address of `X-Forwarded-For` read from the right.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// `::ffff:a.b.c.d` as `a.b.c.d`; other addresses unchanged.
    static func unmapped(_ address: IPAddress) -> IPAddress {
        if case .v6(let x) = address, x.count == 16, x[0..<10].allSatisfy({ $0 == 0 }), x[10] == 0xFF, x[11] == 0xFF {
            return .v4(x[12], x[13], x[14], x[15])
        }
        return address
    }

    /// The client address: `peer` unless it is trusted and `X-Forwarded-For` is well formed.
    /// A missing peer (router tests) gives "unknown"; an unparsable peer is used as written.
    static func resolve(peer: String?, forwardedFor values: [String], trusted: TrustedProxies) -> String {
        guard let peer else { return "unknown" }
        guard let peerAddress = IPAddress(peer) else { return peer }
        let peerText = "\(unmapped(peerAddress))"
        guard trusted.trusts(peerAddress), !values.isEmpty else { return peerText }
        let hops = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var client = peerText
        for hop in hops.reversed() {
            guard let address = parse(hop.trimmingCharacters(in: .whitespaces)) else { return peerText }
            client = "\(unmapped(address))"
            if !trusted.trusts(address) { return client }
        }
        // Every hop is a trusted proxy: the leftmost is the closest we know to the client.
        return client
    }

    /// An `X-Forwarded-For` element: an address, `[v6]`, `[v6]:port` or `v4:port`.
    static func parse(_ text: String) -> IPAddress? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isASCIIDigit)) else {
                return nil
            }
            return IPAddress(String(text[text.index(after: text.startIndex)..<close]))
        }
        if let address = IPAddress(text) { return address }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit),
            let v4 = IPAddress(String(parts[0])),
            v4.isIPv4
        {
            return v4
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Sets `context.clientAddress` for everything behind it (rate limits use it).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // No trusted proxy and an IPv4 peer: the context's address is already the peer's dotted quad, which is
        // what `resolve` would give (canonical text of the same address), without parsing it again.
        if trusted.ranges.isEmpty, case .v4? = context.remoteAddress { return try await next(request, context) }
        var context = context
        context.clientAddress = ClientAddress.resolve(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: ClientAddress.forwardedFor],
            trusted: trusted)
        return try await next(request, context)
    }
}
