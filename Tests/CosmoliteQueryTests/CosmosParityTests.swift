// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Behaviours found to differ from Azure Cosmos DB by running queries against its documentation, each kept as a test:
/// a query moved between Cosmolite and Azure gives the same answer, or fails on both.
struct CosmosParityTests {
    /// A container `t` (partition key `/pk`, every path indexed) with `items`.
    private func store(_ items: [JSONValue]) throws -> TestStore {
        let test = try storeWithContainers(["t": indexAll])
        for item in items { _ = try test.store.createItem(in: "t", document: item) }
        return test
    }

    /// `c.n = 0 --1` is a comparison with 0 followed by a comment; it used to be read as `0 - (-1)`, which matched
    /// the item with n = 1.
    @Test func aDoubleDashIsAComment() throws {
        let test = try store([["id": "a", "pk": "p", "n": 0], ["id": "b", "pk": "p", "n": 1]])
        let ids = try queryAll(test.store, "t", "SELECT VALUE c.id FROM c WHERE c.n = 0 --1\n ORDER BY c.id")
        #expect(ids == ["a"])
    }

    /// `TRUE` is not a literal in Cosmos's grammar but a name, which nothing binds.
    @Test func upperCaseLiteralsAreUnresolvedNames() throws {
        let test = try store([["id": "a", "pk": "p", "flag": true]])
        #expect(try queryAll(test.store, "t", "SELECT VALUE c.id FROM c WHERE c.flag = true") == ["a"])
        for text in ["SELECT VALUE c.id FROM c WHERE c.flag = TRUE", "SELECT VALUE NULL FROM c"] {
            let message = expectStatus(400) { _ = try queryAll(test.store, "t", text) }
            #expect(message?.contains("could not be resolved") == true, "\(text): \(message ?? "")")
        }
    }

    /// MIN and MAX compare null, booleans, numbers and strings; an array or an object makes them undefined, as the
    /// SDKs' merge of partitions does, so the VALUE query returns no result.
    @Test func minAndMaxOfArraysOrObjectsAreUndefined() throws {
        let test = try store([["id": "a", "pk": "p", "m": 1], ["id": "b", "pk": "q", "m": "s"],
                              ["id": "c", "pk": "p", "m": .null], ["id": "d", "pk": "q", "m": true]])
        #expect(try queryAll(test.store, "t", "SELECT VALUE MIN(c.m) FROM c") == [.null])
        #expect(try queryAll(test.store, "t", "SELECT VALUE MAX(c.m) FROM c") == ["s"])
        _ = try test.store.createItem(in: "t", document: ["id": "e", "pk": "p", "m": ["x": 1]])
        #expect(try queryAll(test.store, "t", "SELECT VALUE MAX(c.m) FROM c").isEmpty)
        #expect(try queryAll(test.store, "t", "SELECT MIN(c.m) AS low FROM c") == [.object([:])])
        // Per group: only the group holding the object is undefined.
        let groups = try queryAll(test.store, "t", "SELECT c.pk, MAX(c.m) AS high FROM c GROUP BY c.pk")
        #expect(Set(groups.map { JSONWriter.string($0, options: .init(sortKeys: true)) })
            == [#"{"pk":"p"}"#, #"{"high":"s","pk":"q"}"#])
    }

    /// A query without FROM runs once, over one row that binds no alias (every function example of the
    /// documentation is written so); it reads no item.
    @Test func queriesWithoutFromRunOnce() throws {
        let test = try store([["id": "a", "pk": "p"], ["id": "b", "pk": "q"]])
        #expect(try queryAll(test.store, "t", "SELECT VALUE 1 + 1") == [2])
        #expect(try queryAll(test.store, "t", "SELECT VALUE { shifted: 16 * 2, s: UPPER('ab') }")
            == [["shifted": 32, "s": "AB"]])
        #expect(try queryAll(test.store, "t", "SELECT VALUE COUNT(1)") == [1])
        #expect(try queryAll(test.store, "t", "SELECT 1 AS a WHERE false").isEmpty)
        #expect(try queryAll(test.store, "t", "SELECT TOP 0 VALUE 1").isEmpty)
        let page = try test.store.query(in: "t", "SELECT VALUE 'x'", maxItemCount: 1)
        #expect(page.metrics.documentsLoaded == 0 && page.metrics.indexEntriesRead == 0 && page.continuation == nil)
        #expect(try test.store.explain(in: "t", "SELECT VALUE 1").contains("no FROM"))
        let message = expectStatus(400) { _ = try queryAll(test.store, "t", "SELECT VALUE c.id") }
        #expect(message?.contains("'c' could not be resolved") == true, "\(message ?? "")")
    }

