// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D) with 96-bit nonces and 128-bit tags.
public enum AES256GCM {
    /// The required key length in bytes (256 bits).
    static let keyCount = 32

    /// The nonce length in bytes (96 bits).
    public static let nonceCount = 12

    /// The authentication tag length in bytes (128 bits).
    public static let tagCount = 16

    /// The output of `seal`: nonce, ciphertext and tag. None of these is secret.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce the box was sealed with.
        public let nonce: [UInt8]
        /// The encrypted bytes, as long as the plaintext.
        public let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// Creates a box from its parts, checking the nonce (`.invalidNonceSize`) and tag (`.invalidInput`) lengths.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws(CryptoError) {
            guard nonce.count == AES256GCM.nonceCount else {
                throw CryptoError(.invalidNonceSize, "an AES-256-GCM nonce must be 12 bytes long")
            }
            guard tag.count == AES256GCM.tagCount else {
                throw CryptoError(.invalidInput, "an AES-256-GCM tag must be 16 bytes long")
            }
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// The wire form `nonce ‖ ciphertext ‖ tag`.
        public var combined: [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(nonce.count + ciphertext.count + tag.count)
            bytes += nonce
            bytes += ciphertext
            bytes += tag
            return bytes
        }

        /// Splits the wire form `nonce ‖ ciphertext ‖ tag`; throws `.invalidInput` if shorter than 28 bytes.
        public init(combined: [UInt8]) throws(CryptoError) {
            guard combined.count >= AES256GCM.nonceCount + AES256GCM.tagCount else {
                throw CryptoError(.invalidInput, "a combined AES-256-GCM box must be at least 28 bytes long")
            }
            let tagStart = combined.count - AES256GCM.tagCount
            try self.init(
                nonce: Array(combined[..<AES256GCM.nonceCount]),
                ciphertext: Array(combined[AES256GCM.nonceCount..<tagStart]),
                tag: Array(combined[tagStart...]))
        }
    }

    /// Encrypts `plaintext` under `key` (exactly 32 bytes, else `.invalidKeySize`), authenticating it together
    /// with `associatedData`.
    ///
    /// Pass `nonce` (12 bytes, else `.invalidNonceSize`) only for known-answer tests or a nonce scheme that
    /// guarantees uniqueness: reusing a nonce with the same key destroys GCM's security. When `nil`, 12 random
    /// bytes are drawn. The corresponding OpenSSL functions are `EVP_CipherInit_ex2`, `EVP_CipherUpdate`,
    /// `EVP_CipherFinal_ex` and `EVP_CIPHER_CTX_ctrl` (`EVP_CTRL_AEAD_GET_TAG`).
    public static func seal(
        _ plaintext: [UInt8],
        key: SymmetricKey,
        authenticating associatedData: [UInt8] = [],
        nonce: [UInt8]? = nil
    ) throws(CryptoError) -> SealedBox {
        guard key.byteCount == keyCount else {
            throw CryptoError(.invalidKeySize, "an AES-256-GCM key must be 32 bytes long")
        }
        let nonce = if let nonce { nonce } else { try SecureRandom.bytes(count: nonceCount) }
        guard nonce.count == nonceCount else {
            throw CryptoError(.invalidNonceSize, "an AES-256-GCM nonce must be 12 bytes long")
        }

        let context = try CipherContext(encrypting: true, key: key, nonce: nonce)
        defer { context.free() }
        try context.authenticate(associatedData)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        try context.transform(plaintext, into: &ciphertext)
        guard context.finish() else {
            throw CryptoError.fromOpenSSL(.openSSLFailure, "EVP_CipherFinal_ex failed while sealing")
        }
        var tag = [UInt8](repeating: 0, count: tagCount)
        try context.getTag(into: &tag)
        return try SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Verifies and decrypts `box` under `key` (exactly 32 bytes, else `.invalidKeySize`) and `associatedData`.
    ///
    /// If anything was altered, or the key or associated data differ, throws `.authenticationFailed` and
    /// returns no plaintext: any partially decrypted bytes are zeroized before the error is thrown.
    /// The corresponding OpenSSL functions are `EVP_CipherInit_ex2`, `EVP_CipherUpdate`,
    /// `EVP_CIPHER_CTX_ctrl` (`EVP_CTRL_AEAD_SET_TAG`) and `EVP_CipherFinal_ex`.
    public static func open(
        _ box: SealedBox,
        key: SymmetricKey,
        authenticating associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        guard key.byteCount == keyCount else {
            throw CryptoError(.invalidKeySize, "an AES-256-GCM key must be 32 bytes long")
        }
        let context = try CipherContext(encrypting: false, key: key, nonce: box.nonce)
        defer { context.free() }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        do throws(CryptoError) {
            try context.authenticate(associatedData)
            try context.transform(box.ciphertext, into: &plaintext)
            try context.setTag(box.tag)
            guard context.finish() else {
                ERR_clear_error()
                throw CryptoError(.authenticationFailed, "AES-256-GCM authentication failed")
            }
        } catch {
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw error
        }
        return plaintext
    }
}

