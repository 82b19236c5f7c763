// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// SHA-256 (FIPS 180-4) one-shot hashing.
///
/// Built for hot paths: one `EVP_Digest` call with a SHA-256 implementation fetched once per process, and no
/// Swift heap allocation besides the returned array.
public enum SHA256 {
    /// The length of a SHA-256 digest in bytes (32).
    public static let digestCount = 32

    /// Returns the SHA-256 digest of `bytes`.
    ///
    /// Traps only if OpenSSL itself fails (memory exhaustion or a broken installation).
    /// The corresponding OpenSSL function is `EVP_Digest`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestCount) { digest, initializedCount in
            var length: CUnsignedInt = 0
            let status = EVP_Digest(
                bytes.baseAddress, bytes.count, digest.baseAddress, &length, OpenSSLCalls.sha256.pointer, nil)
            guard status == 1, length == digestCount else {
                fatalError("CosmoliteCrypto: EVP_Digest (SHA-256) failed")
            }
            initializedCount = digestCount
        }
    }

    /// Returns the SHA-256 digest of `bytes`.
    /// The corresponding OpenSSL function is `EVP_Digest`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Returns the SHA-256 digest of the UTF-8 encoding of `string`.
    /// The corresponding OpenSSL function is `EVP_Digest`.
    public static func hash(_ string: String) -> [UInt8] {
        if let digest = string.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        var contiguous = string  // bridged or non-contiguous strings are made contiguous on this copy
        return contiguous.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }
}
