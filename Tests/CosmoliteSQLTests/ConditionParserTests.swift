// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import Testing

/// `Query.parseCondition`: Cosmos DB's filter predicate for a conditional patch (`FROM c WHERE ...`).
@Suite struct ConditionParserTests {
    private let c = Expression.identifier("c")

    @Test func aConditionIsTheQuerySelectingStarFromItsSource() throws {
        let condition = try Query.parseCondition("from c where c.status = 'new' and c.stock > 0")
        #expect(condition == Query(
            select: SelectClause(projection: .star), from: FromClause(alias: "c", containerName: "c"),
            whereClause: .binary(.and, .binary(.equal, .property(c, "status"), .literal("new")),
                                 .binary(.greater, .property(c, "stock"), .literal(0)))))
        // The same tree as the full query it stands for.
        #expect(condition == (try Query.parse("SELECT * FROM c WHERE c.status = 'new' AND c.stock > 0")))
    }

    @Test(arguments: [
        ("FROM root r WHERE r.a = 1", "SELECT * FROM root r WHERE r.a = 1"),
        ("FROM c", "SELECT * FROM c"),
        ("FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = 'vip')",
         "SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = 'vip')"),
        ("FROM t IN c.tags WHERE t = 'vip'", "SELECT * FROM t IN c.tags WHERE t = 'vip'"),
    ])
    func everySourceAndFilterFormParses(_ condition: String, _ query: String) throws {
        #expect(try Query.parseCondition(condition) == Query.parse(query))
    }

    /// A condition may JOIN, though the query it stands for (`SELECT * ... JOIN`) is not one a client may send.
    @Test func aConditionMayJoin() throws {
        let condition = try Query.parseCondition("FROM c JOIN t IN c.tags WHERE t = 'vip'")
        #expect(condition.joins == [JoinClause(alias: "t", collection: .property(.identifier("c"), "tags"))])
        #expect(condition.whereClause == .binary(.equal, .identifier("t"), .literal("vip")))
    }

    @Test(arguments: [
        BadQuery("SELECT * FROM c WHERE c.a = 1",
                 "syntax error at line 1, column 1: a patch condition starts with FROM, without SELECT, for example "
                    + "FROM c WHERE c.status = 'active'", at: (0, 6, 1, 1)),
        BadQuery("", "syntax error at line 1, column 1: unexpected end of query, expected 'FROM'", at: (0, 0, 1, 1)),
        BadQuery("WHERE c.a = 1", "syntax error at line 1, column 1: unexpected 'WHERE', expected 'FROM'",
                 at: (0, 5, 1, 1)),
        BadQuery("FROM c WHERE c.a = @a",
                 "syntax error at line 1, column 20: a patch condition takes no parameters; write the value into the "
                    + "condition", at: (19, 2, 1, 20)),
        BadQuery("FROM c WHERE c.a = 1 ORDER BY c.a",
                 "syntax error at line 1, column 22: a patch condition has only FROM, JOIN and WHERE clauses",
                 at: (21, 5, 1, 22)),
        BadQuery("FROM c GROUP BY c.a",
                 "syntax error at line 1, column 8: a patch condition has only FROM, JOIN and WHERE clauses",
                 at: (7, 5, 1, 8)),
        BadQuery("FROM c WHERE", "syntax error at line 1, column 13: unexpected end of query, expected an expression",
                 at: (12, 0, 1, 13)),
        BadQuery("FROM c c.a = 1",
                 "syntax error at line 1, column 9: unexpected '.', expected 'JOIN', 'WHERE' or end of query",
                 at: (8, 1, 1, 9)),
        BadQuery("FROM c WHERE c.a = 1 c", "syntax error at line 1, column 22: unexpected 'c', expected end of query",
                 at: (21, 1, 1, 22)),
        BadQuery("FROM c WHERE COUNT(1) > 0",
                 "syntax error at line 1, column 14: aggregate function COUNT is not allowed in WHERE",
                 at: (13, 5, 1, 14)),
    ])
    func badConditionsReportMessageAndSpan(_ bad: BadQuery) throws {
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parseCondition(bad.query) }
        #expect(error.message == bad.message)
        #expect(error.span == SourceSpan(offset: bad.span.offset, length: bad.span.length, line: bad.span.line,
                                         column: bad.span.column))
    }

    @Test func deeplyNestedConditionsParseOnALargeStack() throws {
        // Deep enough for the large-stack path (more than the inline recursion bound).
        let depth = 100
        let text = "FROM c WHERE " + String(repeating: "(", count: depth) + "c.a = 1" + String(repeating: ")", count: depth)
        let condition = try Query.parseCondition(text)
        #expect(condition.whereClause == .binary(.equal, .property(c, "a"), .literal(1)))
    }
}
