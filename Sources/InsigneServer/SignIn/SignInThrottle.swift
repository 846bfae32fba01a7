import Foundation
import Hummingbird
import NIOCore

/// Where a sign-in attempt comes from, for the sign-in throttle: the client address (the peer, or the forwarded
/// client when the peer is a trusted proxy, see `ClientAddressMiddleware`).
struct SignInSource: Sendable, Hashable {
    let key: String

    init(key: String) { self.key = key }

    init(_ context: AppRequestContext) { key = context.clientAddress }
}

/// Slows password guessing down without letting anyone lock an account's owner out.
///
/// The rule, checked before any password is hashed (a refused attempt costs nothing):
/// - **Per source** (client address, all logins together): after `freePerSource` failures within the window, each
///   further attempt must wait 1, 2, 4, … seconds after that source's last failure, up to `maxDelay`.
/// - **Per account**: once an account (known or not: unknown logins are counted the same way) has `accountAlarm`
///   failures within the window, it is under attack and each source that has itself failed on that account loses its
///   free attempts there: it must wait 1, 2, 4, … seconds (up to `maxDelay`) after its own last failure on that
///   account. Other people's failures only take free attempts away; the wait grows only with the source's own
///   failures, and a source with no failure on the account is never slowed by the account counter. So the right
///   password from its owner's own address is never refused because someone else failed.
/// - A success clears that source's failures on that account (not its failures on other logins); counters are
///   forgotten `window` seconds after their last failure.
///
/// Attempts under way (begun, password not yet checked) count as failures, so a burst of simultaneous attempts from
/// one source gets no more than its free ones. The clock is passed in (`now:`) so tests need no sleeping.
final class SignInThrottle: @unchecked Sendable {
    let freePerSource: Int
    let accountAlarm: Int
    let maxDelay: TimeInterval
    let window: TimeInterval
    let maxKeys: Int

    private struct Counter {
        var count: Int
        var last: Date
    }
    private struct Pair: Hashable {
        var account: String
        var source: String
    }

    private let lock = NSLock()
    private var sources: [String: Counter] = [:]
    private var accounts: [String: Counter] = [:]
    private var pairs: [Pair: Counter] = [:]
    private var pendingSources: [String: Int] = [:]
    private var pendingPairs: [Pair: Int] = [:]

    init(
        freePerSource: Int = 5, accountAlarm: Int = 10, maxDelay: TimeInterval = 300, window: TimeInterval = 15 * 60,
        maxKeys: Int = 10_000
    ) {
        self.freePerSource = freePerSource
        self.accountAlarm = accountAlarm
        self.maxDelay = maxDelay
        self.window = window
        self.maxKeys = maxKeys
    }

    /// Why an attempt must wait.
    enum Reason: Sendable, Equatable {
        /// Too many failures from this source.
        case source
        /// The account is under attack and this source failed on it.
        case account
    }

