// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONWriter

/// Serializes ``JSONValue`` to UTF-8 JSON text.
///
/// Compact output matches JavaScript's `JSON.stringify`: no insignificant whitespace; strings escape
/// `"`, `\` and control characters (`\b \f \n \r \t`, others as lowercase `\u00xx`); non-ASCII
/// characters are written raw as UTF-8 and `/` is not escaped.
///
/// Numbers: as ECMAScript writes them: a finite integral double with magnitude at most 2^53 as an
/// integer (`-0.0` as `0`); any other finite double in the shortest digits that read back to the
/// same double, positional from 10^-6 up to 10^21 (`0.1`, `0.00001`, `14320368000000000`), in
/// exponent form outside (`1e-7`, `1e+21`, `5e-324`). Non-finite numbers, which JSON cannot express,
/// are written as `null` like `JSON.stringify` does. Parsing the output always yields an equal value.
public enum JSONWriter {
    /// Serializer settings.
    public struct Options: Sendable, Hashable {
        /// Whether to indent with two spaces, one member or element per line, with `"key": value`.
        /// Defaults to `false`.
        public var pretty: Bool
        /// Whether to write object members ordered by the UTF-8 bytes of their keys instead of in
        /// stored order. Defaults to `false`.
        public var sortKeys: Bool

        /// Creates serializer settings.
        ///
        /// - Parameters:
        ///   - pretty: Whether to indent the output (default `false`).
        ///   - sortKeys: Whether to sort object keys (default `false`).
        public init(pretty: Bool = false, sortKeys: Bool = false) {
            self.pretty = pretty
            self.sortKeys = sortKeys
        }
    }

    // MARK: Entry points

    /// Serializes a value to UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - options: Serializer settings.
    /// - Returns: The JSON text as UTF-8.
    public static func serialize(_ value: JSONValue, options: Options = .init()) -> [UInt8] {
        var writer = Writer(options: options)
        writer.write(value, indent: 0)
        return Array(writer.output.bytes)
    }

    /// Serializes a value to UTF-8 bytes unless it nests arrays and objects deeper than `maxDepth` (`[]` has depth 1,
    /// as for ``JSONReader/Options/maxDepth``), so that a reader with the same limit reads the output back.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - maxDepth: The deepest nesting allowed.
    /// - Returns: The JSON text as UTF-8, or `nil` when the value nests deeper than `maxDepth`.
    public static func serialize(_ value: JSONValue, maxDepth: Int) -> [UInt8]? {
        var writer = Writer(options: .init())
        writer.write(value, indent: 0)
        return writer.deepest <= maxDepth ? Array(writer.output.bytes) : nil
    }

    /// Appends the serialization of a value to a byte buffer.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - output: The buffer to append to.
    ///   - options: Serializer settings.
    public static func append(_ value: JSONValue, to output: inout [UInt8], options: Options = .init()) {
        var writer = Writer(options: options)
        writer.write(value, indent: 0)
        output.append(contentsOf: writer.output.bytes)
    }

    /// Serializes a value to a string.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - options: Serializer settings.
    /// - Returns: The JSON text.
    public static func string(_ value: JSONValue, options: Options = .init()) -> String {
        String(decoding: serialize(value, options: options), as: UTF8.self)
    }
}

// MARK: - Writer

extension JSONWriter {
    /// The state of one serialization: options and the output written so far.
    struct Writer: ~Copyable {
        var output = JSONOutputBuffer(capacity: 1024)
        let options: Options
        /// The deepest nesting of arrays and objects written so far (`[]` has depth 1).
        var deepest = 0

        init(options: Options) {
            self.options = options
        }

        mutating func write(_ value: JSONValue, indent: Int) {
            switch value {
            case .null:
                appendASCII("null")
            case .bool(let flag):
                appendASCII(flag ? "true" : "false")
            case .number(let number):
                JSONWriter.appendNumber(number, to: &output)
            case .string(let text):
                JSONWriter.appendString(text, to: &output)
            case .array(let elements):
                writeArray(elements, indent: indent)
            case .object(let object):
                writeObject(object, indent: indent)
            }
        }

        mutating func writeArray(_ elements: [JSONValue], indent: Int) {
            if indent >= deepest { deepest = indent + 1 }
            output.append(UInt8(ascii: "["))
            guard !elements.isEmpty else {
                output.append(UInt8(ascii: "]"))
                return
            }
            elements.withUnsafeBufferPointer { elements in
                for n in elements.indices {
                    if n > 0 { output.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    write(elements[n], indent: indent + 1)
                }
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        }

        mutating func writeObject(_ object: JSONObject, indent: Int) {
            if indent >= deepest { deepest = indent + 1 }
            output.append(UInt8(ascii: "{"))
            guard !object.isEmpty else {
                output.append(UInt8(ascii: "}"))
                return
            }
            let keys = object.keys
            let values = object.values
            // Reading through buffer pointers passes members on without retaining each one.
            keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    if options.sortKeys {
                        let order = keys.indices.sorted { UTF8Text.compare(keys[$0], keys[$1]) < 0 }
                        for (n, position) in order.enumerated() {
                            writeMember(keys[position], values[position], first: n == 0, indent: indent)
                        }
                    } else {
                        for position in keys.indices {
                            writeMember(keys[position], values[position], first: position == 0, indent: indent)
                        }
                    }
                }
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }

        @inline(__always)
        mutating func writeMember(_ key: String, _ value: JSONValue, first: Bool, indent: Int) {
            if !first { output.append(UInt8(ascii: ",")) }
            newline(indent + 1)
            JSONWriter.appendString(key, to: &output)
            output.append(UInt8(ascii: ":"))
            if options.pretty { output.append(UInt8(ascii: " ")) }
            write(value, indent: indent + 1)
        }

        @inline(__always)
        mutating func newline(_ indent: Int) {
            guard options.pretty else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(UInt8(ascii: " "), repeating: indent * 2)
        }

        mutating func appendASCII(_ text: StaticString) {
            output.append(text)
        }
    }

