import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import OpenBadgesCrypto
import Testing

@testable import InsigneServer

@Suite("Sign-in throttling and password hashing")
struct SignInGuardTests {
    // MARK: - Throttle rule (injected clock)

    @Test func oneSourceGetsGrowingDelaysAcrossDifferentLogins() {
        let throttle = SignInThrottle()
        let a = SignInSource(key: "192.0.2.1")
        var now = Date(timeIntervalSince1970: 1_000_000)
        for i in 0..<5 {
            #expect(throttle.check(login: "login\(i)", source: a, now: now) == nil)
            throttle.recordFailure(login: "login\(i)", source: a, now: now)
        }
        var expected = 1
        for i in 5..<16 {
            let login = "login\(i)"
            let refused = throttle.check(login: login, source: a, now: now)
            #expect(refused?.seconds == expected)
            #expect(refused?.reason == .source)
            // Still refused just before the delay is over, allowed once it is.
            #expect(throttle.check(login: login, source: a, now: now.addingTimeInterval(Double(expected) - 0.5)) != nil)
            now = now.addingTimeInterval(Double(expected))
            #expect(throttle.check(login: login, source: a, now: now) == nil)
            throttle.recordFailure(login: login, source: a, now: now)
            expected = min(300, expected * 2)
        }
        #expect(expected == 300)  // the cap was reached
        #expect(throttle.check(login: "x", source: a, now: now)?.seconds == 300)
        // Another source is not slowed by A's failures on other logins.
        #expect(throttle.check(login: "login3", source: SignInSource(key: "198.51.100.7"), now: now) == nil)
        // Fifteen minutes without a failure: forgiven.
        #expect(throttle.check(login: "x", source: a, now: now.addingTimeInterval(15 * 60)) == nil)
    }

    @Test func accountUnderAttackNeverRefusesASourceThatDidNotFail() {
        let throttle = SignInThrottle()
        let now = Date(timeIntervalSince1970: 2_000_000)
        // Twenty addresses fail four times each on admin (each stays under its own per-source limit).
        for s in 0..<20 {
            for k in 0..<4 {
                throttle.recordFailure(
                    login: k % 2 == 0 ? "admin" : "ADMIN ", source: SignInSource(key: "attacker-\(s)"), now: now)
            }
        }
        // The owner's address never failed: let in at once, account under attack or not.
        let owner = SignInSource(key: "owner")
        #expect(throttle.check(login: "admin", source: owner, now: now) == nil)
        // Each attacking address lost its free attempts on admin, and waits after its own failures only.
        let refused = throttle.check(login: "Admin", source: SignInSource(key: "attacker-3"), now: now)
        #expect(refused?.reason == .account)
        #expect(refused?.seconds == 8)  // four own failures: 1, 2, 4, 8
        // …but not on other logins (the per-source rule still allows them).
        #expect(throttle.check(login: "someone", source: SignInSource(key: "attacker-3"), now: now) == nil)
        // The owner mistypes once during the attack: one second, growing only with the owner's own failures.
        throttle.recordFailure(login: "admin", source: owner, now: now)
        #expect(throttle.check(login: "admin", source: owner, now: now)?.seconds == 1)
        #expect(throttle.check(login: "admin", source: owner, now: now.addingTimeInterval(1)) == nil)
        throttle.recordSuccess(login: "admin", source: owner)
        #expect(throttle.check(login: "admin", source: owner, now: now) == nil)
    }

