import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InsigneStore
import Logging
import NIOCore
import NIOEmbedded
import OpenBadgesHTTP
import Testing

@testable import InsigneServer

#if canImport(Glibc)
    import Glibc
#endif

/// Idle, read and write timeouts on a live server.
@Suite("Connection timeouts")
struct ConnectionTimeoutTests {
    static var short: ConnectionTimeouts { ConnectionTimeouts(idle: 1, read: 1, write: 1) }

    @Test func halfSentHeaderIsClosedAfterTheReadTimeout() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            let start = ContinuousClock.now
            try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let r = await socket.readUntilClosed(timeout: 30)
            let elapsed = ContinuousClock.now - start
            #expect(r.closed)
            #expect(r.bytes.isEmpty)
            #expect(elapsed >= .milliseconds(800) && elapsed < .seconds(30), "\(elapsed)")
        }
    }

    @Test func headerSentByteByByteStillTimesOut() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            let start = ContinuousClock.now
            var closedEarly = false
            for byte in Array("GET /health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8) {
                if (try? await socket.send([byte])) == nil {
                    closedEarly = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - start > .seconds(3) { break }
            }
            let r = await socket.readUntilClosed(timeout: 30)
            #expect(closedEarly || r.closed)
            #expect(ContinuousClock.now - start < .seconds(35))
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        try await LiveServer.run(timeouts: Self.short) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            // One complete request, then nothing: closed after the idle timeout.
            try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let r = await socket.readUntilClosed(timeout: 30)
            #expect(r.text.hasPrefix("HTTP/1.1 200"))
            #expect(r.closed)
        }
    }

    @Test func normalRequestsStillWork() async throws {
        // Short read and write timeouts; the idle one long enough that a loaded test machine keeps the connection.
        try await LiveServer.run(timeouts: ConnectionTimeouts(idle: 30, read: 1, write: 1)) { port in
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            for _ in 0..<3 {
                try await socket.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let r = await socket.read(until: "ok", timeout: 30)
                #expect(r.hasPrefix("HTTP/1.1 200"), "\(r)")
                try await Task.sleep(for: .milliseconds(1500))  // longer than the read timeout: idle is not read
            }
        }
    }
}

/// The timeout handler's rules, on an embedded channel with a virtual clock.
@Suite("Connection timeout rules")
struct ConnectionTimeoutHandlerTests {
    static func channel(idle: Double = 60, read: Double = 30, write: Double = 30) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(
            handler: ConnectionTimeoutHandler(
                timeouts: ConnectionTimeouts(idle: idle, read: read, write: write), logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    static func advance(_ channel: EmbeddedChannel, seconds: Double) {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(Int64(seconds * 1000)))
    }

    static func progress(_ channel: EmbeddedChannel, _ event: RequestProgress) {
        channel.pipeline.triggerUserOutboundEvent(event, promise: nil)
    }

    @Test func idleConnectionClosesAfterTheIdleTimeout() throws {
        let c = try Self.channel(idle: 60)
        Self.advance(c, seconds: 59)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }

    @Test func headerMustArriveWholeWithinTheReadTimeoutEvenWhenItTrickles() throws {
        let c = try Self.channel(idle: 600, read: 30)
        for _ in 0..<5 {
            try c.writeInbound(ByteBuffer(string: "G"))
            Self.advance(c, seconds: 5)
        }
        #expect(c.isActive)
        Self.advance(c, seconds: 6)
        #expect(!c.isActive)
    }

    @Test func bodyMayTakeLongWhileItProgresses() throws {
        let c = try Self.channel(idle: 600, read: 30)
        try c.writeInbound(ByteBuffer(string: "POST / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        for _ in 0..<10 {
            Self.advance(c, seconds: 20)
            try c.writeInbound(ByteBuffer(string: "x"))
        }
        #expect(c.isActive)
        Self.advance(c, seconds: 31)
        #expect(!c.isActive)
    }

    @Test func aRequestBeingHandledIsNeverTimedOutButTheNextIdleIs() throws {
        let c = try Self.channel(idle: 60, read: 30)
        try c.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        Self.progress(c, .requestReceived)
        Self.advance(c, seconds: 600)
        #expect(c.isActive)
        Self.progress(c, .responseSent)
        Self.advance(c, seconds: 59)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }

    @Test func unreadResponseIsClosedAfterTheWriteTimeout() throws {
        let c = try Self.channel(idle: 600, read: 600, write: 30)
        try c.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        Self.progress(c, .headReceived)
        Self.progress(c, .requestReceived)
        c.isWritable = false
        c.pipeline.fireChannelWritabilityChanged()
        Self.advance(c, seconds: 29)
        #expect(c.isActive)
        // The client read a little: writable again, then stuck again; the write timeout starts over.
        c.isWritable = true
        c.pipeline.fireChannelWritabilityChanged()
        c.isWritable = false
        c.pipeline.fireChannelWritabilityChanged()
        Self.advance(c, seconds: 29)
        #expect(c.isActive)
        Self.advance(c, seconds: 2)
        #expect(!c.isActive)
    }
}
