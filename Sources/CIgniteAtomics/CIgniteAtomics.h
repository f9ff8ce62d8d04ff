// C11 atomics on a 64-bit word, for state that the blocking transports check on every call without a lock.
// (Swift's own `Atomic` needs macOS 15; the package supports macOS 13.) Header only: the functions are inlined.
#ifndef CIGNITE_ATOMICS_H
#define CIGNITE_ATOMICS_H
#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>

/// Adds `delta` and returns the value before (sequentially consistent).
static inline int64_t cignite_atomic_fetch_add(int64_t *word, int64_t delta) {
    return atomic_fetch_add((_Atomic int64_t *)word, delta);
}

/// Sets the bits of `mask` and returns the value before.
static inline int64_t cignite_atomic_fetch_or(int64_t *word, int64_t mask) {
    return atomic_fetch_or((_Atomic int64_t *)word, mask);
}

/// Replaces `expected` by `desired` if the word holds `expected`; whether it did.
static inline bool cignite_atomic_compare_exchange(int64_t *word, int64_t expected, int64_t desired) {
    return atomic_compare_exchange_strong((_Atomic int64_t *)word, &expected, desired);
}

/// The current value.
static inline int64_t cignite_atomic_load(int64_t *word) {
    return atomic_load((_Atomic int64_t *)word);
}
#endif