    @Test func aBurstOfSimultaneousAttemptsGetsNoMoreThanTheFreeOnes() {
        let throttle = SignInThrottle()
        let now = Date(timeIntervalSince1970: 4_000_000)
        let a = SignInSource(key: "a")
        // Five attempts under way at once (passwords not checked yet): the sixth waits.
        for i in 0..<5 { #expect(throttle.begin(login: "user\(i)", source: a, now: now) == nil) }
        #expect(throttle.begin(login: "user5", source: a, now: now)?.reason == .source)
        // Another source is not concerned.
        #expect(throttle.begin(login: "user5", source: SignInSource(key: "b"), now: now) == nil)
        // Settled attempts: an abandoned one (service busy) frees its place, a success too, failures stay counted.
        throttle.abandon(login: "user0", source: a)
        throttle.recordSuccess(login: "user1", source: a)
        #expect(throttle.check(login: "user5", source: a, now: now) == nil)
        for i in 2..<5 { throttle.recordFailure(login: "user\(i)", source: a, now: now) }
        #expect(throttle.begin(login: "user5", source: a, now: now) == nil)
        #expect(throttle.begin(login: "user6", source: a, now: now) == nil)
        #expect(throttle.begin(login: "user7", source: a, now: now)?.seconds == 1)
    }

    @Test func unknownAndKnownLoginsAreCountedTheSameWay() {
        let throttle = SignInThrottle()
        let now = Date(timeIntervalSince1970: 3_000_000)
        let a = SignInSource(key: "a")
        let b = SignInSource(key: "b")
        for _ in 0..<5 {
            throttle.recordFailure(login: "nobody-here", source: a, now: now)
            throttle.recordFailure(login: "admin", source: b, now: now)
        }
        #expect(throttle.check(login: "nobody-here", source: a, now: now)?.seconds == 1)
        #expect(throttle.check(login: "admin", source: b, now: now)?.seconds == 1)
    }

    // MARK: - Sign-in page

    @Test func rightPasswordFromAnotherSourceSucceedsAfterManyFailures() async throws {
        let h = try await WebHarness.make()
        let source = TestSource()
        try await h.run(source: source) { b in
            // Four addresses try admin until each is refused: the account comes under attack.
            var failed = 0
            for attacker in ["A1", "A2", "A3", "A4"] {
                source.value = attacker
                var tries = 0
                while try await b.signIn("admin", "wrong").status == .unauthorized, tries < 10 {
                    failed += 1
                    tries += 1
                }
                // Five failures each while admin is not under attack; then one each is enough.
                #expect(tries == (failed <= 10 ? 5 : 1))
                let refused = try await b.signIn("admin", WebHarness.adminPassword)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.body.contains("Trop de tentatives"))
                #expect(refused.headers[.retryAfter] == "1")
                #expect(b.cookie("insigne_session") == nil)
            }
            // The administrator, from another address, signs in at once.
            source.value = "B"
            let ok = try await b.signIn("admin", WebHarness.adminPassword)
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/trainer")
            #expect(b.cookie("insigne_session") != nil)
        }
    }

