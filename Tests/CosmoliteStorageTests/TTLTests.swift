// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

struct TTLTests {
    @Test func withoutDefaultTtlItemsNeverExpire() throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "ttl": 5}"#))
        test.clock.advance(by: 1_000_000)
        #expect(try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).id == "a")
    }

    @Test func defaultTtlAndItemOverrides() throws {
        let test = try TestStore.withContainer(#""defaultTtl": 100"#)
        let store = test.store
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "default", "tenantId": "t"}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "short", "tenantId": "t", "ttl": 10}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "never", "tenantId": "t", "ttl": -1}"#))
        test.clock.advance(by: 10)
        expectStatus(404) { try store.readItem(in: "c", id: "short", partitionKey: PartitionKey("t")) }
        #expect(try store.readItem(in: "c", id: "default", partitionKey: PartitionKey("t")).id == "default")
        test.clock.advance(by: 90)
        expectStatus(404) { try store.readItem(in: "c", id: "default", partitionKey: PartitionKey("t")) }
        #expect(try store.readItems(in: "c").items.map(\.id) == ["never"])
        #expect(try store.readChanges(in: "c").items.map(\.id) == ["never"])
        // Expired items are gone for writes too: the id can be created again, and replace/delete see 404.
        expectStatus(404) { try store.deleteItem(in: "c", id: "short", partitionKey: PartitionKey("t")) }
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "short", "tenantId": "t"}"#))
        #expect(try store.verify().isEmpty)
    }

    @Test func expiryCountsFromTheLastWrite() throws {
        let test = try TestStore.withContainer(#""defaultTtl": 100"#)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t"}"#))
        test.clock.advance(by: 60)
        _ = try test.store.upsertItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "v": 2}"#))
        test.clock.advance(by: 60)
        #expect(try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")).object["v"] == .number(2))
    }

    @Test func minusOneEnablesPerItemTtlOnly() throws {
        let test = try TestStore.withContainer(#""defaultTtl": -1"#)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "ttl": 5}"#))
        test.clock.advance(by: 5)
        #expect(try test.store.readItems(in: "c").items.map(\.id) == ["a"])
    }

    @Test func expiredItemsReleaseTheirUniqueKeys() throws {
        let test = try TestStore.withContainer(#""defaultTtl": 10, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/email"]}]}"#)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t", "email": "x"}"#))
        expectStatus(409) { try test.store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "email": "x"}"#)) }
        test.clock.advance(by: 10)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "email": "x"}"#))
        expectStatus(404) { try test.store.readItem(in: "c", id: "a", partitionKey: PartitionKey("t")) }
    }

    @Test func purgeRemovesExpiredItemsWithTheirRows() throws {
        let test = try TestStore.withContainer(#""defaultTtl": 10, "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/n"]}]}"#)
        for i in 0..<50 {
            _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "\#(i)", "tenantId": "t\#(i % 5)", "n": \#(i)\#(i % 2 == 0 ? ", \"ttl\": -1" : "")}"#))
        }
        #expect(try test.store.purgeExpired() == 0)
        test.clock.advance(by: 11)
        #expect(try test.store.purgeExpired(limit: 10) == 10)
        #expect(try test.store.purgeExpired() == 15)
        #expect(try test.store.purgeExpired() == 0)
        #expect(try test.store.readItems(in: "c", maxItemCount: -1).items.count == 25)
        #expect(try test.store.verify().isEmpty)
    }

    /// A new `defaultTtl` applies to every item at once. The items' `ttl` rows, which only tell the sweeper where
    /// to look, are rewritten online in steps, so that the replace never holds writers up for the whole container.
    @Test func changingDefaultTtlAppliesToExistingItems() throws {
        let test = try TestStore.withContainer()
        let store = test.store
        for i in 0..<6 { _ = try store.createItem(in: "c", json: bytes(#"{"id": "a\#(i)", "tenantId": "t"}"#)) }
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "ttl": 1000}"#))
        func ids() throws -> [String] { try store.readItems(in: "c").items.map(\.id) }
        func ttlRows() throws -> Int {
            try store.statistics(containers: ["c"]).containers[0].indexEntries.first { $0.database == "ttl" }?.entries ?? 0
        }
        try store.replaceContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "defaultTtl": 30}"#))
        #expect(try store.indexTransformationProgress(in: "c") == 100, "a TTL change is not an index transformation")
        #expect(try ttlRows() == 0, "the replace itself rewrote no row")
        // A write during the transformation follows the new definition at once.
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "a5", "tenantId": "t"}"#))
        #expect(try ttlRows() == 1)
        test.clock.advance(by: 31)
        #expect(try ids() == ["b"], "every item sees the new defaultTtl at once")
        #expect(try store.purgeExpired() == 1, "only a5 has its row yet")
        #expect(try store.advanceIndexTransformations(limit: 3))
        #expect(try store.purgeExpired() == 3, "a0, a1 and a2 got their rows from the step")
        try store.finishIndexTransformations()
        #expect(try store.purgeExpired() == 2)
        #expect(try ids() == ["b"])
        #expect(try ttlRows() == 1)

        // Off again: b's row goes with the steps, and b never expires.
        try store.replaceContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}}"#))
        try store.finishIndexTransformations()
        #expect(try ttlRows() == 0)
        test.clock.advance(by: 2_000)
        #expect(try ids() == ["b"])
        #expect(try store.verify().isEmpty)
    }

    /// An item that has expired stays deleted when the `defaultTtl` is made longer or removed: the replace removes
    /// it in its own transaction, even where no sweeper ran (a store used only through the command line), and even
    /// when the `ttl` rows of an earlier change are still being rewritten.
    @Test func expiredItemsStayDeletedWhenTheTtlChanges() throws {
        let test = try TestStore.withContainer(#""defaultTtl": 10"#)
        let store = test.store
        func ids() throws -> [String] { try store.readItems(in: "c").items.map(\.id).sorted() }
        func replace(_ ttl: String) throws {
            try store.replaceContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}"# + ttl + "}"))
        }
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "old", "tenantId": "t"}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "kept", "tenantId": "t", "ttl": -1}"#))
        test.clock.advance(by: 11)
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "young", "tenantId": "t"}"#))
        #expect(try ids() == ["kept", "young"])
        try replace(#", "defaultTtl": 100"#)
        #expect(try ids() == ["kept", "young"], "'old', written 11 s ago, would live under 100")
        // A shorter TTL, then none before its rows are rewritten: 'young' expired under the shorter one.
        try replace(#", "defaultTtl": 5"#)
        test.clock.advance(by: 6)
        #expect(try ids() == ["kept"])
        try replace("")
        try store.finishIndexTransformations()
        test.clock.advance(by: 1_000)
        #expect(try ids() == ["kept"])
        #expect(try store.verify().isEmpty)
    }
}
