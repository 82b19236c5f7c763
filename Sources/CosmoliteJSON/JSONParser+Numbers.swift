// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Numbers

extension JSONParser {
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
}
