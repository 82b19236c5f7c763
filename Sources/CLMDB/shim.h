// SPDX-License-Identifier: Apache-2.0
// The system LMDB (Debian liblmdb-dev, 0.9.24), imported only by CosmoliteLMDB.
#ifndef COSMOLITE_CLMDB_SHIM_H
#define COSMOLITE_CLMDB_SHIM_H
#include <lmdb.h>
#endif
