// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - OrderedEncoding
//
// An order-preserving binary encoding of JSON values: comparing two encodings byte-wise (memcmp,
// shorter first on a common prefix) gives the same result as comparing the values in Cosmos DB's
// cross-type order
//
//     undefined < null < false < true < numbers < strings < arrays < objects
//
// with numbers compared numerically, strings by UTF-8 bytes, arrays element-wise then shorter first,
// and objects member-wise in their stored member order (key, then value), shorter first.
//
// Every encoding ("component") starts with a tag byte. Bytes 0x00 and 0x01 are control bytes and
// never tags, so a container terminator (0x01) sorts before any element, which makes shorter
// containers sort first.
//
//   Tag   Form       Layout                                      Example (value -> bytes)
//   ----  ---------  ------------------------------------------  -------------------------------------------
//   0x02  undefined  02                                          nil           -> 02
//   0x03  null       03                                          null          -> 03
//   0x04  false      04                                          false         -> 04
//   0x05  true       05                                          true          -> 05
//   0x06  number     06 + 8 bytes big-endian of the IEEE bits,   1.0           -> 06 BF F0 00 00 00 00 00 00
//                    sign bit flipped if non-negative, all bits  0.0 and -0.0  -> 06 80 00 00 00 00 00 00 00
//                    inverted if negative                        -1.0          -> 06 40 0F FF FF FF FF FF FF
//   0x07  string     07 + UTF-8 with each 00 written as 00 FF    "ab"          -> 07 61 62 00 01
//                    + terminator 00 01                          "a\u0000b"    -> 07 61 00 FF 62 00 01
//   0x08  array      08 + each element's encoding + 01           []            -> 08 01
//                                                                [1,"a"]       -> 08 06 BF F0 00 00 00 00 00 00
//                                                                                 07 61 00 01 01
//   0x09  object     09 + (key as a string component, value)     {}            -> 09 01
//                    per member in stored order + 01             {"a":null}    -> 09 07 61 00 01 03 01
//
// Key forms (used inside storage keys, which are size-limited; see appendKeyComponent):
//
//   0x07  truncated string 07 + escaped UTF-8 prefix + 00 02 + 16 digest   (prefix never splits a character
//                          bytes of the whole string's raw UTF-8            or an 00 FF pair)
//   0x08  hashed array     08 00 + 16 digest bytes of the full encoding
//   0x09  hashed object    09 00 + 16 digest bytes of the full encoding
//
// The 00 02 marker sorts a truncated string after the full string equal to its prefix and before
// longer strings continuing the prefix with U+0000; hashed containers are ordered by digest
// ("arbitrary but stable", as in Cosmos DB) and before every full container of the same type.
//
// Descending components: every byte of the component is inverted (b -> ~b). Because the encoding is
// prefix-free, this exactly reverses the order; e.g. descending true -> FA, descending "ab" -> F8 9E 9D FF FE.

/// An order-preserving binary encoding of JSON values in Cosmos DB's cross-type order.
///
/// `memcmp` order of two encodings equals ``compare(_:_:)`` order of the values:
/// undefined < null < false < true < numbers < strings < arrays < objects; numbers numerically,
/// strings by UTF-8 bytes, arrays element-wise then shorter first, objects member-wise in stored
/// member order (key then value) then shorter first. Undefined is represented by `nil`.
///
/// The byte layout is documented with worked examples in the header of `OrderedEncoding.swift`.
/// Encodings are prefix-free, so several components can be concatenated into a composite key and
/// split again with ``componentEnd(in:from:descending:)``. A descending component has every byte
/// inverted, which reverses its order.
///
/// Note that ``JSONObject`` equality ignores member order while this encoding does not: two equal
/// objects with different member orders have different encodings.
public enum OrderedEncoding {
    /// A decoded component.
    public enum Component: Sendable, Hashable {
        /// A value in full form; `nil` is undefined.
        case value(JSONValue?)
        /// A string key form: the (possibly lossy-decoded) prefix and the digest of the whole string.
        case truncatedString(prefix: String, digest: [UInt8])
        /// An array key form, identified by the digest of its full encoding.
        case hashedArray(digest: [UInt8])
        /// An object key form, identified by the digest of its full encoding.
        case hashedObject(digest: [UInt8])
    }

