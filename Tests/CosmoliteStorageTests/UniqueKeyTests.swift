// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Dispatch
import Synchronization
import Testing

struct UniqueKeyTests {
    static let policy = #""uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}, {"paths": ["/email"]}]}"#

    @Test func scopedToTheLogicalPartition() throws {
        let test = try TestStore.withContainer(Self.policy)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t1", "providerName": "slack", "name": "Ops", "email": "a"}"#))
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t2", "providerName": "slack", "name": "Ops", "email": "a"}"#))
        let error = expectStatus(409) {
            try test.store.createItem(in: "c", json: bytes(#"{"id": "3", "tenantId": "t1", "providerName": "slack", "name": "Ops", "email": "b"}"#))
        }
        #expect(error?.message.contains("/providerName, /name") == true)
        // Case-sensitive values.
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "4", "tenantId": "t1", "providerName": "slack", "name": "ops", "email": "c"}"#))
    }

    /// Creates check unique keys before the id. An item's own tuples are no conflict, so creating the same item
    /// again is still "id exists"; a create that collides with one item on its id and with another on a unique
    /// key is a unique-key conflict. Either way: 409, and nothing changes.
    @Test func createChecksUniqueKeysBeforeTheID() throws {
        let test = try TestStore.withContainer(Self.policy)
        let first = try test.store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t", "email": "a"}"#))
        let second = try test.store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "email": "b", "name": "n"}"#))

        let again = expectStatus(409) {
            try test.store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t", "email": "a"}"#))
        }
        // Each 409 starts with the service's own sentence, and says which it is.
        #expect(again?.message.hasPrefix("Resource with specified id or name already exists. An item with id '1' "
            + "already exists") == true, "\(String(describing: again))")
        #expect(again?.isUniqueKeyViolation == false)

        let both = expectStatus(409) {
            try test.store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t", "email": "b", "name": "n"}"#))
        }
        #expect(both?.message.hasPrefix("Unique index constraint violation. ") == true, "\(String(describing: both))")
        #expect(both?.isUniqueKeyViolation == true)
        #expect(both?.message.contains("/providerName, /name") == true)

        let items = try test.store.readItems(in: "c").items
        #expect(items.map(\.json) == [first.json, second.json])
        #expect(try test.store.verify().isEmpty)
    }

    @Test func missingPathCountsAsNull() throws {
        let test = try TestStore.withContainer(Self.policy)
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t", "email": "a"}"#))
        expectStatus(409) { try test.store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "email": "b"}"#)) }
        expectStatus(409) {
            try test.store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "providerName": null, "name": null, "email": "b"}"#))
        }
        _ = try test.store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "name": "x", "email": "b"}"#))
    }

    @Test func enforcedOnReplaceUpsertAndReleasedOnChangeAndDelete() throws {
        let test = try TestStore.withContainer(Self.policy)
        let store = test.store
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "1", "tenantId": "t", "email": "a"}"#))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "email": "b", "name": "n"}"#))
        expectStatus(409) { try store.replaceItem(in: "c", id: "2", partitionKey: PartitionKey("t"), json: bytes(#"{"id": "2", "tenantId": "t", "email": "a", "name": "n"}"#)) }
        expectStatus(409) { try store.upsertItem(in: "c", json: bytes(#"{"id": "2", "tenantId": "t", "email": "a", "name": "n"}"#)) }
        expectStatus(409) { try store.upsertItem(in: "c", json: bytes(#"{"id": "3", "tenantId": "t", "email": "a", "name": "m"}"#)) }
        // Item 1 changes its email: "a" becomes free.
        _ = try store.replaceItem(in: "c", id: "1", partitionKey: PartitionKey("t"), json: bytes(#"{"id": "1", "tenantId": "t", "email": "z"}"#))
        _ = try store.upsertItem(in: "c", json: bytes(#"{"id": "3", "tenantId": "t", "email": "a", "name": "m"}"#))
        try store.deleteItem(in: "c", id: "3", partitionKey: PartitionKey("t"))
        _ = try store.createItem(in: "c", json: bytes(#"{"id": "4", "tenantId": "t", "email": "a", "name": "k"}"#))
    }

    @Test func enforcedInBatches() throws {
        let test = try TestStore.withContainer(Self.policy)
        let response = try test.store.executeBatch(in: "c", partitionKey: PartitionKey("t"), operations: [
            BatchOperation(.create, resourceBody: try json(#"{"id": "1", "tenantId": "t", "email": "a"}"#)),
            BatchOperation(.create, resourceBody: try json(#"{"id": "2", "tenantId": "t", "email": "a", "name": "x"}"#)),
        ])
        #expect(response.failedIndex == 1)
        #expect(response.results.map(\.statusCode) == [424, 409])
        #expect(try test.store.readItems(in: "c").items.isEmpty)
    }

    /// Two writers race to claim the same unique values: exactly one wins, whatever the interleaving.
    @Test func concurrentCollidingWritesExactlyOneSucceeds() throws {
        let test = try TestStore.withContainer(Self.policy, strict: false)
        let store = test.store
        for round in 0..<40 {
            let wins = Mutex(0)
            let conflicts = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    _ = try store.createItem(in: "c", json: bytes(#"{"id": "r\#(round)-\#(i)", "tenantId": "t", "name": "r\#(round)-\#(i)", "email": "e\#(round)"}"#))
                    wins.withLock { $0 += 1 }
                } catch let error as StoreError where error.status == 409 {
                    conflicts.withLock { $0 += 1 }
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
            #expect(wins.withLock { $0 } == 1)
            #expect(conflicts.withLock { $0 } == 1)
        }
        #expect(try store.verify().isEmpty)
    }

    /// Two writers race to replace the same version with If-Match: exactly one wins.
    @Test func concurrentIfMatchExactlyOneSucceeds() throws {
        let test = try TestStore.withContainer(strict: false)
        let store = test.store
        for round in 0..<40 {
            let base = try store.upsertItem(in: "c", json: bytes(#"{"id": "x", "tenantId": "t", "round": \#(round)}"#)).item
            let wins = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do {
                    _ = try store.replaceItem(in: "c", id: "x", partitionKey: PartitionKey("t"),
                                              json: bytes(#"{"id": "x", "tenantId": "t", "by": \#(i)}"#), ifMatch: base.etag)
                    wins.withLock { $0 += 1 }
                } catch let error as StoreError where error.status == 412 {
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
            #expect(wins.withLock { $0 } == 1)
        }
    }
}
