import Foundation
import OpenBadges
import OpenBadgesCrypto
import TestSupport
import Testing

/// Loaders, HMAC and report checks shared by the JWS and verifier tests.
enum VerifierTestSupport {
    /// The verification-report schema.
    static let reportSchema: JSONSchemaValidator = {
        do {
            return try JSONSchemaValidator(
                schemaFile: TestPaths.schemas.appendingPathComponent("ob2/verification-report.schema.json"))
        } catch {
            fatalError("verification-report schema: \(error)")
        }
    }()

    /// Verifies and checks that the JSON report validates against its schema.
    static func verify(
        _ input: VerificationInput, loader: any DocumentLoader, now: Date = Date(), recipient: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> VerificationReport {
        let options = VerificationOptions(now: now, recipient: recipient.map { RecipientIdentifier(value: $0) })
        let report = await Verifier(loader: loader).verify(input, options: options)
        let violations = reportSchema.validate(report.json)
        #expect(violations.isEmpty, "report does not match its schema: \(violations)", sourceLocation: sourceLocation)
        // The JSON agrees with the model.
        #expect(report.json["valid"] == .bool(report.isValid), sourceLocation: sourceLocation)
        #expect(report.json["outcome"] == .string(report.outcome.rawValue), sourceLocation: sourceLocation)
        // The direct writer of POST /verify's answer gives the generic encoder's exact bytes.
        #expect(
            String(decoding: report.encodedJSON(), as: UTF8.self) == report.json.encodedString(),
            sourceLocation: sourceLocation)
        return report
    }

    /// The checks that did not pass, for failure messages.
    static func problems(_ report: VerificationReport) -> String {
        report.checks.filter { $0.status != .passed }.map { "\($0.id) \($0.status.rawValue): \($0.message.en)" }
            .joined(separator: "; ")
    }

    /// HMAC-SHA256 (RFC 2104) over `SHA256Digest`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? SHA256Digest.hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = SHA256Digest.hash(k.map { $0 ^ 0x36 } + message)
        return SHA256Digest.hash(k.map { $0 ^ 0x5C } + inner)
    }

    /// A compact JWS with an arbitrary header and a signature computed by `sign` over the signing input.
    static func jws(header: String, payload: [UInt8], sign: ([UInt8]) throws -> [UInt8]) rethrows -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        return input + "." + Base64URL.encode(try sign(Array(input.utf8)))
    }
}

/// Records every URL asked for, then delegates.
final class CountingLoader: DocumentLoader, @unchecked Sendable {
    let inner: any DocumentLoader
    private let lock = NSLock()
    private var urls: [String] = []

    init(_ inner: any DocumentLoader) { self.inner = inner }

    var requested: [String] {
        lock.withLock { urls }
    }

    func load(_ url: URL, accept: String) async throws -> LoadedDocument {
        record(url.absoluteString)
        return try await inner.load(url, accept: accept)
    }

    private func record(_ url: String) {
        lock.withLock { urls.append(url) }
    }
}

/// Throws a `DocumentLoaderError` (or another error) for every URL.
struct FailingLoader: DocumentLoader {
    var code: DocumentLoaderError.Code = .connectionFailed
    var plainError = false

    struct Boom: Error {}

    func load(_ url: URL, accept: String) async throws -> LoadedDocument {
        if plainError { throw Boom() }
        throw DocumentLoaderError(code, url: url.absoluteString, message: "simulated failure")
    }
}

extension StaticDocumentLoader {
    /// A copy without `url`, falling back to `fallback` for unknown URLs.
    func removing(_ url: String, fallback: (any DocumentLoader)? = nil) -> StaticDocumentLoader {
        var l = self
        l.documents[url] = nil
        if let fallback { l.fallback = fallback }
        return l
    }
}
