import Foundation
import OpenBadgesCrypto

/// The badge files uploaded on the verification page, kept in memory for a short time so that the reader can check
/// the same file against another e-mail address without choosing it again. Keyed by a random token that the result
/// page carries in a hidden field; bounded in count and total size (the oldest go first); never written to disk,
/// never logged. Thread-safe; the clock is passed in so tests control time.
final class UploadStash: @unchecked Sendable {
    /// How long an upload is kept.
    let lifetime: TimeInterval
    /// How many uploads are kept at most.
    let maxCount: Int
    /// How many bytes all kept uploads may hold together.
    let maxTotalBytes: Int
    private let lock = NSLock()
    private var entries: [String: (bytes: [UInt8], expires: Date)] = [:]
    /// Tokens from oldest to newest.
    private var order: [String] = []
    private var totalBytes = 0

    init(lifetime: TimeInterval = 15 * 60, maxCount: Int = 32, maxTotalBytes: Int = 32 * 1024 * 1024) {
        self.lifetime = lifetime
        self.maxCount = max(0, maxCount)
        self.maxTotalBytes = max(0, maxTotalBytes)
    }

    /// Keeps `bytes` and answers its token; nil when it cannot be kept (larger than the whole stash, or no
    /// randomness). Older uploads are forgotten to make room.
    func put(_ bytes: [UInt8], now: Date = Date()) -> String? {
        guard maxCount > 0, bytes.count <= maxTotalBytes, let token = try? SecureRandom.hex(byteCount: 16) else {
            return nil
        }
        lock.lock()
        defer { lock.unlock() }
        removeExpired(now: now)
        while !order.isEmpty, order.count >= maxCount || totalBytes + bytes.count > maxTotalBytes {
            remove(order[0])
        }
        entries[token] = (bytes, now.addingTimeInterval(lifetime))
        order.append(token)
        totalBytes += bytes.count
        return token
    }

    /// The upload kept under `token`, nil when unknown or expired.
    func get(_ token: String, now: Date = Date()) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        removeExpired(now: now)
        return entries[token]?.bytes
    }

    /// How many uploads and bytes are kept (for tests).
    func usage(now: Date = Date()) -> (count: Int, bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        removeExpired(now: now)
        return (order.count, totalBytes)
    }

    /// A token's shape: 32 lowercase hex digits.
    static func isToken(_ s: String) -> Bool {
        s.utf8.count == 32 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private func removeExpired(now: Date) {
        while let first = order.first, let entry = entries[first], entry.expires <= now { remove(first) }
    }

    private func remove(_ token: String) {
        if let entry = entries.removeValue(forKey: token) { totalBytes -= entry.bytes.count }
        order.removeAll { $0 == token }
    }
}
