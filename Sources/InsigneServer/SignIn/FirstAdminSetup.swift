import Foundation
import HTTPTypes
import Hummingbird
import OpenBadgesCrypto
import OpenBadgesHTTP

/// The first administrator's setup without reading the log: while the seeded `admin` has never signed in,
/// `/setup` lets whoever runs the service choose its password, from the machine itself (a loopback client, the
/// `make run` case) or from elsewhere with the one-time setup code printed at first start. Once used, or once
/// `admin` has signed in, it is gone for ever.
enum FirstAdminSetup {
    /// A new setup code: 16 hexadecimal digits in groups of four (`3f9a-…`), 64 random bits.
    static func newCode() throws -> String {
        let hex = try SecureRandom.hex(byteCount: 8)
        return stride(from: 0, to: 16, by: 4).map { i in
            String(hex.dropFirst(i).prefix(4))
        }.joined(separator: "-")
    }

    /// The stored form of a code, as typed or printed (groups, spaces and case do not matter).
    static func hash(_ code: String) -> String {
        let digits = code.lowercased().filter { $0.isHexDigit }
        return SHA256Digest.hexHash(Array(digits.utf8))
    }

    /// True when the code typed matches the stored hash (compared in constant time).
    static func matches(_ code: String, hash stored: String) -> Bool {
        code.count <= 100 && WebSecurity.equal(hash(code), stored)
    }

    /// Headers that a reverse proxy adds: a request carrying one is not taken as coming from the machine itself,
    /// even from a loopback peer (a proxy on the same host).
    static let forwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host"]

    /// True when the request comes from the machine itself: a loopback client address and no forwarding header.
    static func fromLoopback(_ request: Request, client: String) -> Bool {
        for name in forwardingHeaders {
            if let field = HTTPField.Name(name), request.headers[field] != nil { return false }
        }
        guard let address = IPAddress(client) else { return false }
        switch ClientAddress.unmapped(address) {
        case .v4(let a, _, _, _): return a == 127
        case .v6(let bytes): return bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
    }
}
