import Foundation
import OpenBadges

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Limits and policy for `HTTPDocumentLoader`.
public struct HTTPLoaderConfiguration: Sendable {
    /// Seconds allowed for each TCP connect attempt.
    public var connectTimeout: Double
    /// Seconds allowed for the whole load, redirects included.
    public var totalTimeout: Double
    /// Largest accepted response body; larger bodies fail with `tooLarge` without being buffered.
    public var maxBodyBytes: Int
    /// Largest accepted response header block (status line, headers, chunked trailers).
    public var maxHeaderBytes: Int
    /// Most redirects followed; one more fails with `tooManyRedirects`.
    public var maxRedirects: Int
    /// Which destination addresses may be connected to (checked on every hop).
    public var addressPolicy: AddressPolicy
    /// The `User-Agent` header.
    public var userAgent: String
    /// A PEM file of trusted CA certificates that replaces the system trust store for HTTPS
    /// (intranets, tests). Nil uses OpenSSL's default verify paths.
    public var trustedCertificatesFile: String?

    /// Creates a configuration.
    public init(
        connectTimeout: Double = 5,
        totalTimeout: Double = 10,
        maxBodyBytes: Int = 2 * 1024 * 1024,
        maxHeaderBytes: Int = 64 * 1024,
        maxRedirects: Int = 5,
        addressPolicy: AddressPolicy = .publicOnly,
        userAgent: String = "Insigne/0.1 (+Open Badges verifier)",
        trustedCertificatesFile: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxRedirects = maxRedirects
        self.addressPolicy = addressPolicy
        self.userAgent = userAgent
        self.trustedCertificatesFile = trustedCertificatesFile
    }
}

/// A `DocumentLoader` over HTTP/1.1 and HTTPS (OpenSSL) with an SSRF guard.
///
/// Every hop's host is resolved once; each resolved address is checked against the
/// `AddressPolicy` and the connection is made to a checked address (no second lookup, so DNS
/// rebinding cannot bypass the check). Blocking socket work runs on a dedicated thread, never on
/// Swift's cooperative pool; cancellation and the total deadline wake that thread and close its
/// socket.
public struct HTTPDocumentLoader: DocumentLoader {
    /// The configuration in use.
    public let configuration: HTTPLoaderConfiguration

    /// Creates a loader.
    public init(configuration: HTTPLoaderConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Fetches `url` with `Accept: accept`, following redirects. Non-2xx answers are returned.
    public func load(_ url: URL, accept: String) async throws -> LoadedDocument {
        try Task.checkCancellation()
        let context = try RequestContext(url: url.absoluteString)
        let configuration = self.configuration
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<LoadedDocument, Error>) in
                guard context.attach(continuation) else {
                    context.workerFinished(.failure(CancellationError()))
                    return
                }
                let thread = Thread {
                    // SSL_write uses write(2): a peer reset must not kill the process with SIGPIPE.
                    // This thread is ours alone, so the mask does not leak.
                    var set = sigset_t()
                    sigemptyset(&set)
                    sigaddset(&set, SIGPIPE)
                    pthread_sigmask(SIG_BLOCK, &set, nil)
                    let result: Result<LoadedDocument, Error>
                    do {
                        let fetcher = Fetcher(configuration: configuration, context: context)
                        result = .success(try fetcher.run(url, accept: accept))
                    } catch {
                        result = .failure(error)
                    }
                    context.workerFinished(result)
                }
                thread.name = "insigne-http"
                thread.start()
                // Hard deadline: even a worker stuck in getaddrinfo cannot hold the caller longer.
                let grace = max(0, configuration.totalTimeout) + 0.25
                let message = "request exceeded the total timeout of \(configuration.totalTimeout) s"
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                    context.abort(DocumentLoaderError(.timeout, url: url.absoluteString, message: message))
                }
            }
        } onCancel: {
            context.abort(CancellationError())
        }
    }
}

/// Shared state between the awaiting task, the worker thread, the cancellation handler and the
/// watchdog. The worker polls `wakeReadFD` along with its socket; `abort` writes to the pipe so a
/// blocked poll returns at once and the worker closes its socket.
final class RequestContext: @unchecked Sendable {
    let url: String
    let wakeReadFD: Int32
    private let lock = NSLock()
    private var wakeWriteFD: Int32
    private var continuation: CheckedContinuation<LoadedDocument, Error>?
    private var resumed = false
    private var aborted = false
    private var pendingError: Error?
    private var fdsClosed = false

    init(url: String) throws {
        self.url = url
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw DocumentLoaderError(
                .connectionFailed, url: url, message: "cannot create wake-up pipe: \(errnoString())")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        if !fdsClosed {
            close(wakeReadFD)
            close(wakeWriteFD)
        }
    }

    var isAborted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return aborted
    }

    /// Stores the continuation; false when the request was already aborted (the continuation
    /// has then been resumed with the abort error).
    func attach(_ continuation: CheckedContinuation<LoadedDocument, Error>) -> Bool {
        lock.lock()
        if let pendingError {
            resumed = true
            lock.unlock()
            continuation.resume(throwing: pendingError)
            return false
        }
        self.continuation = continuation
        lock.unlock()
        return true
    }

    /// Cancels the request (task cancellation or watchdog): wakes the worker and resumes the
    /// caller with `error` unless a result was already delivered.
    func abort(_ error: Error) {
        lock.lock()
        if resumed || aborted {
            lock.unlock()
            return
        }
        aborted = true
        if !fdsClosed {
            var byte: UInt8 = 1
            _ = write(wakeWriteFD, &byte, 1)
        }
        guard let continuation else {
            pendingError = error
            lock.unlock()
            return
        }
        self.continuation = nil
        resumed = true
        lock.unlock()
        continuation.resume(throwing: error)
    }

    /// Called once by the worker when it has finished with its socket.
    func workerFinished(_ result: Result<LoadedDocument, Error>) {
        lock.lock()
        if !fdsClosed {
            fdsClosed = true
            close(wakeReadFD)
            close(wakeWriteFD)
            wakeWriteFD = -1
        }
        let continuation = resumed ? nil : self.continuation
        self.continuation = nil
        if continuation != nil { resumed = true }
        lock.unlock()
        continuation?.resume(with: result)
    }
}

func errnoString(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