    /// The number of digest bytes stored in key forms.
    public static let digestLength = 16

    /// The overhead of the truncated-string form besides the escaped prefix (marker plus digest).
    static let truncationOverhead = 2 + digestLength

    /// The maximum container nesting accepted by ``decode(_:from:descending:)``.
    static let maxDecodeDepth = 512

    // MARK: Tags

    static let tagUndefined: UInt8 = 0x02
    static let tagNull: UInt8 = 0x03
    static let tagFalse: UInt8 = 0x04
    static let tagTrue: UInt8 = 0x05
    static let tagNumber: UInt8 = 0x06
    static let tagString: UInt8 = 0x07
    static let tagArray: UInt8 = 0x08
    static let tagObject: UInt8 = 0x09
    static let terminator: UInt8 = 0x01
    static let escapeByte: UInt8 = 0xFF
    static let truncationMarker: UInt8 = 0x02
}

// MARK: - Encoding

extension OrderedEncoding {
    /// Encodes a value in full form.
    ///
    /// - Parameters:
    ///   - value: The value; `nil` encodes undefined.
    ///   - descending: Whether to invert the bytes so that the order is reversed.
    /// - Returns: The encoding.
    public static func encode(_ value: JSONValue?, descending: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        append(value, descending: descending, to: &output)
        return output
    }

    /// Appends the full-form encoding of a value.
    ///
    /// - Parameters:
    ///   - value: The value; `nil` encodes undefined.
    ///   - descending: Whether to invert the appended bytes so that the order is reversed.
    ///   - output: The buffer to append to.
    public static func append(_ value: JSONValue?, descending: Bool = false, to output: inout [UInt8]) {
        let start = output.count
        appendAscending(value, to: &output)
        if descending { invert(&output, from: start) }
    }

    static func appendAscending(_ value: JSONValue?, to output: inout [UInt8]) {
        guard let value else {
            output.append(tagUndefined)
            return
        }
        switch value {
        case .null:
            output.append(tagNull)
        case .bool(let flag):
            output.append(flag ? tagTrue : tagFalse)
        case .number(let number):
            appendNumber(number, to: &output)
        case .string(let text):
            UTF8Text.withBytes(text) { appendString($0, to: &output) }
        case .array(let elements):
            output.append(tagArray)
            for element in elements { appendAscending(element, to: &output) }
            output.append(terminator)
        case .object(let object):
            output.append(tagObject)
            for (key, member) in object {
                UTF8Text.withBytes(key) { appendString($0, to: &output) }
                appendAscending(member, to: &output)
            }
            output.append(terminator)
        }
    }

    /// The 64-bit pattern of a number whose unsigned order equals numeric order.
    @inline(__always)
    static func orderedBits(_ number: Double) -> UInt64 {
        let bits = (number == 0 ? 0.0 : number).bitPattern
        return bits & (1 << 63) == 0 ? bits ^ (1 << 63) : ~bits
    }

    /// Inverse of ``orderedBits(_:)``.
    @inline(__always)
    static func number(fromOrderedBits ordered: UInt64) -> Double {
        Double(bitPattern: ordered & (1 << 63) != 0 ? ordered ^ (1 << 63) : ~ordered)
    }

    static func appendNumber(_ number: Double, to output: inout [UInt8]) {
        output.append(tagNumber)
        withUnsafeBytes(of: orderedBits(number).bigEndian) { output.append(contentsOf: $0) }
    }

    /// Appends `07`, the escaped bytes and `00 01`.
    static func appendString(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(tagString)
        appendEscaped(utf8, to: &output)
        output.append(0x00)
        output.append(terminator)
    }

    /// Appends bytes with every `00` written as `00 FF`.
    static func appendEscaped(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var runStart = 0
        for i in 0..<utf8.count where utf8[i] == 0 {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...i]))
            output.append(escapeByte)
            runStart = i + 1
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...]))
    }

    static func invert(_ output: inout [UInt8], from start: Int) {
        output.withUnsafeMutableBufferPointer { buffer in
            for i in start..<buffer.count { buffer[i] = ~buffer[i] }
        }
    }
}

// MARK: - Key forms

