// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONWriter

/// Serializes ``JSONValue`` to UTF-8 JSON text.
///
/// Compact output matches JavaScript's `JSON.stringify`: no insignificant whitespace; strings escape
/// `"`, `\` and control characters (`\b \f \n \r \t`, others as lowercase `\u00xx`); non-ASCII
/// characters are written raw as UTF-8 and `/` is not escaped.
///
/// Numbers: a finite integral double with magnitude at most 2^53 is written as an integer (`-0.0`
/// as `0`); any other finite double in the shortest form that reads back to the same double
/// (`0.1`, `1e-05`, `1e+16`, `5e-324`). Non-finite numbers, which JSON cannot express, are written
/// as `null` like `JSON.stringify` does. Parsing the output always yields an equal value.
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
        var output: [UInt8] = []
        output.reserveCapacity(256)
        append(value, to: &output, options: options)
        return output
    }

    /// Appends the serialization of a value to a byte buffer.
    ///
    /// - Parameters:
    ///   - value: The value to write.
    ///   - output: The buffer to append to.
    ///   - options: Serializer settings.
    public static func append(_ value: JSONValue, to output: inout [UInt8], options: Options = .init()) {
        var writer = Writer(output: [], options: options)
        swap(&writer.output, &output)
        writer.write(value, indent: 0)
        swap(&writer.output, &output)
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
    struct Writer {
        var output: [UInt8]
        let options: Options

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
            output.append(UInt8(ascii: "["))
            guard !elements.isEmpty else {
                output.append(UInt8(ascii: "]"))
                return
            }
            for (n, element) in elements.enumerated() {
                if n > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        }

        mutating func writeObject(_ object: JSONObject, indent: Int) {
            output.append(UInt8(ascii: "{"))
            guard !object.isEmpty else {
                output.append(UInt8(ascii: "}"))
                return
            }
            var order = Array(0..<object.count)
            if options.sortKeys {
                let keys = object.keys
                order.sort { UTF8Text.compare(keys[$0], keys[$1]) < 0 }
            }
            let keys = object.keys
            for (n, position) in order.enumerated() {
                if n > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONWriter.appendString(keys[position], to: &output)
                output.append(UInt8(ascii: ":"))
                if options.pretty { output.append(UInt8(ascii: " ")) }
                write(object.value(at: position), indent: indent + 1)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        }

        @inline(__always)
        mutating func newline(_ indent: Int) {
            guard options.pretty else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
        }

        mutating func appendASCII(_ text: StaticString) {
            output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
    }

    // MARK: Strings

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a quoted, escaped string.
    static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        UTF8Text.withBytes(text) { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let c = bytes[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                if runStart < i {
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<i]))
                }
                runStart = i + 1
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
                    output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    output.append(hexDigits[Int(c >> 4)])
                    output.append(hexDigits[Int(c & 0xF)])
                }
            }
            if runStart < bytes.count {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    // MARK: Numbers

    /// 2^53, the largest magnitude up to which every integer is exactly representable.
    static let maxExactInteger = 9_007_199_254_740_992.0

    /// Appends a number in integer or shortest round-trip form (`null` if not finite).
    static func appendNumber(_ number: Double, to output: inout [UInt8]) {
        guard number.isFinite else {
            output.append(contentsOf: Array("null".utf8))
            return
        }
        if number.magnitude <= maxExactInteger, number == number.rounded(.towardZero) {
            appendInteger(Int64(number), to: &output)
            return
        }
        // Swift's description is the shortest representation that round-trips, e.g. "0.1", "1e-05",
        // "1e+16", "5e-324"; all are valid JSON numbers. Integral values use exponent form above 2^53,
        // but strip a ".0" suffix defensively.
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        output.append(contentsOf: text.utf8)
    }

    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
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
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n..<20]))
        }
    }
}
