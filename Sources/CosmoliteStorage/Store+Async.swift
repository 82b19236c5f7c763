// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import Dispatch

// The async API: the same operations as the synchronous one, run on a dispatch queue so that no LMDB
// transaction ever lives on a Swift task (and so across an `await`), and so that blocking disk I/O stays off
// the cooperative thread pool. Writes go to one serial queue (the single writer); reads to a concurrent one.

private let writerQueue = DispatchQueue(label: "cosmolite.writer", qos: .userInitiated)
private let readerQueue = DispatchQueue(label: "cosmolite.reader", qos: .userInitiated, attributes: .concurrent)

extension Store {
    /// Runs a synchronous store call on the writer queue (writes) or the reader queue (reads).
    func offload<R: Sendable>(write: Bool, _ body: @escaping @Sendable () throws -> R) async throws -> R {
        try Task.checkCancellation()
        return try await withCheckedThrowingContinuation { continuation in
            (write ? writerQueue : readerQueue).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Creates a container. See ``createContainer(_:)``.
    @discardableResult
    public func createContainer(_ definition: ContainerDefinition) async throws -> ContainerProperties {
        try await offload(write: true) { try self.createContainer(definition) }
    }

    /// Reads a container. See ``container(_:)``.
    public func container(_ id: String) async throws -> ContainerProperties {
        try await offload(write: false) { try self.container(id) }
    }

    /// Lists containers. See ``containers()``.
    public func containers() async throws -> [ContainerProperties] {
        try await offload(write: false) { try self.containers() }
    }

    /// Replaces a container. See ``replaceContainer(_:)``.
    @discardableResult
    public func replaceContainer(_ definition: ContainerDefinition) async throws -> ContainerProperties {
        try await offload(write: true) { try self.replaceContainer(definition) }
    }

    /// Completes every index transformation under way, one step (one transaction on the writer queue) at a time,
    /// so other writes interleave. See ``finishIndexTransformations(stepSize:)``.
    public func finishIndexTransformations(stepSize: Int = 250) async throws {
        while try await offload(write: true, { try self.advanceIndexTransformations(limit: stepSize) }) {}
    }

    /// Deletes a container. See ``deleteContainer(_:)``.
    public func deleteContainer(_ id: String) async throws {
        try await offload(write: true) { try self.deleteContainer(id) }
    }

    /// Creates an item. See ``createItem(in:json:partitionKey:)``.
    public func createItem(in container: String, json: [UInt8], partitionKey: PartitionKey? = nil) async throws -> Item {
        try await offload(write: true) { try self.createItem(in: container, json: json, partitionKey: partitionKey) }
    }

    /// Creates an item from a document tree. See ``createItem(in:json:partitionKey:)``.
    public func createItem(in container: String, document: JSONValue,
                           partitionKey: PartitionKey? = nil) async throws -> Item {
        try await offload(write: true) {
            try self.createItem(in: container, document: document, partitionKey: partitionKey)
        }
    }

    /// Point-reads an item. See ``readItem(in:id:partitionKey:)``.
    public func readItem(in container: String, id: String, partitionKey: PartitionKey) async throws -> Item {
        try await offload(write: false) { try self.readItem(in: container, id: id, partitionKey: partitionKey) }
    }

    /// Point-reads an item unless unchanged. See ``readItem(in:id:partitionKey:ifNoneMatch:)``.
    public func readItem(in container: String, id: String, partitionKey: PartitionKey,
                         ifNoneMatch: String?) async throws -> Item? {
        try await offload(write: false) {
            try self.readItem(in: container, id: id, partitionKey: partitionKey, ifNoneMatch: ifNoneMatch)
        }
    }

    /// Replaces an item. See ``replaceItem(in:id:partitionKey:json:ifMatch:)``.
    public func replaceItem(in container: String, id: String, partitionKey: PartitionKey, document: JSONValue,
                            ifMatch: String? = nil) async throws -> Item {
        try await offload(write: true) {
            try self.replaceItem(in: container, id: id, partitionKey: partitionKey, document: document, ifMatch: ifMatch)
        }
    }

    /// Upserts an item. See ``upsertItem(in:json:partitionKey:ifMatch:)``.
    public func upsertItem(in container: String, document: JSONValue, partitionKey: PartitionKey? = nil,
                           ifMatch: String? = nil) async throws -> (item: Item, created: Bool) {
        try await offload(write: true) {
            try self.upsertItem(in: container, document: document, partitionKey: partitionKey, ifMatch: ifMatch)
        }
    }

    /// Deletes an item. See ``deleteItem(in:id:partitionKey:ifMatch:)``.
    public func deleteItem(in container: String, id: String, partitionKey: PartitionKey,
                           ifMatch: String? = nil) async throws {
        try await offload(write: true) {
            try self.deleteItem(in: container, id: id, partitionKey: partitionKey, ifMatch: ifMatch)
        }
    }

    /// Patches an item. See ``patchItem(in:id:partitionKey:operations:ifMatch:condition:)``.
    public func patchItem(in container: String, id: String, partitionKey: PartitionKey, operations: [PatchOperation],
                          ifMatch: String? = nil, condition: PatchCondition? = nil) async throws -> Item {
        try await offload(write: true) {
            try self.patchItem(in: container, id: id, partitionKey: partitionKey, operations: operations,
                               ifMatch: ifMatch, condition: condition)
        }
    }

    /// Deletes a logical partition. See ``deleteAllItems(in:partitionKey:)``.
    public func deleteAllItems(in container: String, partitionKey: PartitionKey) async throws -> Int {
        try await offload(write: true) { try self.deleteAllItems(in: container, partitionKey: partitionKey) }
    }

    /// Runs a transactional batch. See ``executeBatch(in:partitionKey:operations:)``.
    public func executeBatch(in container: String, partitionKey: PartitionKey,
                             operations: [BatchOperation]) async throws -> BatchResponse {
        try await offload(write: true) {
            try self.executeBatch(in: container, partitionKey: partitionKey, operations: operations)
        }
    }

    /// Runs operations in one commit. See ``bulk(in:operations:atomic:)``.
    public func bulk(in container: String, operations: [BatchOperation],
                     atomic: Bool = false) async throws -> [BatchOperationResult] {
        try await offload(write: true) { try self.bulk(in: container, operations: operations, atomic: atomic) }
    }

    /// Lists items page by page. See ``readItems(in:partitionKey:maxItemCount:continuation:)``.
    public func readItems(in container: String, partitionKey: PartitionKey? = nil, maxItemCount: Int? = nil,
                          continuation: String? = nil) async throws -> ItemPage {
        try await offload(write: false) {
            try self.readItems(in: container, partitionKey: partitionKey, maxItemCount: maxItemCount,
                               continuation: continuation)
        }
    }

    /// Reads the change feed. See ``readChanges(in:partitionKey:from:maxItemCount:)``.
    public func readChanges(in container: String, partitionKey: PartitionKey? = nil,
                            from start: ChangeFeedStart = .beginning, maxItemCount: Int? = nil) async throws
        -> ChangeFeedPage {
        try await offload(write: false) {
            try self.readChanges(in: container, partitionKey: partitionKey, from: start, maxItemCount: maxItemCount)
        }
    }
}