extension OrderedEncoding {
    /// Appends a component for use inside a size-limited storage key.
    ///
    /// Undefined, null, Booleans and numbers use their full form. A string whose escaped UTF-8
    /// length is at most `maxStringBytes` uses its full form; a longer one uses the truncated form
    /// (escaped prefix of at most `maxStringBytes - 18` bytes, cut at a character boundary, then
    /// `00 02` and the first 16 bytes of `digest` over the whole string's raw UTF-8). Either way the
    /// component is at most `maxStringBytes + 3` bytes. Arrays and objects always use the hashed
    /// form: tag, `00`, and the first 16 bytes of `digest` over their full ascending encoding.
    ///
    /// - Parameters:
    ///   - value: The value; `nil` encodes undefined.
    ///   - maxStringBytes: The largest escaped UTF-8 length a string may have and keep its full form.
    ///   - descending: Whether to invert the appended bytes so that the order is reversed.
    ///   - digest: A deterministic hash (SHA-256 in production) returning at least 16 bytes.
    ///   - output: The buffer to append to.
    public static func appendKeyComponent(
        _ value: JSONValue?,
        maxStringBytes: Int,
        descending: Bool = false,
        digest: (UnsafeRawBufferPointer) -> [UInt8],
        to output: inout [UInt8]
    ) {
        switch value {
        case .string(let text)?:
            appendKeyComponent(
                string: text, maxStringBytes: maxStringBytes, descending: descending, digest: digest, to: &output
            )
        case .array?, .object?:
            let start = output.count
            let full = encode(value)
            output.append(full[0])
            output.append(0x00)
            appendDigest(full.withUnsafeBytes(digest), to: &output)
            if descending { invert(&output, from: start) }
        default:
            append(value, descending: descending, to: &output)
        }
    }

    /// The length of a string's escaped UTF-8 form in a key component (NUL bytes take two), which
    /// ``appendKeyComponent(string:maxStringBytes:descending:digest:to:)`` compares with `maxStringBytes`.
    public static func escapedLength(_ string: String) -> Int {
        UTF8Text.withBytes(string, escapedLength)
    }

    private static func escapedLength(_ utf8: UnsafeRawBufferPointer) -> Int {
        var length = utf8.count
        for byte in utf8 where byte == 0 { length += 1 }
        return length
    }

    /// Appends a string component for use inside a size-limited storage key.
    ///
    /// Equivalent to ``appendKeyComponent(_:maxStringBytes:descending:digest:to:)`` with a string
    /// value, without building a ``JSONValue``.
    ///
    /// - Parameters:
    ///   - string: The string.
    ///   - maxStringBytes: The largest escaped UTF-8 length that keeps the full form.
    ///   - descending: Whether to invert the appended bytes so that the order is reversed.
    ///   - digest: A deterministic hash returning at least 16 bytes.
    ///   - output: The buffer to append to.
    public static func appendKeyComponent(
        string: String,
        maxStringBytes: Int,
        descending: Bool = false,
        digest: (UnsafeRawBufferPointer) -> [UInt8],
        to output: inout [UInt8]
    ) {
        UTF8Text.withBytes(string) { utf8 in
            appendKeyComponent(
                string: utf8, maxStringBytes: maxStringBytes, descending: descending, digest: digest, to: &output
            )
        }
    }

    /// Appends a string component, given as raw UTF-8, for use inside a size-limited storage key.
    ///
    /// Equivalent to ``appendKeyComponent(_:maxStringBytes:descending:digest:to:)`` with a string
    /// value. The bytes are expected to be valid UTF-8; they are not validated.
    ///
    /// - Parameters:
    ///   - string: The string's UTF-8 bytes.
    ///   - maxStringBytes: The largest escaped UTF-8 length that keeps the full form.
    ///   - descending: Whether to invert the appended bytes so that the order is reversed.
    ///   - digest: A deterministic hash returning at least 16 bytes.
    ///   - output: The buffer to append to.
    public static func appendKeyComponent(
        string utf8: UnsafeRawBufferPointer,
        maxStringBytes: Int,
        descending: Bool = false,
        digest: (UnsafeRawBufferPointer) -> [UInt8],
        to output: inout [UInt8]
    ) {
        let start = output.count
        if escapedLength(utf8) <= maxStringBytes {
            appendString(utf8, to: &output)
        } else {
            output.append(tagString)
            let cut = truncationCut(utf8, maxStringBytes: maxStringBytes)
            appendEscaped(UnsafeRawBufferPointer(rebasing: utf8[..<cut]), to: &output)
            output.append(0x00)
            output.append(truncationMarker)
            appendDigest(digest(utf8), to: &output)
        }
        if descending { invert(&output, from: start) }
    }

