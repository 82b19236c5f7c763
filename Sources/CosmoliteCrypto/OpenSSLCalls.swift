// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// An OpenSSL algorithm object fetched once per process and never freed.
///
/// Sendable invariant: fetched `EVP_MD`, `EVP_MAC` and `EVP_CIPHER` objects are immutable and documented by
/// OpenSSL as safe to use from many threads at once; we only ever pass the pointer to OpenSSL.
struct FetchedAlgorithm: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// The OpenSSL algorithms and parameters CosmoliteCrypto uses, each fetched lazily and exactly once.
///
/// Explicit fetching (`EVP_*_fetch`) avoids OpenSSL 3's implicit by-name lookup on every call, which is
/// what passing the legacy `EVP_sha256()` object to `EVP_Digest` would do.
enum OpenSSLCalls {
    /// SHA-256, for `EVP_Digest`.
    static let sha256: FetchedAlgorithm = {
        guard let md = EVP_MD_fetch(nil, "SHA2-256", nil) ?? EVP_sha256() else {
            fatalError("CosmoliteCrypto: OpenSSL provides no SHA2-256 digest")
        }
        return FetchedAlgorithm(pointer: md)
    }()

    /// HMAC, for `EVP_MAC_*`.
    static let hmac: FetchedAlgorithm = {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            fatalError("CosmoliteCrypto: OpenSSL provides no HMAC")
        }
        return FetchedAlgorithm(pointer: mac)
    }()

    /// AES-256-GCM, for `EVP_Cipher*`.
    static let aes256GCM: FetchedAlgorithm = {
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) ?? EVP_aes_256_gcm() else {
            fatalError("CosmoliteCrypto: OpenSSL provides no AES-256-GCM cipher")
        }
        return FetchedAlgorithm(pointer: cipher)
    }()

    /// The `OSSL_PARAM` list `{ digest = "SHA2-256" }` selecting SHA-256 for HMAC.
    static let hmacSHA256Parameters = ParameterList(utf8Strings: [("digest", "SHA2-256")])

    /// The largest length passed to one OpenSSL call whose length parameter is a C `int`.
    static let maximumChunk = 1 << 30
}

/// An immutable, permanently allocated `OSSL_PARAM` array (with its strings), terminated by the end marker.
///
/// Sendable invariant: written once in `init`, never mutated or freed afterwards; OpenSSL only reads it.
struct ParameterList: @unchecked Sendable {
    let pointer: UnsafePointer<OSSL_PARAM>

    init(utf8Strings pairs: [(key: String, value: String)]) {
        let params = UnsafeMutablePointer<OSSL_PARAM>.allocate(capacity: pairs.count + 1)
        for (index, pair) in pairs.enumerated() {
            params[index] = OSSL_PARAM_construct_utf8_string(
                Self.permanentCString(pair.key), Self.permanentCString(pair.value), 0)
        }
        params[pairs.count] = OSSL_PARAM_construct_end()
        pointer = UnsafePointer(params)
    }

    private static func permanentCString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let bytes = string.utf8CString
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: bytes.count) }
        return copy
    }
}
