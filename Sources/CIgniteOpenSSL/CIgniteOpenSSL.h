// swift-ignite: the C shim over system OpenSSL 3 (Debian/Ubuntu: libssl-dev; found through pkg-config "openssl").
//
// Swift imports OpenSSL's functions directly. This header only adds small, prefixed wrappers for what Swift
// cannot import: function-like macros (SSL_CTX_set_min_proto_version, SSL_set_tlsext_host_name, ...) and option
// bits built from macros (SSL_OP_BIT). Nothing here is public API of swift-ignite: IgniteTLS imports this module
// `internal`, so no OpenSSL type appears in its interface.
#ifndef CIGNITE_OPENSSL_H
#define CIGNITE_OPENSSL_H

#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#error "swift-ignite's TLS transport needs OpenSSL 3 (libssl-dev 3.x)"
#endif

// MARK: Context settings (macros over SSL_CTX_ctrl)

static inline int cignite_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int cignite_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long cignite_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

/// Adds `cert` to the context's own chain (the reference count is incremented; the caller keeps its reference).
static inline int cignite_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add1_chain_cert(ctx, cert);
}

// MARK: Option bits (built with SSL_OP_BIT, which Swift cannot import)

static inline uint64_t cignite_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t cignite_SSL_OP_IGNORE_UNEXPECTED_EOF(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }
static inline uint64_t cignite_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }

// MARK: Connection settings

/// Sends `name` as the SNI server name.
static inline int cignite_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// MARK: Memory BIOs

/// What BIO_read returns on an empty memory BIO: -1 means "retry" (more may come), 0 means end of stream.
static inline long cignite_BIO_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}

// MARK: Errors

/// The reason part of a packed OpenSSL error code.
static inline int cignite_ERR_GET_REASON(unsigned long code) {
    return ERR_GET_REASON(code);
}

#endif
