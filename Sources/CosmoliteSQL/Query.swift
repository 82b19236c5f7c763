// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - Query

/// A parsed query: `SELECT ... [FROM ...] [JOIN ...] [WHERE ...] [GROUP BY ...] [ORDER BY ...]
/// [OFFSET n LIMIT m]`.
public struct Query: Sendable, Hashable {
    /// The longest accepted query text in UTF-8 bytes (Cosmos DB's SQL text limit).
    public static let maxTextBytes = 512 * 1024

    /// The `SELECT` clause.
    public var select: SelectClause
    /// The `FROM` clause; `nil` for queries such as `SELECT 1` that have none.
    public var from: FromClause?
    /// The `JOIN` clauses in order.
    public var joins: [JoinClause]
    /// The `WHERE` condition.
    public var whereClause: Expression?
    /// The `GROUP BY` expressions (empty when there is no `GROUP BY`).
    public var groupBy: [Expression]
    /// The `ORDER BY` items (empty when there is no `ORDER BY`).
    public var orderBy: [OrderByItem]
    /// The `OFFSET` count: a non-negative integer literal or a parameter.
    public var offset: Expression?
    /// The `LIMIT` count: a non-negative integer literal or a parameter.
    public var limit: Expression?

    /// Creates a query.
    ///
    /// - Parameters:
    ///   - select: The `SELECT` clause.
    ///   - from: The `FROM` clause.
    ///   - joins: The `JOIN` clauses.
    ///   - whereClause: The `WHERE` condition.
    ///   - groupBy: The `GROUP BY` expressions.
    ///   - orderBy: The `ORDER BY` items.
    ///   - offset: The `OFFSET` count.
    ///   - limit: The `LIMIT` count.
    public init(
        select: SelectClause,
        from: FromClause? = nil,
        joins: [JoinClause] = [],
        whereClause: Expression? = nil,
        groupBy: [Expression] = [],
        orderBy: [OrderByItem] = [],
        offset: Expression? = nil,
        limit: Expression? = nil
    ) {
        self.select = select
        self.from = from
        self.joins = joins
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.orderBy = orderBy
        self.offset = offset
        self.limit = limit
    }

    /// Parses query text.
    ///
    /// Expression trees are at most 256 levels tall and brackets nest at most about 500 deep; deeper
    /// input is a ``QuerySyntaxError``. Queries whose brackets nest deeper than a few levels are
    /// parsed on a short-lived helper thread with a large stack, so parsing is safe on threads with
    /// small stacks (512 KB on macOS) in any build configuration.
    ///
    /// - Parameter text: The query, at most ``maxTextBytes`` UTF-8 bytes.
    /// - Returns: The syntax tree.
    /// - Throws: ``QuerySyntaxError`` for any malformed or unsupported query.
    public static func parse(_ text: String) throws(QuerySyntaxError) -> Query {
        try parse(text, condition: false)
    }

    /// Parses a patch condition, Cosmos DB's filter predicate: `FROM alias [JOIN ...] [WHERE condition]`,
    /// for example `FROM c WHERE c.status = 'active' AND c._ts > 1700000000`.
    ///
    /// The result is the query `SELECT * FROM ... [JOIN ...] [WHERE ...]`: a document satisfies the
    /// condition when that query, run over the document alone, returns a row. Limits and errors are
    /// those of ``parse(_:)``; `SELECT`, `GROUP BY`, `ORDER BY` and `OFFSET LIMIT` are refused.
    ///
    /// - Parameter text: The condition, at most ``maxTextBytes`` UTF-8 bytes.
    /// - Returns: The condition as a query.
    /// - Throws: ``QuerySyntaxError`` for any malformed or unsupported condition.
    public static func parseCondition(_ text: String) throws(QuerySyntaxError) -> Query {
        try parse(text, condition: true)
    }

