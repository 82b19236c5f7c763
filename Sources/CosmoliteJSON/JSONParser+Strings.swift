// SPDX-License-Identifier: Apache-2.0

// MARK: - Strings

extension JSONParser {
    /// Parses a string token starting at the opening quote at `pos`.
    mutating func parseString() throws(JSONError) -> String {
        let start = pos &+ 1
        let end = try scanPlainRun(from: start)
        if base[end] == UInt8(ascii: "\"") {
            pos = end &+ 1
            return Self.makeString(base + start, count: end &- start)
        }
        try decodeEscapedString(start: start, firstEscape: end)
        let decoded = scratch.elements(from: 0)
        return Self.makeString(decoded.baseAddress!, count: decoded.count)
    }

    /// Parses an object key starting at the opening quote at `pos`, with its
    /// ``keyFingerprint(_:count:)``.
    mutating func parseKey() throws(JSONError) -> (key: String, fingerprint: UInt64) {
        let start = pos &+ 1
        let end = try scanPlainRun(from: start)
        if base[end] == UInt8(ascii: "\"") {
            pos = end &+ 1
            let length = end &- start
            return (Self.makeString(base + start, count: length), Self.keyFingerprint(base + start, count: length))
        }
        try decodeEscapedString(start: start, firstEscape: end)
        let decoded = scratch.elements(from: 0)
        return (
            Self.makeString(decoded.baseAddress!, count: decoded.count),
            Self.keyFingerprint(decoded.baseAddress!, count: decoded.count)
        )
    }

