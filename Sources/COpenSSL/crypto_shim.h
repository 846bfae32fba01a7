#ifndef INSIGNE_CRYPTO_SHIM_H
#define INSIGNE_CRYPTO_SHIM_H
// Wrappers used by OpenBadgesCrypto: OpenSSL macros and variadic functions that Swift cannot
// import directly, plus a non-interactive PEM passphrase callback.
#include <string.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/// OPENSSL_free is a macro.
static inline void insigne_openssl_free(void *ptr) {
    OPENSSL_free(ptr);
}

/// BIO_get_mem_data is a macro over BIO_ctrl.
static inline long insigne_bio_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// EVP_PKEY_Q_keygen is variadic: RSA takes a size_t bit count.
static inline EVP_PKEY *insigne_keygen_rsa(size_t bits) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);
}

/// EVP_PKEY_Q_keygen is variadic: EC takes a curve name.
static inline EVP_PKEY *insigne_keygen_ec(const char *curve) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

/// EVP_PKEY_Q_keygen is variadic: Ed25519 takes no extra argument.
static inline EVP_PKEY *insigne_keygen_ed25519(void) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
}

/// Passphrase context handed to the PEM callback; `called` records whether OpenSSL asked for a
/// passphrase (i.e. the PEM was encrypted).
typedef struct {
    const char *passphrase; // may be NULL
    int length;
    int called;
} insigne_passphrase_ctx;

/// PEM password callback that never touches the terminal: it returns the explicit passphrase,
/// or fails when none was given.
static inline int insigne_passphrase_cb(char *buf, int size, int rwflag, void *userdata) {
    (void)rwflag;
    insigne_passphrase_ctx *ctx = (insigne_passphrase_ctx *)userdata;
    if (ctx == NULL) return -1;
    ctx->called = 1;
    if (ctx->passphrase == NULL || ctx->length <= 0 || ctx->length > size) return -1;
    memcpy(buf, ctx->passphrase, (size_t)ctx->length);
    return ctx->length;
}

/// Reads any private key PEM (PKCS#8, encrypted PKCS#8, traditional RSA/EC) without prompting.
static inline EVP_PKEY *insigne_read_private_key_pem(BIO *bio, insigne_passphrase_ctx *ctx) {
    return PEM_read_bio_PrivateKey_ex(bio, NULL, insigne_passphrase_cb, ctx, NULL, NULL);
}

/// Decodes a public key PEM (SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY") via OSSL_DECODER.
static inline EVP_PKEY *insigne_decode_public_key_pem(const unsigned char *data, size_t length) {
    EVP_PKEY *pkey = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
        &pkey, "PEM", NULL, NULL, EVP_PKEY_PUBLIC_KEY, NULL, NULL);
    if (dctx == NULL) return NULL;
    const unsigned char *p = data;
    size_t remaining = length;
    if (!OSSL_DECODER_from_data(dctx, &p, &remaining)) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    OSSL_DECODER_CTX_free(dctx);
    return pkey;
}

/// Writes a private key as PKCS#8 PEM; encrypted with AES-256-CBC (PBES2) when a passphrase is
/// given, unencrypted otherwise. Never calls a password callback.
static inline int insigne_write_pkcs8_pem(BIO *bio, EVP_PKEY *pkey, const char *passphrase, int length) {
    if (passphrase != NULL && length > 0) {
        return PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_256_cbc(), (const char *)passphrase,
                                             length, NULL, NULL);
    }
    return PEM_write_bio_PKCS8PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
}

#endif
