// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON

// MARK: - Parser

/// A recursive-descent parser for the query language; see ``Query/parse(_:)``.
///
/// Clause grammar (keywords case-insensitive):
///
///     SELECT [DISTINCT] [TOP count] (* | VALUE expr | expr [[AS] name], ...)
///     [FROM name [[AS] alias] | FROM path [[AS] alias] | FROM alias IN path | FROM (query) [[AS] alias]]
///     [JOIN alias IN path | JOIN alias IN function(...) | JOIN alias IN (subquery) | JOIN (subquery) [[AS] alias]]...
///     [WHERE expr] [GROUP BY expr, ...]
///     [ORDER BY expr [ASC|DESC], ...] [OFFSET count LIMIT count]
///
/// where `count` is a non-negative integer literal or a parameter and `path` is a name followed by
/// `.name`, `[literal]` or `[@param]` steps. Expressions are in `Parser+Expressions.swift`.
///
/// A subquery (`EXISTS(SELECT ...)`, `ARRAY(SELECT ...)`, `(SELECT ...)` and `JOIN (SELECT ...)`) has
/// the same clauses except `GROUP BY`, `ORDER BY` and `OFFSET LIMIT`, and its `FROM` must iterate a
/// value of the outer query (`FROM t IN c.tags`, `FROM c.address a`): Cosmos DB runs only correlated
/// subqueries.
struct Parser {
    /// The tallest accepted expression tree (a leaf has height 1), so that no recursive walk over a
    /// parsed query can exhaust the stack.
    static let maxDepth = 256

    /// The deepest accepted recursion of the parser itself. Each parenthesis, bracket, brace, call,
    /// prefix operator and `?:` branch costs one level. It is twice ``maxDepth`` (plus slack)
    /// because the canonical dump of a tree of height `h` parenthesizes every operator and so needs
    /// up to `2h + 1` levels to read back; redundant parentheses in the input may use the rest.
    static let maxRecursion = 2 * maxDepth + 8

    /// The most subqueries nested in one another. Each level of a subquery costs the evaluator several
    /// stack frames per row, so their nesting has a limit of its own, well below ``maxDepth``.
    static let maxSubqueryNesting = 16

    /// The most `JOIN` clauses of one query or subquery, as in Cosmos DB.
    static let maxJoins = 10

    /// The error for `ORDER BY RANK` followed by anything but a scoring function (the service's words, then what to
    /// write).
    static let rankNeedsScoring = "The ORDER BY RANK clause must be followed by a VectorDistance and/or a "
        + "FullTextScore function call: ORDER BY RANK FullTextScore(c.text, 'word'), ORDER BY RANK "
        + "VectorDistance(c.embedding, @q), or ORDER BY RANK RRF(...) of such calls"

    /// The query text.
    let source: SourceText
    /// The tokens, ending with `.end` or `.invalid`.
    let tokens: [Token]
    /// The lexer's error, reported when parsing reaches the `.invalid` token.
    let lexicalError: QuerySyntaxError?
    /// The index of the current token.
    private(set) var index = 0
    /// The current recursion depth.
    var depth = 0
    /// The clause whose expressions may not contain aggregates, if any.
    var aggregatesForbiddenIn: String?
    /// The aggregate call whose arguments are being parsed, if any.
    var enclosingAggregate: String?
    /// Whether a `FULLTEXTSCORE` or `RRF` call may stand here: the expression after `ORDER BY RANK`, and the
    /// arguments of `RRF` there.
    var scoringAllowed = false
    /// The height of the tallest expression tree (or `FROM`/`JOIN` path) parsed so far in the query or
    /// subquery being parsed; a subquery is one level taller than everything in it.
    var tallest = 0
    /// How many subqueries enclose the current token.
    var subqueryNesting = 0

    /// Creates a parser over `text`.
    init(text: String) {
        source = SourceText(text)
        var lexer = Lexer(source: source)
        (tokens, lexicalError) = lexer.tokenize()
    }

