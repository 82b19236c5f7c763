// SPDX-License-Identifier: Apache-2.0

// MARK: - Strings

extension JSONParser {
    /// Parses a string token starting at the opening quote at `pos`.
    mutating func parseString() throws(JSONError) -> String {
        let start = pos + 1
        var i = start
        while true {
            // Skip 8 plain ASCII bytes at a time.
            while i &+ 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                i &+= 8
            }
            guard i < count else { throw endOfInput("unterminated string", at: i) }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                pos = i + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                return try parseEscapedString(start: start, firstEscape: i)
            } else if c < 0x20 {
                throw controlCharacter(at: i)
            } else if c >= 0x80 {
                i = try validateUTF8Sequence(at: i)
            } else {
                i &+= 1
            }
        }
    }

    /// Whether an 8-byte word contains a quote, a backslash, a control byte or a non-ASCII byte.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        let quoteHit = (quote &- ones) & ~quote
        let backslashHit = (backslash &- ones) & ~backslash
        return (control | quoteHit | backslashHit | word) & highs != 0
    }

    /// Continues a string whose first escape is at `firstEscape`, decoding into `scratch`.
    mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: firstEscape - start))
        var i = firstEscape
        while true {
            guard i < count else { throw endOfInput("unterminated string", at: i) }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                pos = i + 1
                return String(decoding: scratch, as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                i = try decodeEscape(at: i)
            } else if c < 0x20 {
                throw controlCharacter(at: i)
            } else if c >= 0x80 {
                let next = try validateUTF8Sequence(at: i)
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + i, count: next - i))
                i = next
            } else {
                let runStart = i
                i += 1
                while i < count {
                    let d = base[i]
                    if d < 0x20 || d >= 0x80 || d == UInt8(ascii: "\"") || d == UInt8(ascii: "\\") { break }
                    i += 1
                }
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart))
            }
        }
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
        scratch.append(decoded)
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
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence whose lead byte is at `i`; returns the next index.
    func validateUTF8Sequence(at i: Int) throws(JSONError) -> Int {
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
