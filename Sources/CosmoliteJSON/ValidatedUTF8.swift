// SPDX-License-Identifier: Apache-2.0

// MARK: - ValidatedUTF8

/// Creates strings from UTF-8 bytes that the caller has already validated.
///
/// `String(decoding:as:)` validates its input again, and most JSON keys and many values are short
/// enough (at most 15 bytes) to be stored inline as "small" strings. For those, this builds the
/// string's two words directly, skipping the second validation.
///
/// The small-string layout is not public API, so the fast path is used only after a self-check at
/// first use has confirmed, on sample strings of every length and both ASCII and non-ASCII content,
/// that it produces exactly the bits the standard library produces; otherwise, and for longer
/// strings, strings are created with `String(decoding:as:)`. Either way the result is the same
/// string.
enum ValidatedUTF8 {
    /// Creates a string from `count` bytes of valid UTF-8 at `bytes`.
    ///
    /// - Precondition: The bytes are valid UTF-8 (behaviour is undefined otherwise).
    @inline(__always)
    static func makeString(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        #if arch(x86_64) || arch(arm64)
        if count <= 15, smallLayoutVerified {
            return unsafeBitCast(smallStringWords(bytes, count: count), to: String.self)
        }
        #endif
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    #if arch(x86_64) || arch(arm64)
    /// Whether ``smallStringWords(_:count:)`` reproduces the standard library's own small strings.
    static let smallLayoutVerified: Bool = {
        guard MemoryLayout<String>.size == 16 else { return false }
        let samples = [
            "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi",
            "abcdefghij", "abcdefghijk", "abcdefghijkl", "abcdefghijklm", "abcdefghijklmn",
            "abcdefghijklmno", "\u{0}", "\u{7F}", "é", "e\u{301}", "aé€", "€€€€€", "😀😀😀", "ab😀cd😀é",
        ]
        for sample in samples {
            let bytes = Array(sample.utf8)
            // Built at run time by the standard library, not folded from a literal by the compiler.
            let reference = String(decoding: bytes, as: UTF8.self)
            let expected = unsafeBitCast(reference, to: (UInt64, UInt64).self)
            let built = bytes.withUnsafeBufferPointer { smallStringWords($0.baseAddress!, count: $0.count) }
            guard built == expected else { return false }
        }
        return true
    }()

    /// The two words of the small string holding `count` (at most 15) bytes at `bytes`: the bytes in
    /// order from the low end, then a discriminator (immortal, small, ASCII or not) and the count in
    /// the top byte.
    ///
    /// Reads only `bytes[0..<count]`.
    @inline(__always)
    static func smallStringWords(_ bytes: UnsafePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(bytes)
        var low: UInt64 = 0
        var high: UInt64 = 0
        if count >= 8 {
            low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            if count > 8 {
                // Bytes count-8..<count; drop the ones already in `low`.
                let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
                high = last &>> (8 &* (16 &- count))
            }
        } else if count >= 4 {
            // Two overlapping 4-byte loads; overlapping bytes are equal, so OR-ing them is exact.
            let first = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let last = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            low = first | last &<< (8 &* (count &- 4))
        } else if count > 0 {
            low = UInt64(bytes[0]) | UInt64(bytes[count &>> 1]) &<< (8 &* (count &>> 1))
                | UInt64(bytes[count &- 1]) &<< (8 &* (count &- 1))
        }
        let isASCII = (low | high) & 0x8080_8080_8080_8080 == 0
        let discriminator: UInt64 = isASCII ? 0xE0 : 0xA0
        high |= (discriminator | UInt64(truncatingIfNeeded: count)) &<< 56
        return (low, high)
    }
    #endif
}