    @Test func unknownLoginCostsOneHashAndIsThrottledLikeAnyOther() async throws {
        let h = try await WebHarness.make()
        let source = TestSource()
        let pool = PasswordHashingPool(threads: 1, maxWaiting: 4)
        defer { pool.shutdown() }
        try await h.run(source: source, hasher: pool) { b in
            source.value = "A"
            for i in 0..<5 {
                let before = pool.completed
                let r = try await b.signIn("nobody-\(i)", "x")
                #expect(r.status == .unauthorized)
                #expect(r.body.contains("Identifiant ou mot de passe incorrect"))
                #expect(pool.completed == before + 1)  // one hash, as for a real account
            }
            // Different logins, same address: refused before hashing, with the delay in the message.
            let before = pool.completed
            let refused = try await b.signIn("admin", WebHarness.adminPassword)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("réessayez dans 1 seconde."))
            #expect(refused.headers[.retryAfter] == "1")
            #expect(pool.completed == before)
            // Another address with the right password: one hash, signed in.
            source.value = "B"
            let ok = try await b.signIn("admin", WebHarness.adminPassword)
            #expect(ok.status == .seeOther)
            #expect(pool.completed == before + 1)
        }
    }

    /// The wait is said in words a person reads at a glance, never « 120 s ».
    @Test func delaysAreSaidInWords() {
        #expect(SignInPages.delayText(1) == ("1 seconde", "1 second"))
        #expect(SignInPages.delayText(45) == ("45 secondes", "45 seconds"))
        #expect(SignInPages.delayText(60) == ("1 minute", "1 minute"))
        #expect(SignInPages.delayText(61) == ("2 minutes", "2 minutes"))
        #expect(SignInPages.delayText(900) == ("15 minutes", "15 minutes"))
    }

    @Test func fullHashingLineAnswers503WithRetryAfter() async throws {
        let h = try await WebHarness.make()
        let pool = PasswordHashingPool(threads: 1, maxWaiting: 0)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        // The only thread is busy with someone else's hash.
        let blocker = Task { try await pool.run { release.wait() } }
        while pool.active == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try await h.run(source: TestSource(), hasher: pool) { b in
            let r = try await b.signIn("admin", WebHarness.adminPassword)
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers[.retryAfter] == "2")
            #expect(r.body.contains("très sollicité"))
            // Not counted as a failure: once the line moves, the right password goes through.
            release.signal()
            try await blocker.value
            #expect(try await b.signIn("admin", WebHarness.adminPassword).status == .seeOther)
        }
    }

    @Test func joiningASecondIssuerChecksThePasswordOnThePool() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "foyers", password: "mot de passe foyers", issuerID: DemoSeeder.establishmentID)
        try await h.addStaff(login: "mutuelle", password: "mot de passe mutuelle", issuerID: DemoSeeder.issuerID)
        let pool = PasswordHashingPool(threads: 1, maxWaiting: 4)
        defer { pool.shutdown() }
        let source = TestSource()
        try await h.run(source: source, hasher: pool) { b in
            let foyers = WebBrowser(client: b.client)
            let mutuelle = WebBrowser(client: b.client)
            source.value = "staff-1"
            try await foyers.signIn("foyers", "mot de passe foyers")
            source.value = "staff-2"
            try await mutuelle.signIn("mutuelle", "mot de passe mutuelle")
            source.value = "learner"
            #expect(
                try await WebBrowser(client: b.client).accept(
                    try await foyers.invite(name: "Dominique Duo", email: "duo@example.org")
                ).location == "/portfolio?welcome=1")
            let second = try await mutuelle.invite(name: "Dominique Duo", email: "duo@example.org")
            let joining = WebBrowser(client: b.client)
            _ = try await joining.get("/invitation/\(second)")
            var before = pool.completed
            let wrong = try await joining.post("/invitation/\(second)", [("password", "pas le bon mot de passe")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Mot de passe incorrect"))
            #expect(pool.completed == before + 1, "the wrong password was checked on the pool")
            before = pool.completed
            let joined = try await joining.post("/invitation/\(second)", [("password", WebHarness.learnerPassword)])
            #expect(joined.location == "/portfolio?welcome=1")
            #expect(pool.completed == before + 1, "the right password was checked on the pool")
        }
    }

    @Test func joiningASecondIssuerWhileTheHashingLineIsFullAnswers503() async throws {
        let h = try await WebHarness.make()
        try await h.addStaff(login: "foyers", password: "mot de passe foyers", issuerID: DemoSeeder.establishmentID)
        try await h.addStaff(login: "mutuelle", password: "mot de passe mutuelle", issuerID: DemoSeeder.issuerID)
        let pool = PasswordHashingPool(threads: 1, maxWaiting: 0)
        defer { pool.shutdown() }
        let source = TestSource()
        try await h.run(source: source, hasher: pool) { b in
            let foyers = WebBrowser(client: b.client)
            let mutuelle = WebBrowser(client: b.client)
            source.value = "staff-1"
            try await foyers.signIn("foyers", "mot de passe foyers")
            source.value = "staff-2"
            try await mutuelle.signIn("mutuelle", "mot de passe mutuelle")
            source.value = "learner"
            _ = try await WebBrowser(client: b.client).accept(
                try await foyers.invite(name: "Dominique Duo", email: "duo@example.org"))
            let second = try await mutuelle.invite(name: "Dominique Duo", email: "duo@example.org")
            let joining = WebBrowser(client: b.client)
            _ = try await joining.get("/invitation/\(second)")
            let release = DispatchSemaphore(value: 0)
            let blocker = Task { try await pool.run { release.wait() } }
            while pool.active == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let busy = try await joining.post("/invitation/\(second)", [("password", WebHarness.learnerPassword)])
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.headers[.retryAfter] == "2")
            release.signal()
            try await blocker.value
            let joined = try await joining.post("/invitation/\(second)", [("password", WebHarness.learnerPassword)])
            #expect(joined.location == "/portfolio?welcome=1")
        }
    }

    // MARK: - Hashing pool

    @Test func poolNeverRunsMoreThanItsThreadsAndRunsOffTheCallersExecutor() async throws {
        let pool = PasswordHashingPool(threads: 2, maxWaiting: 64)
        defer { pool.shutdown() }
        final class Gauge: @unchecked Sendable {
            let lock = NSLock()
            var now = 0
            var peak = 0
            func enter() {
                lock.withLock {
                    now += 1
                    peak = max(peak, now)
                }
            }
            func leave() { lock.withLock { now -= 1 } }
        }
        let gauge = Gauge()
        #expect(!PasswordHashingPool.onPoolThread)
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.run {
                        gauge.enter()
                        defer { gauge.leave() }
                        Thread.sleep(forTimeInterval: 0.02)
                        return PasswordHashingPool.poolThreadName ?? "elsewhere"
                    }
                }
            }
            var names: [String] = []
            for try await name in group { names.append(name) }
            return names
        }
        #expect(names.count == 12)
        #expect(gauge.peak <= 2)
        #expect(gauge.peak >= 1)
        #expect(names.allSatisfy { $0.hasPrefix(PasswordHashingPool.threadName) }, "\(names)")
        #expect(pool.completed == 12)
        // A real hash through the pool gives the same answer as on the caller's thread.
        let hash = try PasswordHash.hash("secret", logN: 10)
        #expect(try await pool.run { PasswordHash.verify("secret", against: hash) })
        #expect(try await pool.run { PasswordHash.verify("other", against: hash) } == false)
    }

    @Test func poolRefusesAtOnceWhenItsLineIsFull() async throws {
        let pool = PasswordHashingPool(threads: 1, maxWaiting: 2)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let running = Task { try await pool.run { release.wait() } }
        while pool.active == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let queued = (0..<2).map { i in Task { try await pool.run { i } } }
        while pool.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: PasswordHashingPool.Busy.self) { try await pool.run { 99 } }
        release.signal()
        try await running.value
        #expect(try await queued[0].value == 0)
        #expect(try await queued[1].value == 1)
        #expect(try await pool.run { 7 } == 7)  // room again
    }
}
