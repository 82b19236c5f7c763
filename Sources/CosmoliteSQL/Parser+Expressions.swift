// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - Node

/// A parsed expression with the height of its tree (a leaf has height 1), so the parser can refuse
/// trees deeper than ``Parser/maxDepth`` without walking them.
struct Node {
    /// The expression.
    var expression: Expression
    /// The height of the expression tree.
    var height: Int
}

// MARK: - Precedence

/// Binding strength of operators, loosest first:
/// `?:` < `??` < `OR` < `AND` < `NOT` < comparisons, `IN`, `BETWEEN`, `LIKE` < `|` < `^` < `&`
/// < shifts < `+ - ||` < `* / %` < prefix `- + ~` < postfix `.name` and `[index]`.
/// Binary operators are left-associative; `?:` is right-associative.
enum Precedence {
    static let coalesce = 1
    static let or = 2
    static let and = 3
    static let not = 4
    static let comparison = 5
    static let bitwiseOr = 6
    static let bitwiseXor = 7
    static let bitwiseAnd = 8
    static let shift = 9
    static let additive = 10
    static let multiplicative = 11
}

// MARK: - Expressions

extension Parser {
    /// Parses an expression in which aggregate calls are an error naming `clause`.
    mutating func parseExpression(forbiddingAggregatesIn clause: String) throws(QuerySyntaxError) -> Expression {
        let saved = aggregatesForbiddenIn
        aggregatesForbiddenIn = clause
        defer { aggregatesForbiddenIn = saved }
        return try parseExpression().expression
    }

    /// Parses a full expression: `condition ? then : else` or anything looser-binding.
    mutating func parseExpression() throws(QuerySyntaxError) -> Node {
        let start = current
        try enter(start)
        defer { leave() }
        let condition = try parseBinary(minimum: Precedence.coalesce)
        guard current.is(.question) else { return condition }
        let question = advance()
        let then = try parseExpression()
        try expect(.colon)
        let otherwise = try parseExpression()
        return try node(.conditional(condition.expression, then: then.expression, else: otherwise.expression),
                        at: question, children: [condition, then, otherwise])
    }

    /// Whether `token` can begin an expression.
    func isExpressionStart(_ token: Token) -> Bool {
        switch token.kind {
        case .number, .string, .parameter, .identifier:
            true
        case .keyword(let keyword):
            [.true, .false, .null, .undefined, .not, .udf].contains(keyword)
        case .symbol(let symbol):
            [.minus, .plus, .tilde, .leftParen, .leftBracket, .leftBrace].contains(symbol)
        case .end, .invalid:
            false
        }
    }

    // MARK: Depth

    /// Counts one more level of recursion, failing at `token` past ``maxRecursion``.
    mutating func enter(_ token: Token) throws(QuerySyntaxError) {
        depth += 1
        if depth > Self.maxRecursion {
            throw error(at: token, Self.tooDeepDetail)
        }
    }

    /// Undoes one ``enter(_:)``.
    mutating func leave() {
        depth -= 1
    }

    /// Wraps `expression` whose operands are `children`, failing at `token` when the tree gets taller
    /// than ``maxDepth``.
    func node(_ expression: Expression, at token: Token, children: [Node]) throws(QuerySyntaxError) -> Node {
        let height = 1 + children.reduce(0) { max($0, $1.height) }
        if height > Self.maxDepth {
            throw error(at: token, Self.tooDeepDetail)
        }
        return Node(expression: expression, height: height)
    }

    // MARK: Binary operators

    /// The binary operator spelled by `token` and its precedence.
    private func binaryOperator(_ token: Token) -> (BinaryOperator, Int)? {
        switch token.kind {
        case .keyword(.or): return (.or, Precedence.or)
        case .keyword(.and): return (.and, Precedence.and)
        case .symbol(let symbol):
            switch symbol {
            case .coalesce: return (.coalesce, Precedence.coalesce)
            case .equal: return (.equal, Precedence.comparison)
            case .notEqual, .lessGreater: return (.notEqual, Precedence.comparison)
            case .less: return (.less, Precedence.comparison)
            case .lessOrEqual: return (.lessOrEqual, Precedence.comparison)
            case .greater: return (.greater, Precedence.comparison)
            case .greaterOrEqual: return (.greaterOrEqual, Precedence.comparison)
            case .pipe: return (.bitwiseOr, Precedence.bitwiseOr)
            case .caret: return (.bitwiseXor, Precedence.bitwiseXor)
            case .ampersand: return (.bitwiseAnd, Precedence.bitwiseAnd)
            case .shiftLeft: return (.shiftLeft, Precedence.shift)
            case .shiftRight: return (.shiftRight, Precedence.shift)
            case .zeroFillShiftRight: return (.zeroFillShiftRight, Precedence.shift)
            case .plus: return (.add, Precedence.additive)
            case .minus: return (.subtract, Precedence.additive)
            case .concat: return (.concat, Precedence.additive)
            case .star: return (.multiply, Precedence.multiplicative)
            case .slash: return (.divide, Precedence.multiplicative)
            case .percent: return (.modulo, Precedence.multiplicative)
            default: return nil
            }
        default: return nil
        }
    }

