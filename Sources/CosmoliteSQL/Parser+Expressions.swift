// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - Node

/// A parsed expression with the height of its tree (a leaf has height 1), so the parser can refuse
/// trees taller than ``Parser/maxDepth`` without walking them.
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
//
// Stack discipline: every recursive path passes through `parseExpression`, which counts the
// recursion depth; runs of prefix operators are parsed in loops, not recursively; and the functions
// on recursive paths keep few temporaries (leaf tokens, messages and errors are handled in helper
// functions), because unoptimized builds give every temporary its own stack slot.

extension Parser {
    /// Parses an expression in which aggregate calls are an error naming `clause`.
    mutating func parseExpression(forbiddingAggregatesIn clause: String) throws(ParseFailure) -> Expression {
        let saved = aggregatesForbiddenIn
        aggregatesForbiddenIn = clause
        defer { aggregatesForbiddenIn = saved }
        return try parseExpression().expression
    }

    /// Parses a full expression: `condition ? then : else` or anything looser-binding.
    mutating func parseExpression() throws(ParseFailure) -> Node {
        try enter()
        defer { depth -= 1 }
        let condition = try parseBinary(minimum: Precedence.coalesce)
        guard at(.question) else {
            tallest = max(tallest, condition.height)
            return condition
        }
        let conditional = try parseConditional(condition)
        tallest = max(tallest, conditional.height)
        return conditional
    }

