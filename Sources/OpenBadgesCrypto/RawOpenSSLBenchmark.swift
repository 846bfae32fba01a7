import COpenSSL

/// Baseline for the benchmark: tight loops straight over EVP calls, no Swift-level wrappers or allocations per iteration beyond what OpenSSL needs.
public enum RawOpenSSLBenchmark {
    /// RS256 signatures per second over raw EVP_DigestSign for about `duration` seconds (0 if the key is not RSA or signing fails).
    public static func rs256SignsPerSecond(key: PrivateKey, message: [UInt8], duration: Double) -> Double {
        guard case .rsa = key.algorithm else { return 0 }
        let pkey = key.backing.pointer
        let capacity = Int(EVP_PKEY_get_size(pkey))
        var signature = [UInt8](repeating: 0, count: capacity)
        return message.withUnsafeBufferPointer { messageBuffer in
            signature.withUnsafeMutableBufferPointer { signatureBuffer in
                timedLoop(duration: duration) {
                    guard let ctx = EVP_MD_CTX_new() else { return false }
                    var length = capacity
                    let ok =
                        EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1
                        && EVP_DigestSign(
                            ctx, signatureBuffer.baseAddress, &length,
                            messageBuffer.baseAddress, messageBuffer.count) == 1
                    EVP_MD_CTX_free(ctx)
                    return ok
                }
            }
        }
    }

    /// RS256 verifications per second over raw EVP_DigestVerify for about `duration` seconds (0 if the key is not RSA or a verification fails).
    public static func rs256VerifiesPerSecond(key: PublicKey, signature: [UInt8], message: [UInt8], duration: Double)
        -> Double
    {
        guard case .rsa = key.algorithm else { return 0 }
        let pkey = key.backing.pointer
        return message.withUnsafeBufferPointer { messageBuffer in
            signature.withUnsafeBufferPointer { signatureBuffer in
                timedLoop(duration: duration) {
                    guard let ctx = EVP_MD_CTX_new() else { return false }
                    let ok =
                        EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, pkey) == 1
                        && EVP_DigestVerify(
                            ctx, signatureBuffer.baseAddress, signatureBuffer.count,
                            messageBuffer.baseAddress, messageBuffer.count) == 1
                    EVP_MD_CTX_free(ctx)
                    return ok
                }
            }
        }
    }

    /// Ed25519 verifications per second over raw EVP_DigestVerify (one-shot, no digest) for about `duration`
    /// seconds (0 if the key is not Ed25519 or a verification fails).
    public static func ed25519VerifiesPerSecond(
        key: PublicKey, signature: [UInt8], message: [UInt8], duration: Double
    ) -> Double {
        guard case .ed25519 = key.algorithm else { return 0 }
        let pkey = key.backing.pointer
        return message.withUnsafeBufferPointer { messageBuffer in
            signature.withUnsafeBufferPointer { signatureBuffer in
                timedLoop(duration: duration) {
                    guard let ctx = EVP_MD_CTX_new() else { return false }
                    let ok =
                        EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1
                        && EVP_DigestVerify(
                            ctx, signatureBuffer.baseAddress, signatureBuffer.count,
                            messageBuffer.baseAddress, messageBuffer.count) == 1
                    EVP_MD_CTX_free(ctx)
                    return ok
                }
            }
        }
    }

    /// Runs `operation` until `duration` seconds have elapsed; returns operations per second, or 0 on the first failure.
    private static func timedLoop(duration: Double, _ operation: () -> Bool) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let limit = Duration.nanoseconds(Int64(max(duration, 0) * 1e9))
        var count = 0
        var elapsed = Duration.zero
        repeat {
            guard operation() else {
                ERR_clear_error()
                return 0
            }
            count += 1
            elapsed = clock.now - start
        } while elapsed < limit
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return seconds > 0 ? Double(count) / seconds : 0
    }
}