    /// The largest ``recursionBound`` parsed on the caller's thread; deeper queries are parsed on a
    /// ``LargeStack`` thread. Each level costs up to about 2 KB of stack in optimized builds and
    /// 10 KB in debug builds.
    static let inlineRecursion = 16

    /// An upper bound of the parser's recursion depth for these tokens: the deepest nesting of
    /// brackets, parentheses and braces, plus two for every `?` and four for every subquery (its
    /// clauses add frames of their own), plus one.
    var recursionBound: Int {
        var nesting = 0
        var deepest = 0
        var questions = 0
        var selects = 0
        for token in tokens {
            if token.is(.select) {
                selects += 1
                continue
            }
            guard case .symbol(let symbol) = token.kind else { continue }
            switch symbol {
            case .leftParen, .leftBracket, .leftBrace:
                nesting += 1
                deepest = max(deepest, nesting)
            case .rightParen, .rightBracket, .rightBrace:
                nesting -= 1
            case .question:
                questions += 1
            default:
                break
            }
        }
        // The outer query's own SELECT (a patch condition has none) is not a subquery.
        let subqueries = tokens.first?.is(.select) == true ? selects - 1 : selects
        return deepest + 2 * questions + 4 * max(0, subqueries) + 1
    }

    // MARK: Cursor

    /// The current token.
    var current: Token { tokens[index] }

    /// The token `distance` places after the current one (the last token past the end).
    func peek(_ distance: Int = 1) -> Token {
        tokens[min(index + distance, tokens.count - 1)]
    }

