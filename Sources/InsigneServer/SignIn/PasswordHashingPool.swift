import Foundation
import Hummingbird
import NIOCore

/// Runs password hashing (scrypt: 32 MiB and tens of milliseconds each) on a few dedicated threads, never on Swift's
/// cooperative pool nor on an event loop, so a flood of sign-ins cannot slow every other route down.
///
/// At most `threads` hashes run at once; at most `maxWaiting` more wait their turn. When the waiting line is full,
/// `run` throws `Busy` at once (the caller answers 503 with `Retry-After`) instead of piling work up.
final class PasswordHashingPool: @unchecked Sendable {
    /// The waiting line is full: try again in a moment.
    struct Busy: Error, Sendable {}

    /// The pool every sign-in of the process shares (the CPU is shared too).
    static let shared = PasswordHashingPool(threads: 2, maxWaiting: 32)
    /// The name of the pool's threads.
    static let threadName = "insigne-hash"  // with "-N": within the 15 characters of a Linux thread name

    let threads: Int
    let maxWaiting: Int
    private let condition = NSCondition()
    /// Each job does its work and returns how to hand the result over (after the counters are updated).
    private var jobs: [@Sendable () -> @Sendable () -> Void] = []
    private var head = 0
    private var started = false
    private var stopped = false
    private var running = 0
    private var finished = 0

    init(threads: Int, maxWaiting: Int) {
        self.threads = max(1, threads)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Whether the calling code runs on one of the hashing pools' threads.
    static var onPoolThread: Bool { poolThreadName != nil }

    /// The name of the pool thread running the calling code ("insigne-hash-N"), nil elsewhere. Kept beside the thread
    /// rather than read back from the system, which on Linux may still report the creating thread's name.
    static var poolThreadName: String? { Thread.current.threadDictionary[threadName] as? String }

    /// Jobs waiting for a thread (not yet running).
    var waiting: Int { condition.withLock { jobs.count - head } }

    /// Jobs running now.
    var active: Int { condition.withLock { running } }

    /// Jobs finished since the pool was made.
    var completed: Int { condition.withLock { finished } }

    /// Runs `work` on one of the pool's threads and returns its result; throws `Busy` when the line is full.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: @Sendable () -> @Sendable () -> Void = {
                let result = Result { try work() }
                return { continuation.resume(with: result) }
            }
            condition.lock()
            guard !stopped, jobs.count - head < maxWaiting || running + (jobs.count - head) < threads else {
                condition.unlock()
                continuation.resume(throwing: Busy())
                return
            }
            if !started {
                started = true
                for i in 0..<threads {
                    let name = "\(Self.threadName)-\(i)"
                    let thread = Thread { [self] in
                        // Named from inside: on Linux a new thread otherwise keeps its creator's name.
                        Thread.current.name = name
                        Thread.current.threadDictionary[Self.threadName] = name
                        worker()
                    }
                    thread.name = name
                    thread.start()
                }
            }
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets the threads finish the jobs already queued, then end (tests; the shared pool lives as long as the process).
    func shutdown() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private func worker() {
        while true {
            condition.lock()
            while head == jobs.count, !stopped { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 64, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            let handOver = job()
            condition.withLock {
                running -= 1
                finished += 1
            }
            handOver()
        }
    }
}
