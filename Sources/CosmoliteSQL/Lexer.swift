// SPDX-License-Identifier: Apache-2.0

// MARK: - Lexer

/// Splits query text into tokens.
///
/// - Whitespace is space, tab, line feed, carriage return, vertical tab and form feed. `--` starts a comment that
///   runs to the end of the line, as in the service (`c.n = 0 --1` compares with 0).
/// - Identifiers are `[A-Za-z_][A-Za-z0-9_]*`. Those spelling a ``Keyword`` in any case are keywords, except the
///   literals `true`, `false`, `null`, `undefined` and the prefix `udf`, which are keywords only in lower case
///   (Cosmos's grammar): `TRUE` is an identifier, so an unresolved name, as in the service.
/// - Parameters are `@` followed by `[A-Za-z0-9_]+`.
/// - Numbers are `digits [. [digits]] [(e|E) [+|-] digits]` or `. digits [(e|E) [+|-] digits]` (`5.` and `.5`), or
///   `0x` and hexadecimal digits; with no sign (a leading `-` is an operator).
/// - Strings are quoted with `'` or `"` and may span lines; escapes are `\' \" \\ \/ \b \f \n \r \t`
///   and `\uXXXX` (a UTF-16 surrogate pair is two escapes).
///
/// The lexer never throws: on the first problem it emits an ``Token/Kind/invalid`` token, returns
/// the error beside the tokens and stops, so the parser can report errors in the order they appear
/// in the text.
struct Lexer {
    /// The query text.
    let source: SourceText
    /// The byte offset of the next unread byte.
    private var position = 0

    /// Creates a lexer over `source`.
    init(source: SourceText) {
        self.source = source
    }

    /// Reads all tokens. The last token is `.end`, or `.invalid` when the text has an error, which
    /// is returned too.
    mutating func tokenize() -> (tokens: [Token], error: QuerySyntaxError?) {
        var tokens: [Token] = []
        while true {
            skipWhitespace()
            let start = position
            guard start < source.bytes.count else {
                tokens.append(Token(kind: .end, offset: start, length: 0))
                return (tokens, nil)
            }
            do throws(QuerySyntaxError) {
                let kind = try readToken()
                tokens.append(Token(kind: kind, offset: start, length: position - start))
            } catch {
                tokens.append(Token(kind: .invalid, offset: error.span?.offset ?? start, length: 0))
                return (tokens, error)
            }
        }
    }

    // MARK: Bytes

    private var bytes: [UInt8] { source.bytes }

