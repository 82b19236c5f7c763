// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import Testing

// MARK: - ParserTests

/// Checks the exact tree shapes the planner relies on.
@Suite struct ParserTests {
    private let c = Expression.identifier("c")

    @Test func simpleFromBindsTheContainerName() throws {
        let query = try Query.parse("SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name")
        #expect(query.select == SelectClause(projection: .star))
        #expect(query.from == FromClause(alias: "c", containerName: "c"))
        #expect(query.joins.isEmpty)
        #expect(query.whereClause == .binary(.equal, .property(c, "tenantId"), .parameter("t")))
        #expect(query.orderBy == [OrderByItem(expression: .property(c, "name"), descending: false)])
        #expect(query.groupBy.isEmpty && query.offset == nil && query.limit == nil)
    }

    @Test(
        arguments: [
            ("SELECT * FROM root r", FromClause(alias: "r", containerName: "root")),
            ("SELECT * FROM c AS x", FromClause(alias: "x", containerName: "c")),
            ("SELECT * FROM root", FromClause(alias: "root", containerName: "root")),
            (
                "SELECT * FROM x IN c.arr",
                FromClause(alias: "x", containerName: "c", iteration: .property(.identifier("c"), "arr"))
            ),
            (
                "SELECT * FROM c.children",
                FromClause(alias: "children", containerName: "c", path: .property(.identifier("c"), "children"))
            ),
            (
                "SELECT * FROM c.children ch",
                FromClause(alias: "ch", containerName: "c", path: .property(.identifier("c"), "children"))
            ),
            (
                #"SELECT * FROM c["a-b"] AS x"#,
                FromClause(alias: "x", containerName: "c", path: .index(.identifier("c"), .literal("a-b")))
            ),
        ] as [(String, FromClause)])
    func fromForms(text: String, expected: FromClause) throws {
        #expect(try Query.parse(text).from == expected)
    }

    /// `--` starts a comment to the end of the line, as in the service: `0 --1` is 0, not 0 - (-1).
    @Test func doubleDashCommentsRunToTheEndOfTheLine() throws {
        let query = try Query.parse("-- the active ones\nSELECT VALUE c.n --1\nFROM c WHERE c.n = 0 --1\r\n-- the end")
        #expect(query.select.projection == .value(.property(c, "n")))
        #expect(query.whereClause == .binary(.equal, .property(c, "n"), .literal(0)))
        // Inside a string, `--` is text; a lone `-` is still minus.
        #expect(try Query.parse("SELECT VALUE '--x' FROM c").select.projection == .value(.literal("--x")))
        #expect(try Query.parse("SELECT VALUE 3 - -1 FROM c").description == "SELECT VALUE (3 - -1) FROM c")
    }

    /// Number forms of Cosmos's grammar: `5.`, `.5`, exponents after either, and `0x` hexadecimal.
    @Test(arguments: [("5.", 5.0), (".5", 0.5), ("5.e2", 500), (".5E-1", 0.05), ("0x1F", 31), ("0XfF", 255),
                      ("0x0", 0), ("0x20000000000000", 9_007_199_254_740_992)] as [(String, Double)])
    func numberForms(text: String, value: Double) throws {
        #expect(try Query.parse("SELECT VALUE \(text) FROM c").select.projection == .value(.literal(.number(value))))
    }

    /// `true`, `false`, `null`, `undefined` and `udf` are keywords only in lower case (Cosmos's grammar), so `TRUE`
    /// is a name, which the service reports as unresolved; other keywords are keywords in any case.
    @Test func literalsAreLowerCaseOnly() throws {
        #expect(try Query.parse("SELECT VALUE true FROM c").select.projection == .value(.literal(true)))
        #expect(try Query.parse("select value null from c").select.projection == .value(.literal(.null)))
        for word in ["TRUE", "False", "NULL", "Undefined"] {
            #expect(try Query.parse("SELECT VALUE \(word) FROM c").select.projection == .value(.identifier(word)))
        }
        #expect(try Query.parse("SELECT VALUE c.TRUE FROM c").select.projection == .value(.property(c, "TRUE")))
        // Their dumps read back: `c.TRUE` is a name after the dot, `c["true"]` needs brackets (found by the fuzzer).
        for text in ["SELECT c.TRUE, c.Null x, c[\"true\"] y, c[\"select\"] z FROM c", "SELECT VALUE TRUE FROM c"] {
            let query = try Query.parse(text)
            #expect(try Query.parse(query.description) == query, "\(query.description)")
        }
    }

