#ifndef INSIGNE_OPENSSL_SETUP_H
#define INSIGNE_OPENSSL_SETUP_H

/// 1 when OpenSSL was told, before any other use, not to free its library state in an atexit handler; 0 otherwise.
int insigne_openssl_exit_cleanup_disabled(void);

#endif
