#ifndef INSIGNE_TLS_SHIM_H
#define INSIGNE_TLS_SHIM_H
// Wrappers used by OpenBadgesHTTP: OpenSSL macros that Swift cannot import.
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/err.h>

/// A TLS client context: TLS 1.2+, peer verification against `ca_file` (PEM bundle) or, when
/// NULL, the system default verify paths. Returns NULL on failure (see the OpenSSL error queue).
static inline SSL_CTX *insigne_tls_client_ctx_new(const char *ca_file) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) return NULL;
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) goto fail;
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
                                 | SSL_OP_IGNORE_UNEXPECTED_EOF
#endif
    );
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (ca_file != NULL) {
        if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) goto fail;
    } else {
        if (SSL_CTX_set_default_verify_paths(ctx) != 1) goto fail;
    }
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

/// Sends `name` as SNI (SSL_set_tlsext_host_name is a macro).
static inline int insigne_tls_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// Requires the peer certificate to match DNS name `host` (no partial wildcards).
static inline int insigne_tls_expect_host(SSL *ssl, const char *host) {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host);
}

/// Requires the peer certificate to carry IP address `ip` (text form) in subjectAltName.
static inline int insigne_tls_expect_ip(SSL *ssl, const char *ip) {
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    if (param == NULL) return 0;
    return X509_VERIFY_PARAM_set1_ip_asc(param, ip);
}

/// The last OpenSSL error as text ("" when the queue is empty); clears the queue.
static inline void insigne_tls_last_error(char *buffer, size_t size) {
    unsigned long code = ERR_peek_last_error();
    if (size == 0) return;
    buffer[0] = 0;
    if (code != 0) ERR_error_string_n(code, buffer, size);
    ERR_clear_error();
}

#endif
