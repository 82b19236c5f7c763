// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - JSONParser

/// The parsing state of ``JSONReader`` over one input buffer.
struct JSONParser {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    let allowDuplicateKeys: Bool
    var pos = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Keys of the objects being parsed, innermost last; each object uses the top of the stack.
    var keyStack: [String] = []
    /// Object member values and array elements being parsed, innermost last.
    var valueStack: [JSONValue] = []

    init(base: UnsafePointer<UInt8>, count: Int, options: JSONReader.Options) {
        self.base = base
        self.count = count
        self.maxDepth = options.maxDepth
        self.allowDuplicateKeys = options.allowDuplicateKeys
    }

    // MARK: Document and values

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard pos < count else {
            throw JSONError(code: .emptyInput, byteOffset: pos, message: "input contains no JSON value")
        }
        let value = try parseValue()
        skipWhitespace()
        if pos < count {
            throw JSONError(
                code: .trailingCharacters,
                byteOffset: pos,
                message: "unexpected \(JSONError.describe(byte: base[pos])) after the JSON value"
            )
        }
        return value
    }

    /// Parses a value starting at `pos` (whitespace already skipped).
    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard pos < count else { throw endOfInput("expected a value") }
        switch base[pos] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw unexpected("expected a value")
        }
    }

    mutating func parseLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for k in 0..<length {
            guard pos + k < count else {
                throw endOfInput("expected '\(literal)'", at: pos + k)
            }
            guard base[pos + k] == expected[k] else {
                throw unexpected("expected '\(literal)'", at: pos + k)
            }
        }
        pos += length
    }

    // MARK: Containers

    mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw JSONError(
                code: .nestingTooDeep,
                byteOffset: pos,
                message: "arrays and objects are nested deeper than the limit of \(maxDepth)"
            )
        }
    }

    mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        pos += 1
        skipWhitespace()
        if pos < count, base[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(JSONObject())
        }
        // Members accumulate on the shared stacks (nested containers push and pop above them),
        // so each object is built once with exact capacity.
        let first = keyStack.count
        let firstValue = valueStack.count
        var seen: [UTF8Key: Int]?
        while true {
            guard pos < count else { throw endOfInput("expected '\"' to begin an object key") }
            guard base[pos] == UInt8(ascii: "\"") else { throw unexpected("expected '\"' to begin an object key") }
            let keyOffset = pos
            let key = try parseString()
            skipWhitespace()
            guard pos < count else { throw endOfInput("expected ':' after object key") }
            guard base[pos] == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            if let existing = position(of: key, from: first, seen: seen) {
                guard allowDuplicateKeys else { throw duplicateKey(key, at: keyOffset) }
                valueStack[firstValue + existing] = value
            } else {
                keyStack.append(key)
                valueStack.append(value)
                let members = keyStack.count - first
                if seen != nil {
                    seen![UTF8Key(string: key)] = members - 1
                } else if members > JSONObject.indexThreshold {
                    var table: [UTF8Key: Int] = [:]
                    table.reserveCapacity(members * 2)
                    for i in first..<keyStack.count { table[UTF8Key(string: keyStack[i])] = i - first }
                    seen = table
                }
            }
            skipWhitespace()
            guard pos < count else { throw endOfInput("expected ',' or '}' after object member") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
            } else if c == UInt8(ascii: "}") {
                break
            } else {
                pos -= 1
                throw unexpected("expected ',' or '}' after object member")
            }
        }
        depth -= 1
        let object = JSONObject(
            uniqueKeys: Array(keyStack[first...]),
            values: Array(valueStack[firstValue...]),
            lookup: seen
        )
        keyStack.removeSubrange(first...)
        valueStack.removeSubrange(firstValue...)
        return .object(object)
    }

    /// The position of `key` among the members of the object whose keys start at `first`.
    func position(of key: String, from first: Int, seen: [UTF8Key: Int]?) -> Int? {
        if let seen { return seen[UTF8Key(string: key)] }
        for i in first..<keyStack.count where UTF8Text.equal(keyStack[i], key) {
            return i - first
        }
        return nil
    }

    mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        pos += 1
        skipWhitespace()
        if pos < count, base[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array([])
        }
        let first = valueStack.count
        while true {
            let element = try parseValue()
            valueStack.append(element)
            skipWhitespace()
            guard pos < count else { throw endOfInput("expected ',' or ']' after array element") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
            } else if c == UInt8(ascii: "]") {
                break
            } else {
                pos -= 1
                throw unexpected("expected ',' or ']' after array element")
            }
        }
        depth -= 1
        let elements = Array(valueStack[first...])
        valueStack.removeSubrange(first...)
        return .array(elements)
    }

    // MARK: Strings

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

    // MARK: Numbers

    /// Parses a number starting at `pos` (a '-' or a digit).
    mutating func parseNumber() throws(JSONError) -> Double {
        let start = pos
        var i = pos
        let negative = base[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var truncated = false

        guard i < count else { throw invalidNumber("expected a digit after '-'", at: i) }
        let first = base[i]
        if first == UInt8(ascii: "0") {
            i += 1
            if i < count, Self.isDigit(base[i]) {
                throw invalidNumber("leading zeros are not allowed", at: i)
            }
        } else if Self.isDigit(first) {
            while i < count, Self.isDigit(base[i]) {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[i] &- UInt8(ascii: "0"))
                    significantDigits += 1
                } else {
                    truncated = true
                    exponent += 1
                }
                i += 1
            }
        } else {
            throw invalidNumber("expected a digit after '-'", at: i)
        }

        if i < count, base[i] == UInt8(ascii: ".") {
            i += 1
            guard i < count, Self.isDigit(base[i]) else {
                throw invalidNumber("expected a digit after '.'", at: i)
            }
            while i < count, Self.isDigit(base[i]) {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[i] &- UInt8(ascii: "0"))
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else {
                    truncated = true
                }
                i += 1
            }
        }

        if i < count, base[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") {
                exponentNegative = base[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count, Self.isDigit(base[i]) else {
                throw invalidNumber("expected a digit in the exponent", at: i)
            }
            var explicit = 0
            while i < count, Self.isDigit(base[i]) {
                if explicit < 1_000_000 { explicit = explicit * 10 + Int(base[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        pos = i

        // Exact fast path: at most 15 significant digits and a power of ten that is itself exact.
        if !truncated, significantDigits <= 15 {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            var value = Double(mantissa)
            if exponent == 0 {
                return negative ? -value : value
            } else if exponent > 0, exponent <= 22 {
                value *= Self.powersOfTen[exponent]
                return negative ? -value : value
            } else if exponent < 0, exponent >= -22 {
                value /= Self.powersOfTen[-exponent]
                return negative ? -value : value
            }
        }
        return try parseNumberSlowly(from: start, to: i)
    }

    /// Converts the validated number text in `start..<end` with `strtod`.
    func parseNumberSlowly(from start: Int, to end: Int) throws(JSONError) -> Double {
        let length = end - start
        let source = base + start
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double in
            let text = buffer.baseAddress!
            UnsafeMutableRawPointer(text).copyMemory(from: source, byteCount: length)
            text[length] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let converted = strtod(text, &stop)
            if stop == text + length { return converted }
            // A process-wide locale with a different decimal point: use the locale-free parser.
            return Double(String(decoding: UnsafeBufferPointer(start: source, count: length), as: UTF8.self))
                ?? .infinity
        }
        guard value.isFinite else {
            throw JSONError(
                code: .numberOutOfRange,
                byteOffset: start,
                message: "number out of range: its magnitude exceeds the largest double"
            )
        }
        return value
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool {
        c &- UInt8(ascii: "0") < 10
    }

    // MARK: Whitespace

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let c = base[pos]
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    // MARK: Errors

    func unexpected(_ expectation: String, at offset: Int? = nil) -> JSONError {
        let offset = offset ?? pos
        return JSONError(
            code: .unexpectedCharacter,
            byteOffset: offset,
            message: "\(expectation), found \(JSONError.describe(byte: base[offset]))"
        )
    }

    func endOfInput(_ expectation: String, at offset: Int? = nil) -> JSONError {
        JSONError(
            code: .unexpectedEndOfInput,
            byteOffset: offset ?? pos,
            message: "unexpected end of input; \(expectation)"
        )
    }

    func invalidNumber(_ problem: String, at offset: Int) -> JSONError {
        let found = offset < count ? ", found \(JSONError.describe(byte: base[offset]))" : " before end of input"
        return JSONError(code: .invalidNumber, byteOffset: offset, message: "invalid number: \(problem)\(found)")
    }

    func controlCharacter(at offset: Int) -> JSONError {
        let hex = String(base[offset], radix: 16, uppercase: true)
        return JSONError(
            code: .controlCharacterInString,
            byteOffset: offset,
            message: "raw control character U+00\(hex.count == 1 ? "0" + hex : hex) in string; escape it"
        )
    }

    func duplicateKey(_ key: String, at offset: Int) -> JSONError {
        var shown = key
        if shown.unicodeScalars.count > 40 {
            shown = String(String.UnicodeScalarView(shown.unicodeScalars.prefix(40))) + "…"
        }
        return JSONError(
            code: .duplicateKey,
            byteOffset: offset,
            message: "duplicate key \(JSONWriter.string(.string(shown))) in object"
        )
    }
}
