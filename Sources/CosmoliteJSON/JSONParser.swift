// SPDX-License-Identifier: Apache-2.0

// MARK: - JSONParser

/// The parsing state of ``JSONReader`` over one input buffer.
///
/// Members of the containers being parsed accumulate on shared stacks (nested containers push and
/// pop above them); a finished container moves its members off the stacks into arrays of exact
/// size, so no member is copied, retained or released on the way.
struct JSONParser: ~Copyable {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    let allowDuplicateKeys: Bool
    var pos = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: JSONParseStack<UInt8>
    /// Keys of the objects being parsed, innermost last; each object uses the top of the stack.
    var keys: JSONParseStack<String>
    /// ``keyFingerprint(_:count:)`` of each entry of `keys`, for duplicate detection.
    var fingerprints: JSONParseStack<UInt64>
    /// Object member values and array elements being parsed, innermost last.
    var values: JSONParseStack<JSONValue>

    /// The size of each of the two workspace regions that the parser's stacks start in.
    ///
    /// At most 1024 bytes, so that `withUnsafeTemporaryAllocation` always places them on the call
    /// stack (larger sizes make it ask the system how much stack is left).
    static let regionByteCount = 1024
    /// The initial capacity of the key and fingerprint stacks, enough for typical documents.
    static let keyCapacity = 32

    /// Creates a parser over `count` bytes at `base`.
    ///
    /// The stacks start in two regions of ``regionByteCount`` bytes aligned to 16, which must
    /// outlive the parser: `values` fills `valueRegion`; `keys`, `fingerprints` and `scratch` share
    /// `otherRegion`. A typical parse allocates nothing besides the values it returns.
    init(
        base: UnsafePointer<UInt8>,
        count: Int,
        options: JSONReader.Options,
        valueRegion: UnsafeMutableRawPointer,
        otherRegion: UnsafeMutableRawPointer
    ) {
        self.base = base
        self.count = count
        self.maxDepth = options.maxDepth
        self.allowDuplicateKeys = options.allowDuplicateKeys
        values = JSONParseStack(
            lentStorage: valueRegion,
            capacity: Self.regionByteCount / JSONParseStack<JSONValue>.byteCount(capacity: 1)
        )
        // Largest alignment first, so each part starts aligned.
        var next = otherRegion
        keys = JSONParseStack(lentStorage: next, capacity: Self.keyCapacity)
        next += JSONParseStack<String>.byteCount(capacity: Self.keyCapacity)
        fingerprints = JSONParseStack(lentStorage: next, capacity: Self.keyCapacity)
        next += JSONParseStack<UInt64>.byteCount(capacity: Self.keyCapacity)
        scratch = JSONParseStack(lentStorage: next, capacity: Self.regionByteCount - (next - otherRegion))
    }

    /// Runs `body` with a parser over the `count` bytes at `base`, whose workspace is on the call stack.
    static func withParser<Result>(
        base: UnsafePointer<UInt8>,
        count: Int,
        options: JSONReader.Options,
        _ body: (inout JSONParser) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        try withUnsafeTemporaryAllocation(
            byteCount: regionByteCount,
            alignment: 16
        ) { (valueRegion) throws(JSONError) -> Result in
            try withUnsafeTemporaryAllocation(
                byteCount: regionByteCount,
                alignment: 16
            ) { (otherRegion) throws(JSONError) -> Result in
                var parser = JSONParser(
                    base: base,
                    count: count,
                    options: options,
                    valueRegion: valueRegion.baseAddress!,
                    otherRegion: otherRegion.baseAddress!
                )
                return try body(&parser)
            }
        }
    }

