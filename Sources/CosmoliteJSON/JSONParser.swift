// SPDX-License-Identifier: Apache-2.0

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
