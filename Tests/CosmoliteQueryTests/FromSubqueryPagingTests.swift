// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
@testable import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// A query over `FROM (subquery)` pages like any query over the container when the subquery streams (no
/// aggregate, GROUP BY, DISTINCT the outer query does not order, or ranking): `maxItemCount` is a maximum, each page
/// resumes by seeking where the subquery stopped, and a page can stop inside the rows one subquery result makes
/// through the outer JOINs. The outer query's ORDER BY orders the subquery's results (ORDER BY inside a subquery is
/// the service's 400).
struct FromSubqueryPagingTests {
    /// Containers `t` (every path indexed) and `u` (no index) with the same 60 items: `n` (distinct) and `m` (9
    /// values) are missing from every eleventh, and `tags` holds 0 to 3 strings.
    static func store() throws -> TestStore {
        let test = try storeWithContainers(["t": indexAll, "u": indexNothing])
        for i in 0..<60 {
            var item: JSONObject = ["id": .string("i\(i)"), "pk": .string("p\(i % 4)"),
                                    "tags": .array((0..<(i % 4)).map { .string("t\(($0 + i) % 5)") })]
            if i % 11 != 0 {
                item["n"] = .number(Double((i * 37) % 61))
                item["m"] = .number(Double(i % 9))
            }
            for container in ["t", "u"] { _ = try test.store.createItem(in: container, document: .object(item)) }
        }
        return test
    }

    /// Queries over a subquery, each with a query over the container that has the same results in the same order.
    static let equivalents: [(subquery: String, plain: String)] = [
        ("SELECT VALUE x FROM (SELECT VALUE c.n FROM c) x", "SELECT VALUE c.n FROM c"),
        ("SELECT * FROM (SELECT c.id, c.n FROM c WHERE c.n > 20) s WHERE s.n < 50",
         "SELECT VALUE {id: c.id, n: c.n} FROM c WHERE c.n > 20 AND c.n < 50"),
        ("SELECT VALUE [s.id, t] FROM (SELECT c.id, c.tags FROM c) s JOIN t IN s.tags",
         "SELECT VALUE [c.id, t] FROM c JOIN t IN c.tags"),
        ("SELECT VALUE t FROM (SELECT VALUE c FROM c) x JOIN t IN x.tags OFFSET 5 LIMIT 17",
         "SELECT VALUE t FROM c JOIN t IN c.tags OFFSET 5 LIMIT 17"),
        ("SELECT TOP 13 VALUE x.id FROM (SELECT c.id FROM c WHERE c.pk = 'p1' OR c.n < 10) x",
         "SELECT TOP 13 VALUE c.id FROM c WHERE c.pk = 'p1' OR c.n < 10"),
        ("SELECT VALUE y FROM (SELECT VALUE t FROM t IN c.tags) y", "SELECT VALUE t FROM t IN c.tags"),
        ("SELECT VALUE [y.a, y.b] FROM (SELECT a, b FROM c JOIN a IN c.tags JOIN b IN c.tags) y",
         "SELECT VALUE [a, b] FROM c JOIN a IN c.tags JOIN b IN c.tags"),
    ]

    /// Equivalents whose outer query orders the subquery's results (ORDER BY needs a range index, so only `t` runs
    /// them): through a list, a VALUE path, an object constructor and DISTINCT, with an outer JOIN, WHERE, TOP and
    /// OFFSET LIMIT.
    static let orderedEquivalents: [(subquery: String, plain: String)] = [
        ("SELECT s.id FROM (SELECT c.id, c.n FROM c) s ORDER BY s.n DESC", "SELECT c.id FROM c ORDER BY c.n DESC"),
        ("SELECT VALUE x FROM (SELECT DISTINCT VALUE c.m FROM c) x ORDER BY x",
         "SELECT DISTINCT VALUE c.m FROM c ORDER BY c.m"),
        ("SELECT VALUE x.v FROM (SELECT VALUE {v: c.n, i: c.id} FROM c) x ORDER BY x.v OFFSET 3 LIMIT 9",
         "SELECT VALUE c.n FROM c ORDER BY c.n OFFSET 3 LIMIT 9"),
        ("SELECT VALUE [s.id, t] FROM (SELECT c.id, c.n, c.tags FROM c) s JOIN t IN s.tags ORDER BY s.n",
         "SELECT VALUE [c.id, t] FROM c JOIN t IN c.tags ORDER BY c.n"),
        ("SELECT TOP 11 VALUE s.id FROM (SELECT * FROM c WHERE c.n > 4) s WHERE s.m > 2 ORDER BY s['n'] DESC",
         "SELECT TOP 11 VALUE c.id FROM c WHERE c.n > 4 AND c.m > 2 ORDER BY c.n DESC"),
    ]