    /// Parses operators binding at least as tightly as `minimum` (precedence climbing).
    private mutating func parseBinary(minimum: Int) throws(QuerySyntaxError) -> Node {
        var left: Node
        if current.is(.not), minimum <= Precedence.not {
            let notToken = advance()
            try enter(notToken)
            defer { leave() }
            let operand = try parseBinary(minimum: Precedence.not)
            left = try node(.unary(.not, operand.expression), at: notToken, children: [operand])
        } else {
            left = try parseUnary()
        }
        while true {
            if minimum <= Precedence.comparison, let special = try parseComparisonForm(left) {
                left = special
                continue
            }
            guard let (op, precedence) = binaryOperator(current), precedence >= minimum else {
                return left
            }
            let operatorToken = advance()
            let right = try parseBinary(minimum: precedence + 1)
            left = try node(.binary(op, left.expression, right.expression), at: operatorToken, children: [left, right])
        }
    }

    /// Parses `[NOT] IN (...)`, `[NOT] BETWEEN a AND b` or `[NOT] LIKE p [ESCAPE e]` after `value`,
    /// or returns `nil` when none follows.
    private mutating func parseComparisonForm(_ value: Node) throws(QuerySyntaxError) -> Node? {
        var negated = false
        var keywordToken = current
        if current.is(.not) {
            let next = peek()
            guard next.is(.in) || next.is(.between) || next.is(.like) else { return nil }
            advance()
            negated = true
            keywordToken = current
        }
        guard case .keyword(let keyword) = keywordToken.kind else { return nil }
        switch keyword {
        case .in:
            advance()
            try expect(.leftParen)
            var list: [Node] = []
            repeat {
                list.append(try parseExpression())
            } while consume(.comma)
            try expect(.rightParen, or: ["','"])
            return try node(
                .inList(value.expression, list.map(\.expression), negated: negated),
                at: keywordToken, children: [value] + list)
        case .between:
            advance()
            let low = try parseBinary(minimum: Precedence.bitwiseOr)
            try expect(.and)
            let high = try parseBinary(minimum: Precedence.bitwiseOr)
            return try node(
                .between(value.expression, low: low.expression, high: high.expression, negated: negated),
                at: keywordToken, children: [value, low, high])
        case .like:
            advance()
            let pattern = try parseBinary(minimum: Precedence.bitwiseOr)
            var escape: Node?
            if consume(.escape) {
                escape = try parseBinary(minimum: Precedence.bitwiseOr)
            }
            let children = [value, pattern] + (escape.map { [$0] } ?? [])
            return try node(
                .like(value.expression, pattern: pattern.expression, escape: escape?.expression, negated: negated),
                at: keywordToken, children: children)
        default:
            return nil
        }
    }

    // MARK: Prefix and postfix

    /// Parses prefix `-`, `+` and `~`, folding `-` applied to a number literal into the literal.
    private mutating func parseUnary() throws(QuerySyntaxError) -> Node {
        let op: UnaryOperator
        switch current.kind {
        case .symbol(.minus): op = .negate
        case .symbol(.plus): op = .plus
        case .symbol(.tilde): op = .bitwiseNot
        default: return try parsePostfix()
        }
        let operatorToken = advance()
        try enter(operatorToken)
        defer { leave() }
        let operand = try parseUnary()
        if op == .negate, case .literal(.number(let value)?) = operand.expression {
            return Node(expression: .literal(.number(-value)), height: operand.height)
        }
        return try node(.unary(op, operand.expression), at: operatorToken, children: [operand])
    }

    /// Parses a primary expression followed by `.name` and `[index]` steps.
    private mutating func parsePostfix() throws(QuerySyntaxError) -> Node {
        var base = try parsePrimary()
        while true {
            if current.is(.dot) {
                let dot = advance()
                let name = try expectPropertyName()
                base = try node(.property(base.expression, name), at: dot, children: [base])
            } else if current.is(.leftBracket) {
                let bracket = advance()
                try enter(bracket)
                defer { leave() }
                let index = try parseExpression()
                try expect(.rightBracket)
                base = try node(.index(base.expression, index.expression), at: bracket, children: [base, index])
            } else {
                return base
            }
        }
    }

