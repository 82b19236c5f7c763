// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's default DRBG.
public enum SecureRandom {
    /// Returns `count` cryptographically secure random bytes.
    ///
    /// Throws `.invalidInput` for a negative `count` and `.randomFailure` if the generator fails.
    /// The corresponding OpenSSL function is `RAND_bytes`.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0 else { throw CryptoError(.invalidInput, "random byte count must not be negative") }
        var bytes = [UInt8](repeating: 0, count: count)
        let succeeded = bytes.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, OpenSSLCalls.maximumChunk)
                guard RAND_bytes(buffer.baseAddress! + offset, Int32(chunk)) == 1 else { return false }
                offset += chunk
            }
            return true
        }
        guard succeeded else { throw CryptoError.fromOpenSSL(.randomFailure, "RAND_bytes failed") }
        return bytes
    }
}
