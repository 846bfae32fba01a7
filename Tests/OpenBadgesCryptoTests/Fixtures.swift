import Foundation
import OpenBadgesCrypto
import Testing

/// Locates `Fixtures/` at the package root from this file's path (like swift-crypto's Wycheproof helper).
enum CryptoFixtures {
    static func url(_ relativePath: String, file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file)
        for _ in 0..<3 {  // Tests/OpenBadgesCryptoTests/Fixtures.swift → package root
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    struct JWSVector: Decodable, Sendable {
        let name: String
        let alg: String
        let deterministic: Bool
        let privateKey: String?
        let publicKey: String?
        let signingInput: String
        let signature: String
        let jwk: [String: String]
    }

    struct JWSVectorFile: Decodable {
        let vectors: [JWSVector]
    }

    static func jwsVectors() throws -> [JWSVector] {
        try JSONDecoder().decode(JWSVectorFile.self, from: data("vectors/crypto-jws-vectors.json")).vectors
    }
}

/// base64url (no padding) decoding for test vectors.
func base64URLDecode(_ text: String) -> [UInt8]? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64).map { [UInt8]($0) }
}

/// base64url (no padding) encoding for test vectors.
func base64URLEncode(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// Runs `body` and returns the CryptoError it throws (recording an issue otherwise).
func cryptoError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> CryptoError? {
    do {
        try body()
        Issue.record("expected a CryptoError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as CryptoError {
        return error
    } catch {
        Issue.record("expected a CryptoError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