    /// `JOIN m IN (SELECT VALUE [...])` joins each item with reference data written in the query (the documentation's
    /// "mimic join with external reference data"); it used to be a syntax error.
    @Test func joinInASubquerysArray() throws {
        let test = try store([["id": "1", "pk": "p", "size": ["unit": "mg"]],
                              ["id": "2", "pk": "p", "size": ["unit": "mcg"]],
                              ["id": "3", "pk": "q", "size": ["unit": "kg"]]])
        let text = """
            SELECT p.id, m.name AS unit FROM p
            JOIN m IN (SELECT VALUE [{abbreviation: 'mg', name: 'milligram'}, {abbreviation: 'mcg', name: 'microgram'}])
            WHERE p.size.unit = m.abbreviation
            """
        let rows = try queryAll(test.store, "t", text, pageSize: 1)
        #expect(Set(rows.map { JSONWriter.string($0, options: .init(sortKeys: true)) })
            == [#"{"id":"1","unit":"milligram"}"#, #"{"id":"2","unit":"microgram"}"#])
    }

    /// DISTINCT and GROUP BY treat objects that differ only in member order as one value, as `=` does (and as
    /// Cosmos's SDKs hash them); they used to be two.
    @Test func distinctAndGroupByIgnoreMemberOrder() throws {
        let test = try store([["id": "1", "pk": "p", "o": ["a": 1, "b": ["x": 1, "y": 2]]],
                              ["id": "2", "pk": "q", "o": ["b": ["y": 2, "x": 1], "a": 1]],
                              ["id": "3", "pk": "p", "o": ["a": 2]]])
        let distinct = try queryAll(test.store, "t", "SELECT DISTINCT VALUE c.o FROM c")
        #expect(distinct.count == 2, "\(distinct)")
        let ordered = try queryAll(test.store, "t", "SELECT DISTINCT VALUE c.o FROM c ORDER BY c.o.a", pageSize: -1)
        #expect(ordered.count == 2, "\(ordered)")
        let groups = try queryAll(test.store, "t", "SELECT COUNT(1) AS n FROM c GROUP BY c.o")
        #expect(Set(groups) == [["n": 2], ["n": 1]] && groups.count == 2, "\(groups)")
    }

    /// A DISTINCT whose ORDER BY is not its own projection drops every duplicate, not only the one just before it,
    /// and answers in one page: the service's query plan calls it "Unordered" and gives it no continuation (the .NET
    /// SDK's DistinctQueryType: `SELECT DISTINCT VALUE c.name FROM c ORDER BY c.age`). It used to return a value
    /// again whenever another came between.
    @Test func distinctOrderedByAnotherExpressionDropsEveryDuplicate() throws {
        let test = try store([["id": "1", "pk": "a", "g": "g1", "n": 5], ["id": "2", "pk": "b", "g": "g2", "n": 1],
                              ["id": "3", "pk": "a", "g": .null, "n": 4], ["id": "4", "pk": "c", "n": 2],
                              ["id": "5", "pk": "b", "g": "g2", "n": 3], ["id": "6", "pk": "d", "g": "g1", "n": 0]])
        let store = test.store
        #expect(try queryAll(store, "t", "SELECT DISTINCT VALUE c.g FROM c ORDER BY c.id") == ["g1", "g2", .null])
        #expect(try queryAll(store, "t", "SELECT DISTINCT VALUE c.pk FROM c ORDER BY c.n DESC")
            == ["a", "b", "c", "d"])
        #expect(try queryAll(store, "t", "SELECT DISTINCT c.g FROM c ORDER BY c.id")
            == [["g": "g1"], ["g": "g2"], ["g": .null], [:]])
        #expect(try queryAll(store, "t", "SELECT DISTINCT VALUE c.g FROM c ORDER BY c.id OFFSET 1 LIMIT 1") == ["g2"])
        // It has no continuation: a page too small for every result is a 400 saying so.
        let message = expectStatus(400) {
            _ = try store.query(in: "t", "SELECT DISTINCT VALUE c.g FROM c ORDER BY c.id", maxItemCount: 2)
        }
        #expect(message?.contains("pass maxItemCount -1 or at least 3") == true, "\(message ?? "")")
        // Ordered by its projection, DISTINCT pages as before, one result at a time.
        #expect(try queryAll(store, "t", "SELECT DISTINCT VALUE c.g FROM c ORDER BY c.g", pageSize: 1)
            == [.null, "g1", "g2"])
        #expect(try queryAll(store, "t", "SELECT DISTINCT c.g FROM c ORDER BY c.g", pageSize: 1)
            == [[:], ["g": .null], ["g": "g1"], ["g": "g2"]])
    }

    /// An aggregate inside a larger select expression is the service's 400 "Compositions of aggregates and other
    /// expressions are not allowed." (the .NET SDK's OptimisticDirectExecutionQueryBaselineTests, with a partition key
    /// too); an aggregate alone, in an object, or inside a correlated subquery is fine.
    @Test func compositionsOfAggregatesAreRefused() throws {
        let test = try store([["id": "1", "pk": "a", "n": 2, "tags": ["x", "y"]], ["id": "2", "pk": "a", "n": 4]])
        let store = test.store
        for text in ["SELECT COUNT(1) + 5 FROM c", "SELECT VALUE MIN(c.n) + MAX(c.n) FROM c",
                     "SELECT c.pk, SUM(c.n) * 100 AS p FROM c GROUP BY c.pk", "SELECT VALUE -COUNT(1) FROM c"] {
            for key in [nil, PartitionKey("a")] {
                let message = expectStatus(400) { _ = try queryAll(store, "t", text, partitionKey: key) }
                #expect(message?.contains("Compositions of aggregates and other expressions are not allowed.") == true,
                        "\(text): \(message ?? "")")
            }
        }
        #expect(try queryAll(store, "t", "SELECT COUNT(1) AS n, SUM(c.n) AS s FROM c") == [["n": 2, "s": 6]])
        #expect(try queryAll(store, "t", "SELECT VALUE {n: COUNT(1)} FROM c") == [["n": 2]])
        #expect(try queryAll(store, "t", "SELECT VALUE (SELECT VALUE COUNT(1) FROM t IN c.tags) + 1 FROM c "
            + "ORDER BY c.id") == [3, 1])
    }

    /// The leading levels of a hierarchical partition key scope a query, the read feed and the change feed to
    /// every partition under them, as the SDKs' prefix partition keys do (azure-cosmos-dotnet-v3 pull request 3109:
    /// "Support for prefix partition key ... using ChangeFeed and Query"); point reads still need every level.
    @Test func hierarchicalKeyPrefixesScopeQueriesAndFeeds() throws {
        let test = try TestStore(strict: true)
        let store = test.store
        for (policy, container) in [(indexAll, "h"), (indexNothing, "n")] {
            try store.createContainer(try ContainerDefinition(json: try json(#"""
                {"id": "\#(container)", "indexingPolicy": \#(policy),
                 "partitionKey": {"paths": ["/t", "/u", "/s"], "kind": "MultiHash", "version": 2}}
                """#)))
            let rows: [(String, String, String?, String?, Int)] = [
                ("1", "a", "x", "p", 5), ("2", "a", "x", "q", 3), ("3", "a", "y", "p", 4), ("4", "b", "x", "p", 1),
                ("5", "a", nil, nil, 2), ("6", "ab", "x", "p", 0),
            ]
            for (id, t, u, s, n) in rows {
                var item: JSONObject = ["id": .string(id), "t": .string(t), "n": .number(Double(n))]
                if let u { item["u"] = .string(u) }
                if let s { item["s"] = .string(s) }
                _ = try store.createItem(in: container, document: .object(item))
            }
            /// The ids a query returns, sorted (the container indexing nothing cannot ORDER BY).
            func query(_ key: PartitionKey, pageSize: Int? = nil) throws -> [String] {
                try queryAll(store, container, "SELECT VALUE c.id FROM c", partitionKey: key, pageSize: pageSize)
                    .compactMap(\.stringValue).sorted()
            }
            #expect(try query(PartitionKey(["a"])) == ["1", "2", "3", "5"], "\(container)")
            #expect(try query(PartitionKey(["a"]), pageSize: 1) == ["1", "2", "3", "5"], "\(container)")
            #expect(try query(PartitionKey(["a", "x"])) == ["1", "2"], "\(container)")
            #expect(try query(PartitionKey(components: [.string("a"), .undefined])) == ["5"], "\(container)")
            #expect(try queryAll(store, container, "SELECT VALUE COUNT(1) FROM c WHERE c.n > 2",
                                 partitionKey: PartitionKey(["a"])) == [3], "\(container)")
            if container == "h" {
                #expect(try queryAll(store, container, "SELECT VALUE c.id FROM c ORDER BY c.n",
                                     partitionKey: PartitionKey(["a"]), pageSize: 1) == ["5", "2", "3", "1"])
            }
            #expect(try query(PartitionKey(["a", "x", "p"])) == ["1"], "\(container)")
            #expect(try query(PartitionKey(["c"])).isEmpty, "\(container)")
            // The read feed and the change feed take prefixes too.
            #expect(try store.readItems(in: container, partitionKey: PartitionKey(["a"])).items.map(\.id).sorted()
                == ["1", "2", "3", "5"], "\(container)")
            #expect(try store.readChanges(in: container, partitionKey: PartitionKey(["a", "x"])).items.map(\.id)
                == ["1", "2"], "\(container)")
            // A token is bound to its prefix.
            let page = try store.query(in: container, "SELECT VALUE c.id FROM c", partitionKey: PartitionKey(["a"]),
                                       maxItemCount: 1)
            let token = try #require(page.continuation)
            expectStatus(400) {
                _ = try store.query(in: container, "SELECT VALUE c.id FROM c", partitionKey: PartitionKey(["a", "x"]),
                                    maxItemCount: 1, continuation: token)
            }
            // Point operations need every level; more levels than paths is a 400 everywhere.
            expectStatus(400) { _ = try store.readItem(in: container, id: "1", partitionKey: PartitionKey(["a"])) }
            expectStatus(400) { _ = try query(PartitionKey(["a", "x", "p", "z"])) }
            expectStatus(400) { _ = try store.readItems(in: container, partitionKey: PartitionKey(["a", "x", "p", "z"])) }
        }
    }

    /// `FROM (subquery)`: the outer query runs over the subquery's results, as the documentation's "count
    /// distinct" idiom needs; it used to be a syntax error.
    @Test func fromASubquery() throws {
        let test = try store((0..<40).map {
            ["id": .string("i\($0)"), "pk": .string("p\($0 % 2)"), "city": .string("c\($0 % 7)"),
             "n": .number(Double($0)), "tags": ["x", .string("t\($0 % 3)")]]
        })
        let store = test.store
        #expect(try queryAll(store, "t", "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.city FROM c)") == [7])
        #expect(try queryAll(store, "t", "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.city FROM c)",
                             partitionKey: PartitionKey("p0")) == [7])
        #expect(try queryAll(store, "t",
                             "SELECT VALUE COUNT(1) FROM (SELECT c.city FROM c WHERE c.n < 10 GROUP BY c.city)") == [7])
        let large = try queryAll(store, "t", """
            SELECT g.city, g.total FROM (SELECT c.city, SUM(c.n) AS total FROM c GROUP BY c.city) AS g
            WHERE g.total > 120
            """)
        #expect(Set(large) == [["city": "c3", "total": 123], ["city": "c4", "total": 129]], "\(large)")
        #expect(try queryAll(store, "t", "SELECT VALUE AVG(x.n) FROM (SELECT TOP 4 c.n FROM c WHERE c.n >= 36) x")
            == [37.5])
        let tags = try queryAll(store, "t", "SELECT DISTINCT VALUE t FROM (SELECT VALUE c FROM c) x JOIN t IN x.tags")
        #expect(Set(tags) == ["x", "t0", "t1", "t2"], "\(tags)")
        #expect(try test.store.explain(in: "t", "SELECT VALUE COUNT(1) FROM (SELECT VALUE c.n FROM c WHERE c.n > 3)")
            .contains("subquery: "))
        // Its results page (FromSubqueryPagingTests has the rules).
        #expect(try test.store.query(in: "t", "SELECT VALUE x FROM (SELECT VALUE c.n FROM c) x", maxItemCount: -1)
            .items.count == 40)
        #expect(try queryAll(store, "t", "SELECT VALUE x FROM (SELECT VALUE c.n FROM c) x", pageSize: 10).count == 40)
        // The outer query orders them; ORDER BY inside a subquery is the service's 400 (SC2202).
        #expect(try queryAll(store, "t", "SELECT VALUE x FROM (SELECT VALUE c.n FROM c) x ORDER BY x DESC", pageSize: 7)
            == (0..<40).reversed().map { .number(Double($0)) })
        for bad in ["SELECT VALUE x FROM (SELECT VALUE c.n FROM c ORDER BY c.n) x",
                    "SELECT VALUE EXISTS(SELECT VALUE 1 FROM (SELECT VALUE 2)) FROM c"] {
            _ = expectStatus(400) { _ = try queryAll(store, "t", bad) }
        }
    }

    /// `JOIN path [AS] alias` (the documentation's `<from_source>` without `IN`) binds the path's value itself, one
    /// row when it is defined; `JOIN alias IN path` iterates it. The first used to be a syntax error.
    @Test func joinAPathWithoutIn() throws {
        let test = try store([["id": "A", "pk": "p", "children": [["name": "x"], ["name": "y"]],
                               "address": ["city": "Oslo"]],
                              ["id": "B", "pk": "p", "children": [["name": "z"]]]])
        #expect(Set(try queryAll(test.store, "t", "SELECT VALUE f.id FROM f JOIN f.children")) == ["A", "B"])
        #expect(try queryAll(test.store, "t", "SELECT VALUE ARRAY_LENGTH(c) FROM f JOIN f.children c WHERE f.id = 'A'")
            == [2])
        #expect(try queryAll(test.store, "t", "SELECT VALUE a.city FROM f JOIN f.address AS a") == ["Oslo"])
        #expect(try queryAll(test.store, "t", "SELECT VALUE f.id FROM f JOIN f.nothing").isEmpty)
        #expect(try queryAll(test.store, "t",
                             "SELECT VALUE k.name FROM f JOIN c IN f.children JOIN c.name k WHERE f.id = 'A'").isEmpty)
        #expect(Set(try queryAll(test.store, "t", "SELECT VALUE n FROM f JOIN c IN f.children JOIN c.name n"))
            == ["x", "y", "z"])
    }

    /// A GROUP BY or DISTINCT query cannot be continued, so with a dynamic page size (-1) it returns all its
    /// results at once; with a fixed page size too small for them it is refused with a message that says so.
    /// An ORDER BY returns the items lacking its path too, first in ascending order and last in descending order,
    /// whatever the indexing policy (order-by.md: "Queries with ORDER BY return all items, including items where the
    /// property in the ORDER BY clause isn't defined"; confirmed against the service and the emulator in
    /// vercel/cosmosdb-query pull request 28). Under a wildcard policy the range index has no entries for them, so
    /// they are read apart: the answers and their order are those of a policy that includes the path explicitly.
    @Test(arguments: [
        ("", nil), (" WHERE c.status = 'on'", nil), (" WHERE c.status != 'off'", nil), ("", "p1"),
        (" WHERE c.status = 'on'", "p2"), (" WHERE c.pk = 'p0'", nil),
    ] as [(String, String?)])
    func orderByReturnsTheItemsLackingThePath(condition: String, partition: String?) throws {
        let test = try storeWithContainers([
            "wildcard": indexAll,
            "explicit": #"{"includedPaths": [{"path": "/*"}, {"path": "/name/?"}]}"#,
            "plain": indexNothing,
        ])
        var operations = [BatchOperation]()
        for i in 0..<60 {
            var item: JSONObject = ["id": .string("i" + String(String(100 + i).dropFirst())), "pk": .string("p\(i % 3)"),
                                    "status": .string(i % 4 == 0 ? "off" : "on")]
            if i % 5 != 0 { item["name"] = .string("n\(i % 7)") }
            if i % 11 == 0 { item["name"] = .null }
            operations.append(BatchOperation(.create, resourceBody: .object(item)))
        }
        for container in ["wildcard", "explicit", "plain"] {
            #expect(try test.store.bulk(in: container, operations: operations).allSatisfy(\.isSuccess))
        }
        let key = partition.map { PartitionKey($0) }
        let selected = try queryAll(test.store, "plain", "SELECT * FROM c" + condition, partitionKey: key)
        let lacking = Set(selected.filter { $0["name"] == nil }.compactMap { $0["id"]?.stringValue })
        #expect(!lacking.isEmpty)
        for descending in [false, true] {
            let text = "SELECT * FROM c" + condition + " ORDER BY c.name" + (descending ? " DESC" : "")
            let plan = try test.store.explain(in: "wildcard", text, partitionKey: key)
            #expect(plan.contains("items without /name"), "\(plan)")
            let explicit = try queryAll(test.store, "explicit", text, partitionKey: key)
            #expect(explicit.count == selected.count, "\(text)")
            for pageSize in [1, 2, 3, 7, 100] {
                let found = try queryAll(test.store, "wildcard", text, partitionKey: key, pageSize: pageSize)
                let ids = found.compactMap { $0["id"]?.stringValue }
                #expect(ids.count == selected.count && Set(ids).count == ids.count, "\(text), pages of \(pageSize)")
                // The items lacking the name first (last when descending), in any order among themselves; the others
                // exactly as the explicit policy's index orders them.
                let head = descending ? Array(ids.suffix(lacking.count)) : Array(ids.prefix(lacking.count))
                #expect(Set(head) == lacking, "\(text), pages of \(pageSize): \(ids)")
                let rest = found.filter { $0["name"] != nil }.compactMap { $0["id"]?.stringValue }
                let explicitRest = explicit.filter { $0["name"] != nil }.compactMap { $0["id"]?.stringValue }
                #expect(rest == explicitRest, "\(text), pages of \(pageSize)")
            }
        }
        // A condition on the path leaves out the items lacking it: no other read.
        let bounded = "SELECT * FROM c WHERE c.name >= 'n3' ORDER BY c.name"
        #expect(try !test.store.explain(in: "wildcard", bounded).contains("items without"))
        #expect(try queryAll(test.store, "wildcard", bounded, pageSize: 4).count
                    == (try queryAll(test.store, "plain", "SELECT * FROM c WHERE c.name >= 'n3'")).count)
    }

    /// `_rid`, `_self`, `_etag` and `_attachments` have no index entries: a filter on them checks every item (it
    /// used to read an empty index and find nothing), and an ORDER BY on them is the service's 400 for a path
    /// without a range index.
    @Test func systemPropertiesAreFilteredByCheckingEachItem() throws {
        let test = try store([["id": "a", "pk": "p", "n": 1], ["id": "b", "pk": "q", "n": 2]])
        let a = try test.store.readItem(in: "t", id: "a", partitionKey: PartitionKey("p")).value()
        for property in ["_rid", "_self", "_etag"] {
            let value = try #require(a[property])
            let found = try queryAll(test.store, "t", "SELECT VALUE c.id FROM c WHERE c.\(property) = @v",
                                     parameters: ["v": value])
            #expect(found == ["a"], "\(property)")
            let message = expectStatus(400) { _ = try test.store.query(in: "t", "SELECT * FROM c ORDER BY c.\(property)") }
            #expect(message?.contains("requires a range index") == true, "\(property): \(message ?? "")")
            #expect(message?.contains("\(property) is a system property that is never indexed: order by _ts or id "
                                          + "instead.") == true, "\(property): \(message ?? "")")
        }
        #expect(try queryAll(test.store, "t", "SELECT VALUE COUNT(1) FROM c WHERE c._attachments = 'attachments/'")
                    == [2])
        #expect(try queryAll(test.store, "t", "SELECT VALUE c.id FROM c WHERE c.id = 'b' ORDER BY c._ts") == ["b"])
    }

    @Test func queriesThatCannotBeContinuedReturnEverythingAtADynamicPageSize() throws {
        let items: [JSONValue] = (0..<1_205).map { ["id": .string("i\($0)"), "pk": "p", "g": .number(Double($0))] }
        let test = try store([])
        #expect(try test.store.bulk(in: "t", operations: items.map { BatchOperation(.create, resourceBody: $0) })
            .allSatisfy(\.isSuccess))
        for text in ["SELECT DISTINCT VALUE c.g FROM c", "SELECT c.g, COUNT(1) AS n FROM c GROUP BY c.g"] {
            let page = try test.store.query(in: "t", text, maxItemCount: -1)
            #expect(page.items.count == 1_205 && page.continuation == nil, "\(text)")
            let message = expectStatus(400) { _ = try test.store.query(in: "t", text, maxItemCount: 100) }
            #expect(message?.contains("pass maxItemCount -1") == true, "\(text): \(message ?? "")")
        }
    }
}
