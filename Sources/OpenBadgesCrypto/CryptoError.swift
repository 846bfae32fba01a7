import COpenSSL

/// An error raised by OpenBadgesCrypto, carrying the drained OpenSSL error queue.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// The category of a crypto failure.
    public enum Code: String, Sendable {
        /// Key generation failed.
        case keyGeneration
        /// A PEM or DER key could not be decoded.
        case pemDecoding
        /// A key could not be encoded as PEM or DER.
        case pemEncoding
        /// An encrypted private key was given a wrong or missing passphrase.
        case wrongPassphrase
        /// The key type, curve or size is not supported.
        case unsupportedKey
        /// The key family does not match the requested signature algorithm.
        case algorithmMismatch
        /// Signing failed.
        case signing
        /// Hashing failed.
        case digest
        /// The random number generator failed.
        case random
    }

    /// The category of the failure.
    public let code: Code
    /// A short English description of the failure.
    public let message: String
    /// The drained OpenSSL error queue, oldest first ("lib: reason (file:line) data").
    public let openSSLErrors: [String]

    /// Creates an error from its parts.
    public init(code: Code, message: String, openSSLErrors: [String] = []) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
    }

    /// A one-line description including the OpenSSL errors, if any.
    public var description: String {
        var text = "CryptoError.\(code.rawValue): \(message)"
        if !openSSLErrors.isEmpty {
            text += " [" + openSSLErrors.joined(separator: "; ") + "]"
        }
        return text
    }

    /// Builds an error and drains the current thread's OpenSSL error queue into it.
    static func openSSL(_ code: Code, _ message: String) -> CryptoError {
        CryptoError(code: code, message: message, openSSLErrors: OpenSSLErrorQueue.drain())
    }
}

/// Access to the thread-local OpenSSL error queue (modelled on swift-nio-ssl's buildErrorStack).
enum OpenSSLErrorQueue {
    /// Removes every queued error and renders each as "lib: reason (file:line) data", oldest first.
    static func drain() -> [String] {
        var errors: [String] = []
        while true {
            var file: UnsafePointer<CChar>? = nil
            var line: CInt = 0
            var function: UnsafePointer<CChar>? = nil
            var data: UnsafePointer<CChar>? = nil
            var flags: CInt = 0
            let code = ERR_get_error_all(&file, &line, &function, &data, &flags)
            if code == 0 { break }
            errors.append(render(code: code, file: file, line: line, data: data, flags: flags))
        }
        return errors
    }

    /// Discards every queued error.
    @inline(__always)
    static func clear() {
        ERR_clear_error()
    }

    private static func render(
        code: UInt, file: UnsafePointer<CChar>?, line: CInt, data: UnsafePointer<CChar>?, flags: CInt
    ) -> String {
        let lib = ERR_lib_error_string(code).map { String(cString: $0) } ?? "lib(\(ERR_GET_LIB(code)))"
        let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? "reason(\(ERR_GET_REASON(code)))"
        var text = "\(lib): \(reason)"
        if let file {
            text += " (\(String(cString: file)):\(line))"
        }
        if let data, (flags & ERR_TXT_STRING) != 0 {
            let extra = String(cString: data)
            if !extra.isEmpty { text += " \(extra)" }
        }
        return text
    }
}