    private func byte(at offset: Int) -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    /// Skips whitespace and `--` comments.
    private mutating func skipWhitespace() {
        while let current = byte(at: position) {
            if Self.isWhitespace(current) {
                position += 1
            } else if current == UInt8(ascii: "-"), byte(at: position + 1) == UInt8(ascii: "-") {
                while let next = byte(at: position), next != 0x0A, next != 0x0D {
                    position += 1
                }
            } else {
                return
            }
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
    }

    // MARK: Tokens

    private mutating func readToken() throws(QuerySyntaxError) -> Token.Kind {
        let first = bytes[position]
        if Self.isLetter(first) || first == UInt8(ascii: "_") {
            return readWord()
        }
        if Self.isDigit(first) || (first == UInt8(ascii: ".") && byte(at: position + 1).map(Self.isDigit) == true) {
            return try readNumber()
        }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "@"):
            return try readParameter()
        default:
            return try readSymbol()
        }
    }

    private mutating func readWord() -> Token.Kind {
        let start = position
        while let current = byte(at: position), Self.isIdentifierByte(current) {
            position += 1
        }
        let word = source.text(offset: start, length: position - start)
        if let keyword = Keyword(spelling: word) {
            return .keyword(keyword)
        }
        return .identifier(word)
    }

    /// ASCII-only uppercasing (identifiers are ASCII).
    static func uppercased(_ word: String) -> String {
        String(decoding: word.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    private mutating func readParameter() throws(QuerySyntaxError) -> Token.Kind {
        let start = position
        position += 1
        while let current = byte(at: position), Self.isIdentifierByte(current) {
            position += 1
        }
        guard position > start + 1 else {
            throw .at(source.span(offset: start, length: 1), "'@' must be followed by a parameter name", found: "@")
        }
        return .parameter(source.text(offset: start + 1, length: position - start - 1))
    }

    private mutating func readNumber() throws(QuerySyntaxError) -> Token.Kind {
        let start = position
        if bytes[position] == UInt8(ascii: "0"), let x = byte(at: position + 1), x | 0x20 == UInt8(ascii: "x") {
            return try readHexadecimal()
        }
        skipDigits()
        var valid = true
        if byte(at: position) == UInt8(ascii: ".") {
            position += 1
            skipDigits()
        }
        if valid, let marker = byte(at: position), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            position += 1
            if let sign = byte(at: position), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                position += 1
            }
            if let next = byte(at: position), Self.isDigit(next) {
                skipDigits()
            } else {
                valid = false
            }
        }
        // A number running straight into a name (`12abc`, `1e`, `1.x`) is one bad token.
        while let current = byte(at: position), Self.isIdentifierByte(current) {
            valid = false
            position += 1
        }
        let text = source.text(offset: start, length: position - start)
        guard valid, let value = Double(text) else {
            throw numberError(start: start, text: text, detail: "invalid number '%'")
        }
        guard value.isFinite else {
            throw numberError(start: start, text: text, detail: "number '%' is out of range")
        }
        return .number(value)
    }

    /// Reads `0x` and hexadecimal digits (`0x1F` is 31), exact up to 2^53.
    private mutating func readHexadecimal() throws(QuerySyntaxError) -> Token.Kind {
        let start = position
        position += 2
        var value: UInt64 = 0
        var valid = true
        var digits = 0
        while let current = byte(at: position), Self.isIdentifierByte(current) {
            position += 1
            guard let digit = Self.hexValue(current) else {
                valid = false
                continue
            }
            digits += 1
            // Past 2^53 the value stays just above it, so any longer number is out of range.
            value = min(value << 4 | UInt64(digit), 1 << 53 + 1)
        }
        let text = source.text(offset: start, length: position - start)
        guard valid, digits > 0 else {
            throw numberError(start: start, text: text, detail: "invalid number '%'")
        }
        guard value <= 1 << 53 else {
            throw numberError(start: start, text: text, detail: "number '%' is out of range (at most 0x20000000000000)")
        }
        return .number(Double(value))
    }

    /// The error for the bad number `text` at `start`; `%` in `detail` is replaced by the text.
    private func numberError(start: Int, text: String, detail: String) -> QuerySyntaxError {
        let shown = QuerySyntaxError.quoted(text)
        let message = detail.replacing("%", with: shown)
        return .at(source.span(offset: start, length: text.utf8.count), message, found: shown)
    }

    private mutating func skipDigits() {
        while let current = byte(at: position), Self.isDigit(current) {
            position += 1
        }
    }

    private mutating func readString() throws(QuerySyntaxError) -> Token.Kind {
        let start = position
        let quote = bytes[position]
        position += 1
        var value: [UInt8] = []
        while true {
            guard let current = byte(at: position) else {
                let opening = source.span(offset: start, length: 1)
                throw .at(
                    source.span(offset: bytes.count, length: 0),
                    "unterminated string starting at line \(opening.line), column \(opening.column)",
                    found: QuerySyntaxError.endOfQuery
                )
            }
            if current == quote {
                position += 1
                return .string(String(decoding: value, as: UTF8.self))
            }
            if current == UInt8(ascii: "\\") {
                try readEscape(into: &value)
            } else {
                value.append(current)
                position += 1
            }
        }
    }

    private mutating func readEscape(into value: inout [UInt8]) throws(QuerySyntaxError) {
        let start = position
        guard let marker = byte(at: position + 1) else {
            position += 1  // the string is unterminated; the caller reports it
            return
        }
        position += 2
        let simple: UInt8? =
            switch marker {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): marker
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            value.append(simple)
            return
        }
        guard marker == UInt8(ascii: "u") else {
            let length = Self.scalarLength(leadingByte: marker)
            let text = source.text(offset: start, length: 1 + length)
            throw .at(source.span(offset: start, length: 1 + length), "invalid escape '\(text)' in string", found: text)
        }
        var unit = try readHexQuad(escapeStart: start)
        if (0xD800...0xDBFF).contains(unit) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard byte(at: position) == UInt8(ascii: "\\"), byte(at: position + 1) == UInt8(ascii: "u") else {
                throw invalidUnicodeEscape(start: start)
            }
            position += 2
            let low = try readHexQuad(escapeStart: start)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw invalidUnicodeEscape(start: start)
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(unit) {
            throw invalidUnicodeEscape(start: start)
        }
        guard let scalar = Unicode.Scalar(unit) else {
            throw invalidUnicodeEscape(start: start)
        }
        value.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// Reads the four hex digits of a `\u` escape whose backslash is at `escapeStart`.
    private mutating func readHexQuad(escapeStart: Int) throws(QuerySyntaxError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = byte(at: position).flatMap(Self.hexValue) else {
                throw invalidUnicodeEscape(start: escapeStart)
            }
            unit = unit << 4 | digit
            position += 1
        }
        return unit
    }

    /// The error for a bad `\u` escape that starts at `start` and was read up to the current position.
    private func invalidUnicodeEscape(start: Int) -> QuerySyntaxError {
        let length = min(position, bytes.count) - start
        let text = QuerySyntaxError.quoted(source.text(offset: start, length: length))
        let span = source.span(offset: start, length: length)
        return .at(span, "invalid unicode escape '\(text)' in string", found: text)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The number of bytes in the UTF-8 sequence that starts with `leadingByte`.
    static func scalarLength(leadingByte: UInt8) -> Int {
        switch leadingByte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }

    private mutating func readSymbol() throws(QuerySyntaxError) -> Token.Kind {
        // Longest match first.
        for length in [3, 2, 1] where position + length <= bytes.count {
            let text = source.text(offset: position, length: length)
            if let symbol = Symbol(rawValue: text) {
                position += length
                return .symbol(symbol)
            }
        }
        let length = min(Self.scalarLength(leadingByte: bytes[position]), bytes.count - position)
        let text = source.text(offset: position, length: length)
        let shown = text.unicodeScalars.first.map(Self.describe) ?? "'\(text)'"
        throw .at(source.span(offset: position, length: length), "unexpected character \(shown)", found: text)
    }

    /// `'#'` for a printable character, `U+0000` for a control or invisible one.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let invisible =
            scalar.value < 0x20 || (0x7F...0xA0).contains(scalar.value) || scalar.properties.isWhitespace
            || scalar.properties.generalCategory == .format
        if invisible {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(scalar)'"
    }
}