    /// Parses `? then : else` after `condition`.
    private mutating func parseConditional(_ condition: Node) throws(ParseFailure) -> Node {
        let question = index
        skip()
        let then = try parseExpression()
        try expect(.colon)
        let otherwise = try parseExpression()
        return try node(
            .conditional(condition.expression, then: then.expression, else: otherwise.expression),
            at: question, below: max(condition.height, then.height, otherwise.height))
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

    /// Counts one more level of recursion, failing at the current token past ``maxRecursion``.
    private mutating func enter() throws(ParseFailure) {
        depth += 1
        if depth > Self.maxRecursion {
            throw tooDeep(at: index)
        }
    }

    /// The error for nesting too deep, at the token with index `tokenIndex`.
    private func tooDeep(at tokenIndex: Int) -> ParseFailure {
        error(at: tokens[tokenIndex], Self.tooDeepDetail)
    }

    /// Wraps `expression`, whose tallest operand has height `below`, failing at the token with index
    /// `tokenIndex` when the tree gets taller than ``maxDepth``.
    private func node(_ expression: Expression, at tokenIndex: Int, below: Int) throws(ParseFailure) -> Node {
        guard below < Self.maxDepth else { throw tooDeep(at: tokenIndex) }
        return Node(expression: expression, height: below + 1)
    }

    // MARK: Binary operators

    /// The binary operator spelled by the current token and its precedence.
    private func binaryOperator() -> (BinaryOperator, Int)? {
        switch tokens[index].kind {
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

    /// The comparison-level keyword form (`IN`, `BETWEEN`, `LIKE`, optionally after `NOT`) that
    /// starts at the current token, if any.
    private func comparisonKeyword() -> (keyword: Keyword, negated: Bool)? {
        var offset = 0
        if at(.not) {
            offset = 1
        }
        guard case .keyword(let keyword) = peek(offset).kind, [.in, .between, .like].contains(keyword) else {
            return nil
        }
        return (keyword, offset == 1)
    }

    /// Parses operators binding at least as tightly as `minimum` (precedence climbing).
    private mutating func parseBinary(minimum: Int) throws(ParseFailure) -> Node {
        var left = minimum <= Precedence.not && at(.not) ? try parseNot() : try parseUnary()
        while true {
            if minimum <= Precedence.comparison, let (keyword, negated) = comparisonKeyword() {
                left = try parseComparisonForm(left, keyword: keyword, negated: negated)
                continue
            }
            guard let (op, precedence) = binaryOperator(), precedence >= minimum else {
                return left
            }
            let operatorIndex = index
            skip()
            let right = try parseBinary(minimum: precedence + 1)
            left = try node(
                .binary(op, left.expression, right.expression), at: operatorIndex,
                below: max(left.height, right.height))
        }
    }

    /// Parses a run of prefix `NOT`s and their operand (everything binding tighter than `NOT`).
    private mutating func parseNot() throws(ParseFailure) -> Node {
        var notIndexes: [Int] = []
        while at(.not) {
            notIndexes.append(index)
            skip()
        }
        var operand = try parseBinary(minimum: Precedence.comparison)
        for notIndex in notIndexes.reversed() {
            operand = try node(.unary(.not, operand.expression), at: notIndex, below: operand.height)
        }
        return operand
    }

    /// Parses `IN (...)`, `BETWEEN a AND b` or `LIKE p [ESCAPE e]` (after an optional `NOT`).
    private mutating func parseComparisonForm(
        _ value: Node,
        keyword: Keyword,
        negated: Bool
    ) throws(ParseFailure) -> Node {
        if negated {
            skip()
        }
        let keywordIndex = index
        skip()
        switch keyword {
        case .in:
            return try parseInList(value, negated: negated, at: keywordIndex)
        case .between:
            let low = try parseBinary(minimum: Precedence.bitwiseOr)
            try expect(.and)
            let high = try parseBinary(minimum: Precedence.bitwiseOr)
            return try node(
                .between(value.expression, low: low.expression, high: high.expression, negated: negated),
                at: keywordIndex, below: max(value.height, low.height, high.height))
        default:
            let pattern = try parseBinary(minimum: Precedence.bitwiseOr)
            var escape: Node?
            if consume(.escape) {
                escape = try parseBinary(minimum: Precedence.bitwiseOr)
            }
            return try node(
                .like(value.expression, pattern: pattern.expression, escape: escape?.expression, negated: negated),
                at: keywordIndex, below: max(value.height, pattern.height, escape?.height ?? 0))
        }
    }

    /// Parses the `(e1, e2, ...)` of `IN`.
    private mutating func parseInList(_ value: Node, negated: Bool, at keywordIndex: Int) throws(ParseFailure) -> Node {
        try expect(.leftParen)
        let (list, height) = try parseList(closedBy: .rightParen)
        return try node(
            .inList(value.expression, list, negated: negated), at: keywordIndex, below: max(value.height, height))
    }

    /// Parses one or more comma-separated expressions and the closing `symbol`; also returns the
    /// tallest height.
    private mutating func parseList(closedBy symbol: Symbol) throws(ParseFailure) -> ([Expression], Int) {
        var list: [Expression] = []
        var height = 0
        repeat {
            let element = try parseExpression()
            list.append(element.expression)
            height = max(height, element.height)
        } while consume(.comma)
        try expect(symbol, or: ["','"])
        return (list, height)
    }

    // MARK: Prefix and postfix

    /// Parses a run of prefix `-`, `+` and `~` and their operand, folding `-` applied to a number
    /// literal into the literal.
    private mutating func parseUnary() throws(ParseFailure) -> Node {
        var operators: [(op: UnaryOperator, index: Int)] = []
        while let op = prefixOperator() {
            operators.append((op, index))
            skip()
        }
        var operand = try parsePostfix()
        for (op, operatorIndex) in operators.reversed() {
            if op == .negate, case .literal(.number(let value)?) = operand.expression {
                operand.expression = .literal(.number(-value))
            } else {
                operand = try node(.unary(op, operand.expression), at: operatorIndex, below: operand.height)
            }
        }
        return operand
    }

    /// The prefix operator spelled by the current token.
    private func prefixOperator() -> UnaryOperator? {
        switch tokens[index].kind {
        case .symbol(.minus): .negate
        case .symbol(.plus): .plus
        case .symbol(.tilde): .bitwiseNot
        default: nil
        }
    }

    /// Parses a primary expression followed by `.name` and `[index]` steps.
    private mutating func parsePostfix() throws(ParseFailure) -> Node {
        var base = try parsePrimary()
        while true {
            let stepIndex = index
            if consume(.dot) {
                let name = try expectPropertyName()
                base = try node(.property(base.expression, name), at: stepIndex, below: base.height)
            } else if consume(.leftBracket) {
                let member = try parseExpression()
                try expect(.rightBracket)
                base = try node(
                    .index(base.expression, member.expression), at: stepIndex, below: max(base.height, member.height))
            } else {
                return base
            }
        }
    }

    // MARK: Primary

    /// Parses a literal, parameter, name, call, parenthesized expression, subquery, or array or
    /// object constructor.
    private mutating func parsePrimary() throws(ParseFailure) -> Node {
        if at(.leftParen), peek().is(.select) {
            return try parseSubqueryExpression(name: nil)
        }
        if consume(.leftParen) {
            let inner = try parseExpression()
            try expect(.rightParen)
            return inner
        }
        if at(.leftBracket) {
            return try parseArray()
        }
        if at(.leftBrace) {
            return try parseObject()
        }
        if peek().is(.leftParen), let name = tokens[index].identifier {
            let upper = Lexer.uppercased(name)
            if ["EXISTS", "ARRAY", "FIRST", "LAST", "ALL"].contains(upper) {
                return try parseSubqueryExpression(name: upper)
            }
            return try parseCall()
        }
        return try parseLeaf()
    }

    /// Parses `(SELECT ...)` (`name` nil), `EXISTS(SELECT ...)`, `ARRAY(SELECT ...)`, `FIRST(SELECT ...)`,
    /// `LAST(SELECT ...)` or `ALL(SELECT ...)`. (The names stay names elsewhere: `c.first`, `FROM all`.)
    private mutating func parseSubqueryExpression(name: String?) throws(ParseFailure) -> Node {
        let startIndex = index
        if let name {
            skip()
            guard peek().is(.select) else {
                throw error(at: tokens[startIndex], "\(name) takes a subquery: write \(name)(SELECT ...)")
            }
        }
        skip()
        let (subquery, height) = try parseSubquery()
        try expect(.rightParen)
        let expression: Expression = switch name {
        case "EXISTS": .exists(Subquery(subquery))
        case "ARRAY": .arraySubquery(Subquery(subquery))
        case "FIRST": .subquery(Subquery(subquery, reduction: .first))
        case "LAST": .subquery(Subquery(subquery, reduction: .last))
        case "ALL": .subquery(Subquery(subquery, reduction: .all))
        default: .subquery(Subquery(subquery))
        }
        return try node(expression, at: startIndex, below: height - 1)
    }

    /// Parses a literal, a parameter or a name.
    private mutating func parseLeaf() throws(ParseFailure) -> Node {
        let value: Expression
        switch tokens[index].kind {
        case .number(let number): value = .literal(.number(number))
        case .string(let string): value = .literal(.string(string))
        case .parameter(let name): value = .parameter(name)
        case .identifier(let name): value = .identifier(name)
        case .keyword(.true): value = .literal(.bool(true))
        case .keyword(.false): value = .literal(.bool(false))
        case .keyword(.null): value = .literal(.null)
        case .keyword(.undefined): value = .literal(nil)
        case .keyword(.udf): throw error(at: current, "user-defined functions are not supported")
        default: throw unexpected(expected: ["an expression"])
        }
        skip()
        return Node(expression: value, height: 1)
    }

    /// Parses `[e1, e2, ...]`.
    private mutating func parseArray() throws(ParseFailure) -> Node {
        let openIndex = index
        skip()
        if consume(.rightBracket) {
            return Node(expression: .array([]), height: 1)
        }
        let (elements, height) = try parseList(closedBy: .rightBracket)
        return try node(.array(elements), at: openIndex, below: height)
    }

    /// Parses `{name: e1, "name": e2, ...}`.
    private mutating func parseObject() throws(ParseFailure) -> Node {
        let openIndex = index
        skip()
        if consume(.rightBrace) {
            return Node(expression: .object([]), height: 1)
        }
        var members: [ObjectMember] = []
        var height = 0
        repeat {
            let name = try parseMemberName()
            try expect(.colon)
            let value = try parseExpression()
            members.append(ObjectMember(name: name, value: value.expression))
            height = max(height, value.height)
        } while consume(.comma)
        try expect(.rightBrace, or: ["','"])
        return try node(.object(members), at: openIndex, below: height)
    }

    /// Moves past an object member name: a string literal or an identifier (reserved words must be
    /// quoted).
    private mutating func parseMemberName() throws(ParseFailure) -> String {
        switch tokens[index].kind {
        case .string(let name), .identifier(let name):
            skip()
            return name
        case .keyword:
            let word = text(of: current)
            throw ParseFailure(
                .at(
                    span(of: current),
                    "'\(word)' is a reserved word; write \"\(word)\" to use it as a member name",
                    found: word,
                    expected: ["a member name"]
                ))
        default:
            throw unexpected(expected: ["a member name"])
        }
    }

    /// Parses a built-in function call; the current token is the name and the next one `(`.
    private mutating func parseCall() throws(ParseFailure) -> Node {
        let nameIndex = index
        let (name, counts, isAggregate) = try checkCallee()
        skip()
        skip()
        let savedAggregate = enclosingAggregate
        if isAggregate {
            enclosingAggregate = name
        }
        // Only RRF's own arguments may be scoring functions.
        let savedScoring = scoringAllowed
        scoringAllowed = name == "RRF"
        defer {
            enclosingAggregate = savedAggregate
            scoringAllowed = savedScoring
        }
        var arguments: [Expression] = []
        var height = 0
        if !consume(.rightParen) {
            (arguments, height) = try parseList(closedBy: .rightParen)
        }
        guard counts.contains(arguments.count), BuiltinFunctions.excludedCounts[name] != arguments.count else {
            throw arityError(name: name, counts: counts, got: arguments.count, at: nameIndex)
        }
        if name == "RRF" {
            try checkFusion(arguments, at: nameIndex)
        }
        return try node(.call(name: name, arguments: arguments), at: nameIndex, below: height)
    }

    /// Checks `RRF`'s arguments: two or more scoring functions (`FullTextScore`, `VectorDistance`), then optionally
    /// a literal array of numbers, one weight for each, or a parameter holding one (checked when the query is planned,
    /// at its value).
    private func checkFusion(_ arguments: [Expression], at nameIndex: Int) throws(ParseFailure) {
        var components = arguments
        if case .parameter? = arguments.last {
            components.removeLast()
        } else if case .array(let weights)? = arguments.last {
            components.removeLast()
            let numbers = weights.allSatisfy { if case .literal(.number?) = $0 { true } else { false } }
            guard numbers, weights.count == components.count else {
                throw error(at: tokens[nameIndex], "The last parameter of the RRF function is an optional array of "
                    + "weights. When present, it must be a literal array of numbers, one for each of the component "
                    + "scores used for the RRF function. The length of this array must be the same as the number of "
                    + "the component scores (here \(components.count)).")
            }
        }
        for component in components {
            guard case .call(let function, _) = component, function == "FULLTEXTSCORE" || function == "VECTORDISTANCE"
            else {
                throw error(at: tokens[nameIndex], "RRF fuses the ranks of scoring functions: pass FullTextScore(...) "
                    + "and VectorDistance(...) calls, then optionally an array of weights such as [2, 1]")
            }
        }
        guard components.count >= 2 else {
            throw error(at: tokens[nameIndex], "RRF needs at least two scoring functions to fuse; rank by one alone "
                + "with ORDER BY RANK FullTextScore(...) or ORDER BY RANK VectorDistance(...)")
        }
    }

    /// Checks the function name at the current token: it must be built in, and an aggregate must
    /// not be nested in another or used where aggregates are forbidden. Returns the uppercase name,
    /// its argument counts and whether it is an aggregate.
    private func checkCallee() throws(ParseFailure) -> (String, ClosedRange<Int>, Bool) {
        let upper = Lexer.uppercased(tokens[index].identifier ?? "")
        guard let counts = BuiltinFunctions.arity[upper] else {
            throw error(at: current, "unknown function '\(QuerySyntaxError.quoted(upper))'")
        }
        if !scoringAllowed {
            if upper == "FULLTEXTSCORE" {
                throw error(at: current, "The FullTextScore function is only allowed in the ORDER BY RANK clause "
                    + "(alone or in RRF), as in ORDER BY RANK FullTextScore(c.text, 'word'); to filter, use "
                    + "FullTextContains")
            }
            if upper == "RRF" {
                throw error(at: current, "RRF is only allowed in the ORDER BY RANK clause, as in ORDER BY RANK "
                    + "RRF(FullTextScore(c.text, 'word'), VectorDistance(c.embedding, @q))")
            }
        }
        let isAggregate = BuiltinFunctions.aggregates.contains(upper)
        if isAggregate {
            if let outer = enclosingAggregate {
                throw error(at: current, "aggregate function \(upper) cannot be nested inside \(outer)")
            }
            if let clause = aggregatesForbiddenIn {
                throw error(at: current, "aggregate function \(upper) is not allowed in \(clause)")
            }
        }
        return (upper, counts, isAggregate)
    }

    /// The error for calling `name` with `got` arguments.
    private func arityError(name: String, counts: ClosedRange<Int>, got: Int, at nameIndex: Int) -> ParseFailure {
        let rule = BuiltinFunctions.describe(counts, got: got, name: name)
        return error(at: tokens[nameIndex], "function \(name) \(rule), got \(got)")
    }
}
