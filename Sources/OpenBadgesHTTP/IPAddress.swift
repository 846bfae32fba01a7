#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed IPv4 or IPv6 address with a classification used by the SSRF guard.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address, most significant byte first.
    case v4(UInt8, UInt8, UInt8, UInt8)
    /// An IPv6 address: exactly 16 bytes, network order.
    case v6([UInt8])

    /// Parses dotted-quad IPv4 (`"192.0.2.1"`, no leading zeros, no shorthand) or IPv6 text
    /// (`"::1"`, `"::ffff:127.0.0.1"`, `"2001:db8::1"`). Surrounding brackets and an IPv6 zone
    /// identifier (`"fe80::1%eth0"`) are accepted and ignored.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") && text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        if text.contains(":"), let percent = text.firstIndex(of: "%") {
            guard text.index(after: percent) < text.endIndex else { return nil }
            text = text[..<percent]
        }
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        let string = String(text)
        if string.contains(":") {
            var storage = in6_addr()
            let ok = withUnsafeMutableBytes(of: &storage) { raw in
                inet_pton(AF_INET6, string, raw.baseAddress) == 1
            }
            guard ok else { return nil }
            let bytes = withUnsafeBytes(of: &storage) { Array($0) }
            self = .v6(bytes)
        } else {
            var storage = in_addr()
            let ok = withUnsafeMutableBytes(of: &storage) { raw in
                inet_pton(AF_INET, string, raw.baseAddress) == 1
            }
            guard ok else { return nil }
            let b = withUnsafeBytes(of: &storage) { Array($0) }
            self = .v4(b[0], b[1], b[2], b[3])
        }
    }

    /// Creates an address from 4 (IPv4) or 16 (IPv6) network-order bytes.
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4: self = .v4(bytes[0], bytes[1], bytes[2], bytes[3])
        case 16: self = .v6(bytes)
        default: return nil
        }
    }

    /// The address bytes in network order (4 or 16 bytes).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let a, let b, let c, let d): return [a, b, c, d]
        case .v6(let bytes): return bytes
        }
    }

    /// True for IPv4 addresses.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// Canonical text form (`"127.0.0.1"`, `"::1"`, RFC 5952 for IPv6).
    public var description: String {
        switch self {
        case .v4(let a, let b, let c, let d):
            return "\(a).\(b).\(c).\(d)"
        case .v6(let bytes):
            guard bytes.count == 16 else { return "<invalid IPv6>" }
            var storage = in6_addr()
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.copyBytes(from: bytes)
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            let ok = withUnsafePointer(to: &storage) { ptr in
                inet_ntop(AF_INET6, UnsafeRawPointer(ptr), &buffer, socklen_t(buffer.count)) != nil
            }
            guard ok else { return "<invalid IPv6>" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// What kind of address this is. Anything other than `.publicUnicast` is refused by
    /// `AddressPolicy.publicOnly`.
    public enum Category: String, Sendable, Equatable {
        case publicUnicast = "public"
        case unspecified = "unspecified (\"this host\")"
        case loopback = "loopback"
        case privateNetwork = "private-network"
        case sharedAddressSpace = "shared address space (carrier-grade NAT)"
        case linkLocal = "link-local"
        case uniqueLocal = "unique-local"
        case siteLocal = "site-local"
        case protocolAssignment = "IETF protocol assignment"
        case documentation = "documentation"
        case benchmarking = "benchmarking"
        case multicast = "multicast"
        case reserved = "reserved"
        case broadcast = "broadcast"
        case discard = "discard-only"
        case tunnel = "tunnelling (Teredo/ORCHID)"
        case invalid = "invalid"
    }

    /// The classification of this address. IPv6 forms that embed an IPv4 address
    /// (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and
    /// 6to4 `2002::/16`) are classified by the embedded IPv4 address.
    public var category: Category {
        switch self {
        case .v4(let a, let b, let c, let d):
            return Self.classifyV4(a, b, c, d)
        case .v6(let x):
            guard x.count == 16 else { return .invalid }
            if x.allSatisfy({ $0 == 0 }) { return .unspecified }
            if x[0..<15].allSatisfy({ $0 == 0 }) && x[15] == 1 { return .loopback }
            if let embedded = embeddedIPv4, case .v4(let a, let b, let c, let d) = embedded {
                return Self.classifyV4(a, b, c, d)
            }
            if x[0] == 0xff { return .multicast }
            if x[0] == 0xfe && (x[1] & 0xc0) == 0x80 { return .linkLocal }
            if x[0] == 0xfe && (x[1] & 0xc0) == 0xc0 { return .siteLocal }
            if (x[0] & 0xfe) == 0xfc { return .uniqueLocal }
            // 100::/64 discard prefix.
            if x[0] == 0x01 && x[1] == 0 && x[2..<8].allSatisfy({ $0 == 0 }) { return .discard }
            // Only 2000::/3 is allocated global unicast.
            if (x[0] & 0xe0) != 0x20 { return .reserved }
            if x[0] == 0x20 && x[1] == 0x01 {
                // 2001:db8::/32 documentation
                if x[2] == 0x0d && x[3] == 0xb8 { return .documentation }
                // 2001::/32 Teredo
                if x[2] == 0 && x[3] == 0 { return .tunnel }
                // 2001:2::/48 benchmarking
                if x[2] == 0 && x[3] == 0x02 && x[4] == 0 && x[5] == 0 { return .benchmarking }
                // 2001:10::/28 (ORCHID) and 2001:20::/28 (ORCHIDv2)
                if x[2] == 0 && (x[3] & 0xf0) == 0x10 { return .tunnel }
                if x[2] == 0 && (x[3] & 0xf0) == 0x20 { return .tunnel }
            }
            // 3fff::/20 documentation (RFC 9637)
            if x[0] == 0x3f && x[1] == 0xff && (x[2] & 0xf0) == 0 { return .documentation }
            return .publicUnicast
        }
    }

    /// The IPv4 address embedded in an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or
    /// 6to4 (2002::/16) IPv6 address, if any.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let x) = self, x.count == 16 else { return nil }
        // ::ffff:a.b.c.d (mapped)
        if x[0..<10].allSatisfy({ $0 == 0 }) && x[10] == 0xff && x[11] == 0xff {
            return .v4(x[12], x[13], x[14], x[15])
        }
        // ::a.b.c.d (compatible, deprecated)
        if x[0..<12].allSatisfy({ $0 == 0 }) {
            return .v4(x[12], x[13], x[14], x[15])
        }
        // 64:ff9b::/96 (well-known NAT64 prefix)
        if x[0] == 0x00 && x[1] == 0x64 && x[2] == 0xff && x[3] == 0x9b && x[4..<12].allSatisfy({ $0 == 0 }) {
            return .v4(x[12], x[13], x[14], x[15])
        }
        // 2002:aabb:ccdd::/48 (6to4)
        if x[0] == 0x20 && x[1] == 0x02 {
            return .v4(x[2], x[3], x[4], x[5])
        }
        return nil
    }

    /// True when the address is globally routable unicast (see `Category`).
    public var isPublic: Bool { category == .publicUnicast }

    private static func classifyV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Category {
        switch a {
        case 0: return .unspecified
        case 10: return .privateNetwork
        case 100 where (b & 0xc0) == 64: return .sharedAddressSpace
        case 127: return .loopback
        case 169 where b == 254: return .linkLocal
        case 172 where (b & 0xf0) == 16: return .privateNetwork
        case 192 where b == 0 && c == 0: return .protocolAssignment
        case 192 where b == 0 && c == 2: return .documentation
        case 192 where b == 168: return .privateNetwork
        case 198 where (b & 0xfe) == 18: return .benchmarking
        case 198 where b == 51 && c == 100: return .documentation
        case 203 where b == 0 && c == 113: return .documentation
        case 224...239: return .multicast
        case 255 where b == 255 && c == 255 && d == 255: return .broadcast
        case 240...255: return .reserved
        default: return .publicUnicast
        }
    }
}

/// Which destination addresses the loader may connect to.
public struct AddressPolicy: Sendable {
    /// When true, loopback, private, link-local and other non-public addresses are allowed
    /// (tests, intranet deployments). Default false.
    public var allowPrivateNetwork: Bool
    /// When set, replaces the built-in rule entirely: an address is permitted exactly when this
    /// returns true. Used by tests and by deployments with an explicit allow-list.
    public var allowedAddress: (@Sendable (IPAddress) -> Bool)?

    /// Creates a policy.
    public init(allowPrivateNetwork: Bool = false, allowedAddress: (@Sendable (IPAddress) -> Bool)? = nil) {
        self.allowPrivateNetwork = allowPrivateNetwork
        self.allowedAddress = allowedAddress
    }

    /// Only globally routable unicast addresses (the default).
    public static let publicOnly = AddressPolicy(allowPrivateNetwork: false)
    /// Every address, including loopback and private networks.
    public static let allowAll = AddressPolicy(allowPrivateNetwork: true)

    /// A policy decided by `predicate` alone.
    public static func custom(_ predicate: @escaping @Sendable (IPAddress) -> Bool) -> AddressPolicy {
        AddressPolicy(allowPrivateNetwork: false, allowedAddress: predicate)
    }

    /// Whether a connection to `address` is allowed.
    public func permits(_ address: IPAddress) -> Bool {
        refusalReason(for: address) == nil
    }

    /// Nil when `address` is permitted, otherwise a short English reason
    /// (e.g. `"127.0.0.1 is a loopback address"`).
    public func refusalReason(for address: IPAddress) -> String? {
        if let allowedAddress {
            return allowedAddress(address) ? nil : "\(address) is not allowed by the address policy"
        }
        if allowPrivateNetwork { return nil }
        let category = address.category
        if category == .publicUnicast { return nil }
        // `::` and `::1` are classified directly, not by their IPv4-compatible reading.
        if case .v6(let x) = address, let embedded = address.embeddedIPv4,
            !(x[0..<15].allSatisfy { $0 == 0 } && x[15] <= 1)
        {
            return "\(address) embeds \(embedded), a \(category.rawValue) address"
        }
        return "\(address) is a \(category.rawValue) address"
    }
}
