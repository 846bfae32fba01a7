import COpenSSLSetup

/// How OpenSSL was set up when the program was loaded (`COpenSSLSetup`).
public enum OpenSSLSetup {
    /// True when OpenSSL was told, before any other use, not to free its state in an atexit handler: a thread still
    /// hashing, signing or drawing random bytes while the process exits would otherwise crash on a freed lock.
    public static var exitCleanupDisabled: Bool { insigne_openssl_exit_cleanup_disabled() == 1 }
}