    // MARK: Strings

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a quoted, escaped string.
    static func appendString(_ text: String, to output: inout JSONOutputBuffer) {
        output.append(UInt8(ascii: "\""))
        UTF8Text.withBytes(text) { bytes in
            guard let start = bytes.baseAddress else { return }
            appendEscaped(start.assumingMemoryBound(to: UInt8.self), count: bytes.count, to: &output)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `count` UTF-8 bytes at `bytes`, escaping quotes, backslashes and control characters.
    static func appendEscaped(_ bytes: UnsafePointer<UInt8>, count: Int, to output: inout JSONOutputBuffer) {
        var runStart = 0
        var i = 0
        while true {
            i = nextByteToEscape(bytes, count: count, from: i)
            if runStart < i {
                output.append(bytes + runStart, count: i - runStart)
            }
            guard i < count else { return }
            let c = bytes[i]
            i += 1
            runStart = i
            output.append(UInt8(ascii: "\\"))
            switch c {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                output.append(UInt8(ascii: "u"))
                output.append(UInt8(ascii: "0"))
                output.append(UInt8(ascii: "0"))
                output.append(hexDigits[Int(c >> 4)])
                output.append(hexDigits[Int(c & 0xF)])
            }
        }
    }

    /// The index of the first quote, backslash or control byte at or after `i`, or `count`.
    ///
    /// Looks at 8 bytes at a time; the lowest flagged byte of a word is exact (the zero-byte tests
    /// only borrow upwards).
    @inline(__always)
    static func nextByteToEscape(_ bytes: UnsafePointer<UInt8>, count: Int, from i: Int) -> Int {
        var i = i
        let ones: UInt64 = 0x0101_0101_0101_0101
        while i &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let hits = ((word &- ones &* 0x20) | (quote &- ones) | (backslash &- ones))
                & ~word & (ones &* 0x80)
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < count {
            let c = bytes[i]
            if c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return i }
            i &+= 1
        }
        return count
    }

    // MARK: Numbers

    /// 2^53, the largest magnitude up to which every integer is exactly representable.
    static let maxExactInteger = 9_007_199_254_740_992.0

    /// Appends a number in integer or shortest round-trip form (`null` if not finite).
    static func appendNumber(_ number: Double, to output: inout JSONOutputBuffer) {
        guard number.isFinite else {
            output.append("null")
            return
        }
        if number.magnitude <= maxExactInteger, number == number.rounded(.towardZero) {
            appendInteger(Int64(number), to: &output)
            return
        }
        UTF8Text.withBytes(ecmaScriptText(number)) { bytes in
            output.append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
    }

    /// A finite double as ECMAScript's `Number::toString` writes it (so `JSON.stringify`, and the service): the
    /// shortest digits that read back to the same double, positional from 10^-6 up to 10^21 (`0.00001`,
    /// `14320368000000000`), exponent form outside (`1e-7`, `1.5e+300`, `5e-324`).
    static func ecmaScriptText(_ number: Double) -> String {
        // Swift's description holds the shortest round-trip digits: "0.1", "123.456", "1.4320368e+16", "1e-05".
        let description = number.magnitude.description
        var mantissa = Substring(description)
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<e]
            exponent = Int(description[description.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        // The value is 0.digits × 10^point.
        var point = parts[0].count + exponent
        while digits.count > 1 && digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        let count = digits.count
        var text = number < 0 ? "-" : ""
        if count <= point && point <= 21 {
            text += digits + String(repeating: "0", count: point - count)
        } else if 0 < point && point <= 21 {
            text += digits.prefix(point) + "." + digits.dropFirst(point)
        } else if -6 < point && point <= 0 {
            text += "0." + String(repeating: "0", count: -point) + digits
        } else {
            let e = point - 1
            text += digits.prefix(1) + (count > 1 ? "." + digits.dropFirst() : "")
            text += "e" + (e >= 0 ? "+" : "-") + String(e.magnitude)
        }
        return text
    }

    static func appendInteger(_ value: Int64, to output: inout JSONOutputBuffer) {
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            while magnitude > 0 {
                n -= 1
                digits[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { output.append(UInt8(ascii: "-")) }
            output.append(digits.baseAddress! + n, count: 20 - n)
        }
    }
}
