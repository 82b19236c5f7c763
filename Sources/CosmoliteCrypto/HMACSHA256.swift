// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) message authentication codes.
public enum HMACSHA256 {
    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`.
    ///
    /// Traps only if OpenSSL itself fails (memory exhaustion or a broken installation).
    /// The corresponding OpenSSL functions are `EVP_MAC_init`, `EVP_MAC_update` and `EVP_MAC_final`.
    public static func authenticationCode(for message: UnsafeRawBufferPointer, key: SymmetricKey) -> [UInt8] {
        key.withUnsafeBytes { authenticationCode(for: message, keyBytes: $0) }
    }

    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`.
    /// The corresponding OpenSSL functions are `EVP_MAC_init`, `EVP_MAC_update` and `EVP_MAC_final`.
    public static func authenticationCode(for message: [UInt8], key: SymmetricKey) -> [UInt8] {
        message.withUnsafeBytes { authenticationCode(for: $0, key: key) }
    }

    /// Returns whether `code` is the HMAC-SHA256 of `message` under `key`, comparing in constant time.
    /// Returns `false` when `code` is not 32 bytes long.
    /// The corresponding OpenSSL function is `CRYPTO_memcmp`.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: SymmetricKey) -> Bool {
        guard code.count == SHA256.digestCount else { return false }
        return ConstantTime.equals(authenticationCode(for: message, key: key), code)
    }

    /// The HMAC over raw key bytes of any length. Internal: the public API only accepts `SymmetricKey`s
    /// (at least 16 bytes), while RFC 4231 test case 2 needs a 4-byte key.
    static func authenticationCode(for message: UnsafeRawBufferPointer, keyBytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard let context = EVP_MAC_CTX_new(OpenSSLCalls.hmac.pointer) else {
            fatalError("CosmoliteCrypto: EVP_MAC_CTX_new failed")
        }
        defer { EVP_MAC_CTX_free(context) }
        setKey(context, keyBytes)
        return finish(context, message: message)
    }

    /// Keys `context` for HMAC-SHA256 with `keyBytes`.
    static func setKey(_ context: OpaquePointer, _ keyBytes: UnsafeRawBufferPointer) {
        // A zero-length key still needs a non-null pointer for OpenSSL's HMAC provider.
        var emptyKey: UInt8 = 0
        let initialized = withUnsafePointer(to: &emptyKey) { emptyKeyPointer in
            EVP_MAC_init(
                context,
                keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyKeyPointer,
                keyBytes.count,
                OpenSSLCalls.hmacSHA256Parameters.pointer)
        }
        guard initialized == 1 else { fatalError("CosmoliteCrypto: EVP_MAC_init (HMAC-SHA256) failed") }
    }

    /// Authenticates `message` with a keyed, freshly (re)initialized `context` and returns the 32-byte code.
    static func finish(_ context: OpaquePointer, message: UnsafeRawBufferPointer) -> [UInt8] {
        if let base = message.baseAddress, message.count > 0 {
            guard EVP_MAC_update(context, base.assumingMemoryBound(to: UInt8.self), message.count) == 1 else {
                fatalError("CosmoliteCrypto: EVP_MAC_update (HMAC-SHA256) failed")
            }
        }

        return [UInt8](unsafeUninitializedCapacity: SHA256.digestCount) { code, initializedCount in
            var length = 0
            guard EVP_MAC_final(context, code.baseAddress, &length, SHA256.digestCount) == 1,
                length == SHA256.digestCount
            else {
                fatalError("CosmoliteCrypto: EVP_MAC_final (HMAC-SHA256) failed")
            }
            initializedCount = SHA256.digestCount
        }
    }
}
