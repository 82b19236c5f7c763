// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// The engine's multi-container transaction (`Store.executeTransaction`), which the domain's cascading delete uses.
struct MultiContainerTransactionTests {
    func makeStore() throws -> TestStore {
        let test = try TestStore()
        for id in ["a", "b"] {
            try test.store.createContainer(try ContainerDefinition(
                id: id, partitionKey: try PartitionKeyDefinition(paths: ["/pk"])))
        }
        return test
    }

    @Test func appliesToSeveralContainersAtomically() throws {
        let test = try makeStore()
        let store = test.store
        _ = try store.createItem(in: "a", document: ["id": "1", "pk": "p"])
        for i in 0..<5 { _ = try store.createItem(in: "b", document: ["id": .string("\(i)"), "pk": "p"]) }
        _ = try store.createItem(in: "b", document: ["id": "other", "pk": "q"])

        let response = try store.executeTransaction([
            .item(BatchOperation(.delete, id: "1", partitionKey: PartitionKey("p")), in: "a"),
            .deleteAll(in: "b", partitionKey: PartitionKey("p")),
            .item(BatchOperation(.create, resourceBody: ["id": "log", "pk": "p"]), in: "a"),
        ])
        #expect(response.isSuccess && response.results.map(\.statusCode) == [204, 200, 201])
        #expect(try store.readItems(in: "b").items.map(\.id) == ["other"])
        #expect(try store.readItems(in: "a").items.map(\.id) == ["log"])
    }

    @Test func aFailureLeavesNothing() throws {
        let test = try makeStore()
        let store = test.store
        let item = try store.createItem(in: "a", document: ["id": "1", "pk": "p"])
        _ = try store.createItem(in: "b", document: ["id": "x", "pk": "p"])
        _ = try store.replaceItem(in: "a", id: "1", partitionKey: PartitionKey("p"), document: ["id": "1", "pk": "p", "v": 2])
        let response = try store.executeTransaction([
            .deleteAll(in: "b", partitionKey: PartitionKey("p")),
            .item(BatchOperation(.delete, id: "1", ifMatch: item.etag, partitionKey: PartitionKey("p")), in: "a"),
        ])
        #expect(response.failedIndex == 1)
        #expect(response.results.map(\.statusCode) == [424, 412])
        #expect(try store.readItems(in: "b").items.count == 1)
        #expect(try store.readItems(in: "a").items.count == 1)
        let missing = try store.executeTransaction([.deleteAll(in: "nope", partitionKey: PartitionKey("p"))])
        #expect(missing.results.first?.statusCode == 404)
        #expect(throws: StoreError.self) { try store.executeTransaction([]) }
    }
}
