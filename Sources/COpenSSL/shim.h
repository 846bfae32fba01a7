#ifndef INSIGNE_COPENSSL_SHIM_H
#define INSIGNE_COPENSSL_SHIM_H
// Umbrella header for system OpenSSL 3. Macros and variadic functions that Swift cannot
// import are wrapped as static inline functions in the two headers below.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto_shim.h"   // keys, signatures, digests (OpenBadgesCrypto)
#include "tls_shim.h"      // TLS client helpers (OpenBadgesHTTP)

#endif
