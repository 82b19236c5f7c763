// SPDX-License-Identifier: Apache-2.0

import CosmoliteSQL
import Testing

// MARK: - BadQuery

/// A malformed query and the exact error it must produce.
struct BadQuery: Sendable, CustomTestStringConvertible {
    let query: String
    let message: String
    /// UTF-8 offset, length, line and column of the error span.
    let span: (offset: Int, length: Int, line: Int, column: Int)

    var testDescription: String { query.isEmpty ? "(empty)" : query }

    init(_ query: String, _ message: String, at span: (Int, Int, Int, Int)) {
        self.query = query
        self.message = message
        self.span = span
    }
}

// MARK: - ErrorTests

@Suite struct ErrorTests {
    static let composition = "Compositions of aggregates and other expressions are not allowed. Select the aggregate "
        + "by itself (SELECT VALUE COUNT(1), or SELECT COUNT(1) AS n) and compute with its result in your code"

    static let cases: [BadQuery] = [
        // Empty and truncated queries.
        BadQuery("", "syntax error at line 1, column 1: unexpected end of query, expected 'SELECT'", at: (0, 0, 1, 1)),
        BadQuery(
            "  \n ", "syntax error at line 2, column 2: unexpected end of query, expected 'SELECT'", at: (4, 0, 2, 2)),
        BadQuery(
            "UPDATE c", "syntax error at line 1, column 1: unexpected 'UPDATE', expected 'SELECT'", at: (0, 6, 1, 1)),
        BadQuery(
            "SELECT",
            "syntax error at line 1, column 7: unexpected end of query, expected '*', 'VALUE' or an expression",
            at: (6, 0, 1, 7)),
        BadQuery(
            "SELECT FROM c",
            "syntax error at line 1, column 8: unexpected 'FROM', expected '*', 'VALUE' or an expression",
            at: (7, 4, 1, 8)),
        BadQuery(
            "SELECT * FROM c WHERE c.a = FROM",
            "syntax error at line 1, column 29: unexpected 'FROM', expected an expression", at: (28, 4, 1, 29)),
        BadQuery(
            "SELECT * FROM c WHERE",
            "syntax error at line 1, column 22: unexpected end of query, expected an expression", at: (21, 0, 1, 22)),
        BadQuery(
            "SELECT * FROM c WHERE\n  c.a = 'é' AND\n  c.b = FROM",
            "syntax error at line 3, column 9: unexpected 'FROM', expected an expression", at: (47, 4, 3, 9)),
        // Lexical errors.
        BadQuery(
            "SELECT * FROM c WHERE c.name = 'abc",
            "syntax error at line 1, column 36: unterminated string starting at line 1, column 32",
            at: (35, 0, 1, 36)),
        BadQuery(
            "SELECT VALUE \"ab\ncd",
            "syntax error at line 2, column 3: unterminated string starting at line 1, column 14", at: (19, 0, 2, 3)),
        BadQuery("SELECT VALUE 1e", "syntax error at line 1, column 14: invalid number '1e'", at: (13, 2, 1, 14)),
        BadQuery("SELECT VALUE 1e+", "syntax error at line 1, column 14: invalid number '1e+'", at: (13, 3, 1, 14)),
        BadQuery("SELECT VALUE 12abc", "syntax error at line 1, column 14: invalid number '12abc'", at: (13, 5, 1, 14)),
        BadQuery("SELECT VALUE 1.x", "syntax error at line 1, column 14: invalid number '1.x'", at: (13, 3, 1, 14)),
        BadQuery("SELECT VALUE 0x", "syntax error at line 1, column 14: invalid number '0x'", at: (13, 2, 1, 14)),
        BadQuery("SELECT VALUE 0x1g", "syntax error at line 1, column 14: invalid number '0x1g'", at: (13, 4, 1, 14)),
        BadQuery(
            "SELECT VALUE 0x20000000000001", "syntax error at line 1, column 14: number '0x20000000000001' is out of "
                + "range (at most 0x20000000000000)", at: (13, 16, 1, 14)),
        BadQuery(
            "SELECT VALUE 0x200000000000000", "syntax error at line 1, column 14: number '0x200000000000000' is out of "
                + "range (at most 0x20000000000000)", at: (13, 17, 1, 14)),
        // Cosmos DB's clause rules.
        BadQuery(
            "SELECT * FROM c JOIN t IN c.tags", "syntax error at line 1, column 8: SELECT * needs exactly one alias "
                + "in FROM, and JOIN declares more; select the aliases by name (SELECT c, t) or one of them "
                + "(SELECT VALUE c)", at: (7, 1, 1, 8)),
        BadQuery(
            "SELECT * FROM c GROUP BY c.a", "syntax error at line 1, column 8: SELECT * cannot be used with GROUP BY; "
                + "select the GROUP BY expressions and aggregates", at: (7, 1, 1, 8)),
        BadQuery(
            "SELECT c.a FROM c GROUP BY c.a ORDER BY c.a", "syntax error at line 1, column 32: GROUP BY cannot be "
                + "used with ORDER BY", at: (31, 5, 1, 32)),
        BadQuery(
            "SELECT VALUE 1e999", "syntax error at line 1, column 14: number '1e999' is out of range",
            at: (13, 5, 1, 14)),
        BadQuery(
            #"SELECT VALUE 'a\qb'"#, #"syntax error at line 1, column 16: invalid escape '\q' in string"#,
            at: (15, 2, 1, 16)),
        BadQuery(
            #"SELECT VALUE 'a\u12'"#, #"syntax error at line 1, column 16: invalid unicode escape '\u12' in string"#,
            at: (15, 4, 1, 16)),
        BadQuery(
            #"SELECT VALUE '\ud800'"#,
            #"syntax error at line 1, column 15: invalid unicode escape '\ud800' in string"#, at: (14, 6, 1, 15)),
        BadQuery("SELECT # FROM c", "syntax error at line 1, column 8: unexpected character '#'", at: (7, 1, 1, 8)),
        BadQuery("SELECT VALUE 1 !", "syntax error at line 1, column 16: unexpected character '!'", at: (15, 1, 1, 16)),
        BadQuery("SELECT VALUE é", "syntax error at line 1, column 14: unexpected character 'é'", at: (13, 2, 1, 14)),
        BadQuery(
            "SELECT VALUE 'é' \u{0}", "syntax error at line 1, column 18: unexpected character U+0000",
            at: (18, 1, 1, 18)),
        BadQuery(
            "SELECT * FROM c WHERE c.a = @",
            "syntax error at line 1, column 29: '@' must be followed by a parameter name", at: (28, 1, 1, 29)),
        BadQuery(
            "SELECT * FROM c WHERE c.a = 1 'unterminated",
            "syntax error at line 1, column 44: unterminated string starting at line 1, column 31",
            at: (43, 0, 1, 44)),
        // SELECT rules.
        BadQuery("SELECT *", "syntax error at line 1, column 8: SELECT * requires a FROM clause", at: (7, 1, 1, 8)),
        BadQuery(
            "SELECT *, c.a FROM c", "syntax error at line 1, column 8: SELECT * cannot be combined with other items",
            at: (7, 1, 1, 8)),
        BadQuery(
            "SELECT c.a, * FROM c", "syntax error at line 1, column 13: SELECT * cannot be combined with other items",
            at: (12, 1, 1, 13)),
        BadQuery(
            "SELECT VALUE c.a, c.b FROM c", "syntax error at line 1, column 17: SELECT VALUE takes a single expression",
            at: (16, 1, 1, 17)),
        // group-by.md: a GROUP BY expression refers to a property, and takes no subquery.
        BadQuery(
            "SELECT COUNT(1) AS n FROM c GROUP BY 1",
            "syntax error at line 1, column 38: a GROUP BY expression must refer to a property of the item (GROUP BY "
                + "c.status); one without a property groups nothing", at: (37, 1, 1, 38)),
        BadQuery(
            "SELECT COUNT(1) AS n FROM c GROUP BY c.a, UPPER('x')",
            "syntax error at line 1, column 43: a GROUP BY expression must refer to a property of the item (GROUP BY "
                + "c.status); one without a property groups nothing", at: (42, 5, 1, 43)),
        BadQuery(
            "SELECT COUNT(1) AS n FROM c GROUP BY (SELECT VALUE 1)",
            "syntax error at line 1, column 38: GROUP BY does not take a subquery; group by a property of the item "
                + "(GROUP BY c.status), or compute the value in a FROM subquery and group by its name",
            at: (37, 1, 1, 38)),
        BadQuery(
            "SELECT COUNT(1) AS n FROM c GROUP BY c.a ?? EXISTS(SELECT VALUE t FROM t IN c.tags)",
            "syntax error at line 1, column 38: GROUP BY does not take a subquery; group by a property of the item "
                + "(GROUP BY c.status), or compute the value in a FROM subquery and group by its name",
            at: (37, 1, 1, 38)),
        // The service refuses aggregates inside larger select expressions (the .NET SDK's
        // OptimisticDirectExecutionQueryBaselineTests, even with a partition key; azure-cosmos-dotnet-v3 issue 1099
        // with GROUP BY).
        BadQuery(
            "SELECT COUNT(1) + 5 FROM c",
            "syntax error at line 1, column 8: " + Self.composition, at: (7, 5, 1, 8)),
        BadQuery(
            "SELECT VALUE ROUND(AVG(c.n)) FROM c",
            "syntax error at line 1, column 14: " + Self.composition, at: (13, 5, 1, 14)),
        BadQuery(
            "SELECT c.g, SUM(c.n) / COUNT(1) AS r FROM c GROUP BY c.g",
            "syntax error at line 1, column 13: " + Self.composition, at: (12, 3, 1, 13)),
        BadQuery(
            "SELECT VALUE COUNT(1) FROM (SELECT VALUE MIN(c.a) + MAX(c.a) FROM c)",
            "syntax error at line 1, column 42: " + Self.composition, at: (41, 3, 1, 42)),
        BadQuery(
            "SELECT TOP 1.5 * FROM c",
            "syntax error at line 1, column 12: unexpected '1.5', expected a non-negative integer or a parameter",
            at: (11, 3, 1, 12)),
        BadQuery(
            "SELECT TOP -1 * FROM c",
            "syntax error at line 1, column 12: unexpected '-', expected a non-negative integer or a parameter",
            at: (11, 1, 1, 12)),
        BadQuery(
            "SELECT c.a AS FROM c", "syntax error at line 1, column 15: unexpected 'FROM', expected an identifier",
            at: (14, 4, 1, 15)),
        // Functions.
        BadQuery(
            "SELECT VALUE foo(1)", "syntax error at line 1, column 14: unknown function 'FOO'", at: (13, 3, 1, 14)),
        BadQuery(
            "SELECT VALUE StartsWith(c.a) FROM c",
            "syntax error at line 1, column 14: function STARTSWITH takes 2 or 3 arguments, got 1",
            at: (13, 10, 1, 14)),
        BadQuery(
            "SELECT VALUE CONCAT('a') FROM c",
            "syntax error at line 1, column 14: function CONCAT takes at least 2 arguments, got 1", at: (13, 6, 1, 14)),
        BadQuery(
            "SELECT VALUE GetCurrentDateTime(1)",
            "syntax error at line 1, column 14: function GETCURRENTDATETIME takes no arguments, got 1",
            at: (13, 18, 1, 14)),
        BadQuery(
            "SELECT VALUE lower()", "syntax error at line 1, column 14: function LOWER takes 1 argument, got 0",
            at: (13, 5, 1, 14)),
        BadQuery(
            "SELECT VALUE udf.myFn(1)", "syntax error at line 1, column 14: user-defined functions are not supported",
            at: (13, 3, 1, 14)),
        BadQuery(
            "SELECT COUNT(SUM(c.a)) FROM c",
            "syntax error at line 1, column 14: aggregate function SUM cannot be nested inside COUNT",
            at: (13, 3, 1, 14)),
        BadQuery(
            "SELECT * FROM c WHERE COUNT(1) > 1",
            "syntax error at line 1, column 23: aggregate function COUNT is not allowed in WHERE", at: (22, 5, 1, 23)),
        BadQuery(
            "SELECT VALUE COUNT(*) FROM c", "syntax error at line 1, column 20: unexpected '*', expected an expression",
            at: (19, 1, 1, 20)),
        // Clauses.
        BadQuery(
            "SELECT * FROM c foo bar",
            "syntax error at line 1, column 21: unexpected 'bar', expected 'JOIN', 'WHERE', 'GROUP BY', 'ORDER BY', "
                + "'OFFSET' or end of query",
            at: (20, 3, 1, 21)),
        BadQuery(
            "SELECT * FROM c ORDER BY c.a OFFSET 1 LIMIT 1 x",
            "syntax error at line 1, column 47: unexpected 'x', expected end of query", at: (46, 1, 1, 47)),
        BadQuery(
            "SELECT * FROM c OFFSET 5", "syntax error at line 1, column 25: unexpected end of query, expected 'LIMIT'",
            at: (24, 0, 1, 25)),
        BadQuery(
            "SELECT * FROM c LIMIT 5",
            "syntax error at line 1, column 17: LIMIT must follow OFFSET (write OFFSET 0 LIMIT n)", at: (16, 5, 1, 17)),
        BadQuery(
            "SELECT * FROM c JOIN t c.tags", "syntax error at line 1, column 24: unexpected 'c', expected 'IN'",
            at: (23, 1, 1, 24)),
        BadQuery(
            "SELECT * FROM c ORDER c.a", "syntax error at line 1, column 23: unexpected 'c', expected 'BY'",
            at: (22, 1, 1, 23)),
        BadQuery(
            #"SELECT * FROM c["a"]"#,
            "syntax error at line 1, column 15: a FROM path ending in brackets needs an alias", at: (14, 1, 1, 15)),
        BadQuery(
            "SELECT * FROM (1)", "syntax error at line 1, column 15: unexpected '(', expected an identifier",
            at: (14, 1, 1, 15)),
        BadQuery(
            "SELECT c.value FROM c",
            #"syntax error at line 1, column 10: 'value' is a reserved word; write ["value"] to use it "#
                + "as a property name",
            at: (9, 5, 1, 10)),
        BadQuery(
            "SELECT VALUE {value: 1}",
            #"syntax error at line 1, column 15: 'value' is a reserved word; write "value" to use it as a member name"#,
            at: (14, 5, 1, 15)),
        // Expressions.
        BadQuery(
            "SELECT VALUE (1 + 2", "syntax error at line 1, column 20: unexpected end of query, expected ')'",
            at: (19, 0, 1, 20)),
        BadQuery(
            "SELECT VALUE [1, 2", "syntax error at line 1, column 19: unexpected end of query, expected ',' or ']'",
            at: (18, 0, 1, 19)),
        BadQuery(
            #"SELECT VALUE {"a" 1}"#, "syntax error at line 1, column 19: unexpected '1', expected ':'",
            at: (18, 1, 1, 19)),
        BadQuery(
            "SELECT VALUE c.a ? 1 FROM c", "syntax error at line 1, column 22: unexpected 'FROM', expected ':'",
            at: (21, 4, 1, 22)),
        BadQuery(
            "SELECT * FROM c WHERE c.a BETWEEN 1 OR 2",
            "syntax error at line 1, column 37: unexpected 'OR', expected 'AND'", at: (36, 2, 1, 37)),
        BadQuery(
            "SELECT * FROM c WHERE c.a IN ()",
            "syntax error at line 1, column 31: unexpected ')', expected an expression",
            at: (30, 1, 1, 31)),
        BadQuery(
            "SELECT * FROM c WHERE c.a = NOT c.b",
            "syntax error at line 1, column 29: unexpected 'NOT', expected an expression", at: (28, 3, 1, 29)),
        BadQuery(
            "SELECT VALUE 1 +", "syntax error at line 1, column 17: unexpected end of query, expected an expression",
            at: (16, 0, 1, 17)),
        // Subqueries.
        BadQuery(
            "SELECT * FROM c WHERE EXISTS(SELECT VALUE 1 FROM c)",
            "syntax error at line 1, column 45: a subquery's FROM must iterate a value of the outer query, for example "
                + "FROM t IN c.tags (only correlated subqueries are supported, as in Cosmos DB)",
            at: (44, 4, 1, 45)),
        BadQuery(
            "SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags ORDER BY t.q)",
            "syntax error at line 1, column 62: 'ORDER BY' is not supported in subqueries; order the outer query instead "
                + "(SELECT * FROM (SELECT c.id, c.name FROM c) s ORDER BY s.name orders a FROM subquery's results)",
            at: (61, 5, 1, 62)),
        BadQuery(
            "SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags GROUP BY t)",
            "syntax error at line 1, column 62: GROUP BY is not supported in a subquery; move it to the outer query",
            at: (61, 5, 1, 62)),
        BadQuery(
            "SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags OFFSET 1 LIMIT 1)",
            "syntax error at line 1, column 62: 'OFFSET LIMIT' clause is not supported in subqueries; use it in the outer "
                + "query (a subquery may have TOP)",
            at: (61, 6, 1, 62)),
        BadQuery(
            "SELECT * FROM (SELECT c.id FROM c OFFSET 1 LIMIT 1) s",
            "syntax error at line 1, column 35: 'OFFSET LIMIT' clause is not supported in subqueries; use it in the outer "
                + "query (a subquery may have TOP)",
            at: (34, 6, 1, 35)),
        BadQuery(
            "SELECT * FROM (SELECT VALUE LOWER(c.id) FROM c) s ORDER BY s",
            "syntax error at line 1, column 51: Unsupported ORDER BY clause. ORDER BY item expression could not be "
                + "mapped to a document path; order by a property the FROM subquery selects from its items (for "
                + "example SELECT * FROM (SELECT c.id, c.name FROM c) s ORDER BY s.name)",
            at: (50, 5, 1, 51)),
        BadQuery(
            "SELECT * FROM c WHERE EXISTS(c.tags)",
            "syntax error at line 1, column 23: EXISTS takes a subquery: write EXISTS(SELECT ...)", at: (22, 6, 1, 23)),
        BadQuery(
            "SELECT ARRAY(SELECT VALUE t FROM t IN c.tags FROM c",
            "syntax error at line 1, column 46: unexpected 'FROM', expected 'JOIN', 'WHERE' or ')'", at: (45, 4, 1, 46)),
        BadQuery(
            "SELECT VALUE (SELECT VALUE 1",
            "syntax error at line 1, column 29: unexpected end of query, expected 'FROM', 'WHERE' or ')'",
            at: (28, 0, 1, 29)),
    ]

    @Test func tableIsLarge() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func reportsMessageAndSpan(_ bad: BadQuery) {
        #expect(throws: QuerySyntaxError.self) { try Query.parse(bad.query) }
        do {
            _ = try Query.parse(bad.query)
        } catch {
            #expect(error.message == bad.message)
            #expect(error.description == bad.message)
            let span = SourceSpan(
                offset: bad.span.offset, length: bad.span.length, line: bad.span.line, column: bad.span.column)
            #expect(error.span == span)
        }
    }

    @Test func unexpectedTokenErrorsNameFoundAndExpected() throws {
        let error = try #require(throws: QuerySyntaxError.self) {
            try Query.parse("SELECT * FROM c WHERE c.a = FROM")
        }
        #expect(error.found == "FROM")
        #expect(error.expected == ["an expression"])
        let end = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT * FROM c OFFSET 1") }
        #expect(end.found == "end of query")
        #expect(end.expected == ["'LIMIT'"])
    }

    @Test func longTokensAreShortenedInMessages() throws {
        let long = String(repeating: "x", count: 100)
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT * FROM c \(long) y") }
        let shown = String(repeating: "x", count: 40) + "..."
        #expect(error.found == "y")
        let unknown = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT VALUE \(long)(1)") }
        #expect(unknown.found == shown)
        #expect(unknown.message.hasSuffix("unknown function '\(shown.uppercased())'"))
    }

    @Test func theFirstProblemInTheTextIsReported() throws {
        // The lexical error comes after the syntax error, so the syntax error wins, and vice versa.
        let syntax = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT FROM c WHERE 'abc") }
        #expect(syntax.found == "FROM")
        let lexical = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT 'abc FROM") }
        #expect(lexical.message.contains("unterminated string"))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT VALUE '👩‍👩‍👧' +") }
        #expect(error.span?.column == 19)  // 13 + quote, family emoji, quote, space, plus
        #expect(error.span?.offset == "SELECT VALUE '👩‍👩‍👧' +".utf8.count)
    }
}