    /// Returns the current token and moves past it (never past the last token).
    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 {
            index += 1
        }
        return token
    }

    /// Moves past the current token (never past the last token).
    mutating func skip() {
        if index < tokens.count - 1 {
            index += 1
        }
    }

    /// Whether the current token is `symbol`.
    func at(_ symbol: Symbol) -> Bool {
        tokens[index].is(symbol)
    }

    /// Whether the current token is `keyword`.
    func at(_ keyword: Keyword) -> Bool {
        tokens[index].is(keyword)
    }

    /// Moves past the current token when it is `keyword`.
    mutating func consume(_ keyword: Keyword) -> Bool {
        guard at(keyword) else { return false }
        skip()
        return true
    }

    /// Moves past the current token when it is `symbol`.
    mutating func consume(_ symbol: Symbol) -> Bool {
        guard at(symbol) else { return false }
        skip()
        return true
    }

    /// Moves past the current token, which must be `keyword`.
    @discardableResult
    mutating func expect(_ keyword: Keyword) throws(ParseFailure) -> Token {
        guard current.is(keyword) else { throw unexpected(expected: [keyword.quoted]) }
        return advance()
    }

    /// Moves past the current token, which must be `symbol`; `alternatives` are named in the error
    /// as other tokens that would have been accepted.
    @discardableResult
    mutating func expect(_ symbol: Symbol, or alternatives: [String] = []) throws(ParseFailure) -> Token {
        guard current.is(symbol) else { throw unexpected(expected: alternatives + [symbol.quoted]) }
        return advance()
    }

    /// Moves past the current token, which must be an identifier, and returns its name.
    mutating func expectIdentifier() throws(ParseFailure) -> String {
        guard let name = current.identifier else { throw unexpected(expected: ["an identifier"]) }
        advance()
        return name
    }

    // MARK: Errors

    /// The span of `token`.
    func span(of token: Token) -> SourceSpan {
        source.span(offset: token.offset, length: token.length)
    }

    /// The text of `token` as written, shortened for messages.
    func text(of token: Token) -> String {
        if case .end = token.kind { return QuerySyntaxError.endOfQuery }
        return QuerySyntaxError.quoted(source.text(offset: token.offset, length: token.length))
    }

    /// The error for finding the current token where one of `expected` should be. When the current
    /// token is text the lexer could not read, that error is returned instead.
    func unexpected(expected: [String]) -> ParseFailure {
        if case .invalid = current.kind, let lexicalError { return ParseFailure(lexicalError) }
        return ParseFailure(.unexpected(span(of: current), found: text(of: current), expected: expected))
    }

    /// An error about `token` with a custom detail.
    func error(at token: Token, _ detail: String) -> ParseFailure {
        ParseFailure(.at(span(of: token), detail, found: text(of: token)))
    }

    // MARK: Query

    /// Parses the whole token stream as one query.
    mutating func parseQuery() throws(QuerySyntaxError) -> Query {
        do {
            return try parseClauses(nested: false)
        } catch {
            throw error.error
        }
    }

    /// Parses a subquery, from its `SELECT` up to (not including) the closing `)`, and returns it with
    /// its height: one more than the tallest expression or path in it.
    ///
    /// The subquery's own clauses decide where aggregates may appear: an aggregate in its `SELECT` is
    /// allowed even when the subquery stands in an outer `WHERE`.
    mutating func parseSubquery(overContainer: Bool = false) throws(ParseFailure) -> (Query, height: Int) {
        guard subqueryNesting < Self.maxSubqueryNesting else {
            throw error(at: current, "subqueries are nested too deeply (the limit is \(Self.maxSubqueryNesting) levels)")
        }
        subqueryNesting += 1
        defer { subqueryNesting -= 1 }
        let saved = (aggregatesForbiddenIn, enclosingAggregate, tallest, scoringAllowed)
        aggregatesForbiddenIn = nil
        enclosingAggregate = nil
        tallest = 0
        scoringAllowed = false
        defer { (aggregatesForbiddenIn, enclosingAggregate, tallest, scoringAllowed) = saved }
        let query = try parseClauses(nested: true, overContainer: overContainer)
        return (query, tallest + 1)
    }

    /// Parses the clauses of a query, or of a subquery (`nested`) that a `)` ends; `overContainer` for the
    /// subquery of `FROM (subquery)`, a query over the container with every clause, rather than a correlated one.
    private mutating func parseClauses(nested: Bool, overContainer: Bool = false) throws(ParseFailure) -> Query {
        try expect(.select)
        let distinct = consume(.distinct)
        var top: Expression?
        if consume(.top) {
            top = try parseCount()
        }
        let (projection, starToken) = try parseProjection(refusingCompositions: !nested || overContainer)
        var query = Query(select: SelectClause(distinct: distinct, top: top, projection: projection))

        var fromToken: Token?
        if current.is(.from) {
            fromToken = advance()
            try parseSource(into: &query)
        }
        if consume(.where) {
            query.whereClause = try parseExpression(forbiddingAggregatesIn: "WHERE")
        }
        var groupToken: Token?
        var orderToken: Token?
        if current.is(.group) {
            groupToken = advance()
            try expect(.by)
            repeat {
                let start = current
                let expression = try parseExpression(forbiddingAggregatesIn: "GROUP BY")
                try checkGroupingExpression(expression, at: start)
                query.groupBy.append(expression)
            } while consume(.comma)
        }
        if current.is(.order) {
            if nested {
                // The service's SC2202, for every kind of subquery; a FROM subquery's results are ordered outside.
                throw error(at: current, "'ORDER BY' is not supported in subqueries; order the outer query instead "
                    + "(SELECT * FROM (SELECT c.id, c.name FROM c) s ORDER BY s.name orders a FROM subquery's results)")
            }
            orderToken = advance()
            try expect(.by)
            // `ORDER BY RANK score`: the service's form for scoring functions (vector, full-text and hybrid search);
            // RANK is a word of its own only here, before a name, so `ORDER BY c.rank` and `ORDER BY rank` (an alias
            // named so) are unaffected.
            var ranked = false
            if case .identifier(let word) = current.kind, word.uppercased() == "RANK", case .identifier = peek().kind {
                skip()
                guard case .identifier(let function) = current.kind, peek().is(.leftParen),
                      BuiltinFunctions.scoring.contains(Lexer.uppercased(function)) else {
                    throw error(at: current, Self.rankNeedsScoring)
                }
                ranked = true
            }
            repeat {
                let scoreToken = current
                scoringAllowed = ranked
                let expression = try parseExpression().expression
                scoringAllowed = false
                var scoring: String?
                if case .call(let name, _) = expression, BuiltinFunctions.scoring.contains(name) { scoring = name }
                if ranked && scoring == nil {
                    throw error(at: scoreToken, Self.rankNeedsScoring)
                }
                if ranked, current.is(.asc) || current.is(.desc) {
                    throw error(at: current, "Specifying a sort order (ASC or DESC) in the ORDER BY RANK clause is not "
                        + "allowed. Results come most relevant first, so remove it.")
                }
                if scoring == "VECTORDISTANCE", current.is(.asc) || current.is(.desc) {
                    // Results come most similar first, whichever the measure (the service's rule and words).
                    throw error(at: current, "Specifying a sorting order (ASC or DESC) with VectorDistance function is "
                        + "not supported. Results come most similar first, so remove it.")
                }
                if ranked && at(.comma) {
                    throw error(at: current, "ORDER BY RANK takes one scoring function; rank by it alone (RRF fuses "
                        + "several: ORDER BY RANK RRF(FullTextScore(...), VectorDistance(...)))")
                }
                let descending = consume(.desc)
                if !descending {
                    _ = consume(.asc)
                }
                query.orderBy.append(OrderByItem(expression: expression, descending: descending))
            } while consume(.comma)
        }
        if current.is(.offset) {
            if nested {
                // The service's SC2204.
                throw error(at: current, "'OFFSET LIMIT' clause is not supported in subqueries; use it in the outer "
                    + "query (a subquery may have TOP)")
            }
            skip()
            // With TOP too, the service's grammar allows both: the results are those OFFSET LIMIT keeps, at most TOP
            // of them.
            query.offset = try parseCount()
            try expect(.limit)
            query.limit = try parseCount()
        } else if current.is(.limit) {
            throw error(at: current, "LIMIT must follow OFFSET (write OFFSET 0 LIMIT n)")
        }

        if nested {
            guard current.is(.rightParen) else {
                throw unexpected(expected: clausesThatCouldFollow(query, nested: true) + ["')'"])
            }
        } else {
            guard case .end = current.kind else {
                throw unexpected(expected: clausesThatCouldFollow(query, nested: false) + [QuerySyntaxError.endOfQuery])
            }
        }
        if let starToken, query.from == nil {
            throw error(at: starToken, "SELECT * requires a FROM clause")
        }
        // Cosmos DB's rules: SELECT * needs exactly one alias in FROM, and GROUP BY goes with neither SELECT * nor
        // ORDER BY.
        if let starToken, !query.joins.isEmpty {
            throw error(at: starToken, "SELECT * needs exactly one alias in FROM, and JOIN declares more; select "
                + "the aliases by name (SELECT c, t) or one of them (SELECT VALUE c)")
        }
        if let starToken, groupToken != nil {
            throw error(at: starToken, "SELECT * cannot be used with GROUP BY; select the GROUP BY expressions and "
                + "aggregates")
        }
        if let orderToken, groupToken != nil {
            throw error(at: orderToken, "GROUP BY cannot be used with ORDER BY")
        }
        if let orderToken, query.from?.subquery != nil {
            // Checked here, where the error can point at the ORDER BY; the query layer moves it into the subquery.
            do {
                _ = try query.movingOrderIntoSubquery()
            } catch {
                throw self.error(at: orderToken, error.message)
            }
        }
        if nested && !overContainer {
            try checkSubquery(query, from: fromToken, groupBy: groupToken)
        }
        return query
    }

    /// group-by.md's rules for a GROUP BY expression: "Each scalar expression must contain at least one property
    /// reference" (`GROUP BY 1` groups nothing), and it takes no subquery.
    private func checkGroupingExpression(_ expression: Expression, at start: Token) throws(ParseFailure) {
        var referencesAnAlias = false
        var hasSubquery = false
        expression.visit { e in
            switch e {
            case .identifier: referencesAnAlias = true
            case .exists, .arraySubquery, .subquery: hasSubquery = true
            default: break
            }
        }
        if hasSubquery {
            throw error(at: start, "GROUP BY does not take a subquery; group by a property of the item (GROUP BY "
                + "c.status), or compute the value in a FROM subquery and group by its name")
        }
        if !referencesAnAlias {
            throw error(at: start, "a GROUP BY expression must refer to a property of the item (GROUP BY c.status); "
                + "one without a property groups nothing")
        }
    }

    /// Parses the whole token stream as a patch condition (Cosmos DB's filter predicate):
    /// `FROM alias [JOIN ...] [WHERE condition]`, returned as the query `SELECT * FROM ... WHERE ...`.
    mutating func parseCondition() throws(QuerySyntaxError) -> Query {
        do throws(ParseFailure) {
            if current.is(.select) {
                throw error(at: current, "a patch condition starts with FROM, without SELECT, for example "
                    + "FROM c WHERE c.status = 'active'")
            }
            if let parameter = tokens.first(where: { if case .parameter = $0.kind { true } else { false } }) {
                throw error(at: parameter, "a patch condition takes no parameters; write the value into the condition")
            }
            let fromToken = try expect(.from)
            var query = Query(select: SelectClause(projection: .star))
            try parseSource(into: &query)
            if query.from?.subquery != nil {
                throw error(at: fromToken, "a patch condition's FROM names the item (FROM c), not a subquery")
            }
            if consume(.where) {
                query.whereClause = try parseExpression(forbiddingAggregatesIn: "WHERE")
            }
            guard case .end = current.kind else {
                if current.is(.group) || current.is(.order) || current.is(.offset) || current.is(.limit) {
                    throw error(at: current, "a patch condition has only FROM, JOIN and WHERE clauses")
                }
                let more = query.whereClause == nil ? [Keyword.join.quoted, Keyword.where.quoted] : []
                throw unexpected(expected: more + [QuerySyntaxError.endOfQuery])
            }
            return query
        } catch {
            throw error.error
        }
    }

    /// Parses what follows `FROM`, and the `JOIN` clauses after it, into `query`.
    private mutating func parseSource(into query: inout Query) throws(ParseFailure) {
        query.from = try parseFrom()
        while current.is(.join) {
            guard query.joins.count < Self.maxJoins else {
                throw error(at: current, "a query or subquery has at most \(Self.maxJoins) JOINs (Cosmos DB's limit)")
            }
            skip()
            query.joins.append(try parseJoin(number: query.joins.count + 1))
        }
    }

    /// Refuses what a correlated subquery may not have: a `FROM` over the container (Cosmos DB runs only
    /// correlated subqueries) and `GROUP BY`. (`ORDER BY` and `OFFSET LIMIT`, which no subquery may have, are refused
    /// where they start.)
    ///
    /// - Parameters:
    ///   - from: The subquery's `FROM` token, if any.
    ///   - groupBy: Its `GROUP` token, if any.
    private func checkSubquery(_ query: Query, from: Token?, groupBy: Token?) throws(ParseFailure) {
        if let from, let clause = query.from, clause.iteration == nil, clause.path == nil {
            throw error(at: from, "a subquery's FROM must iterate a value of the outer query, for example "
                + "FROM t IN \(clause.containerName).tags (only correlated subqueries are supported, as in Cosmos DB)")
        }
        if let groupBy {
            throw error(at: groupBy, "GROUP BY is not supported in a subquery; move it to the outer query")
        }
    }

    /// The clause keywords that may still follow once `query` (a subquery if `nested`) has been parsed
    /// this far.
    private func clausesThatCouldFollow(_ query: Query, nested: Bool) -> [String] {
        var clauses: [String] = []
        let hasOrder = !query.orderBy.isEmpty || query.offset != nil
        let hasGroup = !query.groupBy.isEmpty || hasOrder
        let hasWhere = query.whereClause != nil || hasGroup
        if query.offset != nil {
            return []
        }
        if query.from == nil, !hasWhere {
            clauses.append(Keyword.from.quoted)
        }
        if query.from != nil, !hasWhere {
            clauses.append(Keyword.join.quoted)
        }
        if !hasWhere {
            clauses.append(Keyword.where.quoted)
        }
        if nested {
            return clauses
        }
        if !hasGroup {
            clauses.append("'GROUP BY'")
        }
        if !hasOrder {
            clauses.append("'ORDER BY'")
        }
        clauses.append(Keyword.offset.quoted)
        return clauses
    }

    /// Parses the count after `TOP`, `OFFSET` or `LIMIT`: a non-negative integer or a parameter.
    private mutating func parseCount() throws(ParseFailure) -> Expression {
        switch current.kind {
        case .number(let value) where value == value.rounded(.towardZero) && value <= 9_007_199_254_740_991:
            advance()
            return .literal(.number(value))
        case .parameter(let name):
            advance()
            return .parameter(name)
        default:
            throw unexpected(expected: ["a non-negative integer", "a parameter"])
        }
    }

    /// Parses what follows `SELECT [DISTINCT] [TOP n]`; also returns the `*` token for `SELECT *`.
    ///
    /// - Parameter refusingCompositions: Whether a select expression may not compute with an aggregate's result
    ///   (`COUNT(1) + 1`), as in a query over the container.
    private mutating func parseProjection(refusingCompositions: Bool) throws(ParseFailure)
        -> (SelectClause.Projection, Token?) {
        func parseItemExpression() throws(ParseFailure) -> Expression {
            let start = current
            let expression = try parseExpression().expression
            if refusingCompositions && Self.composesAggregate(expression) {
                // The service's words (the .NET SDK's query baseline tests expect them for COUNT(1) + 5 and the like).
                throw error(at: start, "Compositions of aggregates and other expressions are not allowed. Select "
                    + "the aggregate by itself (SELECT VALUE COUNT(1), or SELECT COUNT(1) AS n) and compute with its "
                    + "result in your code")
            }
            return expression
        }
        if current.is(.star) {
            let star = advance()
            if current.is(.comma) {
                throw error(at: star, "SELECT * cannot be combined with other items")
            }
            return (.star, star)
        }
        if consume(.value) {
            let value = try parseItemExpression()
            if current.is(.comma) {
                throw error(at: current, "SELECT VALUE takes a single expression")
            }
            return (.value(value), nil)
        }
        guard isExpressionStart(current) else {
            throw unexpected(expected: ["'*'", Keyword.value.quoted, "an expression"])
        }
        var items: [SelectItem] = []
        repeat {
            if current.is(.star) {
                throw error(at: current, "SELECT * cannot be combined with other items")
            }
            let expression = try parseItemExpression()
            var alias: String?
            if consume(.as) {
                alias = try expectIdentifier()
            } else if let name = current.identifier {
                advance()
                alias = name
            }
            items.append(SelectItem(expression: expression, alias: alias))
        } while consume(.comma)
        return (.items(items), nil)
    }

    /// Whether `expression` computes with an aggregate's result (`COUNT(1) + 1`, `ROUND(AVG(c.n))`,
    /// `MIN(c.a) + MAX(c.a)`). An aggregate alone, or as a member or element of an object or array constructor, is
    /// not a composition; aggregates of subqueries are their own.
    static func composesAggregate(_ expression: Expression) -> Bool {
        switch expression {
        case .call(let name, _) where BuiltinFunctions.aggregates.contains(name):
            return false
        case .object(let members):
            return members.contains { composesAggregate($0.value) }
        case .array(let elements):
            return elements.contains { composesAggregate($0) }
        default:
            var found = false
            expression.visit { e in
                if case .call(let name, _) = e, BuiltinFunctions.aggregates.contains(name) { found = true }
            }
            return found
        }
    }

    // MARK: FROM and JOIN

    /// Parses what follows `FROM`.
    private mutating func parseFrom() throws(ParseFailure) -> FromClause {
        if current.is(.leftParen), peek().is(.select) {
            // FROM (subquery) [[AS] alias]: only the outermost query runs over another query's results.
            guard subqueryNesting == 0 else {
                throw error(at: current, "a subquery's FROM must iterate a value of the outer query; FROM (SELECT ...) "
                    + "is for the outermost query")
            }
            skip()
            let (subquery, height) = try parseSubquery(overContainer: true)
            try expect(.rightParen)
            tallest = max(tallest, height)
            if consume(.as) {
                return FromClause(subquery: subquery, alias: try expectIdentifier())
            }
            if let name = current.identifier {
                advance()
                return FromClause(subquery: subquery, alias: name)
            }
            return FromClause(subquery: subquery)
        }
        let nameToken = current
        let name = try expectIdentifier()
        if consume(.in) {
            let (iteration, containerName) = try parsePath()
            return FromClause(alias: name, containerName: containerName, iteration: iteration)
        }
        let (path, lastName) = try parsePathSteps(from: .identifier(name))
        let isPath = path != .identifier(name)
        var alias: String
        if consume(.as) {
            alias = try expectIdentifier()
        } else if let explicit = current.identifier {
            advance()
            alias = explicit
        } else if let lastName {
            alias = lastName
        } else {
            throw error(at: nameToken, "a FROM path ending in brackets needs an alias")
        }
        return FromClause(alias: alias, containerName: name, path: isPath ? path : nil)
    }

    /// Parses what follows `JOIN`: `alias IN path`, `alias IN function(...)`, or `(subquery) [[AS] alias]`,
    /// whose values are joined like an array's elements. A subquery without an alias binds a name no query
    /// can write (`$1` for the first JOIN), so its values only multiply the rows.
    private mutating func parseJoin(number: Int) throws(ParseFailure) -> JoinClause {
        if current.is(.leftParen), peek().is(.select) {
            skip()
            let (subquery, height) = try parseSubquery()
            try expect(.rightParen)
            tallest = max(tallest, height)
            var alias = "$\(number)"
            if consume(.as) {
                alias = try expectIdentifier()
            } else if let name = current.identifier {
                advance()
                alias = name
            }
            return JoinClause(alias: alias, collection: .arraySubquery(Subquery(subquery)))
        }
        let nameToken = current
        let alias = try expectIdentifier()
        if !current.is(.in) {
            // JOIN path [[AS] alias]: the alias is bound to the path's value itself, as in FROM c.path.
            let (path, lastName) = try parsePathSteps(from: .identifier(alias))
            if path == .identifier(alias), current.identifier != nil, peek().is(.dot) || peek().is(.leftBracket) {
                // `JOIN t c.tags`: an IN is missing (binding an alias's value to a path cannot be meant).
                throw unexpected(expected: [Keyword.in.quoted])
            }
            if consume(.as) {
                return JoinClause(alias: try expectIdentifier(), collection: path, iterates: false)
            }
            if let explicit = current.identifier {
                advance()
                return JoinClause(alias: explicit, collection: path, iterates: false)
            }
            guard let lastName, path != .identifier(alias) else {
                throw path == .identifier(alias) ? unexpected(expected: [Keyword.in.quoted, Keyword.as.quoted])
                                                 : error(at: nameToken, "a JOIN path ending in brackets needs an alias")
            }
            return JoinClause(alias: lastName, collection: path, iterates: false)
        }
        try expect(.in)
        if current.identifier != nil && peek().is(.leftParen) || current.is(.leftParen) && peek().is(.select) {
            // A function's array, such as JOIN kv IN OBJECTTOARRAY(c.tags) or JOIN x IN ARRAY(SELECT ...), or a
            // subquery's value, such as JOIN m IN (SELECT VALUE [{...}, {...}]) for reference data.
            return JoinClause(alias: alias, collection: try parseExpression(forbiddingAggregatesIn: "JOIN"))
        }
        let (collection, _) = try parsePath()
        return JoinClause(alias: alias, collection: collection)
    }

    /// Parses a path (`c`, `c.a.b`, `c["a-b"][0]`, `c.arr[@i]`); also returns its root name.
    private mutating func parsePath() throws(ParseFailure) -> (Expression, String) {
        let root = try expectIdentifier()
        let (path, _) = try parsePathSteps(from: .identifier(root))
        return (path, root)
    }

    /// Parses `.name`, `[literal]` and `[@param]` steps after `base`; also returns the last name
    /// (the root name when there are no steps, `nil` when the last step is in brackets).
    private mutating func parsePathSteps(from base: Expression) throws(ParseFailure) -> (Expression, String?) {
        var path = base
        var lastName: String?
        if case .identifier(let name) = base {
            lastName = name
        }
        var steps = 0
        defer { tallest = max(tallest, steps + 1) }
        while current.is(.dot) || current.is(.leftBracket) {
            steps += 1
            if steps >= Self.maxDepth {
                throw error(at: current, Self.tooDeepDetail)
            }
            if consume(.dot) {
                let name = try expectPropertyName()
                path = .property(path, name)
                lastName = name
                continue
            }
            advance()
            let step: Expression
            switch current.kind {
            case .string(let value): step = .literal(.string(value))
            case .number(let value): step = .literal(.number(value))
            case .parameter(let name): step = .parameter(name)
            default: throw unexpected(expected: ["a string", "a number", "a parameter"])
            }
            advance()
            try expect(.rightBracket)
            path = .index(path, step)
            lastName = nil
        }
        return (path, lastName)
    }

    /// Moves past a property name after `.` (or an unquoted object member name): an identifier.
    /// A reserved word is an error that suggests the bracket form, as in Cosmos DB.
    mutating func expectPropertyName() throws(ParseFailure) -> String {
        switch current.kind {
        case .identifier(let name):
            advance()
            return name
        case .keyword:
            let word = text(of: current)
            throw ParseFailure(
                .at(
                    span(of: current),
                    "'\(word)' is a reserved word; write [\"\(word)\"] to use it as a property name",
                    found: word,
                    expected: ["a property name"]
                ))
        default:
            throw unexpected(expected: ["a property name"])
        }
    }

    /// The detail of the error for input nested deeper than ``maxDepth``.
    static let tooDeepDetail = "the query is nested too deeply (the limit is \(maxDepth) levels)"
}

// MARK: - ParseFailure

/// A ``QuerySyntaxError`` in a box, thrown inside the parser.
///
/// Every call site of a function with a typed `throws` reserves stack room for the thrown value. A
/// `QuerySyntaxError` is 80 bytes, which made each nesting level of the recursive descent cost
/// kilobytes of stack in unoptimized builds; this reference is 8 bytes. ``Parser/parseQuery()``
/// unwraps it, so the module still throws `QuerySyntaxError` only.
final class ParseFailure: Error {
    /// The error to report.
    let error: QuerySyntaxError

    /// Boxes `error`.
    init(_ error: QuerySyntaxError) {
        self.error = error
    }
}
