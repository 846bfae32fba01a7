#ifndef INSIGNE_TLS_SHIM_H
#define INSIGNE_TLS_SHIM_H
// Wrappers used by OpenBadgesHTTP.
#endif