    @Test func joinsAreKeptInOrder() throws {
        let query = try Query.parse("SELECT VALUE s FROM c JOIN t IN c.tags JOIN s IN t.subs")
        #expect(
            query.joins == [
                JoinClause(alias: "t", collection: .property(c, "tags")),
                JoinClause(alias: "s", collection: .property(.identifier("t"), "subs")),
            ])
    }

    @Test(arguments: ["SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.city FROM c)",
                      "SELECT g.n FROM (SELECT c.a, COUNT(1) AS n FROM c GROUP BY c.a) AS g WHERE g.n > 1",
                      "SELECT VALUE t FROM (SELECT TOP 2 VALUE c FROM c WHERE c.x > 1) x JOIN t IN x.tags",
                      "SELECT VALUE x.id FROM (SELECT VALUE c FROM c) x WHERE x.n > 1 ORDER BY x.n DESC"])
    func fromASubqueryRoundTrips(text: String) throws {
        let query = try Query.parse(text)
        #expect(query.from?.subquery != nil)
        #expect(try Query.parse(query.description) == query, "\(query.description)")
        #expect(throws: QuerySyntaxError.self) { try Query.parseCondition("FROM (SELECT VALUE 1) x WHERE x = 1") }
    }

    /// An outer ORDER BY over a FROM subquery's results stays where it was written in the syntax tree (which prints
    /// back as written); `movingOrderIntoSubquery()` gives the query that runs, with the subquery ordered by the
    /// document paths the outer items stand for.
    @Test(arguments: [
        ("SELECT * FROM (SELECT c.id, c.a.b AS x FROM c) s ORDER BY s.x DESC, s.id", "c.a.b DESC, c.id ASC"),
        ("SELECT * FROM (SELECT VALUE d.item FROM d) s ORDER BY s.when", "d.item.when ASC"),
        ("SELECT * FROM (SELECT VALUE {a: {b: r.x}} FROM r) s ORDER BY s.a.b.c", "r.x.c ASC"),
        ("SELECT * FROM (SELECT * FROM c) s ORDER BY s[\"a-b\"][2]", "c[\"a-b\"][2] ASC"),
        ("SELECT * FROM (SELECT VALUE [c.p, c.q] FROM c) s ORDER BY s[1]", "c.q ASC"),
        ("SELECT * FROM (SELECT c.id, [c.n] FROM c JOIN t IN c.tags) s ORDER BY s[\"$1\"][0]", "c.n ASC"),
        ("SELECT * FROM (SELECT t FROM c JOIN t IN c.tags) s ORDER BY s.t.w", "t.w ASC"),
    ])
    func anOuterOrderOfASubqueryMovesIntoIt(text: String, innerOrder: String) throws {
        let query = try Query.parse(text)
        #expect(query.orderBy.count == innerOrder.split(separator: ",").count)
        #expect(try Query.parse(query.description) == query)
        let running = try query.movingOrderIntoSubquery()
        #expect(running.orderBy.isEmpty)
        let inner = try #require(running.from?.subquery?.query)
        #expect(inner.orderBy.map { "\($0.expression) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
            == innerOrder)
        var unordered = inner
        unordered.orderBy = []
        #expect(unordered == query.from?.subquery?.query, "only the ORDER BY changes")
    }

    @Test func joinsOfAPathBindItsValue() throws {
        let query = try Query.parse("SELECT f.id FROM f JOIN f.children c JOIN f.address JOIN x IN c")
        #expect(query.joins == [
            JoinClause(alias: "c", collection: .property(.identifier("f"), "children"), iterates: false),
            JoinClause(alias: "address", collection: .property(.identifier("f"), "address"), iterates: false),
            JoinClause(alias: "x", collection: .identifier("c")),
        ])
        #expect(try Query.parse(query.description) == query, "\(query.description)")
        #expect(throws: QuerySyntaxError.self) { try Query.parse("SELECT f.id FROM f JOIN f[\"a-b\"]") }
        #expect(throws: QuerySyntaxError.self) { try Query.parse("SELECT f.id FROM f JOIN t") }
    }

    @Test func joinsIterateASubquerysValue() throws {
        let query = try Query.parse("SELECT c.id, m FROM c JOIN m IN (SELECT VALUE [1, 2]) WHERE c.n = m")
        guard case .subquery? = query.joins.first?.collection else {
            Issue.record("not a scalar subquery: \(query.joins)")
            return
        }
        #expect(try Query.parse(query.description) == query)
    }

    @Test func joinsIterateAFunctionsArray() throws {
        let query = try Query.parse("SELECT kv.k FROM c JOIN kv IN OBJECTTOARRAY(c.q, 'k') WHERE kv.v > 1")
        #expect(query.joins == [JoinClause(alias: "kv", collection: .call(
            name: "OBJECTTOARRAY", arguments: [.property(c, "q"), .literal("k")]))])
        #expect(try Query.parse(query.description) == query)
        let error = try #require(throws: QuerySyntaxError.self) {
            try Query.parse("SELECT * FROM c JOIN x IN ARRAY_SLICE(COUNT(1), 1)")
        }
        #expect(error.message.hasSuffix("aggregate function COUNT is not allowed in JOIN"), "\(error.message)")
    }

    @Test func selectItemsKeepAliases() throws {
        let query = try Query.parse(#"SELECT c.a, c.b AS x, c["weird-key"] y FROM c"#)
        #expect(
            query.select.projection
                == .items([
                    SelectItem(expression: .property(c, "a")),
                    SelectItem(expression: .property(c, "b"), alias: "x"),
                    SelectItem(expression: .index(c, .literal("weird-key")), alias: "y"),
                ]))
    }

    @Test func topDistinctOffsetAndLimit() throws {
        let top = try Query.parse("SELECT DISTINCT TOP 5 VALUE c.a FROM c")
        #expect(top.select == SelectClause(distinct: true, top: .literal(5), projection: .value(.property(c, "a"))))
        let paged = try Query.parse("SELECT * FROM c OFFSET @o LIMIT 10")
        #expect(paged.offset == .parameter("o"))
        #expect(paged.limit == .literal(10))
        #expect(paged.select.top == nil)
    }

    @Test func literalsAndParameters() throws {
        let query = try Query.parse("SELECT VALUE [true, false, null, undefined, 'x', 1.5, -2, @p_1]")
        #expect(
            query.select.projection
                == .value(
                    .array([
                        .literal(true), .literal(false), .literal(.null), .literal(nil), .literal("x"), .literal(1.5),
                        .literal(-2), .parameter("p_1"),
                    ])))
    }

    @Test func operatorsMapToTheirCases() throws {
        let query = try Query.parse("SELECT VALUE c.a <> 1 AND NOT c.b OR -c.n > ~c.m")
        let expected = Expression.binary(
            .or,
            .binary(.and, .binary(.notEqual, .property(c, "a"), .literal(1)), .unary(.not, .property(c, "b"))),
            .binary(.greater, .unary(.negate, .property(c, "n")), .unary(.bitwiseNot, .property(c, "m")))
        )
        #expect(query.select.projection == .value(expected))
    }

    @Test func specialComparisonForms() throws {
        let query = try Query.parse(
            "SELECT * FROM c WHERE c.a NOT BETWEEN 1 AND 2 AND c.b IN (1) AND c.s NOT LIKE 'x%' ESCAPE '!'")
        let expected = Expression.binary(
            .and,
            .binary(
                .and,
                .between(.property(c, "a"), low: .literal(1), high: .literal(2), negated: true),
                .inList(.property(c, "b"), [.literal(1)], negated: false)
            ),
            .like(.property(c, "s"), pattern: .literal("x%"), escape: .literal("!"), negated: true)
        )
        #expect(query.whereClause == expected)
    }

    @Test func callsAreUppercasedAndConstructorsKeepOrder() throws {
        let query = try Query.parse(#"SELECT VALUE {"z": startsWith(c.a, @p), y: c[@k] ? 1 : 2} FROM c"#)
        let expected = Expression.object([
            ObjectMember(name: "z", value: .call(name: "STARTSWITH", arguments: [.property(c, "a"), .parameter("p")])),
            ObjectMember(
                name: "y", value: .conditional(.index(c, .parameter("k")), then: .literal(1), else: .literal(2))),
        ])
        #expect(query.select.projection == .value(expected))
    }

    @Test func keywordsAreCaseInsensitiveButNamesAreNot() throws {
        let upper = try Query.parse("SELECT VALUE C.Name FROM C WHERE C.Name = 'x'")
        let lower = try Query.parse("select value C.Name from C where C.Name = 'x'")
        #expect(upper == lower)
        #expect(upper.from?.alias == "C")
        #expect(upper.select.projection == .value(.property(.identifier("C"), "Name")))
        #expect(try Query.parse("SELECT VALUE c.name FROM c") != Query.parse("SELECT VALUE c.Name FROM c"))
    }

    @Test func negativeNumberLiteralsAreFolded() throws {
        #expect(try Query.parse("SELECT VALUE -5").select.projection == .value(.literal(-5)))
        #expect(try Query.parse("SELECT VALUE -(5)").select.projection == .value(.literal(-5)))
        #expect(
            try Query.parse("SELECT VALUE -c.n FROM c").select.projection == .value(.unary(.negate, .property(c, "n"))))
        #expect(try Query.parse("SELECT VALUE +5").select.projection == .value(.unary(.plus, .literal(5))))
    }

    @Test func descriptionOfBuiltTreesQuotesOddPropertyNames() {
        #expect(Expression.property(c, "a-b").description == #"c["a-b"]"#)
        #expect(Expression.property(c, "value").description == #"c["value"]"#)
        #expect(Expression.property(.literal(5), "x").description == "(5).x")
        #expect(Expression.index(.literal(-1), .literal(0)).description == "(-1)[0]")
    }
}

