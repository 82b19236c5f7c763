// SPDX-License-Identifier: Apache-2.0

// MARK: - Keyword

/// A reserved word of the query language. Keywords are matched case-insensitively and cannot be
/// used as names (aliases, container names, property names after `.`, unquoted object member
/// names); `c["value"]` reaches a property named like a keyword.
enum Keyword: String, Sendable, Hashable, CaseIterable {
    case and = "AND"
    case `as` = "AS"
    case asc = "ASC"
    case between = "BETWEEN"
    case by = "BY"
    case desc = "DESC"
    case distinct = "DISTINCT"
    case escape = "ESCAPE"
    case `false` = "FALSE"
    case from = "FROM"
    case group = "GROUP"
    case `in` = "IN"
    case join = "JOIN"
    case like = "LIKE"
    case limit = "LIMIT"
    case not = "NOT"
    case null = "NULL"
    case offset = "OFFSET"
    case or = "OR"
    case order = "ORDER"
    case select = "SELECT"
    case top = "TOP"
    case `true` = "TRUE"
    case udf = "UDF"
    case undefined = "UNDEFINED"
    case value = "VALUE"
    case `where` = "WHERE"

    /// The keyword `word` spells, if any. Keywords are case-insensitive, except the literals `true`, `false`,
    /// `null`, `undefined` and the prefix `udf`, which are keywords only in lower case, as in Cosmos's grammar
    /// (`TRUE` is a name).
    init?(spelling word: String) {
        guard let keyword = Keyword(rawValue: Lexer.uppercased(word)) else { return nil }
        switch keyword {
        case .true, .false, .null, .undefined, .udf:
            guard word == keyword.rawValue.lowercased() else { return nil }
        default:
            break
        }
        self = keyword
    }

    /// How the keyword is named in "expected ..." lists: `'SELECT'`.
    var quoted: String { "'\(rawValue)'" }
}

// MARK: - Symbol

/// An operator or punctuation token.
enum Symbol: String, Sendable, Hashable, CaseIterable {
    case leftParen = "("
    case rightParen = ")"
    case leftBracket = "["
    case rightBracket = "]"
    case leftBrace = "{"
    case rightBrace = "}"
    case comma = ","
    case dot = "."
    case colon = ":"
    case question = "?"
    case coalesce = "??"
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case percent = "%"
    case concat = "||"
    case pipe = "|"
    case ampersand = "&"
    case caret = "^"
    case tilde = "~"
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case zeroFillShiftRight = ">>>"
    case equal = "="
    case notEqual = "!="
    case lessGreater = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// How the symbol is named in "expected ..." lists: `')'`.
    var quoted: String { "'\(rawValue)'" }
}

// MARK: - Token

/// One lexical token of query text.
struct Token: Sendable, Hashable {
    /// What the token is.
    enum Kind: Sendable, Hashable {
        /// A name that is not a keyword, case preserved (`c`, `root`, `StartsWith`).
        case identifier(String)
        /// A reserved word.
        case keyword(Keyword)
        /// A number literal (always finite and non-negative; a leading `-` is a separate token).
        case number(Double)
        /// A string literal with its escapes resolved.
        case string(String)
        /// A parameter, without the leading `@`.
        case parameter(String)
        /// An operator or punctuation.
        case symbol(Symbol)
        /// The end of the query text.
        case end
        /// Text the lexer could not read; parsing stops with the lexer's error when it reaches the
        /// token.
        case invalid
    }

    /// What the token is.
    var kind: Kind
    /// The UTF-8 byte offset of the token in the query text.
    var offset: Int
    /// The length of the token in UTF-8 bytes.
    var length: Int

    /// Whether the token is the keyword `keyword`.
    func `is`(_ keyword: Keyword) -> Bool {
        if case .keyword(let found) = kind { return found == keyword }
        return false
    }

    /// Whether the token is the symbol `symbol`.
    func `is`(_ symbol: Symbol) -> Bool {
        if case .symbol(let found) = kind { return found == symbol }
        return false
    }

    /// The name when the token is an identifier.
    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }
}
