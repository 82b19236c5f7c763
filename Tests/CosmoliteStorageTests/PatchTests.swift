// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

struct PatchTests {
    func ops(_ text: String) throws -> [PatchOperation] { try PatchOperation.parseList(try json(text)) }

    @Test func allOperationsApplyInOrder() throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "n": 1, "arr": [1, 2], "o": {"a/b": 1, "m~n": 2}, "old": "x"}"#))
        let item = try test.store.patchItem(in: "c", id: "a", partitionKey: PartitionKey("t"), operations: try ops(#"""
            [{"op": "incr", "path": "/n", "value": 5},
             {"op": "add", "path": "/arr/1", "value": 9},
             {"op": "set", "path": "/arr/0", "value": 7},
             {"op": "replace", "path": "/o/a~1b", "value": "slash"},
             {"op": "remove", "path": "/o/m~0n"},
             {"op": "move", "from": "/old", "path": "/new"},
             {"op": "add", "path": "/created", "value": {"x": true}}]
            """#))
        let o = item.object
        #expect(o["n"] == .number(6))
        #expect(o["arr"] == .array([7, 9, 2]))
        #expect(o["o"] == .object(["a/b": "slash"]))
        #expect(o["old"] == nil)
        #expect(o["new"] == "x")
        #expect(o["created"] == .object(["x": true]))
    }

    @Test func failedPatchChangesNothing() throws {
        let test = try TestStore.withContainer()
        let before = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "n": 1}"#))
        let error = expectStatus(400) {
            try test.store.patchItem(in: "c", id: "a", partitionKey: PartitionKey("t"), operations: try ops(#"""
                [{"op": "set", "path": "/n", "value": 2}, {"op": "replace", "path": "/missing", "value": 1}]
                """#))
        }
        #expect(error?.message.contains("/missing") == true)
        #expect(try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).json == before.json)
    }

    @Test(arguments: ["/id", "/_ts", "/_etag", "/_rid", "/_id", "/tenantId"])
    func protectedPathsCannotBePatched(path: String) throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "_id": "mongo"}"#))
        let error = expectStatus(400) {
            try test.store.patchItem(in: "c", id: "a", partitionKey: PartitionKey("t"),
                                     operations: try ops(#"[{"op": "set", "path": "\#(path)", "value": "x"}]"#))
        }
        // System properties (`_id` among them, as the service's FAQ lists it) get the service's words.
        if path.hasPrefix("/_") {
            #expect(error?.message.hasPrefix("Invalid patch request: Can't patch system property \(path.dropFirst()).")
                == true, "\(error?.message ?? "")")
        }
        #expect(try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).object["_id"] == "mongo")
    }

    @Test func atMostTenOperations() throws {
        let eleven = "[" + (0..<11).map { #"{"op": "set", "path": "/f\#($0)", "value": 1}"# }.joined(separator: ",") + "]"
        #expect(throws: (any Error).self) { try ops(eleven) }
    }

    @Test func patchRespectsEtagsAndUniqueKeys() throws {
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/email"]}]}"#)
        let a = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "email": "a@x"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "email": "b@x"}"#))
        expectStatus(409) {
            try test.store.patchItem(in: "c", id: "b", partitionKey: PartitionKey("t"),
                                     operations: try ops(#"[{"op": "set", "path": "/email", "value": "a@x"}]"#))
        }
        _ = try test.store.patchItem(in: "c", id: "a", partitionKey: PartitionKey("t"),
                                     operations: try ops(#"[{"op": "set", "path": "/v", "value": 1}]"#), ifMatch: a.etag)
        expectStatus(412) {
            try test.store.patchItem(in: "c", id: "a", partitionKey: PartitionKey("t"),
                                     operations: try ops(#"[{"op": "set", "path": "/v", "value": 2}]"#), ifMatch: a.etag)
        }
    }
}