    // MARK: Primary

    /// Parses a literal, parameter, name, call, parenthesized expression, or array or object
    /// constructor.
    private mutating func parsePrimary() throws(QuerySyntaxError) -> Node {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Node(expression: .literal(.number(value)), height: 1)
        case .string(let value):
            advance()
            return Node(expression: .literal(.string(value)), height: 1)
        case .parameter(let name):
            advance()
            return Node(expression: .parameter(name), height: 1)
        case .keyword(.true), .keyword(.false), .keyword(.null), .keyword(.undefined):
            advance()
            let value: JSONValue? =
                switch token.kind {
                case .keyword(.true): .bool(true)
                case .keyword(.false): .bool(false)
                case .keyword(.null): .null
                default: nil  // undefined
                }
            return Node(expression: .literal(value), height: 1)
        case .keyword(.udf):
            throw error(at: token, "user-defined functions are not supported")
        case .identifier(let name):
            advance()
            if current.is(.leftParen) {
                return try parseCall(nameToken: token, name: name)
            }
            return Node(expression: .identifier(name), height: 1)
        case .symbol(.leftParen):
            advance()
            let inner = try parseExpression()
            try expect(.rightParen)
            return inner
        case .symbol(.leftBracket):
            return try parseArray()
        case .symbol(.leftBrace):
            return try parseObject()
        default:
            throw unexpected(expected: ["an expression"])
        }
    }

    /// Parses `[e1, e2, ...]`.
    private mutating func parseArray() throws(QuerySyntaxError) -> Node {
        let open = advance()
        try enter(open)
        defer { leave() }
        var elements: [Node] = []
        if !consume(.rightBracket) {
            repeat {
                elements.append(try parseExpression())
            } while consume(.comma)
            try expect(.rightBracket, or: ["','"])
        }
        return try node(.array(elements.map(\.expression)), at: open, children: elements)
    }

    /// Parses `{name: e1, "name": e2, ...}`.
    private mutating func parseObject() throws(QuerySyntaxError) -> Node {
        let open = advance()
        try enter(open)
        defer { leave() }
        var members: [ObjectMember] = []
        var values: [Node] = []
        if !consume(.rightBrace) {
            repeat {
                let name: String
                switch current.kind {
                case .string(let value):
                    advance()
                    name = value
                case .identifier(let identifier):
                    advance()
                    name = identifier
                case .keyword:
                    let word = text(of: current)
                    throw .at(
                        span(of: current),
                        "'\(word)' is a reserved word; write \"\(word)\" to use it as a member name",
                        found: word,
                        expected: ["a member name"]
                    )
                default:
                    throw unexpected(expected: ["a member name"])
                }
                try expect(.colon)
                let value = try parseExpression()
                members.append(ObjectMember(name: name, value: value.expression))
                values.append(value)
            } while consume(.comma)
            try expect(.rightBrace, or: ["','"])
        }
        return try node(.object(members), at: open, children: values)
    }

    /// Parses a built-in function call whose name has been read; the current token is `(`.
    private mutating func parseCall(nameToken: Token, name: String) throws(QuerySyntaxError) -> Node {
        let upper = Lexer.uppercased(name)
        guard let counts = BuiltinFunctions.arity[upper] else {
            throw error(at: nameToken, "unknown function '\(QuerySyntaxError.quoted(upper))'")
        }
        let isAggregate = BuiltinFunctions.aggregates.contains(upper)
        if isAggregate {
            if let outer = enclosingAggregate {
                throw error(at: nameToken, "aggregate function \(upper) cannot be nested inside \(outer)")
            }
            if let clause = aggregatesForbiddenIn {
                throw error(at: nameToken, "aggregate function \(upper) is not allowed in \(clause)")
            }
        }
        try enter(nameToken)
        defer { leave() }
        let savedAggregate = enclosingAggregate
        if isAggregate {
            enclosingAggregate = upper
        }
        defer { enclosingAggregate = savedAggregate }
        advance()
        var arguments: [Node] = []
        if !consume(.rightParen) {
            repeat {
                arguments.append(try parseExpression())
            } while consume(.comma)
            try expect(.rightParen, or: ["','"])
        }
        guard counts.contains(arguments.count) else {
            let rule = BuiltinFunctions.describe(counts, got: arguments.count)
            throw error(at: nameToken, "function \(upper) \(rule), got \(arguments.count)")
        }
        return try node(.call(name: upper, arguments: arguments.map(\.expression)), at: nameToken, children: arguments)
    }
}
