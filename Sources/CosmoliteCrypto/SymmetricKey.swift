// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// A secret key for HMAC-SHA256 or AES-256-GCM.
///
/// The bytes live in one private allocation that is zeroized with `OPENSSL_cleanse` when the last copy of the
/// key goes away. They never appear in `description`, `debugDescription`, `dump` or any error message.
/// (The array passed to `init(bytes:)` belongs to the caller, who should not keep it longer than needed.)
public struct SymmetricKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The shortest key accepted, in bytes (128 bits).
    static let minimumByteCount = 16

    private let storage: Storage

    /// Creates a key from `bytes`, which must be at least 16 bytes long (else `.invalidKeySize`).
    /// HMAC-SHA256 accepts any such length; AES-256-GCM requires exactly 32 bytes and checks when used.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count >= Self.minimumByteCount else {
            throw CryptoError(.invalidKeySize, "a key must be at least 16 bytes long")
        }
        storage = bytes.withUnsafeBytes { Storage(copying: $0) }
    }

    /// Returns a new key of `byteCount` cryptographically secure random bytes (at least 16, else
    /// `.invalidKeySize`). The corresponding OpenSSL function is `RAND_bytes`.
    public static func random(byteCount: Int = 32) throws(CryptoError) -> SymmetricKey {
        guard byteCount >= minimumByteCount else {
            throw CryptoError(.invalidKeySize, "a key must be at least 16 bytes long")
        }
        let storage = Storage(byteCount: byteCount)
        var offset = 0
        while offset < byteCount {
            let chunk = min(byteCount - offset, OpenSSLCalls.maximumChunk)
            let address = storage.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset
            guard RAND_bytes(address, Int32(chunk)) == 1 else {
                throw CryptoError.fromOpenSSL(.randomFailure, "RAND_bytes failed while generating a key")
            }
            offset += chunk
        }
        return SymmetricKey(storage: storage)
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    /// The length of the key in bytes.
    public var byteCount: Int { storage.bytes.count }

    /// Calls `body` with the key bytes. The buffer is valid only during the call; do not copy it out.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeRawBufferPointer(storage.bytes)) }
    }

    /// `SymmetricKey(<bits> bits, redacted)`: the length only, never the bytes.
    public var description: String { "SymmetricKey(\(byteCount * 8) bits, redacted)" }

    /// Same as `description`: the length only, never the bytes.
    public var debugDescription: String { description }

    /// A mirror exposing only the length, so `dump` and reflection never reach the key bytes.
    public var customMirror: Mirror {
        Mirror(self, children: ["bits": byteCount * 8], displayStyle: .struct)
    }

    /// The key bytes, owned by one private allocation.
    ///
    /// Sendable invariant: the bytes are written only while the storage is being created (before it is shared)
    /// and are never mutated afterwards until `deinit`, which runs when no other reference exists.
    private final class Storage: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer

        init(byteCount: Int) {
            bytes = .allocate(byteCount: byteCount, alignment: 16)
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
        }

        convenience init(copying source: UnsafeRawBufferPointer) {
            self.init(byteCount: source.count)
            bytes.copyMemory(from: source)
        }

        deinit {
            OPENSSL_cleanse(bytes.baseAddress, bytes.count)
            bytes.deallocate()
        }
    }
}
