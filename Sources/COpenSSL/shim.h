// SPDX-License-Identifier: Apache-2.0
// The system OpenSSL (Debian libssl-dev, 3.x), imported only by CosmoliteCrypto.
#ifndef COSMOLITE_COPENSSL_SHIM_H
#define COSMOLITE_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#endif
