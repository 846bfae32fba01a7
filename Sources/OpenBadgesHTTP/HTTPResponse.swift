/// The status line and headers of a response.
struct HTTPHead: Equatable {
    var statusCode: Int
    /// Header names lowercased, values with surrounding whitespace removed, in order.
    var headers: [(name: String, value: String)]

    static func == (a: HTTPHead, b: HTTPHead) -> Bool {
        a.statusCode == b.statusCode
            && a.headers.elementsEqual(b.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name == name }.map(\.value)
    }

    func first(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// Parses a header block (without the final empty line's CRLF pair being required to be
    /// present: `bytes` is everything before "\r\n\r\n").
    static func parse(_ bytes: ArraySlice<UInt8>, maxHeaderCount: Int = 256) throws(Failure) -> HTTPHead {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0d {
                guard index + 1 < bytes.endIndex, bytes[index + 1] == 0x0a else {
                    throw Failure(.malformedResponse, "bare CR in response header")
                }
                lines.append(bytes[start..<index])
                index += 2
                start = index
                continue
            }
            if byte == 0x0a { throw Failure(.malformedResponse, "bare LF in response header") }
            if byte == 0 { throw Failure(.malformedResponse, "NUL byte in response header") }
            index += 1
        }
        lines.append(bytes[start..<bytes.endIndex])
        guard let statusLine = lines.first else { throw Failure(.malformedResponse, "empty response") }
        let status = try parseStatusLine(statusLine)
        guard lines.count - 1 <= maxHeaderCount else {
            throw Failure(.malformedResponse, "more than \(maxHeaderCount) response headers")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let first = line.first else { throw Failure(.malformedResponse, "empty header line") }
            if first == 0x20 || first == 0x09 {
                throw Failure(.malformedResponse, "obsolete header line folding")
            }
            guard let colon = line.firstIndex(of: 0x3a) else {
                throw Failure(.malformedResponse, "header line without a colon")
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw Failure(.malformedResponse, "invalid header name")
            }
            var value = line[(colon + 1)...]
            while let b = value.first, b == 0x20 || b == 0x09 { value = value.dropFirst() }
            while let b = value.last, b == 0x20 || b == 0x09 { value = value.dropLast() }
            guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7f || $0 == 0x09 }) else {
                throw Failure(.malformedResponse, "control character in header value")
            }
            headers.append(
                (
                    name: String(decoding: name, as: UTF8.self).lowercased(),
                    value: String(String.UnicodeScalarView(value.map { Unicode.Scalar($0) }))  // Latin-1
                ))
        }
        return HTTPHead(statusCode: status, headers: headers)
    }

    /// "HTTP/1.x SSS[ reason]"
    static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(Failure) -> Int {
        let bytes = Array(line)
        let prefix = Array("HTTP/1.".utf8)
        guard bytes.count >= 12, bytes.starts(with: prefix),
            bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1"),
            bytes[8] == 0x20,
            bytes[9...11].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            bytes.count == 12 || bytes[12] == 0x20
        else {
            let shown = String(decoding: bytes.prefix(40), as: UTF8.self)
            throw Failure(.malformedResponse, "invalid status line \"\(shown)\"")
        }
        let code = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard (100...599).contains(code) else {
            throw Failure(.malformedResponse, "invalid status code \(code)")
        }
        if bytes.count > 13 {
            guard bytes[13...].allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7f) }) else {
                throw Failure(.malformedResponse, "control character in reason phrase")
            }
        }
        return code
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }
}

/// How the body is delimited.
enum BodyFraming: Equatable {
    case none
    case contentLength(Int)
    case chunked
    case untilClose