    // MARK: Document and values

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        try expectStartOfDocument()
        let value = try parseValue()
        try expectEndOfDocument()
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
        guard try openContainer(closing: UInt8(ascii: "}")) else { return .object(JSONObject()) }
        let first = keys.count
        let firstValue = values.count
        var seen: [UTF8Key: Int]?
        // One bit per member, chosen by the top bits of its key's fingerprint: a key whose bit is
        // clear is certainly new, so most keys skip the duplicate scan entirely.
        var fingerprintBits: UInt64 = 0
        while true {
            try expectKeyQuote()
            let keyOffset = pos
            let (key, fingerprint) = try parseKey()
            try consumeColon()
            let value = try parseValue()
            let fingerprintBit: UInt64 = 1 &<< (fingerprint &>> 58)
            let existing = if let seen {
                seen[UTF8Key(string: key)]
            } else if fingerprintBits & fingerprintBit == 0 {
                Int?.none
            } else {
                Self.position(of: key, fingerprint: fingerprint, in: keys, fingerprints, from: first)
            }
            if let existing {
                guard allowDuplicateKeys else { throw duplicateKey(key, at: keyOffset) }
                values[firstValue + existing] = value
            } else {
                keys.push(key)
                fingerprints.push(fingerprint)
                fingerprintBits |= fingerprintBit
                values.push(value)
                let members = keys.count - first
                if seen != nil {
                    seen![UTF8Key(string: keys[keys.count - 1])] = members - 1
                } else if members > JSONObject.indexThreshold {
                    var table: [UTF8Key: Int] = [:]
                    table.reserveCapacity(members * 2)
                    for i in first..<keys.count { table[UTF8Key(string: keys[i])] = i - first }
                    seen = table
                }
            }
            guard try continueAfterElement(closing: UInt8(ascii: "}"), "expected ',' or '}' after object member") else {
                break
            }
        }
        depth -= 1
        fingerprints.pop(from: first)
        let object = JSONObject(
            uniqueKeys: keys.popArray(from: first),
            values: values.popArray(from: firstValue),
            lookup: seen
        )
        return .object(object)
    }

    /// The position of `key` among the members of a small object whose keys start at `first` on
    /// the `keys` stack, comparing fingerprints first and bytes only when they match.
    ///
    /// (Objects past ``JSONObject/indexThreshold`` members look keys up in a hash table instead.)
    @inline(__always)
    static func position(
        of key: String,
        fingerprint: UInt64,
        in keys: borrowing JSONParseStack<String>,
        _ fingerprints: borrowing JSONParseStack<UInt64>,
        from first: Int
    ) -> Int? {
        let candidates = fingerprints.elements(from: first)
        for i in candidates.indices where candidates[i] == fingerprint {
            if sameKey(keys.elements(from: first)[i], key) { return i }
        }
        return nil
    }

    /// Byte equality of two keys, kept out of line: it only runs when fingerprints match.
    @inline(never)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        UTF8Text.equal(a, b)
    }

    mutating func parseArray() throws(JSONError) -> JSONValue {
        guard try openContainer(closing: UInt8(ascii: "]")) else { return .array([]) }
        let first = values.count
        while true {
            values.push(try parseValue())
            guard try continueAfterElement(closing: UInt8(ascii: "]"), "expected ',' or ']' after array element") else {
                break
            }
        }
        depth -= 1
        return .array(values.popArray(from: first))
    }

    // MARK: Punctuation (shared with the validating walk of JSONParser+Selecting.swift)

    /// Skips leading whitespace and checks that a value follows.
    mutating func expectStartOfDocument() throws(JSONError) {
        skipWhitespace()
        guard pos < count else {
            throw JSONError(code: .emptyInput, byteOffset: pos, message: "input contains no JSON value")
        }
    }

    /// Skips trailing whitespace and checks that nothing else follows the document's value.
    mutating func expectEndOfDocument() throws(JSONError) {
        skipWhitespace()
        if pos < count {
            throw JSONError(
                code: .trailingCharacters,
                byteOffset: pos,
                message: "unexpected \(JSONError.describe(byte: base[pos])) after the JSON value"
            )
        }
    }

    /// Enters the object or array whose opening byte is at `pos` (counting its depth) and skips the
    /// whitespace inside; returns `false`, having consumed it whole, when it is empty (`closing` follows).
    @inline(__always)
    mutating func openContainer(closing: UInt8) throws(JSONError) -> Bool {
        try enterContainer()
        pos += 1
        skipWhitespace()
        if pos < count, base[pos] == closing {
            pos += 1
            depth -= 1
            return false
        }
        return true
    }

    /// Checks that an object key starts at `pos`.
    @inline(__always)
    func expectKeyQuote() throws(JSONError) {
        guard pos < count else { throw endOfInput("expected '\"' to begin an object key") }
        guard base[pos] == UInt8(ascii: "\"") else { throw unexpected("expected '\"' to begin an object key") }
    }

    /// Consumes the `:` after an object key and the whitespace around it.
    @inline(__always)
    mutating func consumeColon() throws(JSONError) {
        skipWhitespace()
        guard pos < count else { throw endOfInput("expected ':' after object key") }
        guard base[pos] == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
        pos += 1
        skipWhitespace()
    }

    /// Consumes what follows an object member or array element: `,` (and whitespace; returns `true`) or the
    /// container's `closing` byte (returns `false`); anything else is an error saying `expectation`.
    @inline(__always)
    mutating func continueAfterElement(closing: UInt8, _ expectation: String) throws(JSONError) -> Bool {
        skipWhitespace()
        guard pos < count else { throw endOfInput(expectation) }
        let c = base[pos]
        pos += 1
        if c == UInt8(ascii: ",") {
            skipWhitespace()
            return true
        } else if c == closing {
            return false
        }
        pos -= 1
        throw unexpected(expectation)
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
        Self.endOfInput(expectation, at: offset ?? pos)
    }

    static func endOfInput(_ expectation: String, at offset: Int) -> JSONError {
        JSONError(
            code: .unexpectedEndOfInput,
            byteOffset: offset,
            message: "unexpected end of input; \(expectation)"
        )
    }

    func invalidNumber(_ problem: String, at offset: Int) -> JSONError {
        let found = offset < count ? ", found \(JSONError.describe(byte: base[offset]))" : " before end of input"
        return JSONError(code: .invalidNumber, byteOffset: offset, message: "invalid number: \(problem)\(found)")
    }

    static func controlCharacter(_ byte: UInt8, at offset: Int) -> JSONError {
        let hex = String(byte, radix: 16, uppercase: true)
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
