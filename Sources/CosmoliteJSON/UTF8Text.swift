// SPDX-License-Identifier: Apache-2.0

// MARK: - UTF8Text

/// Byte-exact string operations.
///
/// Swift's `String` equality and hashing use Unicode canonical equivalence, so `"\u{E9}"` equals
/// `"e\u{301}"`. JSON documents (like JavaScript and Cosmos DB) treat those as different strings, so
/// every comparison in this module goes through these helpers, which look at UTF-8 bytes only.
enum UTF8Text {
    /// Returns whether two strings have identical UTF-8 bytes.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        return withBytes(a) { pa in
            withBytes(b) { pb in
                count == 0 || memoryEqual(pa.baseAddress!, pb.baseAddress!, count)
            }
        }
    }

    /// Three-way comparison of the UTF-8 bytes of two strings (negative, zero or positive).
    static func compare(_ a: String, _ b: String) -> Int {
        withBytes(a) { pa in withBytes(b) { pb in compare(pa, pb) } }
    }

    /// Three-way lexicographic comparison of two byte buffers, shorter first on a common prefix.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Feeds the UTF-8 bytes of `string` (and its length) into `hasher`.
    static func hash(_ string: String, into hasher: inout Hasher) {
        withBytes(string) { hasher.combine(bytes: $0) }
        hasher.combine(string.utf8.count)
    }

    /// Calls `body` with the contiguous UTF-8 bytes of `string`, copying only for non-native strings.
    @inline(__always)
    static func withBytes<R>(_ string: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(string.utf8).withUnsafeBytes(body)
    }

    @inline(__always)
    private static func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            i += 1
        }
        return true
    }
}
