// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Testing

/// The README's library quick start, kept compiling and true.
struct ReadmeExampleTests {
    @Test func quickStart() async throws {
        let test = try TestStore()
        let store = test.store

        try await store.createContainer(try ContainerDefinition(json: try JSONReader.parse("""
            {"id": "integrations",
             "partitionKey": {"paths": ["/tenantId"], "kind": "Hash"},
             "uniqueKeyPolicy": {"uniqueKeys": [{"paths": ["/providerName", "/name"]}]},
             "defaultTtl": -1}
            """)))

        let created = try await store.createItem(
            in: "integrations",
            document: ["id": "i-1", "tenantId": "acme", "providerName": "slack", "name": "Ops alerts"])

        let item = try await store.readItem(in: "integrations", id: "i-1", partitionKey: PartitionKey("acme"))
        #expect(item.etag == created.etag)

        let size = try store.withItemJSON(in: "integrations", id: "i-1", partitionKey: PartitionKey("acme")) { $0.count }
        #expect(size == item.json.count)

        _ = try await store.createItem(
            in: "integrations", json: Array(#"{"id": "i-3", "tenantId": "acme", "providerName": "zoom", "name": "Ops"}"#.utf8))
        do {
            _ = try await store.createItem(
                in: "integrations", json: Array(#"{"id": "i-4", "tenantId": "acme", "providerName": "zoom", "name": "Ops"}"#.utf8))
            Issue.record("a create that repeats a unique key was accepted")
        } catch let error as StoreError {
            #expect(error.status == 409)
        }

        _ = try await store.replaceItem(in: "integrations", id: "i-1", partitionKey: PartitionKey("acme"),
                                        document: ["id": "i-1", "tenantId": "acme", "providerName": "slack",
                                                   "name": "Ops alerts", "enabled": true],
                                        ifMatch: created.etag)
        await #expect(throws: StoreError.self) {
            try await store.replaceItem(in: "integrations", id: "i-1", partitionKey: PartitionKey("acme"),
                                        document: ["id": "i-1", "tenantId": "acme"], ifMatch: created.etag)
        }

        let response = try await store.executeBatch(in: "integrations", partitionKey: PartitionKey("acme"), operations: [
            BatchOperation(.create, resourceBody: ["id": "i-2", "tenantId": "acme", "providerName": "jira", "name": "Eng"]),
            BatchOperation(.patch, id: "i-1", patchOperations: try PatchOperation.parseList(
                try JSONReader.parse(#"[{"op": "incr", "path": "/syncCount", "value": 1}]"#))),
        ])
        #expect(response.isSuccess)

        let changes = try await store.readChanges(in: "integrations", from: .beginning)
        #expect(changes.items.map(\.id) == ["i-3", "i-2", "i-1"])
        #expect(changes.items[2].object["syncCount"] == .number(1))
    }
}
