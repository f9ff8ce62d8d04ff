// swift-ignite: the C shim over system SQLite 3 (Debian/Ubuntu: libsqlite3-dev; found through pkg-config "sqlite3").
//
// Only the test node uses it, to execute SQL (Tests/IgniteTestNode/SQL). Swift imports SQLite's functions directly;
// this header adds what Swift cannot import: SQLITE_TRANSIENT, a function-like cast macro.
#ifndef CIGNITE_SQLITE_H
#define CIGNITE_SQLITE_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT: SQLite copies a bound text or blob before the bind call returns.
static inline sqlite3_destructor_type cignite_sqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