    /// How many bytes of a string a truncated key component keeps: the longest run of whole characters whose
    /// escaped form fits beside the marker and the digest.
    private static func truncationCut(_ utf8: UnsafeRawBufferPointer, maxStringBytes: Int) -> Int {
        let budget = max(0, maxStringBytes - truncationOverhead)
        var cut = 0
        var used = 0
        while cut < utf8.count {
            let lead = utf8[cut]
            let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let cost = lead == 0 ? 2 : length
            guard used + cost <= budget, cut + length <= utf8.count else { break }
            used += cost
            cut += length
        }
        return cut
    }

    /// Appends the bytes that the key component of every string starting with `prefix` starts with, in full or
    /// truncated form (see ``appendKeyComponent(string:maxStringBytes:descending:digest:to:)``): the string tag
    /// and the escaped prefix, cut where a truncated component would cut it.
    ///
    /// The keys of the strings starting with `prefix` are exactly the keys starting with these bytes, unless the
    /// prefix had to be cut: then keys cut as short may also belong to strings that do not start with it, and a
    /// reader of the key range must test each string.
    ///
    /// - Parameters:
    ///   - prefix: The prefix the strings share.
    ///   - maxStringBytes: The bound the key components were written with.
    ///   - descending: Whether the components are inverted (then so are the appended bytes).
    ///   - output: The buffer to append to.
    /// - Returns: Whether the whole prefix was appended. Then exactly the keys of strings starting with `prefix`
    ///   start with the appended bytes.
    @discardableResult
    public static func appendStringPrefix(_ prefix: String, maxStringBytes: Int, descending: Bool = false,
                                          to output: inout [UInt8]) -> Bool {
        UTF8Text.withBytes(prefix) { utf8 in
            let start = output.count
            output.append(tagString)
            // A string kept whole holds all of the prefix; a truncated one, at least its first `cut` bytes: the
            // same whole characters fit the same budget.
            let cut = escapedLength(utf8) <= maxStringBytes - truncationOverhead
                ? utf8.count : truncationCut(utf8, maxStringBytes: maxStringBytes)
            appendEscaped(UnsafeRawBufferPointer(rebasing: utf8[..<cut]), to: &output)
            if descending { invert(&output, from: start) }
            return cut == utf8.count
        }
    }

    static func appendDigest(_ digest: [UInt8], to output: inout [UInt8]) {
        precondition(digest.count >= digestLength, "the digest function must return at least 16 bytes")
        output.append(contentsOf: digest[..<digestLength])
    }
}

// MARK: - Splitting and decoding

extension OrderedEncoding {
    /// Returns the index just past the component that starts at `start`.
    ///
    /// Handles every form (full, truncated string, hashed container) in ascending or descending
    /// (inverted) order. It checks framing only; use ``decode(_:from:descending:)`` for full
    /// validation.
    ///
    /// - Parameters:
    ///   - bytes: A buffer holding one or more concatenated components.
    ///   - start: The index of the component's tag byte.
    ///   - descending: Whether the component was written inverted.
    /// - Returns: The end index, or `nil` if the bytes are malformed or truncated.
    public static func componentEnd(
        in bytes: UnsafeRawBufferPointer,
        from start: Int,
        descending: Bool = false
    ) -> Int? {
        let flip: UInt8 = descending ? 0xFF : 0x00
        let n = bytes.count
        var i = start
        var depth = 0
        repeat {
            guard i >= 0, i < n else { return nil }
            let tag = bytes[i] ^ flip
            switch tag {
            case terminator where depth > 0:
                depth -= 1
                i += 1
            case tagUndefined, tagNull, tagFalse, tagTrue:
                i += 1
            case tagNumber:
                i += 9
            case tagString:
                guard let end = stringEnd(bytes, from: i + 1, flip: flip) else { return nil }
                i = end.end
            case tagArray, tagObject:
                guard i + 1 < n else { return nil }
                if bytes[i + 1] ^ flip == 0x00 {
                    i += 2 + digestLength
                } else {
                    depth += 1
                    i += 1
                }
            default:
                return nil
            }
        } while depth > 0
        return i <= n ? i : nil
    }