// MARK: - Subqueries

@Suite struct SubqueryParserTests {
    @Test func subqueryExpressionsParseToTheirCases() throws {
        let inner = Query(
            select: SelectClause(projection: .value(.identifier("t"))),
            from: FromClause(alias: "t", containerName: "c", iteration: .property(.identifier("c"), "tags")),
            whereClause: .binary(.equal, .property(.identifier("t"), "q"), .literal(1)))
        let text = "SELECT VALUE t FROM t IN c.tags WHERE t.q = 1"
        #expect(try Query.parse("SELECT VALUE EXISTS(\(text)) FROM c").select.projection == .value(.exists(Subquery(inner))))
        #expect(try Query.parse("SELECT VALUE array (\(text)) FROM c").select.projection == .value(.arraySubquery(Subquery(inner))))
        #expect(try Query.parse("SELECT VALUE (\(text)) FROM c").select.projection == .value(.subquery(Subquery(inner))))
        // A parenthesized expression that is not a subquery stays what it was.
        #expect(try Query.parse("SELECT VALUE (1) FROM c").select.projection == .value(.literal(1)))
        // FIRST, LAST and ALL (the service's grammar) are scalar subqueries that reduce the values otherwise; they
        // print back as written, and are names anywhere else.
        for (word, reduction) in [("FIRST", Subquery.Reduction.first), ("last", .last), ("All", .all)] {
            let query = try Query.parse("SELECT VALUE \(word)(\(text)) FROM c")
            #expect(query.select.projection == .value(.subquery(Subquery(inner, reduction: reduction))))
            #expect(query.select.projection != .value(.subquery(Subquery(inner))))
            #expect(query.description.hasPrefix("SELECT VALUE \(word.uppercased())(SELECT VALUE t FROM t IN c.tags"))
            #expect(try Query.parse(query.description) == query)
            #expect(try Query.parse("SELECT c.\(word) FROM \(word) c").select.projection
                == .items([SelectItem(expression: .property(.identifier("c"), word))]))
            #expect(throws: QuerySyntaxError.self) { try Query.parse("SELECT \(word)(c.tags) FROM c") }
        }
        #expect(Subquery(inner, reduction: .all).counterexamples?.whereClause == .unary(.not, inner.whereClause!))
    }

    @Test func joinSubqueriesBindTheirAliasOrAnUnwritableName() throws {
        let query = try Query.parse(
            "SELECT VALUE COUNT(1) FROM p JOIN (SELECT VALUE t FROM t IN p.tags) JOIN (SELECT VALUE s FROM s IN p.s) x")
        #expect(query.joins.map(\.alias) == ["$1", "x"])
        guard case .arraySubquery(let first) = query.joins[0].collection else {
            Issue.record("the JOIN's collection is \(query.joins[0].collection)")
            return
        }
        #expect(first.query.from?.iteration == .property(.identifier("p"), "tags"))
    }

    @Test func aggregatesBelongToTheirSubquery() throws {
        // Allowed in a subquery's SELECT even where the outer clause forbids them.
        let query = try Query.parse("SELECT * FROM c WHERE (SELECT VALUE COUNT(1) FROM t IN c.tags) > 1")
        guard case .binary(.greater, .subquery(let inner), _)? = query.whereClause else {
            Issue.record("WHERE is \(String(describing: query.whereClause))")
            return
        }
        #expect(inner.query.select.projection == .value(.call(name: "COUNT", arguments: [.literal(1)])))
        // A subquery inside an aggregate's argument may have aggregates of its own.
        _ = try Query.parse("SELECT SUM((SELECT VALUE COUNT(1) FROM t IN c.tags)) FROM c")
        // The subquery's own WHERE still forbids them.
        let error = try #require(throws: QuerySyntaxError.self) {
            try Query.parse("SELECT VALUE (SELECT VALUE 1 FROM t IN c.tags WHERE COUNT(1) > 0) FROM c")
        }
        #expect(error.message.hasSuffix("aggregate function COUNT is not allowed in WHERE"))
    }
}