    /// Validates string content from `i` up to the first quote or backslash and returns its index.
    ///
    /// Plain ASCII is skipped 8 bytes at a time; multi-byte UTF-8 sequences are validated one by one.
    /// - Throws: On a raw control character, invalid UTF-8 or the end of input, whichever comes first.
    @inline(__always)
    func scanPlainRun(from i: Int) throws(JSONError) -> Int {
        var i = i
        while true {
            if i &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let mask = Self.attentionMask(word)
                if mask == 0 {
                    i &+= 8
                    continue
                }
                i &+= mask.trailingZeroBitCount &>> 3
            } else if i >= count {
                throw Self.endOfInput("unterminated string", at: i)
            }
            let c = base[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                return i
            } else if c < 0x20 {
                throw Self.controlCharacter(c, at: i)
            } else if c >= 0x80 {
                i = try Self.validateUTF8Sequence(base, count: count, at: i)
            } else {
                i &+= 1
            }
        }
    }

    /// The high bit of each byte of a little-endian 8-byte word that is a quote, a backslash, a control
    /// byte or a non-ASCII byte; the lowest set bit marks the first such byte exactly.
    ///
    /// (Higher bits may be spurious: the zero-byte tests borrow across bytes, but only upwards.)
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        let quoteHit = (quote &- ones) & ~quote
        let backslashHit = (backslash &- ones) & ~backslash
        return (control | quoteHit | backslashHit | word) & highs
    }

    /// Decodes a string whose first escape is at `firstEscape` into `scratch`, and moves `pos` past
    /// its closing quote.
    mutating func decodeEscapedString(start: Int, firstEscape: Int) throws(JSONError) {
        scratch.pop(from: 0)
        scratch.push(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape &- start))
        var i = firstEscape
        while true {
            i = try decodeEscape(at: i)
            let end = try scanPlainRun(from: i)
            scratch.push(contentsOf: UnsafeBufferPointer(start: base + i, count: end &- i))
            if base[end] == UInt8(ascii: "\"") {
                pos = end &+ 1
                return
            }
            i = end
        }
    }

    /// Creates a string from UTF-8 bytes that the scanner has already validated.
    @inline(__always)
    static func makeString(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A 64-bit fingerprint of a key's UTF-8 bytes: equal keys have equal fingerprints.
    ///
    /// Keys of up to 16 bytes are covered entirely by the bytes it reads, so two such keys of the same
    /// length differ in their fingerprint unless the final mix collides.
    @inline(__always)
    static func keyFingerprint(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        var head: UInt64
        var tail: UInt64
        if count >= 8 {
            head = raw.loadUnaligned(as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            head = UInt64(raw.loadUnaligned(as: UInt32.self))
            tail = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        } else if count > 0 {
            head = UInt64(bytes[0]) | UInt64(bytes[count &>> 1]) &<< 8
            tail = UInt64(bytes[count &- 1])
        } else {
            head = 0
            tail = 0
        }
        head ^= UInt64(truncatingIfNeeded: count) &<< 58
        return (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F).byteSwapped
    }

    /// Decodes the escape sequence at `i` (a backslash) into `scratch` and returns the next index.
    mutating func decodeEscape(at i: Int) throws(JSONError) -> Int {
        guard i + 1 < count else { throw endOfInput("unterminated escape sequence", at: i + 1) }
        let decoded: UInt8
        switch base[i + 1] {
        case UInt8(ascii: "\""): decoded = 0x22
        case UInt8(ascii: "\\"): decoded = 0x5C
        case UInt8(ascii: "/"): decoded = 0x2F
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            return try decodeUnicodeEscape(at: i)
        default:
            throw JSONError(
                code: .invalidEscape,
                byteOffset: i + 1,
                message: "invalid escape sequence: backslash followed by \(JSONError.describe(byte: base[i + 1]))"
            )
        }
        scratch.push(decoded)
        return i + 2
    }

    /// Decodes `\uXXXX` (and a following low surrogate escape if needed) at `i`.
    mutating func decodeUnicodeEscape(at i: Int) throws(JSONError) -> Int {
        let unit = try hexQuad(at: i + 2)
        var scalarValue = UInt32(unit)
        var next = i + 6
        if (0xD800...0xDBFF).contains(unit) {
            guard next + 1 < count, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u") else {
                throw JSONError(
                    code: .invalidEscape,
                    byteOffset: i,
                    message: "high surrogate escape is not followed by a low surrogate escape"
                )
            }
            let low = try hexQuad(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONError(
                    code: .invalidEscape,
                    byteOffset: next,
                    message: "high surrogate escape is followed by an escape that is not a low surrogate"
                )
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            next += 6
        } else if (0xDC00...0xDFFF).contains(unit) {
            throw JSONError(
                code: .invalidEscape,
                byteOffset: i,
                message: "low surrogate escape without a preceding high surrogate escape"
            )
        }
        appendUTF8(scalarValue)
        return next
    }

    /// Reads four hex digits at `i`.
    func hexQuad(at i: Int) throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for k in 0..<4 {
            guard i + k < count else { throw endOfInput("expected four hex digits after '\\u'", at: i + k) }
            let c = base[i + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default:
                throw JSONError(
                    code: .invalidEscape,
                    byteOffset: i + k,
                    message: "expected a hex digit in '\\u' escape, found \(JSONError.describe(byte: c))"
                )
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.push(UInt8(scalar))
        case ..<0x800:
            scratch.push(UInt8(0xC0 | scalar >> 6))
            scratch.push(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.push(UInt8(0xE0 | scalar >> 12))
            scratch.push(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.push(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.push(UInt8(0xF0 | scalar >> 18))
            scratch.push(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.push(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.push(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence whose lead byte is at `i` in the `count` bytes at
    /// `base`; returns the next index.
    ///
    /// Static, like the other helpers of the string scanner, so that hot callers do not have to
    /// materialize a copy of the parser to call it.
    static func validateUTF8Sequence(
        _ base: UnsafePointer<UInt8>,
        count: Int,
        at i: Int
    ) throws(JSONError) -> Int {
        let lead = base[i]
        let trailing: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0  // no overlong forms
        case 0xE1...0xEC, 0xEE, 0xEF: trailing = 2
        case 0xED: trailing = 2; high = 0x9F  // no encoded surrogates
        case 0xF0: trailing = 3; low = 0x90  // no overlong forms
        case 0xF1...0xF3: trailing = 3
        case 0xF4: trailing = 3; high = 0x8F  // nothing above U+10FFFF
        default:
            throw JSONError(
                code: .invalidUTF8,
                byteOffset: i,
                message: "invalid UTF-8: \(JSONError.describe(byte: lead)) cannot start a character"
            )
        }
        for k in 1...trailing {
            guard i + k < count else {
                throw JSONError(code: .invalidUTF8, byteOffset: i, message: "invalid UTF-8: truncated sequence")
            }
            let c = base[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard c >= lo && c <= hi else {
                throw JSONError(
                    code: .invalidUTF8,
                    byteOffset: i + k,
                    message: "invalid UTF-8: unexpected \(JSONError.describe(byte: c)) in a multi-byte sequence"
                )
            }
        }
        return i + trailing + 1
    }
}