    /// Decides the framing for a response to GET (RFC 9112 §6.3).
    static func decide(for head: HTTPHead, maxBodyBytes: Int) throws(Failure) -> BodyFraming {
        if head.statusCode == 204 || head.statusCode == 304 || (100...199).contains(head.statusCode) {
            return .none
        }
        let transferCodings = head.values("transfer-encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        if !head.values("transfer-encoding").isEmpty && !transferCodings.isEmpty {
            guard transferCodings == ["chunked"] else {
                throw Failure(
                    .malformedResponse, "unsupported transfer-coding \"\(transferCodings.joined(separator: ", "))\"")
            }
            return .chunked
        }
        let lengths = head.values("content-length")
            .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingSpaces() }
        guard let first = lengths.first else { return .untilClose }
        guard lengths.allSatisfy({ $0 == first }) else {
            throw Failure(.malformedResponse, "conflicting Content-Length values")
        }
        guard !first.isEmpty, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw Failure(.malformedResponse, "invalid Content-Length \"\(first.prefix(40))\"")
        }
        let digits = first.drop { $0 == "0" }
        guard digits.count <= 18, let length = Int(digits.isEmpty ? "0" : digits) else {
            throw Failure(.tooLarge, "Content-Length \(first.prefix(40)) exceeds the limit of \(maxBodyBytes) bytes")
        }
        guard length <= maxBodyBytes else {
            throw Failure(.tooLarge, "Content-Length \(length) exceeds the limit of \(maxBodyBytes) bytes")
        }
        return .contentLength(length)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Reads a response from a byte source with bounded buffering.
final class ResponseReader {
    private let readSome: (UnsafeMutableRawBufferPointer) throws -> Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var scratch = [UInt8](repeating: 0, count: 16 * 1024)
    private(set) var reachedEnd = false
    let maxHeaderBytes: Int
    let maxBodyBytes: Int

    init(maxHeaderBytes: Int, maxBodyBytes: Int, readSome: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.readSome = readSome
        self.maxHeaderBytes = max(maxHeaderBytes, 64)
        self.maxBodyBytes = max(maxBodyBytes, 0)
    }

    private var available: Int { buffer.count - position }