/// One AES-256-GCM operation's `EVP_CIPHER_CTX`; the owner must call `free()` (in a `defer`).
private struct CipherContext {
    let pointer: OpaquePointer

    init(encrypting: Bool, key: SymmetricKey, nonce: [UInt8]) throws(CryptoError) {
        guard let pointer = EVP_CIPHER_CTX_new() else {
            throw CryptoError.fromOpenSSL(.openSSLFailure, "EVP_CIPHER_CTX_new failed")
        }
        let initialized = key.withUnsafeBytes { keyBytes in
            nonce.withUnsafeBufferPointer { nonceBytes in
                EVP_CipherInit_ex2(
                    pointer, OpenSSLCalls.aes256GCM.pointer,
                    keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonceBytes.baseAddress,
                    encrypting ? 1 : 0, nil)
            }
        }
        guard initialized == 1 else {
            EVP_CIPHER_CTX_free(pointer)
            throw CryptoError.fromOpenSSL(.openSSLFailure, "EVP_CipherInit_ex2 (AES-256-GCM) failed")
        }
        self.pointer = pointer
    }

    func free() {
        EVP_CIPHER_CTX_free(pointer)
    }

    /// Feeds additional authenticated data.
    func authenticate(_ associatedData: [UInt8]) throws(CryptoError) {
        let succeeded = associatedData.withUnsafeBufferPointer { input in
            var offset = 0
            while offset < input.count {
                let chunk = min(input.count - offset, OpenSSLCalls.maximumChunk)
                var written: Int32 = 0
                guard EVP_CipherUpdate(pointer, nil, &written, input.baseAddress! + offset, Int32(chunk)) == 1 else {
                    return false
                }
                offset += chunk
            }
            return true
        }
        guard succeeded else {
            throw CryptoError.fromOpenSSL(.openSSLFailure, "EVP_CipherUpdate failed on associated data")
        }
    }

    /// Encrypts or decrypts `input` into `output`, which has the same length (GCM is a stream mode).
    func transform(_ input: [UInt8], into output: inout [UInt8]) throws(CryptoError) {
        let succeeded = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                var offset = 0
                while offset < source.count {
                    let chunk = min(source.count - offset, OpenSSLCalls.maximumChunk)
                    var written: Int32 = 0
                    guard EVP_CipherUpdate(
                        pointer, destination.baseAddress! + offset, &written, source.baseAddress! + offset,
                        Int32(chunk)) == 1, written == chunk
                    else { return false }
                    offset += chunk
                }
                return true
            }
        }
        guard succeeded else { throw CryptoError.fromOpenSSL(.openSSLFailure, "EVP_CipherUpdate failed") }
    }

    /// Finishes the operation; when decrypting, this is where the tag is verified. GCM emits no final bytes.
    func finish() -> Bool {
        var scratch = [UInt8](repeating: 0, count: 16)
        var written: Int32 = 0
        let status = scratch.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(pointer, $0.baseAddress, &written) }
        return status == 1 && written == 0
    }

    func getTag(into tag: inout [UInt8]) throws(CryptoError) {
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_GET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else { throw CryptoError.fromOpenSSL(.openSSLFailure, "reading the GCM tag failed") }
    }

    func setTag(_ tag: [UInt8]) throws(CryptoError) {
        var copy = tag  // EVP_CIPHER_CTX_ctrl takes a non-const pointer
        let status = copy.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(pointer, EVP_CTRL_AEAD_SET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else { throw CryptoError.fromOpenSSL(.openSSLFailure, "setting the GCM tag failed") }
    }
}
