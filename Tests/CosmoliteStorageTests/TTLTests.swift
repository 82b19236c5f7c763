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

    @Test func changingDefaultTtlAppliesToExistingItems() throws {
        let test = try TestStore.withContainer()
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "a", "tenantId": "t"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "b", "tenantId": "t", "ttl": 1000}"#))
        try test.store.replaceContainer(try definition(#"{"id": "c", "partitionKey": {"paths": ["/tenantId"]}, "defaultTtl": 30}"#))
        test.clock.advance(by: 31)
        #expect(try test.store.readItems(in: "c").items.map(\.id) == ["b"])
        #expect(try test.store.purgeExpired() == 1)
        #expect(try test.store.verify().isEmpty)
    }
}
