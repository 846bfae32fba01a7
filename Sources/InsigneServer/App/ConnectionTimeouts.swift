import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a connection may wait on its client (`--idle-timeout`, `--read-timeout`, `--write-timeout`).
public struct ConnectionTimeouts: Sendable, Equatable {
    /// Seconds a connection may stay open with no request in progress.
    public var idle: Double = 60
    /// Seconds for a whole request header to arrive once it has started, and at most between two pieces of a body.
    public var read: Double = 30
    /// Seconds the client may leave the response unread (send buffer full) before the connection is closed.
    public var write: Double = 30

    /// The defaults: idle 60 s, read 30 s, write 30 s.
    public init() {}

    /// Timeouts in seconds.
    public init(idle: Double, read: Double, write: Double) {
        self.idle = idle
        self.read = read
        self.write = write
    }

    static func amount(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1_000_000_000)) }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Insigne's connection timeouts, and the connection closed after any response that says
    /// `Connection: close` (an early 413: the client must not keep streaming its body).
    static func insigne(timeouts: ConnectionTimeouts) -> HTTPServerBuilder {
        .init { responder in
            TimedHTTP1Channel(
                inner: HTTP1Channel(
                    responder: responder,
                    configuration: .init(additionalChannelHandlers: [RequestProgressHandler()])),
                timeouts: timeouts)
        }
    }
}

/// Hummingbird's HTTP/1 channel with `ConnectionTimeoutHandler` in front of the HTTP decoder (a half-sent header
/// produces no HTTP part at all, so only the byte level can see it).
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let timeouts: ConnectionTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeouts = timeouts
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ConnectionTimeoutHandler(timeouts: timeouts, logger: logger), position: .first)
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// What `RequestProgressHandler` tells `ConnectionTimeoutHandler` (an outbound user event travels to the front).
enum RequestProgress: Sendable {
    case headReceived
    case requestReceived
    case responseSent
}

/// Watches HTTP parts: reports request progress to the timeout handler, and closes the connection after a response
/// whose head says `Connection: close` (output closed at once, input after a short linger so the client reads the
/// response instead of a reset).
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestReceived, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status.kind != .informational, head.headerFields[.connection]?.lowercased() == "close" {
                closeAfterResponse = true
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.triggerUserOutboundEvent(RequestProgress.responseSent, promise: nil)
            guard closeAfterResponse else { return context.write(data, promise: promise) }
            let written = context.eventLoop.makePromise(of: Void.self)
            if let promise { written.futureResult.cascade(to: promise) }
            let channel = context.channel
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output).whenComplete { result in
                    if case .failure = result { channel.close(promise: nil) }
                }
                channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
            }
            context.writeAndFlush(data, promise: written)
        }
    }
}

/// Closes a connection whose client is too slow: no request for `idle` seconds, a header not complete `read`
/// seconds after its first byte, a body with no byte for `read` seconds, a response left unread for `write` seconds.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let idle: TimeAmount
    private let read: TimeAmount
    private let write: TimeAmount
    private let logger: Logger
    private var requestsInFlight = 0
    private var readingBody = false
    private var headStartedAt: NIODeadline?
    private var lastRead = NIODeadline.now()
    private var lastActivity = NIODeadline.now()
    private var unwritableSince: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(timeouts: ConnectionTimeouts, logger: Logger) {
        idle = ConnectionTimeouts.amount(timeouts.idle)
        read = ConnectionTimeouts.amount(timeouts.read)
        write = ConnectionTimeouts.amount(timeouts.write)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lastRead = context.eventLoop.now
        lastActivity = lastRead
        if context.channel.isActive { reschedule(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    func channelActive(context: ChannelHandlerContext) {
        lastActivity = context.eventLoop.now
        reschedule(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = context.eventLoop.now
        lastRead = now
        lastActivity = now
        if !readingBody, headStartedAt == nil { headStartedAt = now }
        // The decoder runs synchronously behind us: a complete head or body is reported before this returns.
        context.fireChannelRead(data)
        reschedule(context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            return context.triggerUserOutboundEvent(event, promise: promise)
        }
        switch progress {
        case .headReceived:
            requestsInFlight += 1
            readingBody = true
            headStartedAt = nil
        case .requestReceived:
            readingBody = false
        case .responseSent:
            requestsInFlight = max(0, requestsInFlight - 1)
            lastActivity = context.eventLoop.now
            // A pipelined header that began during the response gets its full read time from now.
            if headStartedAt != nil { headStartedAt = lastActivity }
        }
        reschedule(context)
        promise?.succeed(())
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        unwritableSince = context.channel.isWritable ? nil : context.eventLoop.now
        reschedule(context)
        context.fireChannelWritabilityChanged()
    }

    /// The earliest deadline that applies in the current state, and its name for the log.
    private func deadline() -> (at: NIODeadline, reason: String)? {
        let writing = unwritableSince.map { (at: $0 + write, reason: "write") }
        let reading: (at: NIODeadline, reason: String)?
        if readingBody {
            reading = (lastRead + read, "read (body)")
        } else if requestsInFlight == 0 {
            reading = headStartedAt.map { (at: $0 + read, reason: "read (header)") } ?? (lastActivity + idle, "idle")
        } else {
            reading = nil
        }
        guard let reading else { return writing }
        guard let writing else { return reading }
        return reading.at < writing.at ? reading : writing
    }

    /// Makes sure a timer fires by the current deadline. A pending timer that fires earlier is kept (it re-checks
    /// then), also while no deadline applies (a request being answered): on a keep-alive connection the timer is
    /// not cancelled and scheduled again for every request.
    private func reschedule(_ context: ChannelHandlerContext) {
        guard let next = deadline() else { return }
        if let scheduled = timerDeadline, scheduled <= next.at { return }  // fires earlier and re-checks
        cancelTimer()
        timerDeadline = next.at
        let loop = context.eventLoop.assumeIsolatedUnsafeUnchecked()
        timer = loop.scheduleTask(deadline: next.at) { [self] in
            timer = nil
            timerDeadline = nil
            guard context.channel.isActive, let due = deadline() else { return }
            if due.at <= context.eventLoop.now {
                logger.debug("closing a slow connection", metadata: ["timeout": "\(due.reason)"])
                context.close(promise: nil)
            } else {
                reschedule(context)
            }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}
