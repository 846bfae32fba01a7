import COpenSSL
import Synchronization

/// A signing context prepared once per private key (`EVP_DigestSignInit` with a fetched SHA-256 for RS256, none for
/// EdDSA) and copied for each signature: OpenSSL 3 otherwise looks the signature algorithm and the digest up again
/// (locks and tables) on every initialisation, several microseconds per signature (issue 13 point 6).
///
/// Prepared on first use, under a lock that also guards each copy, so no two threads ever touch the template at
/// once; every signature signs with its own copy (`EVP_MD_CTX_copy_ex`), as OpenSSL requires.
final class SigningTemplate: Sendable {
    private let template = Mutex<Prepared>(Prepared())
    /// SHA-256 fetched once from the default provider (never freed, like `SHA256Digest`'s).
    nonisolated(unsafe) private static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// The template context, nil until prepared; `failed` once preparing did not work (the caller then initialises
    /// each context itself).
    struct Prepared: ~Copyable, Sendable {
        var context: Context?
        var failed = false

        deinit { if let context { EVP_MD_CTX_free(context.pointer) } }
    }

    /// The template's `EVP_MD_CTX`, only touched under the lock.
    struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// Only RS256 and EdDSA are prepared; other algorithms answer nil here.
    static func isPrepared(_ algorithm: SignatureAlgorithm) -> Bool { algorithm == .rs256 || algorithm == .edDSA }

    /// A fresh context ready for `EVP_DigestSign` with `pkey` and `algorithm`, copied from the template (prepared
    /// on the first call), or nil when it cannot be prepared: the caller then initialises its own. The caller frees it.
    func context(pkey: OpaquePointer, algorithm: SignatureAlgorithm) -> OpaquePointer? {
        guard Self.isPrepared(algorithm), let out = EVP_MD_CTX_new() else { return nil }
        let copied = template.withLock { prepared -> Bool in
            if prepared.context == nil && !prepared.failed {
                prepared.context = Self.prepare(pkey: pkey, algorithm: algorithm)
                prepared.failed = prepared.context == nil
            }
            guard let context = prepared.context else { return false }
            return EVP_MD_CTX_copy_ex(out, context.pointer) == 1
        }
        guard copied else {
            EVP_MD_CTX_free(out)
            ERR_clear_error()
            return nil
        }
        return out
    }

    private static func prepare(pkey: OpaquePointer, algorithm: SignatureAlgorithm) -> Context? {
        let md: OpaquePointer? = algorithm == .edDSA ? nil : sha256
        if algorithm == .rs256 && md == nil { return nil }
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        guard EVP_DigestSignInit(ctx, nil, md, nil, pkey) == 1 else {
            EVP_MD_CTX_free(ctx)
            ERR_clear_error()
            return nil
        }
        return Context(pointer: ctx)
    }
}
