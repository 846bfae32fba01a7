#ifndef INSIGNE_CRYPTO_SHIM_H
#define INSIGNE_CRYPTO_SHIM_H
// Wrappers used by OpenBadgesCrypto.
#endif