    /// Scans an escaped string body starting at `from`; returns the end and whether it is truncated.
    static func stringEnd(
        _ bytes: UnsafeRawBufferPointer,
        from: Int,
        flip: UInt8
    ) -> (end: Int, truncated: Bool, bodyEnd: Int)? {
        var i = from
        let n = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while i < n {
            // Every control sequence starts with the (possibly inverted) byte 0x00: find the next one at once.
            guard let control = memchr(base + i, Int32(flip), n - i) else { return nil }
            i = base.distance(to: UnsafeRawPointer(control))
            guard i + 1 < n else { return nil }
            switch bytes[i + 1] ^ flip {
            case escapeByte:
                i += 2
            case terminator:
                return (i + 2, false, i)
            case truncationMarker:
                let end = i + 2 + digestLength
                return end <= n ? (end, true, i) : nil
            default:
                return nil
            }
        }
        return nil
    }

    /// Decodes the component that starts at `from`.
    ///
    /// - Parameters:
    ///   - bytes: A buffer holding one or more concatenated components.
    ///   - from: The index of the component's tag byte.
    ///   - descending: Whether the component was written inverted.
    /// - Returns: The component and the index just past it.
    /// - Throws: ``JSONError`` with code ``JSONError/Code/invalidEncoding`` if the bytes are malformed,
    ///   truncated, or nest deeper than 512 levels.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        from: Int = 0,
        descending: Bool = false
    ) throws(JSONError) -> (component: Component, end: Int) {
        let decoder = OrderedDecoder(bytes: bytes, flip: descending ? 0xFF : 0x00)
        return try decoder.component(at: from, depth: 0)
    }
}

// MARK: - Comparing values

extension OrderedEncoding {
    /// Compares two values in the order of their encodings, without encoding them.
    ///
    /// Agrees with byte-wise comparison of ``encode(_:descending:)`` (ascending) for all values.
    /// Comparing two scalars costs a switch and at most one integer or byte comparison.
    ///
    /// - Parameters:
    ///   - a: A value; `nil` is undefined.
    ///   - b: Another value; `nil` is undefined.
    /// - Returns: A negative number if `a` sorts first, zero if the encodings are equal, a positive
    ///   number if `b` sorts first.
    public static func compare(_ a: JSONValue?, _ b: JSONValue?) -> Int {
        let rankA = rank(a)
        let rankB = rank(b)
        guard rankA == rankB else { return rankA < rankB ? -1 : 1 }
        switch (a, b) {
        case let (.number(x)?, .number(y)?):
            let ox = orderedBits(x)
            let oy = orderedBits(y)
            return ox == oy ? 0 : (ox < oy ? -1 : 1)
        case let (.string(x)?, .string(y)?):
            return UTF8Text.compare(x, y)
        case let (.array(x)?, .array(y)?):
            for i in 0..<min(x.count, y.count) {
                let order = compare(x[i], y[i])
                if order != 0 { return order }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case let (.object(x)?, .object(y)?):
            let xKeys = x.keys
            let yKeys = y.keys
            for i in 0..<min(x.count, y.count) {
                let keyOrder = UTF8Text.compare(xKeys[i], yKeys[i])
                if keyOrder != 0 { return keyOrder }
                let valueOrder = compare(x.value(at: i), y.value(at: i))
                if valueOrder != 0 { return valueOrder }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        default:
            return 0
        }
    }

    /// The tag byte of a value's encoding, which orders the types.
    @inline(__always)
    static func rank(_ value: JSONValue?) -> UInt8 {
        guard let value else { return tagUndefined }
        switch value {
        case .null: return tagNull
        case .bool(let flag): return flag ? tagTrue : tagFalse
        case .number: return tagNumber
        case .string: return tagString
        case .array: return tagArray
        case .object: return tagObject
        }
    }
}
