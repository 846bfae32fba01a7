import Foundation

/// A token bucket per key. Thread-safe; the clock is passed in so tests control time.
final class RateLimiter: @unchecked Sendable {
    let capacity: Double
    let refillPerSecond: Double
    let maxKeys: Int
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Date)] = [:]

    init(capacity: Double, perMinute: Double, maxKeys: Int = 10_000) {
        self.capacity = max(1, capacity)
        refillPerSecond = max(perMinute, 0.001) / 60
        self.maxKeys = maxKeys
    }

    /// Takes one token for `key`: nil when allowed, else the seconds to wait before the next token.
    func take(_ key: String, now: Date = Date()) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? (capacity, now)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(capacity, bucket.tokens + elapsed * refillPerSecond)
        bucket.updated = now
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= maxKeys { prune(now: now) }
            buckets[key] = bucket
            return nil
        }
        buckets[key] = bucket
        return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
    }

    /// Forgets buckets that have refilled (they behave exactly like new ones); if none has, forgets all.
    private func prune(now: Date) {
        buckets = buckets.filter {
            $0.value.tokens + now.timeIntervalSince($0.value.updated) * refillPerSecond < capacity
        }
        if buckets.count >= maxKeys { buckets.removeAll(keepingCapacity: true) }
    }
}
