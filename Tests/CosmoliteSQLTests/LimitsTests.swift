// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteSQL
import Testing

// MARK: - LimitsTests

@Suite struct LimitsTests {
    @Test func textUpToTheLimitIsAccepted() throws {
        let prefix = "SELECT VALUE '"
        let filler = String(repeating: "x", count: Query.maxTextBytes - prefix.utf8.count - 1)
        let text = prefix + filler + "'"
        #expect(text.utf8.count == Query.maxTextBytes)
        #expect(try Query.parse(text).select.projection == .value(.literal(.string(filler))))
    }

    @Test func textOverTheLimitIsRejected() throws {
        let text = "SELECT VALUE '" + String(repeating: "é", count: Query.maxTextBytes / 2) + "'"
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse(text) }
        #expect(error.message == "the query text is 524,303 bytes; the limit is 524,288")
        #expect(error.span == nil)
        #expect(Query.maxTextBytes == 524_288)
    }

    @Test func tenJoinsAreAcceptedAndAnEleventhIsNot() throws {
        func joins(_ count: Int) -> String { (0..<count).map { " JOIN t\($0) IN c.a\($0)" }.joined() }
        #expect(try Query.parse("SELECT VALUE c FROM c" + joins(10)).joins.count == 10)
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT VALUE c FROM c" + joins(11)) }
        let column = ("SELECT VALUE c FROM c" + joins(10)).count + 2
        #expect(error.message == "syntax error at line 1, column \(column): a query or subquery has at most 10 JOINs "
            + "(Cosmos DB's limit)")
        // The limit is per query: a subquery has ten of its own.
        let nested = "SELECT VALUE EXISTS(SELECT VALUE 1 FROM x IN c.xs" + joins(10) + ") FROM c" + joins(10)
        #expect(throws: Never.self) { try Query.parse(nested) }
    }

    static let tooDeep = "the query is nested too deeply (the limit is 256 levels)"

    /// Builders of nested input: `build(n)` is an expression tree of height `n + 1`.
    static let nesters: [(name: String, build: @Sendable (Int) -> String)] = [
        ("arrays", { String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0) }),
        ("objects", { String(repeating: "{a: ", count: $0) + "1" + String(repeating: "}", count: $0) }),
        ("calls", { String(repeating: "ABS(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("NOT", { String(repeating: "NOT ", count: $0) + "true" }),
        ("minus", { String(repeating: "- ", count: $0) + "c" }),
        ("tilde", { String(repeating: "~", count: $0) + "1" }),
        ("left chain", { "1" + String(repeating: " + 1", count: $0) }),
        ("right chain", { String(repeating: "1 ?? (", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("conditional", { String(repeating: "true ? 1 : ", count: $0) + "2" }),
        ("properties", { "c" + String(repeating: ".a", count: $0) }),
        ("indexes", { "c" + String(repeating: "[0]", count: $0) }),
        ("between", { String(repeating: "1 BETWEEN 0 AND (", count: $0) + "1" + String(repeating: ")", count: $0) }),
    ]

    @Test(arguments: nesters.indices)
    func treesOfTheMaximumHeightParseAndRoundTrip(index: Int) throws {
        let query = try Query.parse("SELECT VALUE \(Self.nesters[index].build(255)) FROM c")
        #expect(try Query.parse(query.description) == query)
    }

    @Test(arguments: nesters.indices)
    func tallerTreesAreAnError(index: Int) throws {
        for depth in [256, 20_000] {
            let error = try #require(throws: QuerySyntaxError.self) {
                try Query.parse("SELECT VALUE \(Self.nesters[index].build(depth)) FROM c")
            }
            #expect(error.message.hasSuffix(Self.tooDeep))
        }
    }

    @Test func subqueriesNestUpToTheirOwnLimit() throws {
        func nested(_ n: Int) -> String {
            "SELECT VALUE " + String(repeating: "EXISTS(SELECT VALUE t FROM t IN c.a WHERE ", count: n) + "true"
                + String(repeating: ")", count: n) + " FROM c"
        }
        let query = try Query.parse(nested(16))
        #expect(try Query.parse(query.description) == query)
        for n in [17, 300] {
            let error = try #require(throws: QuerySyntaxError.self) { try Query.parse(nested(n)) }
            #expect(error.message == "syntax error at line 1, column \(13 + 42 * 16 + 8): subqueries are nested too "
                + "deeply (the limit is 16 levels)")
        }
    }

    @Test func redundantParenthesesHaveTheirOwnLimit() throws {
        func parenthesized(_ count: Int) -> String {
            "SELECT VALUE " + String(repeating: "(", count: count) + "1" + String(repeating: ")", count: count)
        }
        #expect(try Query.parse(parenthesized(519)).description == "SELECT VALUE 1")
        for count in [520, 100_000] {
            let error = try #require(throws: QuerySyntaxError.self) { try Query.parse(parenthesized(count)) }
            #expect(error.message == "syntax error at line 1, column \(13 + 521): " + Self.tooDeep)
        }
    }

    @Test func queriesAtTheLimitsParseOnSmallStacks() throws {
        // A Mutex-free handoff: the thread is joined before the results are read.
        final class Results: @unchecked Sendable {
            var outcomes: [Bool] = []
        }
        let results = Results()
        let queries =
            Self.nesters.map { "SELECT VALUE \($0.build(255)) FROM c" }
            + ["SELECT VALUE " + String(repeating: "(", count: 519) + "1" + String(repeating: ")", count: 519)]
        let started = LargeStack.runOnThread(stackSize: 512 << 10) {
            for text in queries {
                let query = try? Query.parse(text)
                results.outcomes.append(query != nil && (try? Query.parse(query?.description ?? "")) == query)
            }
        }
        #expect(started)
        #expect(results.outcomes == Array(repeating: true, count: queries.count))
    }

    @Test func longFlatListsAreFine() throws {
        let list = (0..<20_000).map(String.init).joined(separator: ", ")
        let query = try Query.parse("SELECT * FROM c WHERE c.n IN (\(list))")
        guard case .inList(_, let items, negated: false)? = query.whereClause else {
            Issue.record("expected an IN list")
            return
        }
        #expect(items.count == 20_000)
    }

    @Test func deepFromPathsAreAnError() throws {
        let path = "c" + String(repeating: ".a", count: 300)
        let error = try #require(throws: QuerySyntaxError.self) { try Query.parse("SELECT * FROM \(path)") }
        #expect(error.message.hasSuffix(Self.tooDeep))
    }
}