    /// Reads up to `limit` more bytes into the buffer; false at end of stream.
    private func fill(limit: Int = 16 * 1024) throws -> Bool {
        if reachedEnd { return false }
        if position > 0 && position >= buffer.count / 2 {
            buffer.removeFirst(position)
            position = 0
        }
        let wanted = max(1, min(limit, scratch.count))
        let n = try scratch.withUnsafeMutableBytes { raw in
            try readSome(UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted]))
        }
        if n <= 0 {
            reachedEnd = true
            return false
        }
        buffer.append(contentsOf: scratch[0..<n])
        return true
    }

    /// Reads the response head, skipping interim 1xx responses.
    func readHead() throws -> HTTPHead {
        var consumedHeaderBytes = 0
        for _ in 0..<16 {
            var scanned = 0  // bytes after `position` already searched
            while true {
                if let end = findHeaderEnd(from: position + scanned) {
                    let headBytes = buffer[position..<end]
                    consumedHeaderBytes += end + 4 - position
                    guard consumedHeaderBytes <= maxHeaderBytes else { break }
                    position = end + 4
                    let head = try HTTPHead.parse(headBytes)
                    if head.statusCode == 101 {
                        throw Failure(.malformedResponse, "unexpected 101 Switching Protocols")
                    }
                    if (100...199).contains(head.statusCode) { break }
                    return head
                }
                if consumedHeaderBytes + available > maxHeaderBytes + 3 {
                    throw Failure(.malformedResponse, "response header exceeds \(maxHeaderBytes) bytes")
                }
                scanned = max(0, available - 3)
                guard try fill() else {
                    if available == 0 && consumedHeaderBytes == 0 {
                        throw Failure(.malformedResponse, "server closed the connection without a response")
                    }
                    throw Failure(.malformedResponse, "connection closed inside the response header")
                }
            }
            if consumedHeaderBytes > maxHeaderBytes {
                throw Failure(.malformedResponse, "response header exceeds \(maxHeaderBytes) bytes")
            }
        }
        throw Failure(.malformedResponse, "too many interim (1xx) responses")
    }

    private func findHeaderEnd(from start: Int) -> Int? {
        var i = max(start, position)
        while i + 3 < buffer.count {
            if buffer[i] == 0x0d && buffer[i + 1] == 0x0a && buffer[i + 2] == 0x0d && buffer[i + 3] == 0x0a {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Reads the body as framed.
    func readBody(_ framing: BodyFraming) throws -> [UInt8] {
        switch framing {
        case .none:
            return []
        case .contentLength(let length):
            guard length <= maxBodyBytes else {
                throw Failure(.tooLarge, "Content-Length \(length) exceeds the limit of \(maxBodyBytes) bytes")
            }
            var body: [UInt8] = []
            body.reserveCapacity(length)
            try readExactly(length, into: &body) { received in
                Failure(.malformedResponse, "connection closed after \(received) of \(length) body bytes")
            }
            return body
        case .chunked:
            return try readChunked()
        case .untilClose:
            var body: [UInt8] = []
            while true {
                if available > 0 {
                    guard body.count + available <= maxBodyBytes else {
                        throw Failure(.tooLarge, "response body exceeds \(maxBodyBytes) bytes")
                    }
                    body.append(contentsOf: buffer[position...])
                    position = buffer.count
                }
                guard try fill() else { return body }
            }
        }
    }

    private func readExactly(_ count: Int, into body: inout [UInt8], early: (Int) -> Failure) throws {
        var remaining = count
        while remaining > 0 {
            if available == 0 {
                guard try fill(limit: remaining) else { throw early(count - remaining) }
            }
            let take = min(remaining, available)
            body.append(contentsOf: buffer[position..<(position + take)])
            position += take
            remaining -= take
        }
    }

    /// A CRLF-terminated line of at most `limit` bytes (without the CRLF).
    private func readLine(limit: Int, what: String) throws -> ArraySlice<UInt8> {
        var scanned = 0  // bytes after `position` already searched
        while true {
            var i = position + scanned
            while i + 1 < buffer.count {
                if buffer[i] == 0x0d && buffer[i + 1] == 0x0a {
                    guard i - position <= limit else { break }
                    let line = buffer[position..<i]
                    position = i + 2
                    return line
                }
                i += 1
            }
            if available > limit + 1 {
                throw Failure(.malformedResponse, "\(what) longer than \(limit) bytes")
            }
            scanned = max(0, available - 1)
            guard try fill() else {
                throw Failure(.malformedResponse, "connection closed inside \(what)")
            }
        }
    }

    private func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(limit: 1024, what: "a chunk size line")
            var sizeField = line
            if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { sizeField = line[line.startIndex..<semicolon] }
            while let b = sizeField.last, b == 0x20 || b == 0x09 { sizeField = sizeField.dropLast() }
            guard !sizeField.isEmpty else { throw Failure(.malformedResponse, "empty chunk size") }
            var size = 0
            for b in sizeField {
                let digit: Int
                switch b {
                case 0x30...0x39: digit = Int(b - 0x30)
                case 0x41...0x46: digit = Int(b - 0x41 + 10)
                case 0x61...0x66: digit = Int(b - 0x61 + 10)
                default:
                    throw Failure(
                        .malformedResponse,
                        "invalid chunk size \"\(String(decoding: sizeField.prefix(20), as: UTF8.self))\"")
                }
                let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
                guard !overflow, shifted <= Int.max - digit else {
                    throw Failure(.tooLarge, "chunk size overflows")
                }
                size = shifted + digit
            }
            if size == 0 { break }
            guard size <= maxBodyBytes - body.count else {
                throw Failure(.tooLarge, "response body exceeds \(maxBodyBytes) bytes")
            }
            try readExactly(size, into: &body) { _ in
                Failure(.malformedResponse, "connection closed inside a chunk")
            }
            let end = try readLine(limit: 0, what: "the end of a chunk")
            guard end.isEmpty else { throw Failure(.malformedResponse, "chunk data longer than its size") }
        }
        // Trailer section: ignored, but bounded.
        var trailerBytes = 0
        while true {
            let line = try readLine(limit: maxHeaderBytes, what: "the chunked trailer")
            if line.isEmpty { return body }
            trailerBytes += line.count + 2
            guard trailerBytes <= maxHeaderBytes else {
                throw Failure(.malformedResponse, "chunked trailer exceeds \(maxHeaderBytes) bytes")
            }
        }
    }
}
