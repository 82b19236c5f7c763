// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

// MARK: - Expression

/// A scalar expression of the query language.
///
/// The parser builds these shapes only:
/// - a `-` applied to a number literal is folded into a negative number literal (`-5`, `-(5)`), so
///   `.unary(.negate, .literal(.number(_)))` never comes out of ``Query/parse(_:)``;
/// - built-in function names are uppercase (``BuiltinFunctions``);
/// - `<>` becomes ``BinaryOperator/notEqual``.
public indirect enum Expression: Sendable, Hashable {
    /// A constant; `nil` is the `undefined` keyword.
    case literal(JSONValue?)
    /// A parameter reference: `@name` is `.parameter("name")`, without the `@`.
    case parameter(String)
    /// A bare name: a reference to a root alias such as `c`.
    case identifier(String)
    /// Member access with a dot: `c.name` is `.property(.identifier("c"), "name")`.
    case property(Expression, String)
    /// Member or element access with brackets: `c["a-b"]`, `c.arr[0]`, `c[@p]`.
    case index(Expression, Expression)
    /// A prefix operator applied to an operand.
    case unary(UnaryOperator, Expression)
    /// An infix operator applied to two operands.
    case binary(BinaryOperator, Expression, Expression)
    /// `value [NOT] BETWEEN low AND high`.
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    /// `value [NOT] IN (e1, e2, ...)`; the list is never empty.
    case inList(Expression, [Expression], negated: Bool)
    /// `value [NOT] LIKE pattern [ESCAPE escape]`.
    case like(Expression, pattern: Expression, escape: Expression?, negated: Bool)
    /// `condition ? then : else`.
    case conditional(Expression, then: Expression, else: Expression)
    /// A built-in function call; `name` is uppercase (`"STARTSWITH"`, `"COUNT"`).
    case call(name: String, arguments: [Expression])
    /// An array constructor: `[1, c.a]`.
    case array([Expression])
    /// An object constructor: `{"a": 1, b: c.x}`.
    case object([ObjectMember])
    /// `EXISTS(SELECT ...)`: whether the subquery returns at least one value.
    ///
    /// Subqueries are correlated, as in Cosmos DB: they run once per row of the outer query, see the outer
    /// aliases, and iterate values of the outer row (`FROM t IN c.tags`), never the container.
    case exists(Subquery)
    /// `ARRAY(SELECT ...)`: the subquery's values as an array (an empty array when it returns none).
    case arraySubquery(Subquery)
    /// `(SELECT ...)`: a scalar subquery: its one value, or undefined when it returns none. `FIRST(SELECT ...)`,
    /// `LAST(SELECT ...)` and `ALL(SELECT ...)` are scalar subqueries too, with another ``Subquery/reduction``.
    case subquery(Subquery)
}

// MARK: - Subquery

/// The query of a subquery expression, held by reference.
///
/// A ``Query`` is large; held inline in ``Expression`` cases it would enlarge the stack frame of every
/// recursive walk over expressions (matching, comparing, printing), which the parser's limits count on
/// staying small. Compared and hashed by its query and its ``reduction``.
public final class Subquery: Sendable, Hashable, CustomStringConvertible {
    /// How a scalar subquery expression (``Expression/subquery(_:)``) makes one value of the subquery's values
    /// (the service's semantics, as the .NET SDK's offline query engine models them).
    public enum Reduction: Sendable, Hashable {
        /// `(SELECT ...)`: the one value, undefined when there is none; more than one is a 400.
        case single
        /// `FIRST(SELECT ...)`: the first value, undefined when there is none.
        case first
        /// `LAST(SELECT ...)`: the last value, undefined when there is none.
        case last
        /// `ALL(SELECT ... WHERE condition)`: whether no row makes the condition false, that is
        /// `NOT EXISTS(SELECT ... WHERE NOT condition)` (a row whose condition is undefined does not count against
        /// it; without WHERE, true).
        case all
    }

    /// The subquery.
    public let query: Query
    /// How a scalar subquery expression reduces the values; ``Reduction/single`` for other subqueries.
    public let reduction: Reduction
    /// For ``Reduction/all``: the query whose rows would make it false (the subquery with its condition negated).
    public let counterexamples: Query?

    /// Wraps `query`.
    ///
    /// - Parameters:
    ///   - query: The subquery.
    ///   - reduction: How a scalar subquery expression reduces its values.
    public init(_ query: Query, reduction: Reduction = .single) {
        self.query = query
        self.reduction = reduction
        if reduction == .all {
            var negated = query
            negated.whereClause = .unary(.not, query.whereClause ?? .literal(.bool(true)))
            counterexamples = negated
        } else {
            counterexamples = nil
        }
    }

    /// Whether two subqueries hold equal queries with the same reduction.
    public static func == (lhs: Subquery, rhs: Subquery) -> Bool {
        lhs === rhs || lhs.reduction == rhs.reduction && lhs.query == rhs.query
    }

    /// Hashes the query and the reduction.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(query)
        hasher.combine(reduction)
    }

    /// The canonical text of the query.
    public var description: String { query.description }
}

// MARK: - ObjectMember

/// One `name: value` member of an object constructor.
public struct ObjectMember: Sendable, Hashable {
    /// The member name (written as an identifier or a string literal).
    public var name: String
    /// The member value.
    public var value: Expression

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - name: The member name.
    ///   - value: The member value.
    public init(name: String, value: Expression) {
        self.name = name
        self.value = value
    }
}

// MARK: - UnaryOperator

/// A prefix operator; the raw value is how it is written.
public enum UnaryOperator: String, Sendable, Hashable {
    /// Arithmetic negation, `-x`.
    case negate = "-"
    /// Unary plus, `+x`.
    case plus = "+"
    /// Logical negation, `NOT x`.
    case not = "NOT"
    /// Bitwise complement, `~x`.
    case bitwiseNot = "~"
}

// MARK: - BinaryOperator

/// An infix operator; the raw value is how it is written (`<>` is read as ``notEqual``).
public enum BinaryOperator: String, Sendable, Hashable {
    /// Addition, `+`.
    case add = "+"
    /// Subtraction, `-`.
    case subtract = "-"
    /// Multiplication, `*`.
    case multiply = "*"
    /// Division, `/`.
    case divide = "/"
    /// Remainder, `%`.
    case modulo = "%"
    /// String concatenation, `||`.
    case concat = "||"
    /// Equality, `=`.
    case equal = "="
    /// Inequality, `!=` or `<>`.
    case notEqual = "!="
    /// Less than, `<`.
    case less = "<"
    /// Less than or equal, `<=`.
    case lessOrEqual = "<="
    /// Greater than, `>`.
    case greater = ">"
    /// Greater than or equal, `>=`.
    case greaterOrEqual = ">="
    /// Logical conjunction, `AND`.
    case and = "AND"
    /// Logical disjunction, `OR`.
    case or = "OR"
    /// Coalescing, `??`: the left operand unless it is undefined, else the right one.
    case coalesce = "??"
    /// Bitwise and, `&`.
    case bitwiseAnd = "&"
    /// Bitwise or, `|`.
    case bitwiseOr = "|"
    /// Bitwise exclusive or, `^`.
    case bitwiseXor = "^"
    /// Left shift, `<<`.
    case shiftLeft = "<<"
    /// Sign-propagating right shift, `>>`.
    case shiftRight = ">>"
    /// Zero-fill right shift, `>>>`.
    case zeroFillShiftRight = ">>>"
}
