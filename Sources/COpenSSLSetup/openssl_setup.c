#include <openssl/crypto.h>

#include "openssl_setup.h"

// OpenSSL 3 frees its library state (method stores, the random generator, their locks) in an atexit handler. A
// thread still in OpenSSL when the process exits (a password being hashed on the hashing pool, a background task
// drawing a random status-list index) then locks a freed lock and the process crashes on its way out: the unit-test
// runs that failed in CI (SIGSEGV in pthread_rwlock_*lock from CRYPTO_THREAD_*_lock after the last test had passed).
// Asked before any other OpenSSL call — a constructor runs when the program is loaded — OpenSSL registers no such
// handler; the system takes the process's memory back at exit anyway.
static int disabled = 0;

__attribute__((constructor)) static void insigne_openssl_setup(void) {
    disabled = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL) == 1;
}

int insigne_openssl_exit_cleanup_disabled(void) { return disabled; }