    /// Parses a query, or a patch condition when `condition` is true.
    private static func parse(_ text: String, condition: Bool) throws(QuerySyntaxError) -> Query {
        let byteCount = text.utf8.count
        guard byteCount <= maxTextBytes else {
            throw QuerySyntaxError(
                message: "the query text is \(QuerySyntaxError.grouped(byteCount)) bytes; "
                    + "the limit is \(QuerySyntaxError.grouped(maxTextBytes))",
                span: nil
            )
        }
        var parser = Parser(text: text)
        guard parser.recursionBound > Parser.inlineRecursion else {
            return condition ? try parser.parseCondition() : try parser.parseQuery()
        }
        let result = LargeStack.run { () -> Result<Query, QuerySyntaxError> in
            do throws(QuerySyntaxError) {
                return .success(condition ? try parser.parseCondition() : try parser.parseQuery())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

// MARK: - SelectClause

/// The `SELECT [DISTINCT] [TOP n] projection` clause.
public struct SelectClause: Sendable, Hashable {
    /// What the query returns for each row.
    public enum Projection: Sendable, Hashable {
        /// `SELECT *`: the single `FROM` binding.
        case star
        /// `SELECT VALUE expr`: the bare value of the expression.
        case value(Expression)
        /// `SELECT a, b AS x, ...`: an object with one member per item.
        case items([SelectItem])
    }

    /// Whether `DISTINCT` was given.
    public var distinct: Bool
    /// The `TOP` count: a non-negative integer literal or a parameter.
    public var top: Expression?
    /// What the query returns.
    public var projection: Projection

    /// Creates a select clause.
    ///
    /// - Parameters:
    ///   - distinct: Whether `DISTINCT` was given.
    ///   - top: The `TOP` count.
    ///   - projection: What the query returns.
    public init(distinct: Bool = false, top: Expression? = nil, projection: Projection) {
        self.distinct = distinct
        self.top = top
        self.projection = projection
    }
}

// MARK: - SelectItem

/// One item of a `SELECT` list: `expression [AS alias]`.
public struct SelectItem: Sendable, Hashable {
    /// The projected value.
    public var expression: Expression
    /// The output member name given with `AS name` or a bare `name`; `nil` when none was given.
    public var alias: String?

    /// Creates a select item.
    ///
    /// - Parameters:
    ///   - expression: The projected value.
    ///   - alias: The output member name, if given.
    public init(expression: Expression, alias: String? = nil) {
        self.expression = expression
        self.alias = alias
    }

    /// The member name of a select item written without `AS`: its last property name (`c.a.b` → `b`,
    /// `c["a-b"]` → `a-b`) or its alias (`SELECT c`), if it ends in one; the query then names it `$1`, `$2`, ...
    package static func derivedName(_ e: Expression) -> String? {
        switch e {
        case .property(_, let name): name
        case .index(_, .literal(.string(let key)?)): key
        case .identifier(let name): name
        default: nil
        }
    }
}

// MARK: - FromClause

/// The `FROM` clause.
///
/// - `FROM c`, `FROM root`, `FROM c AS x`, `FROM root r`: documents are bound to ``alias``
///   (`"c"`, `"root"`, `"x"`, `"r"`); ``containerName`` is the name written after `FROM`.
/// - `FROM x IN c.arr`: ``alias`` `"x"` is bound to each element of ``iteration``
///   (`.property(.identifier("c"), "arr")`); ``containerName`` is `"c"`.
/// - `FROM c.children`, `FROM c.children ch`: ``alias`` (`"children"`, `"ch"`) is bound to the
///   value of ``path`` (`.property(.identifier("c"), "children")`); ``containerName`` is `"c"`.
///   A path ending in brackets (`FROM c["a-b"] x`) needs an explicit alias.
/// - `FROM (SELECT DISTINCT VALUE c.city FROM c) [AS] x`: ``alias`` is bound to each result of ``subquery``, a
///   query over the container in its own right (the outer query runs over its results: `SELECT VALUE COUNT(1)
///   FROM (SELECT DISTINCT ...)` counts distinct values). Without an alias the results are bound to
///   ``subqueryAlias``, a name no query can write; ``containerName`` is empty.
///
/// Paths in `FROM` are a name followed by `.name` and `[literal]` or `[@param]` steps.
public struct FromClause: Sendable, Hashable {
    /// The name rows are bound to.
    public var alias: String
    /// The name written right after `FROM` (or at the start of the `IN` path) for the container.
    public var containerName: String
    /// The sub-value bound to ``alias`` for `FROM c.path` forms.
    public var path: Expression?
    /// The array whose elements are bound to ``alias`` for `FROM x IN path` forms.
    public var iteration: Expression?
    /// The query whose results are bound to ``alias`` for `FROM (subquery)` forms.
    public var subquery: Subquery?

    /// The alias of a `FROM (subquery)` written without one.
    public static let subqueryAlias = "$from"

    /// Creates a from clause.
    ///
    /// - Parameters:
    ///   - alias: The name rows are bound to.
    ///   - containerName: The name written for the container.
    ///   - path: The sub-value for `FROM c.path` forms.
    ///   - iteration: The iterated array for `FROM x IN path` forms.
    public init(alias: String, containerName: String, path: Expression? = nil, iteration: Expression? = nil) {
        self.alias = alias
        self.containerName = containerName
        self.path = path
        self.iteration = iteration
    }

    /// Creates a `FROM (subquery) [AS alias]` clause.
    ///
    /// - Parameters:
    ///   - subquery: The query whose results are the rows.
    ///   - alias: The name they are bound to (``subqueryAlias`` when the query writes none).
    public init(subquery: Query, alias: String = FromClause.subqueryAlias) {
        self.init(alias: alias, containerName: "")
        self.subquery = Subquery(subquery)
    }
}

// MARK: - JoinClause

/// A `JOIN alias IN path` clause: a self-join with each element of the array at `collection`.
public struct JoinClause: Sendable, Hashable {
    /// The name each element is bound to.
    public var alias: String
    /// The iterated array: a path rooted at the `FROM` alias or an earlier `JOIN` alias, a function call
    /// (`OBJECTTOARRAY(c.tags)`), or an ``Expression/arraySubquery(_:)``.
    public var collection: Expression
    /// `false` for `JOIN path [AS] alias` (without `IN`): the alias is bound to the value of ``collection`` itself,
    /// one row when it is defined, as `FROM c.path` binds its alias.
    public var iterates: Bool

    /// Creates a join clause.
    ///
    /// - Parameters:
    ///   - alias: The name each element is bound to.
    ///   - collection: The iterated array.
    ///   - iterates: Whether the elements of `collection` are bound (`JOIN alias IN path`) or its value itself.
    public init(alias: String, collection: Expression, iterates: Bool = true) {
        self.alias = alias
        self.collection = collection
        self.iterates = iterates
    }
}

// MARK: - OrderByItem

/// One `ORDER BY` item: `expression [ASC|DESC]`.
public struct OrderByItem: Sendable, Hashable {
    /// The sort key.
    public var expression: Expression
    /// Whether `DESC` was given (`ASC` is the default).
    public var descending: Bool

    /// Creates an order-by item.
    ///
    /// - Parameters:
    ///   - expression: The sort key.
    ///   - descending: Whether to sort in descending order.
    public init(expression: Expression, descending: Bool = false) {
        self.expression = expression
        self.descending = descending
    }
}
