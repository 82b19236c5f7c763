// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// Comparisons whose running time does not depend on the contents being compared.
public enum ConstantTime {
    /// Returns whether `a` and `b` hold the same bytes. The time taken depends only on the lengths; arrays of
    /// different lengths compare unequal immediately (lengths are not treated as secret).
    /// The corresponding OpenSSL function is `CRYPTO_memcmp`.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { lhs in b.withUnsafeBytes { rhs in equals(lhs, rhs) } }
    }

    /// Returns whether the buffers `a` and `b` hold the same bytes, with the same timing guarantee as the array form.
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let lhs = a.baseAddress, let rhs = b.baseAddress, a.count > 0 else { return true }
        return CRYPTO_memcmp(lhs, rhs, a.count) == 0
    }
}