    /// Every page but the last holds exactly `maxItemCount` results, and the pages concatenate to the results of
    /// the equivalent query over the container.
    @Test func pagesAreFullAndConcatenateToTheAnswer() throws {
        let test = try Self.store()
        var cases = Self.equivalents.flatMap { [($0, "t"), ($0, "u")] }
        cases += Self.orderedEquivalents.map { ($0, "t") }
        for ((text, plain), container) in cases {
            let expected = try queryAll(test.store, container, plain, pageSize: 1000)
            #expect(expected.count > 8, "\(plain): \(expected.count) results")
            for size in [1, 2, 3, 7] {
                var all = [JSONValue]()
                var token: String?
                var sizes = [Int]()
                repeat {
                    let page = try test.store.query(in: container, text, maxItemCount: size, continuation: token)
                    all += try page.items.map { try $0.value() }
                    sizes.append(page.items.count)
                    token = page.continuation
                } while token != nil && sizes.count <= expected.count + 1
                #expect(all == expected, "\(container): \(text), pages of \(size)")
                #expect(sizes.dropLast().allSatisfy { $0 == size } && (1...size).contains(sizes.last ?? 0),
                        "\(container): \(text), pages of \(size): \(sizes)")
            }
        }
    }

    /// The outer ORDER BY orders the subquery's results; the outer WHERE, OFFSET and LIMIT then count them in that
    /// order.
    @Test func outerClausesApplyToTheSubquerysResultsInOrder() throws {
        let test = try Self.store()
        let ordered = try queryAll(test.store, "t", "SELECT VALUE c.n FROM c ORDER BY c.n DESC", pageSize: 1000)
        let expected = Array(ordered.filter { (6..<40).contains($0.numberValue ?? 0) }.dropFirst(2).prefix(9))
        #expect(expected.count == 9)
        let text = "SELECT VALUE x.n FROM (SELECT c.n FROM c WHERE c.n < 40) x WHERE x.n > 5 ORDER BY x.n DESC "
            + "OFFSET 2 LIMIT 9"
        for size in [1, 4, 100] {
            #expect(try queryAll(test.store, "t", text, pageSize: size) == expected, "pages of \(size)")
        }
    }

    /// As in the service: ORDER BY (SC2202) and OFFSET LIMIT (SC2204) in any subquery are a 400, and so is an outer
    /// ORDER BY that does not map to a document path the subquery selects. Each message says what to write instead.
    @Test func orderingInsideSubqueriesIsRefused() throws {
        let test = try Self.store()
        let refused: [(text: String, says: String)] = [
            ("SELECT * FROM (SELECT c.id FROM c ORDER BY c.n) s", "'ORDER BY' is not supported in subqueries"),
            ("SELECT c.id FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags ORDER BY t)",
             "'ORDER BY' is not supported in subqueries"),
            ("SELECT c.id, ARRAY(SELECT VALUE t FROM t IN c.tags ORDER BY t DESC) AS a FROM c",
             "'ORDER BY' is not supported in subqueries"),
            ("SELECT * FROM (SELECT c.id FROM c OFFSET 1 LIMIT 5) s", "'OFFSET LIMIT' clause is not supported"),
            ("SELECT c.id, (SELECT VALUE t FROM t IN c.tags OFFSET 0 LIMIT 1) AS first FROM c",
             "'OFFSET LIMIT' clause is not supported"),
            ("SELECT * FROM (SELECT TOP 5 c.id, c.n FROM c) s ORDER BY s.n", "move TOP to the outer query"),
            ("SELECT * FROM (SELECT c.pk, COUNT(1) AS k FROM c GROUP BY c.pk) s ORDER BY s.pk",
             "could not be mapped to a document path"),
            ("SELECT * FROM (SELECT VALUE LOWER(c.id) FROM c) s ORDER BY s", "could not be mapped to a document path"),
            ("SELECT * FROM (SELECT c.id, c.n FROM c) s ORDER BY s.m", "could not be mapped to a document path"),
            ("SELECT * FROM (SELECT c.n, c.m AS n FROM c) s ORDER BY s.n", "could not be mapped to a document path"),
            ("SELECT * FROM (SELECT VALUE {a: c.n} FROM c) s ORDER BY s.b", "could not be mapped to a document path"),
            ("SELECT s.id FROM (SELECT c.id, c.tags FROM c) s JOIN t IN s.tags ORDER BY t",
             "could not be mapped to a document path"),
        ]
        for (text, says) in refused {
            let message = expectStatus(400) { _ = try test.store.query(in: "t", text) }
            #expect(message?.contains(says) == true, "\(text): \(message ?? "no error")")
        }
        // Through a list: the path of the item of that name (`$1` for the first unnamed item), then further steps.
        let mapped = #"SELECT VALUE s.id FROM (SELECT c.id, [c.n] FROM c WHERE c.n > 50) s ORDER BY s["$1"][0]"#
        #expect(try queryAll(test.store, "t", mapped, pageSize: 2)
            == queryAll(test.store, "t", "SELECT VALUE c.id FROM c WHERE c.n > 50 ORDER BY c.n", pageSize: 1000))
    }

    /// Writes between pages: every item that exists and is unchanged during the whole paging makes its rows exactly
    /// once, and no row appears twice, while other items are created, replaced and deleted, in parts of the range
    /// already read and not yet read.
    @Test func writesBetweenPages() throws {
        let test = try storeWithContainers(["t": indexAll])
        let store = test.store
        func item(_ id: String, _ k: Int, tags: Int) -> JSONValue {
            ["id": .string(id), "pk": .string("p\(k % 3)"), "k": .number(Double(k)),
             "tags": .array((0..<tags).map { .string("\(id)-\($0)") })]
        }
        for k in 0..<30 {
            _ = try store.createItem(in: "t", document: item("s\(k)", 2 * k, tags: 1 + k % 3))
            _ = try store.createItem(in: "t", document: item("v\(k)", 2 * k + 1, tags: 2))
        }
        let text = "SELECT VALUE t FROM (SELECT c.tags FROM c WHERE c.k >= 0) x JOIN t IN x.tags"
        var seen = [String]()
        var token: String?
        var round = 0
        repeat {
            let page = try store.query(in: "t", text, maxItemCount: 4, continuation: token)
            seen += try page.items.map { try $0.value().stringValue ?? "" }
            token = page.continuation
            // A new item at the front and at the back of the range, one volatile item replaced, one deleted.
            _ = try store.createItem(in: "t", document: item("n\(round)", round % 2 == 0 ? -1 - round : 100 + round,
                                                              tags: 2))
            let victim = (round * 7) % 30
            // (Either may meet an item deleted in an earlier round: a 404 then.)
            _ = try? store.replaceItem(in: "t", id: "v\(victim)", partitionKey: PartitionKey("p\((2 * victim + 1) % 3)"),
                                       document: item("v\(victim)", 2 * victim + 1, tags: 3))
            let doomed = (victim + 13) % 30
            try? store.deleteItem(in: "t", id: "v\(doomed)", partitionKey: PartitionKey("p\((2 * doomed + 1) % 3)"))
            round += 1
        } while token != nil && round < 500
        #expect(round > 20)
        #expect(Set(seen).count == seen.count, "a row appeared twice")
        let stable = (0..<30).flatMap { k in (0..<(1 + k % 3)).map { "s\(k)-\($0)" } }
        #expect(stable.allSatisfy(seen.contains), "a stable item's row is missing")
    }

    /// A page that stopped inside an item's rows, resumed after that item was deleted, starts with the next item's
    /// first row: the rows consumed belong to the deleted item alone.
    @Test func theItemAPageStoppedInIsDeleted() throws {
        let test = try storeWithContainers(["t": indexAll])
        for (k, id) in ["a", "b", "c"].enumerated() {
            _ = try test.store.createItem(in: "t", document: ["id": .string(id), "pk": "p", "k": .number(Double(k)),
                                                              "tags": .array((0..<3).map { .string("\(id)\($0)") })])
        }
        let text = "SELECT VALUE t FROM (SELECT c.tags FROM c WHERE c.k >= 0) x JOIN t IN x.tags"
        let first = try test.store.query(in: "t", text, maxItemCount: 2)
        #expect(try first.items.map { try $0.value() } == ["a0", "a1"])
        try test.store.deleteItem(in: "t", id: "a", partitionKey: PartitionKey("p"))
        var rest = [JSONValue]()
        var token = first.continuation
        while let current = token {
            let page = try test.store.query(in: "t", text, maxItemCount: 2, continuation: current)
            rest += try page.items.map { try $0.value() }
            token = page.continuation
        }
        #expect(rest == ["b0", "b1", "b2", "c0", "c1", "c2"])
    }

    /// A token holds a place in the subquery's scan, so a policy change that gives the subquery another plan
    /// makes it a 400 (as for any query), and one for another query does not pass either.
    @Test func tokensAreBoundToTheSubquerysPlan() throws {
        let test = try storeWithContainers(["t": indexAll])
        for i in 0..<10 {
            _ = try test.store.createItem(in: "t", document: ["id": .string("i\(i)"), "pk": "p", "n": .number(Double(i))])
        }
        let text = "SELECT VALUE s.id FROM (SELECT c.id FROM c WHERE c.n > 2) s"
        let page = try test.store.query(in: "t", text, maxItemCount: 2)
        let token = try #require(page.continuation)
        _ = expectStatus(400) {
            _ = try test.store.query(in: "t", "SELECT VALUE s.id FROM (SELECT c.id FROM c WHERE c.n > 3) s",
                                     maxItemCount: 2, continuation: token)
        }
        #expect(try test.store.query(in: "t", text, maxItemCount: 2, continuation: token).items.count == 2)
        try test.store.replaceContainer(try ContainerDefinition(json: try json(
            #"{"id": "t", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}], "excludedPaths": [{"path": "/n/?"}]}}"#)))
        let message = expectStatus(400) { _ = try test.store.query(in: "t", text, maxItemCount: 2, continuation: token) }
        #expect(message?.contains("another request") == true, "\(message ?? "")")
        #expect(try queryAll(test.store, "t", text, pageSize: 2).count == 7)
    }

    /// A page resumes by seeking: late pages load as few items as the first.
    @Test func laterPagesCostTheSame() throws {
        let test = try storeWithContainers(["t": indexAll])
        let ops = (0..<400).map { i in
            BatchOperation(.create, resourceBody: ["id": .string("i\(i)"), "pk": .string("p\(i % 5)"),
                                                   "n": .number(Double(i))])
        }
        #expect(try test.store.bulk(in: "t", operations: ops).allSatisfy { $0.isSuccess })
        let text = "SELECT VALUE s.id FROM (SELECT c.id, c.n FROM c WHERE c.n >= 100) s ORDER BY s.n"
        var token: String?
        var loads = [Int]()
        var count = 0
        repeat {
            let page = try test.store.query(in: "t", text, maxItemCount: 10, continuation: token)
            loads.append(page.metrics.documentsLoaded)
            count += page.items.count
            token = page.continuation
        } while token != nil && loads.count < 100
        #expect(count == 300 && loads.count == 30)
        #expect(loads.allSatisfy { $0 <= 11 }, "\(loads)")
    }

    /// A subquery that cannot stream (it groups or aggregates) still answers in one page: with maxItemCount -1, or
    /// a 400 that says what to do. Equal results stay (only DISTINCT removes them; they used to be merged).
    @Test func aGroupingSubqueryAnswersInOnePage() throws {
        let test = try Self.store()
        let text = "SELECT VALUE g.n FROM (SELECT c.pk, COUNT(1) AS n FROM c GROUP BY c.pk) g"
        #expect(try test.store.query(in: "t", text, maxItemCount: -1).items.map { try $0.value() }
            == [15, 15, 15, 15])
        #expect(try test.store.query(in: "t", "SELECT DISTINCT VALUE g.n FROM (SELECT c.pk, COUNT(1) AS n FROM c "
            + "GROUP BY c.pk) g", maxItemCount: -1).items.map { try $0.value() } == [15])
        let message = expectStatus(400) { _ = try test.store.query(in: "t", text, maxItemCount: 2) }
        #expect(message?.contains("pass maxItemCount -1 or at least 4") == true, "\(message ?? "")")
        // Aggregates over a streaming subquery read all of it, whatever the page size.
        #expect(try queryAll(test.store, "t", "SELECT VALUE COUNT(1) FROM (SELECT VALUE t FROM c JOIN t IN c.tags)",
                             pageSize: 1) == [.number(Double((0..<60).map { $0 % 4 }.reduce(0, +)))])
    }

    /// A subquery position travels inside the outer one (format 4) and reads back; a position of another kind
    /// does not pass for one.
    @Test func nestedPositionsReadBack() throws {
        let inner = QueryPosition(branch: 2, key: [1, 2, 3], rowsConsumed: 4, emitted: 5, skipped: 6,
                                  lastDistinct: [7])
        let outer = QueryPosition(inner: inner, rowsConsumed: 8, emitted: 9, skipped: 10)
        let decoded = try QueryPosition(decoding: outer.encoded())
        #expect(decoded == outer && decoded.nested)
        #expect(try decoded.inner() == inner)
        #expect(decoded.rowsConsumed == 8 && decoded.emitted == 9 && decoded.skipped == 10)
        #expect(throws: StoreError.self) { try inner.inner() }
        let twice = QueryPosition(inner: outer, rowsConsumed: 0, emitted: 0, skipped: 0)
        #expect(throws: StoreError.self) { try QueryPosition(decoding: twice.encoded()) }
        var truncated = outer.encoded()
        truncated[4] &-= 1  // the inner position's length, one byte short
        #expect(throws: StoreError.self) { try QueryPosition(decoding: truncated) }
    }
}
