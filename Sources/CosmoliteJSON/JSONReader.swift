// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONReader

/// A strict RFC 8259 JSON parser.
///
/// The reader works directly on raw UTF-8 bytes with index arithmetic and builds one `String` per
/// string token. It accepts exactly one value surrounded by optional whitespace (space, tab, line
/// feed, carriage return) and rejects everything else:
///
/// - invalid UTF-8 in strings (overlong forms, encoded surrogates, code points above U+10FFFF,
///   truncated sequences) and any non-ASCII byte outside strings;
/// - raw control characters (below U+0020) inside strings, unknown escapes and unpaired surrogate
///   escapes;
/// - numbers outside the RFC grammar (`01`, `+1`, `.5`, `1.`, hex, `NaN`, `Infinity`) and numbers
///   that overflow a double (`1e400`);
/// - nesting deeper than ``Options/maxDepth`` and, unless allowed, duplicate keys in an object.
///
/// Numbers are correctly rounded to the nearest double: integers of up to 15 digits and short
/// decimals take an exact fast path; everything else goes through the C library's `strtod`.
///
/// The parser is recursive; its stack use is bounded by ``Options/maxDepth``.
public enum JSONReader {
    /// Parser settings.
    public struct Options: Sendable, Hashable {
        /// The maximum nesting of arrays and objects; a deeper document is rejected with
        /// ``JSONError/Code/nestingTooDeep``. `[]` has depth 1. Defaults to 128.
        public var maxDepth: Int
        /// Whether an object may contain the same key more than once. When allowed, the last value
        /// wins and the member keeps the position of the first occurrence. Defaults to `false`.
        public var allowDuplicateKeys: Bool

        /// Creates parser settings.
        ///
        /// - Parameters:
        ///   - maxDepth: The maximum nesting of arrays and objects (default 128).
        ///   - allowDuplicateKeys: Whether duplicate keys are accepted (default `false`).
        public init(maxDepth: Int = 128, allowDuplicateKeys: Bool = false) {
            self.maxDepth = maxDepth
            self.allowDuplicateKeys = allowDuplicateKeys
        }
    }

    // MARK: Entry points

    /// Parses one JSON document from raw UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - bytes: The complete document.
    ///   - options: Parser settings.
    /// - Returns: The parsed value.
    /// - Throws: ``JSONError`` describing the first problem and its byte offset.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        options: Options = .init()
    ) throws(JSONError) -> JSONValue {
        try withParser(bytes, options: options) { (parser) throws(JSONError) -> JSONValue in try parser.parseDocument() }
    }

    /// Runs `body` with a parser over `bytes` (not empty), whose workspace is on the call stack.
    private static func withParser<Result>(
        _ bytes: UnsafeRawBufferPointer,
        options: Options,
        _ body: (inout JSONParser) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONError(code: .emptyInput, byteOffset: 0, message: "input is empty")
        }
        return try JSONParser.withParser(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count,
                                         options: options, body)
    }

    /// Parses one JSON document from a byte array.
    ///
    /// - Parameters:
    ///   - bytes: The complete document as UTF-8.
    ///   - options: Parser settings.
    /// - Returns: The parsed value.
    /// - Throws: ``JSONError`` describing the first problem and its byte offset.
    public static func parse(_ bytes: [UInt8], options: Options = .init()) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer, options: options) }
        }
        return try result.get()
    }

    /// Parses one JSON document from any collection of bytes.
    ///
    /// Contiguous collections are parsed in place; others are copied once.
    ///
    /// - Parameters:
    ///   - bytes: The complete document as UTF-8.
    ///   - options: Parser settings.
    /// - Returns: The parsed value.
    /// - Throws: ``JSONError`` describing the first problem and its byte offset.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        options: Options = .init()
    ) throws(JSONError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> JSONValue in
                try parse(UnsafeRawBufferPointer(buffer), options: options)
            }
        }
        if let result {
            return try result.get()
        }
        return try parse(Array(bytes), options: options)
    }

    /// Parses one JSON document from a string.
    ///
    /// Byte offsets in errors refer to the string's UTF-8 representation.
    ///
    /// - Parameters:
    ///   - text: The complete document.
    ///   - options: Parser settings.
    /// - Returns: The parsed value.
    /// - Throws: ``JSONError`` describing the first problem and its byte offset.
    public static func parse(_ text: String, options: Options = .init()) throws(JSONError) -> JSONValue {
        try parse(text.utf8, options: options)
    }
}

extension JSONReader {
    /// Validates one JSON document exactly as `parse(_:options:)` does, but builds only the
    /// top-level members that `selection` names.
    ///
    /// For callers that decide from a few members whether the whole document is needed at all (a
    /// write that a unique key or an existing id will refuse, say): every other value is checked
    /// (UTF-8, escapes, numbers, nesting, duplicate keys) without being built.
    ///
    /// - Parameters:
    ///   - bytes: The complete document.
    ///   - selection: The keys of the top-level members to build, compared by UTF-8 bytes.
    ///   - options: Parser settings.
    /// - Returns: An object holding the named members that are present, in document order, or `nil`
    ///   when the document is valid but not an object.
    /// - Throws: ``JSONError``, the same error `parse(_:options:)` throws for the input.
    public static func parseMembers(
        _ bytes: UnsafeRawBufferPointer,
        selecting selection: JSONMemberSelection,
        options: Options = .init()
    ) throws(JSONError) -> JSONObject? {
        try withParser(bytes, options: options) { (parser) throws(JSONError) -> JSONObject? in
            try parser.parseDocument(selecting: selection)
        }
    }
}
