// SPDX-License-Identifier: Apache-2.0

import COpenSSL

/// Comparisons whose running time does not depend on the contents being compared.
public enum ConstantTime {
    /// Returns whether `a` and `b` hold the same bytes. The time taken depends only on the lengths; arrays of
    /// different lengths compare unequal immediately (lengths are not treated as secret).
    /// The corresponding OpenSSL function is `CRYPTO_memcmp`.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { lhs in
            b.withUnsafeBytes { rhs in CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0 }
        }
    }
}