    /// The login as counted: trimmed and lowercased (sign-in matches logins without regard to case).
    static func accountKey(_ login: String) -> String {
        login.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Nil when the attempt may go on, else how many whole seconds to wait and why. Attempts begun and not yet
    /// settled count as failures, so a burst of simultaneous attempts gets no more than the free ones.
    func check(login: String, source: SignInSource, now: Date = Date()) -> (seconds: Int, reason: Reason)? {
        let account = Self.accountKey(login)
        return lock.withLock { refusal(account: account, source: source.key, now: now) }
    }

    /// Like `check`, and when the attempt may go on, registers it as under way until `recordFailure`,
    /// `recordSuccess` or `abandon` settles it.
    func begin(login: String, source: SignInSource, now: Date = Date()) -> (seconds: Int, reason: Reason)? {
        let account = Self.accountKey(login)
        return lock.withLock {
            if let refused = refusal(account: account, source: source.key, now: now) { return refused }
            pendingSources[source.key, default: 0] += 1
            pendingPairs[Pair(account: account, source: source.key), default: 0] += 1
            return nil
        }
    }

    /// Counts a wrong password (or an unknown login) from `source`.
    func recordFailure(login: String, source: SignInSource, now: Date = Date()) {
        let account = Self.accountKey(login)
        lock.withLock {
            settle(account: account, source: source.key)
            if sources.count + accounts.count + pairs.count >= maxKeys { prune(now: now) }
            sources[source.key] = bump(sources[source.key], now)
            accounts[account] = bump(accounts[account], now)
            let pair = Pair(account: account, source: source.key)
            pairs[pair] = bump(pairs[pair], now)
        }
    }

    /// The right password from `source`: its failures on that account are forgiven.
    func recordSuccess(login: String, source: SignInSource) {
        let account = Self.accountKey(login)
        lock.withLock {
            settle(account: account, source: source.key)
            _ = pairs.removeValue(forKey: Pair(account: account, source: source.key))
        }
    }

    /// An attempt begun that ended without a verdict (the hashing line was full, an error): counts for nothing.
    func abandon(login: String, source: SignInSource) {
        let account = Self.accountKey(login)
        lock.withLock { settle(account: account, source: source.key) }
    }

    private func refusal(account: String, source: String, now: Date) -> (seconds: Int, reason: Reason)? {
        if let c = effective(live(sources[source], now), pending: pendingSources[source] ?? 0, now) {
            let wait = delay(failures: c.count, free: freePerSource) - now.timeIntervalSince(c.last)
            if wait > 0 { return (Int(wait.rounded(.up)), .source) }
        }
        let pair = Pair(account: account, source: source)
        if let a = live(accounts[account], now), a.count >= accountAlarm,
            let p = effective(live(pairs[pair], now), pending: pendingPairs[pair] ?? 0, now)
        {
            let wait = delay(failures: p.count, free: 1) - now.timeIntervalSince(p.last)
            if wait > 0 { return (Int(wait.rounded(.up)), .account) }
        }
        return nil
    }

    /// A counter with the attempts under way counted as failures now.
    private func effective(_ counter: Counter?, pending: Int, _ now: Date) -> Counter? {
        guard pending > 0 else { return counter }
        return Counter(count: (counter?.count ?? 0) + pending, last: now)
    }

    private func settle(account: String, source: String) {
        if let n = pendingSources[source] { pendingSources[source] = n > 1 ? n - 1 : nil }
        let pair = Pair(account: account, source: source)
        if let n = pendingPairs[pair] { pendingPairs[pair] = n > 1 ? n - 1 : nil }
    }

    /// No wait while there have been fewer than `free` failures; then 1, 2, 4, … seconds, capped at `maxDelay`.
    private func delay(failures: Int, free: Int) -> TimeInterval {
        let over = failures - free
        guard over >= 0 else { return 0 }
        guard over < 30 else { return maxDelay }
        return min(maxDelay, TimeInterval(1 << over))
    }

    private func live(_ counter: Counter?, _ now: Date) -> Counter? {
        guard let counter, now.timeIntervalSince(counter.last) < window else { return nil }
        return counter
    }

    private func bump(_ counter: Counter?, _ now: Date) -> Counter {
        guard let c = live(counter, now) else { return Counter(count: 1, last: now) }
        return Counter(count: c.count + 1, last: max(c.last, now))
    }

    /// Forgets expired counters; if that is not enough, forgets everything (a flood of new keys).
    private func prune(now: Date) {
        sources = sources.filter { now.timeIntervalSince($0.value.last) < window }
        accounts = accounts.filter { now.timeIntervalSince($0.value.last) < window }
        pairs = pairs.filter { now.timeIntervalSince($0.value.last) < window }
        if sources.count + accounts.count + pairs.count >= maxKeys {
            sources.removeAll()
            accounts.removeAll()
            pairs.removeAll()
        }
    }
}
