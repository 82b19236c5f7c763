// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// Conditional patch: Cosmos DB's filter predicate (`FROM c WHERE ...`), checked against the item's current version
/// in the patch's own write transaction; 412 and nothing written when it does not hold.
struct ConditionalPatchTests {
    func fixture() throws -> TestStore {
        let test = try TestStore()
        try test.store.createContainer(try ContainerDefinition(json: try json(
            #"{"id": "o", "partitionKey": {"paths": ["/t"]}}"#)))
        _ = try test.store.createItem(in: "o", json: Array(
            #"{"id": "1", "t": "a", "status": "pending", "stock": 3, "tags": ["vip", "eu"]}"#.utf8))
        return test
    }

    let key = PartitionKey("a")

    func set(_ path: String, _ value: JSONValue) throws -> [PatchOperation] {
        [PatchOperation(.set, path: try JSONPointer(path), value: value)]
    }

    func patch(_ store: Store, _ condition: String, set path: String = "/status", to value: JSONValue = "shipped")
        throws -> Item {
        try store.patchItem(in: "o", id: "1", partitionKey: key, operations: try set(path, value),
                            condition: try PatchCondition(filterPredicate: condition))
    }

    @Test func appliesOnlyWhenTheItemSatisfiesTheCondition() throws {
        let store = try fixture().store
        let before = try store.readItem(in: "o", id: "1", partitionKey: key)
        let patched = try patch(store, "FROM c WHERE c.status = 'pending' AND c.stock > 0")
        #expect(try patched.value()["status"] == "shipped")
        #expect(patched.etag != before.etag)

        // The item is shipped now: the same condition no longer holds.
        let message = expectStatus(412) { _ = try patch(store, "FROM c WHERE c.status = 'pending'", to: "lost") }
        #expect(message?.contains("does not satisfy the patch condition") == true, "\(message ?? "")")
        let after = try store.readItem(in: "o", id: "1", partitionKey: key)
        #expect(after.etag == patched.etag, "a refused patch writes nothing")
        #expect(after.json == patched.json)
    }

    @Test(arguments: [
        ("FROM c WHERE c.missing = 1", false),  // undefined: the condition does not hold
        ("FROM c WHERE c.stock = '3'", false),  // a comparison across types is undefined
        ("FROM c WHERE c.stock = 3", true),
        ("FROM c WHERE NOT IS_DEFINED(c.missing)", true),
        ("FROM c", true),  // no WHERE: any existing item
        ("FROM root r WHERE r.stock BETWEEN 1 AND 5", true),
        ("FROM c JOIN t IN c.tags WHERE t = 'vip'", true),  // some joined row matches
        ("FROM c JOIN t IN c.tags WHERE t = 'us'", false),
        ("FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = 'eu')", true),
        ("FROM c WHERE ARRAY_LENGTH(c.tags) > 2", false),
        ("FROM t IN c.tags WHERE t = 'eu'", true),
    ])
    func conditionsHaveQuerySemantics(_ condition: String, _ holds: Bool) throws {
        let store = try fixture().store
        if holds {
            #expect(try patch(store, condition).value()["status"] == "shipped")
        } else {
            _ = expectStatus(412) { _ = try patch(store, condition) }
            #expect(try store.readItem(in: "o", id: "1", partitionKey: key).value()["status"] == "pending")
        }
    }

    @Test func theConditionSeesSystemPropertiesAndTheStoreClock() throws {
        let test = try fixture()
        let store = test.store
        let item = try store.readItem(in: "o", id: "1", partitionKey: key)
        // An _etag condition is an If-Match written as a predicate.
        _ = expectStatus(412) { _ = try patch(store, "FROM c WHERE c._etag = 'stale'") }
        _ = try patch(store, "FROM c WHERE c._etag = '\(item.etag)'",
                      set: "/stock", to: 4)
        // Date functions read the store's clock: a "changed in the last minute" guard expires with it.
        let recent = "FROM c WHERE c._ts * 1000 > GetCurrentTimestamp() - 60000"
        _ = try patch(store, recent, set: "/stock", to: 5)
        test.clock.advance(by: 120)
        _ = expectStatus(412) { _ = try patch(store, recent, set: "/stock", to: 6) }
        #expect(try store.readItem(in: "o", id: "1", partitionKey: key).value()["stock"] == 5)
    }

    @Test func aMissingItemIs404NotAFailedCondition() throws {
        let store = try fixture().store
        _ = expectStatus(404) {
            _ = try store.patchItem(in: "o", id: "nope", partitionKey: key, operations: try set("/x", 1),
                                    condition: try PatchCondition(filterPredicate: "FROM c WHERE false"))
        }
    }

    @Test(arguments: [
        ("SELECT * FROM c WHERE c.a = 1", "starts with FROM, without SELECT"),
        ("FROM c WHERE c.a = @a", "takes no parameters"),
        ("FROM c WHERE c.a = 1 ORDER BY c.a", "only FROM, JOIN and WHERE"),
        ("FROM c WHERE NOPE(c.a)", "unknown function 'NOPE'"),
        ("FROM c WHERE", "line 1, column 13"),
    ])
    func badConditionsAre400s(_ condition: String, _ explanation: String) throws {
        let message = expectStatus(400) { _ = try PatchCondition(filterPredicate: condition) }
        #expect(message?.hasPrefix("invalid patch condition: syntax error at line 1") == true, "\(message ?? "")")
        #expect(message?.contains(explanation) == true, "\(message ?? "")")
    }

    @Test func anErrorWhileEvaluatingAbortsThePatch() throws {
        let store = try fixture().store
        // A scalar subquery with two values is a 400 at run time; the patch must not apply.
        let message = expectStatus(400) {
            _ = try patch(store, "FROM c WHERE (SELECT VALUE t FROM t IN c.tags) = 'vip'")
        }
        #expect(message?.contains("more than one value") == true, "\(message ?? "")")
        #expect(try store.readItem(in: "o", id: "1", partitionKey: key).value()["status"] == "pending")
    }

    @Test func concurrentConditionalPatchesAreCompareAndSet() async throws {
        let store = try fixture().store
        // Eight writers each claim the pending item; the condition is checked inside the write transaction, so
        // exactly one claim succeeds and the others get 412.
        let condition = try PatchCondition(filterPredicate: "FROM c WHERE c.status = 'pending'")
        let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    do {
                        _ = try await store.patchItem(
                            in: "o", id: "1", partitionKey: PartitionKey("a"),
                            operations: [PatchOperation(.set, path: try JSONPointer("/status"), value: "claimed"),
                                         PatchOperation(.set, path: try JSONPointer("/owner"), value: .number(Double(writer)))],
                            condition: condition)
                        return 200
                    } catch let error as StoreError {
                        return error.status
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == [200] + Array(repeating: 412, count: 7))
        let item = try await store.readItem(in: "o", id: "1", partitionKey: key).value()
        #expect(item["status"] == "claimed")
        #expect(item["owner"] != nil)
    }

    @Test func batchPatchesTakeTheirConditionFromTheResourceBody() throws {
        let store = try fixture().store
        func batch(_ text: String) throws -> BatchResponse {
            guard case .array(let list) = try json(text) else { throw StoreError(.badRequest, "not an array") }
            let operations = try list.enumerated().map { index, op in
                try BatchOperation(json: op, index: index, compileCondition: PatchCondition.init(filterPredicate:))
            }
            return try store.executeBatch(in: "o", partitionKey: key, operations: operations)
        }
        let failed = try batch("""
            [{"operationType": "Create", "resourceBody": {"id": "2", "t": "a"}},
             {"operationType": "Patch", "id": "1", "resourceBody": {
                "operations": [{"op": "set", "path": "/status", "value": "shipped"}],
                "condition": "FROM c WHERE c.stock > 10"}}]
            """)
        #expect(failed.failedIndex == 1)
        #expect(failed.results.map(\.statusCode) == [424, 412])
        _ = expectStatus(404) { _ = try store.readItem(in: "o", id: "2", partitionKey: key) }
        #expect(try store.readItem(in: "o", id: "1", partitionKey: key).value()["status"] == "pending")

        let applied = try batch("""
            [{"operationType": "Patch", "id": "1", "resourceBody": {
                "operations": [{"op": "incr", "path": "/stock", "value": -1}],
                "condition": "FROM c WHERE c.stock > 0"}}]
            """)
        #expect(applied.isSuccess)
        #expect(try store.readItem(in: "o", id: "1", partitionKey: key).value()["stock"] == 2)
    }

    @Test func aBatchConditionIsNeverDropped() throws {
        let conditional = try json(#"""
            {"operationType": "Patch", "id": "1", "resourceBody": {
                "operations": [{"op": "set", "path": "/x", "value": 1}], "condition": "FROM c WHERE c.x = 0"}}
            """#)
        // Without a compiler the condition cannot be evaluated, so the operation is refused, not run unconditionally.
        let message = expectStatus(400) { _ = try BatchOperation(json: conditional) }
        #expect(message?.contains("cannot evaluate a patch condition") == true, "\(message ?? "")")
        let typo = try json(#"""
            {"operationType": "Patch", "id": "1", "resourceBody": {
                "operations": [{"op": "set", "path": "/x", "value": 1}], "conditon": "FROM c WHERE c.x = 0"}}
            """#)
        let unknown = expectStatus(400) {
            _ = try BatchOperation(json: typo, compileCondition: PatchCondition.init(filterPredicate:))
        }
        #expect(unknown?.contains("unknown property 'conditon'") == true, "\(unknown ?? "")")
        let bad = try json(#"""
            {"operationType": "Patch", "id": "1", "resourceBody": {
                "operations": [{"op": "set", "path": "/x", "value": 1}], "condition": "FROM c WHERE"}}
            """#)
        let syntax = expectStatus(400) {
            _ = try BatchOperation(json: bad, index: 3, compileCondition: PatchCondition.init(filterPredicate:))
        }
        #expect(syntax?.hasPrefix("batch operation 3: condition: invalid patch condition: syntax error at line 1, "
            + "column 13") == true, "\(syntax ?? "")")
    }
}
