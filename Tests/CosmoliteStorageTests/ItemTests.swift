// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

struct ItemTests {
    @Test func createAddsSystemPropertiesAndReadsBack() throws {
        let test = try TestStore.withContainer()
        let item = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "acme", "n": 1, "_rid": "forged"}"#))
        let o = item.object
        #expect(o["n"] == .number(1))
        #expect(o["_rid"]?.stringValue != "forged")
        #expect(o["_etag"]?.stringValue == item.etag)
        #expect(o["_ts"]?.numberValue == Double(Int(test.clock.now)))
        #expect(o["_self"]?.stringValue?.hasPrefix("dbs/") == true)
        #expect(o["_attachments"] == .string("attachments/"))
        let read = try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("acme"))
        #expect(read.json == item.json)
        #expect(read.etag == item.etag)
    }

    /// The in-place read sees exactly the bytes a copying read returns, follows the same 404 rules (missing,
    /// other partition, expired) and lets the body's own error through.
    @Test func inPlaceReadSeesTheStoredDocument() throws {
        struct Stop: Error {}
        let test = try TestStore.withContainer(#""defaultTtl": -1"#)
        let item = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "acme", "ttl": 5, "n": [1, 2]}"#))
        let seen = try test.store.withItemJSON(in: "c", id: "a", partitionKey: PartitionKey("acme")) { Array($0) }
        #expect(seen == item.json)
        #expect(seen == (try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("acme")).json))
        expectStatus(404) { try test.store.withItemJSON(in: "c", id: "a", partitionKey: PartitionKey("other")) { $0.count } }
        expectStatus(404) { try test.store.withItemJSON(in: "c", id: "b", partitionKey: PartitionKey("acme")) { $0.count } }
        #expect(throws: Stop.self) {
            try test.store.withItemJSON(in: "c", id: "a", partitionKey: PartitionKey("acme")) { _ in throw Stop() }
        }
        test.clock.advance(by: 5)
        expectStatus(404) { try test.store.withItemJSON(in: "c", id: "a", partitionKey: PartitionKey("acme")) { $0.count } }
    }

    @Test func idIsUniqueWithinItsPartitionOnly() throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t1"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t2"}"#))
        let conflict = expectStatus(409) { try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t1"}"#)) }
        #expect(conflict?.message.contains("'a'") == true)
        try test.store.deleteItem(in: "c", id: "a", partitionKey: PartitionKey("t1"))
        #expect(try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t2")).id == "a")
        expectStatus(404) { try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t1")) }
    }

    @Test func missingPartitionKeyIsUndefinedAndAddressable() throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": null}"#))
        let none = try test.store.readItem(in: "c", id: "a", partitionKey: .none)
        #expect(none.object["tenantId"] == nil)
        let null = try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey(components: [.null]))
        #expect(null.object["tenantId"] == .null)
        #expect(try PartitionKey(json: json("{}")) == .none)
        #expect(try PartitionKey(json: json("[{}]")) == .none)
        try test.store.deleteItem(in: "c", id: "a", partitionKey: .none)
        expectStatus(404) { try test.store.readItem(in: "c", id: "a", partitionKey: .none) }
    }

    @Test func partitionKeyMismatchIs400WithSubStatus() throws {
        let test = try TestStore.withContainer()
        let error = expectStatus(400) {
            try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "x"}"#), partitionKey: PartitionKey("y"))
        }
        #expect(error?.subStatus == 1001)
        expectStatus(400) { try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": {"o": 1}}"#)) }
    }

    @Test(arguments: [
        (#"{"tenantId": "t"}"#, 400, "has no 'id'"),
        (#"{"id": 5, "tenantId": "t"}"#, 400, "must be a string"),
        (#"{"id": "", "tenantId": "t"}"#, 400, "must not be empty"),
        (#"{"id": "a/b", "tenantId": "t"}"#, 400, "'/'"),
        (#"{"id": "a\\b", "tenantId": "t"}"#, 400, "'\\'"),
        (#"{"id": "a?b", "tenantId": "t"}"#, 400, "'?'"),
        (#"{"id": "a#b", "tenantId": "t"}"#, 400, "'#'"),
        // The forbidden character is found, and named, after multi-byte characters and in a long id.
        (#"{"id": "é€😀?x", "tenantId": "t"}"#, 400, "'?'"),
        (#"{"id": "0123456789abcdef0123456789abcdef#", "tenantId": "t"}"#, 400, "'#'"),
        (#"{"id": "a", "tenantId": "t", "ttl": null}"#, 400, "ttl: null"),
        (#"{"id": "a", "tenantId": "t", "ttl": 0}"#, 400, "ttl"),
        (#"{"id": "a", "tenantId": "t", "ttl": 1.5}"#, 400, "ttl"),
        (#"[1, 2]"#, 400, "JSON object"),
        (#"{"id": "a", "tenantId": "t""#, 400, "not valid JSON"),
    ])
    func badDocumentsAreRejected(text: String, status: Int, fragment: String) throws {
        let test = try TestStore.withContainer()
        let error = expectStatus(status) { try test.store.createItem(in: "c", json: bytes(text)) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error?.message))")
        #expect(try test.store.readItems(in: "c").items.isEmpty)
    }

    @Test func idLimits() throws {
        let test = try TestStore.withContainer()
        let ok255 = String(repeating: "a", count: 255)
        _ = try test.store.createItem(in: "c", document: .object(["id": .string(ok255), "tenantId": "t"]))
        expectStatus(400) { try test.store.createItem(in: "c", document: .object(["id": .string(ok255 + "a"), "tenantId": "t"])) }
        // 255 characters of 4 bytes each = 1020 bytes: allowed; one more 4-byte char exceeds 255 chars anyway,
        // so check the byte limit with 3-byte characters: 341 × 3 = 1023 bytes but 341 > 255 characters.
        let wide = String(repeating: "😀", count: 255)   // 1020 bytes
        let item = try test.store.createItem(in: "c", document: .object(["id": .string(wide), "tenantId": "t"]))
        #expect(try test.store.readItem(in: "c", id: wide, partitionKey: PartitionKey("t")).json == item.json)
    }

    @Test func longIdsPartitionKeysAndIndexedStringsAllWork() throws {
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/long"]}]}"#)
        let store = test.store
        let longPK = String(repeating: "p", count: 2048)
        let longID1 = String(repeating: "i", count: 200) + "1"
        let longID2 = String(repeating: "i", count: 200) + "2"
        let longValue = String(repeating: "v", count: 5000)
        for id in [longID1, longID2] {
            _ = try store.createItem(in: "c", document: .object([
                "id": .string(id), "tenantId": .string(longPK), "long": .string(longValue + id),
                "tags": .array([.string(longValue), .string(longValue + "x")]),
            ]))
        }
        // Ids that share a 200-byte prefix stay distinct items.
        #expect(try store.readItem(in: "c", id: longID1, partitionKey: PartitionKey(longPK)).object["long"]?.stringValue == longValue + longID1)
        #expect(try store.readItem(in: "c", id: longID2, partitionKey: PartitionKey(longPK)).object["long"]?.stringValue == longValue + longID2)
        // Unique values that share a long prefix are different values.
        expectStatus(409) {
            try store.createItem(in: "c", document: .object(["id": "z", "tenantId": .string(longPK), "long": .string(longValue + longID1)]))
        }
        // A partition-key value over 2048 bytes is refused.
        let error = expectStatus(400) {
            try store.createItem(in: "c", document: .object(["id": "q", "tenantId": .string(longPK + "p")]))
        }
        #expect(error?.message.contains("2048") == true)
        try store.deleteItem(in: "c", id: longID1, partitionKey: PartitionKey(longPK))
        #expect(try store.verify().isEmpty)
    }

    @Test func itemSizeLimitIs413() throws {
        let test = try TestStore.withContainer()
        let big = String(repeating: "x", count: 2 * 1024 * 1024)
        let error = expectStatus(413) {
            try test.store.createItem(in: "c", document: .object(["id": "a", "tenantId": "t", "blob": .string(big)]))
        }
        #expect(error?.message.contains("2 MB") == true)
        let fits = String(repeating: "x", count: 2 * 1024 * 1024 - 300)
        _ = try test.store.createItem(in: "c", document: .object(["id": "a", "tenantId": "t", "blob": .string(fits)]))
    }

    @Test func replaceUpsertAndEtags() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        let v1 = try store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "v": 1}"#))
        let v2 = try store.replaceItem(in: "c", id: "a", partitionKey: PartitionKey("t"), json: bytes(#"{"id": "a", "tenantId": "t", "v": 2}"#), ifMatch: v1.etag)
        #expect(v2.etag != v1.etag)
        #expect(v2.object["_rid"] == v1.object["_rid"])
        let stale = expectStatus(412) {
            try store.replaceItem(in: "c", id: "a", partitionKey: PartitionKey("t"), json: bytes(#"{"id": "a", "tenantId": "t", "v": 3}"#), ifMatch: v1.etag)
        }
        #expect(stale?.message.contains("If-Match") == true)
        expectStatus(412) { try store.deleteItem(in: "c", id: "a", partitionKey: PartitionKey("t"), ifMatch: v1.etag) }
        expectStatus(404) {
            try store.replaceItem(in: "c", id: "b", partitionKey: PartitionKey("t"), json: bytes(#"{"id": "b", "tenantId": "t"}"#))
        }
        #expect(try store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t"), ifNoneMatch: v2.etag) == nil)
        #expect(try store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t"), ifNoneMatch: v1.etag)?.etag == v2.etag)

        let (created, wasCreated) = try store.upsertItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t"}"#))
        #expect(wasCreated)
        let (updated, wasCreated2) = try store.upsertItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "x": 1}"#), ifMatch: created.etag)
        #expect(!wasCreated2)
        #expect(updated.object["x"] == .number(1))
        expectStatus(412) { try store.upsertItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t"}"#), ifMatch: created.etag) }
        // If-Match guards only the replacing half: with no item, the upsert creates it, as the service does.
        let (fresh, freshCreated) = try store.upsertItem(in: "c", json: bytes(#"{"id": "n", "tenantId": "t"}"#),
                                                         ifMatch: created.etag)
        #expect(freshCreated && fresh.id == "n")
        // If-None-Match * matches any version.
        #expect(try store.readItem(in: "c", id: "n", partitionKey: PartitionKey("t"), ifNoneMatch: "*") == nil)
        expectStatus(404) { try store.readItem(in: "c", id: "zz", partitionKey: PartitionKey("t"), ifNoneMatch: "*") }
    }

    /// A replace may change the id, as in the service ("ReplaceItemAsync supports changing the item's id field",
    /// azure-cosmos-dotnet-v3 issue 1055): the item moves to the new id in one step and keeps its `_rid`; its
    /// unique-key values go with it. A rename onto a live id, or onto another item's unique-key values, is a 409 that
    /// changes nothing, also inside a bulk request.
    @Test func replaceMayChangeTheID() throws {
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/email"]}]}"#)
        let store = test.store
        let t = PartitionKey("t")
        let a = try store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "email": "a@x", "n": 1}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "email": "b@x"}"#))
        expectStatus(412) {
            try store.replaceItem(in: "c", id: "a", partitionKey: t,
                                  json: bytes(#"{"id": "a2", "tenantId": "t", "email": "a@x"}"#), ifMatch: "\"stale\"")
        }
        let renamed = try store.replaceItem(in: "c", id: "a", partitionKey: t,
                                            json: bytes(#"{"id": "a2", "tenantId": "t", "email": "a@x", "n": 2}"#),
                                            ifMatch: a.etag)
        #expect(renamed.id == "a2")
        #expect(renamed.object["_rid"] == a.object["_rid"] && renamed.etag != a.etag)
        expectStatus(404) { try store.readItem(in: "c", id: "a", partitionKey: t) }
        #expect(try store.readItem(in: "c", id: "a2", partitionKey: t).object["n"] == .number(2))
        // The old id is free again, and its unique-key value went with the item.
        expectStatus(409) { try store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "email": "a@x"}"#)) }
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "email": "new@x"}"#))

        // Refused renames change nothing.
        let conflict = expectStatus(409) {
            try store.replaceItem(in: "c", id: "a2", partitionKey: t, json: bytes(#"{"id": "b", "tenantId": "t"}"#))
        }
        #expect(conflict?.message.contains("An item with id 'b' already exists") == true)
        expectStatus(409) {
            try store.replaceItem(in: "c", id: "a2", partitionKey: t,
                                  json: bytes(#"{"id": "a3", "tenantId": "t", "email": "b@x"}"#))
        }
        let results = try store.bulk(in: "c", operations: [
            BatchOperation(.replace, id: "a2", resourceBody: ["id": "b", "tenantId": "t"], partitionKey: t),
            BatchOperation(.replace, id: "a2", resourceBody: ["id": "a3", "tenantId": "t", "email": "b@x"],
                           partitionKey: t),
            BatchOperation(.replace, id: "b", resourceBody: ["id": "b2", "tenantId": "t", "email": "b@x"],
                           partitionKey: t),
        ])
        #expect(results.map(\.statusCode) == [409, 409, 200])
        #expect(try store.readItem(in: "c", id: "a2", partitionKey: t).object["email"] == .string("a@x"))
        let ids = try store.readItems(in: "c", partitionKey: t, maxItemCount: -1).items.map(\.id).sorted()
        #expect(ids == ["a", "a2", "b2"])
        #expect(try store.verify().isEmpty)
    }

    @Test func timestampsNeverDecrease() throws {
        let test = try TestStore.withContainer()
        let v1 = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t"}"#))
        test.clock.advance(by: -3600)
        let v2 = try test.store.upsertItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "x": 1}"#)).item
        #expect(v2.timestamp >= v1.timestamp)
    }

    @Test func deleteAllItemsOfAPartition() throws {
        let test = try TestStore.withContainer(#""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/u"]}]}, "defaultTtl": -1"#)
        for i in 0..<25 {
            _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 2)", "u": \#(i), "ttl": 100}"#))
        }
        #expect(try test.store.deleteAllItems(in: "c", partitionKey: PartitionKey("t0")) == 13)
        #expect(try test.store.readItems(in: "c", partitionKey: PartitionKey("t0")).items.isEmpty)
        #expect(try test.store.readItems(in: "c", partitionKey: PartitionKey("t1"), maxItemCount: -1).items.count == 12)
        #expect(try test.store.deleteAllItems(in: "c", partitionKey: PartitionKey("t0")) == 0)
    }

    @Test func missingContainerIs404() throws {
        let test = try TestStore()
        let error = expectStatus(404) { try test.store.createItem(in: "nope", json: bytes(#"{"id": "a"}"#)) }
        #expect(error?.message.contains("'nope'") == true)
    }

    @Test func hierarchicalPartitionKeys() throws {
        let test = try TestStore()
        try test.store.createContainer(try definition(#"{"id": "h", "partitionKey": {"paths": ["/t", "/u"], "kind": "MultiHash", "version": 2}}"#))
        _ = try test.store.createItem(in: "h", json: bytes(#"{"id": "a", "t": "acme", "u": "bob"}"#))
        _ = try test.store.createItem(in: "h", json: bytes(#"{"id": "a", "t": "acme", "u": "eve"}"#))
        _ = try test.store.createItem(in: "h", json: bytes(#"{"id": "a", "t": "acme"}"#))
        #expect(try test.store.readItem(in: "h", id: "a", partitionKey: PartitionKey(["acme", "bob"])).object["u"] == "bob")
        #expect(try test.store.readItem(in: "h", id: "a", partitionKey: PartitionKey(components: [.string("acme"), .undefined])).object["u"] == nil)
        expectStatus(400) { try test.store.readItem(in: "h", id: "a", partitionKey: PartitionKey("acme")) }
    }
}
