// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

func json(_ text: String) throws -> JSONValue { try JSONReader.parse(text) }

/// Runs a query to the end, following continuations, and returns every result.
func queryAll(_ store: Store, _ container: String, _ text: String, parameters: [String: JSONValue] = [:],
              partitionKey: PartitionKey? = nil, pageSize: Int? = nil) throws -> [JSONValue] {
    var out = [JSONValue]()
    var token: String?
    var pages = 0
    repeat {
        let page = try store.query(in: container, text, parameters: parameters, partitionKey: partitionKey,
                                   maxItemCount: pageSize, continuation: token)
        out += try page.items.map { try $0.value() }
        token = page.continuation
        pages += 1
        precondition(pages < 100_000, "paging does not end")
    } while token != nil
    return out
}

/// The `id`s of query results, in result order.
func ids(_ rows: [JSONValue]) -> [String] {
    rows.compactMap { $0["id"]?.stringValue }
}

/// A store with container `c` (partition key `/tenantId`, every path indexed) holding `count` items built by
/// `item` from their number.
func indexedStore(items count: Int, _ item: (Int) -> JSONObject) throws -> TestStore {
    let test = try TestStore(strict: false)
    try test.store.createContainer(try ContainerDefinition(json: try json(
        #"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "indexingPolicy": {"includedPaths": [{"path": "/*"}]}}"#)))
    let ops = (0..<count).map { BatchOperation(.create, resourceBody: .object(item($0))) }
    #expect(try test.store.bulk(in: "c", operations: ops).allSatisfy { $0.isSuccess })
    return test
}

/// A store with containers partitioned by `/pk`, one per (id, indexing policy as JSON).
func storeWithContainers(_ policies: KeyValuePairs<String, String>) throws -> TestStore {
    let test = try TestStore(strict: false)
    for (id, policy) in policies {
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "\#(id)", "partitionKey": {"paths": ["/pk"]}, "indexingPolicy": \#(policy)}"#)))
    }
    return test
}

/// The indexing policy of every path, and the one of no index at all.
let indexAll = #"{"includedPaths": [{"path": "/*"}]}"#
let indexNothing = #"{"indexingMode": "none"}"#

@discardableResult
func expectStatus(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> String? {
    do {
        try body()
        Issue.record("expected \(status)", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

struct QueryTests {
    static let definition = #"""
        {"id": "c", "partitionKey": {"paths": ["/tenantId"]},
         "indexingPolicy": {"includedPaths": [{"path": "/*"}],
                            "compositeIndexes": [[{"path": "/tenantId"}, {"path": "/status"}, {"path": "/updatedAt", "order": "descending"}],
                                                 [{"path": "/name"}, {"path": "/rank", "order": "descending"}]]}}
        """#

    func fixture() throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(Self.definition)))
        let docs = [
            #"{"id": "1", "tenantId": "acme", "name": "Ops", "status": "active", "updatedAt": "2024-01-03", "rank": 3, "tags": ["a", "b"], "nested": {"n": 1}}"#,
            #"{"id": "2", "tenantId": "acme", "name": "Eng", "status": "error", "updatedAt": "2024-01-05", "rank": 1, "tags": ["b"]}"#,
            #"{"id": "3", "tenantId": "acme", "name": "Ops", "status": "error", "updatedAt": "2024-01-01", "rank": 2}"#,
            #"{"id": "4", "tenantId": "beta", "name": "Sales", "status": "active", "updatedAt": "2024-01-02", "rank": 5, "tags": ["c"]}"#,
            #"{"id": "5", "tenantId": "beta", "name": "Eng", "status": "error", "updatedAt": "2024-01-04", "rank": 4, "nested": {"n": 7}}"#,
            #"{"id": "6", "tenantId": "gamma", "name": "zeta \"quoted\"", "status": "paused", "rank": 6}"#,
        ]
        for d in docs { _ = try test.store.createItem(in: "c", json: Array(d.utf8)) }
        return test
    }

    func ids(_ values: [JSONValue]) -> [String] { values.compactMap { $0["id"]?.stringValue } }

    /// The documents of a page share one buffer: each result must still be exactly its stored document, through
    /// every accessor, and keep its bytes after the page (and the other results) are gone.
    @Test func resultsOfOnePageAreEachTheirStoredDocument() throws {
        let test = try fixture()
        var kept = [QueryResult]()
        do {
            let page = try test.store.query(in: "c", "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
                                            parameters: ["t": "acme"], maxItemCount: 2)
            #expect(page.items.count == 2)
            #expect(page.continuation != nil)
            for result in page.items {
                let id = try #require(try result.value()["id"]?.stringValue)
                let stored = try test.store.readItem(in: "c", id: id, partitionKey: PartitionKey("acme"))
                #expect(result.json == stored.json)
                #expect(result.jsonByteCount == stored.json.count)
                #expect(result.withJSONBytes { Array($0) } == stored.json)
            }
            kept = [page.items[1]]
        }
        // The result outlives its page and still holds document "1" (by name: "2" is "Eng", then "1" is "Ops").
        #expect(try kept[0].value()["id"]?.stringValue == "1")
        #expect(kept[0].json == (try test.store.readItem(in: "c", id: "1", partitionKey: PartitionKey("acme")).json))
    }

    @Test func filtersAndOrderingWithIndexes() throws {
        let test = try fixture()
        let s = test.store
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
                                 parameters: ["t": "acme"])) == ["2", "1", "3"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE c.tenantId = 'acme' AND c.status = 'error' ORDER BY c.updatedAt DESC"))
                == ["2", "3"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE c.status = 'error' ORDER BY c.updatedAt DESC")) == ["2", "5", "3"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE c.rank > 2 AND c.rank <= 5 ORDER BY c.rank")) == ["1", "5", "4"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE c.rank BETWEEN 2 AND 4")).sorted() == ["1", "3", "5"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c ORDER BY c.name ASC, c.rank DESC")) == ["5", "2", "1", "3", "4", "6"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c ORDER BY c.name DESC, c.rank ASC")) == ["6", "4", "3", "1", "2", "5"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM root r WHERE r.id = '4' AND r.tenantId = 'beta'")) == ["4"])
        #expect(ids(try queryAll(s, "c", "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'b')")).sorted() == ["1", "2"])
        #expect(ids(try queryAll(s, "c", #"SELECT * FROM c WHERE c["name"] = 'Eng' AND c.nested.n > 5"#)) == ["5"])
        #expect(ids(try queryAll(s, "c", #"SELECT * FROM c WHERE c.name = 'zeta "quoted"'"#)) == ["6"])
    }

    @Test func crossTypeComparisonsFilterOut() throws {
        let test = try fixture()
        #expect(try queryAll(test.store, "c", "SELECT * FROM c WHERE c.rank > 'a'").isEmpty)
        #expect(try queryAll(test.store, "c", "SELECT * FROM c WHERE c.missing = null").isEmpty)
        #expect(try queryAll(test.store, "c", "SELECT * FROM c WHERE c.updatedAt > 0").isEmpty)
        #expect(ids(try queryAll(test.store, "c", "SELECT * FROM c WHERE NOT IS_DEFINED(c.updatedAt)")) == ["6"])
    }

    @Test func projectionsValuesAndAggregates() throws {
        let test = try fixture()
        let s = test.store
        let projected = try queryAll(s, "c", "SELECT c.id, c.nested.n AS n FROM c WHERE c.tenantId = 'acme' ORDER BY c.name")
        #expect(projected == [try json(#"{"id": "2"}"#), try json(#"{"id": "1", "n": 1}"#), try json(#"{"id": "3"}"#)])
        #expect(try queryAll(s, "c", "SELECT VALUE c.rank * 10 FROM c WHERE c.tenantId = 'beta' ORDER BY c.rank")
                == [.number(40), .number(50)])
        #expect(try queryAll(s, "c", "SELECT VALUE COUNT(1) FROM c") == [.number(6)])
        #expect(try queryAll(s, "c", "SELECT COUNT(1) AS n, SUM(c.rank) AS total, MIN(c.name) AS first, AVG(c.rank) AS mean FROM c WHERE c.tenantId = 'acme'")
                == [try json(#"{"n": 3, "total": 6, "first": "Eng", "mean": 2}"#)])
        let groups = try queryAll(s, "c", "SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status")
        #expect(Set(groups.map { JSONWriter.string($0) }) == Set([#"{"status":"active","n":2}"#, #"{"status":"error","n":3}"#, #"{"status":"paused","n":1}"#]))
        #expect(try queryAll(s, "c", "SELECT DISTINCT VALUE c.name FROM c ORDER BY c.name") == ["Eng", "Ops", "Sales", #"zeta "quoted""#])
        #expect(Set(try queryAll(s, "c", "SELECT DISTINCT VALUE c.status FROM c").map { $0.stringValue ?? "" }) == ["active", "error", "paused"])
        #expect(try queryAll(s, "c", "SELECT TOP 2 VALUE c.id FROM c ORDER BY c.rank") == ["2", "3"])
        #expect(try queryAll(s, "c", "SELECT VALUE c.id FROM c ORDER BY c.rank OFFSET 1 LIMIT 3", pageSize: 1) == ["3", "1", "5"])
        // TOP with OFFSET LIMIT, which the service's grammar allows: at most TOP of what OFFSET LIMIT keeps.
        #expect(try queryAll(s, "c", "SELECT TOP 2 VALUE c.id FROM c ORDER BY c.rank OFFSET 1 LIMIT 3", pageSize: 1) == ["3", "1"])
        #expect(try queryAll(s, "c", "SELECT TOP 5 VALUE c.id FROM c ORDER BY c.rank OFFSET 1 LIMIT 2") == ["3", "1"])
        #expect(try queryAll(s, "c", "SELECT VALUE t FROM c JOIN t IN c.tags WHERE c.tenantId = 'acme'", pageSize: 1) == ["a", "b", "b"])
        #expect(try queryAll(s, "c", "SELECT VALUE t FROM t IN c.tags") .count == 4)
        #expect(try queryAll(s, "c", "SELECT VALUE STARTSWITH(c.name, 'o', true) FROM c WHERE c.id = '1' AND c.tenantId = 'acme'") == [.bool(true)])
    }

    @Test func orderByNeedsIndexesLikeCosmos() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "c", "partitionKey": {"paths": ["/k"]}, "indexingPolicy": {"includedPaths": [{"path": "/a/?"}], "excludedPaths": [{"path": "/*"}]}}"#)))
        _ = try test.store.createItem(in: "c", json: Array(#"{"id": "1", "k": "x", "a": 1, "b": 2}"#.utf8))
        _ = try test.store.createItem(in: "c", json: Array(#"{"id": "2", "k": "x", "b": 1}"#.utf8))
        let single = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c ORDER BY c.b") }
        #expect(single?.contains("range index") == true)
        let multi = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c ORDER BY c.a, c.b") }
        #expect(multi?.contains("composite index") == true)
        // An explicitly included path returns items lacking it too (undefined sorts first).
        #expect(try queryAll(test.store, "c", "SELECT VALUE c.id FROM c ORDER BY c.a") == ["2", "1"])
        // Filtering on an excluded path still answers (by scanning).
        #expect(try queryAll(test.store, "c", "SELECT VALUE c.id FROM c WHERE c.b = 1") == ["2"])
    }

    @Test func badQueriesAre400() throws {
        let test = try fixture()
        let syntax = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c WHERE") }
        #expect(syntax?.contains("line 1") == true)
        let unknown = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c WHERE FOO(c.a)") }
        #expect(unknown?.contains("FOO") == true)
        let missing = expectStatus(400) { _ = try queryAll(test.store, "c", "SELECT * FROM c WHERE c.id = @nope") }
        #expect(missing?.contains("@nope") == true)
        _ = expectStatus(404) { _ = try queryAll(test.store, "nope", "SELECT * FROM c") }
    }

    @Test func tokensAreBoundToTheQuery() throws {
        let test = try fixture()
        let s = test.store
        let page = try s.query(in: "c", "SELECT * FROM c ORDER BY c.rank", maxItemCount: 2)
        let token = try #require(page.continuation)
        _ = expectStatus(400) { _ = try s.query(in: "c", "SELECT * FROM c ORDER BY c.name", continuation: token) }
        _ = expectStatus(400) { _ = try s.query(in: "c", "SELECT * FROM c ORDER BY c.rank", parameters: ["x": 1], continuation: token) }
        var edited = Array(token)
        edited[5] = edited[5] == "A" ? "B" : "A"
        _ = expectStatus(400) { _ = try s.query(in: "c", "SELECT * FROM c ORDER BY c.rank", continuation: String(edited)) }
        let rest = try s.query(in: "c", "SELECT * FROM c ORDER BY c.rank", maxItemCount: 10, continuation: token)
        #expect(ids(try rest.items.map { try $0.value() }) == ["1", "5", "4", "6"])
        #expect(rest.continuation == nil)
        let group = try s.query(in: "c", "SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status", maxItemCount: -1)
        #expect(group.continuation == nil)
        _ = expectStatus(400) { _ = try s.query(in: "c", "SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status", maxItemCount: 1) }
    }

    @Test func partitionQueriesTouchOnlyTheirPartition() throws {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(Self.definition)))
        for t in 0..<50 {
            let ops = (0..<20).map { i in
                BatchOperation(.create, resourceBody: .object(["id": .string("\(i)"), "tenantId": .string("t\(t)"),
                                                              "name": .string("n\(i % 7)"), "status": "active"]))
            }
            _ = try test.store.bulk(in: "c", operations: ops)
        }
        let page = try test.store.query(in: "c", "SELECT * FROM c WHERE c.tenantId = 't7' ORDER BY c.name", maxItemCount: 100)
        #expect(page.items.count == 20)
        // The partition's 20 name entries, and its 20 items read for those lacking a name (the default policy's
        // index has no entries for them): none of another partition's.
        #expect(page.metrics.indexEntriesRead <= 41)
        #expect(page.plan.contains("partition"))
        let cross = try test.store.query(in: "c", "SELECT * FROM c WHERE c.status = 'active' AND c.tenantId = 't3' AND c.updatedAt = null", maxItemCount: 5)
        #expect(cross.items.isEmpty)
    }

    @Test func explainShowsThePlan() throws {
        let test = try fixture()
        #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.id = '1' AND c.tenantId = 'acme'").contains("point read"))
        #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.tenantId = 'acme' AND c.status = 'error' ORDER BY c.updatedAt DESC").contains("composite"))
        #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.tenantId = 'acme'").contains("partition scan"))
        #expect(try test.store.explain(in: "c", "SELECT * FROM c WHERE c.rank > 3").contains("range index"))
    }
}
