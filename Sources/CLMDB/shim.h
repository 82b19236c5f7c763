// SPDX-License-Identifier: Apache-2.0
// The system LMDB (Debian liblmdb-dev, 0.9.24), imported only by CosmoliteLMDB.
#ifndef COSMOLITE_CLMDB_SHIM_H
#define COSMOLITE_CLMDB_SHIM_H
#include <lmdb.h>
#include <stddef.h>

/// Asks the CPU to start loading `count` bytes at `address` into the cache (read, high locality), one hint per
/// 64-byte line, without waiting: a value LMDB just returned can arrive while the caller does other work.
static inline void cosmolite_prefetch(const void *address, size_t count) {
    const char *p = (const char *)address;
    for (size_t offset = 0; offset < count; offset += 64) {
        __builtin_prefetch(p + offset, 0, 3);
    }
}
#endif
