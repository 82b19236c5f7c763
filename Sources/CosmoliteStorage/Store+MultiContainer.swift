// SPDX-License-Identifier: Apache-2.0

import CosmoliteLMDB

// A transaction over several containers: one LMDB write transaction that applies item operations (and whole
// logical-partition deletes) to any number of containers, all or nothing. Azure Cosmos DB has no such thing
// (its transactional batch is limited to one logical partition of one container); an embedded store can offer
// it cheaply because every container lives in the same LMDB environment. It exists for domain operations that
// must not be observed half-done, such as "delete an integration together with its connections and sync records".

/// One write of a multi-container transaction (see ``Store/executeTransaction(_:)``).
///
/// ```swift
/// let operations: [ContainerOperation] = [
///     .item(BatchOperation(.delete, id: "int-1", ifMatch: etag, partitionKey: PartitionKey("acme")),
///           in: "integrations"),
///     .deleteAll(in: "integration-connections", partitionKey: PartitionKey("int-1")),
///     .item(BatchOperation(.create, resourceBody: activity), in: "integration-activity"),
/// ]
/// let response = try store.executeTransaction(operations)
/// ```
public struct ContainerOperation: Sendable {
    enum Action: Sendable {
        case item(BatchOperation)
        case deletePartition(PartitionKey)
    }

    /// The container the operation applies to.
    public let container: String
    let action: Action

    /// An item operation (create, read, replace, upsert, delete or patch) on `container`.
    ///
    /// Its partition key is ``BatchOperation/partitionKey``; create and upsert may take it from the document.
    public static func item(_ operation: BatchOperation, in container: String) -> ContainerOperation {
        ContainerOperation(container: container, action: .item(operation))
    }

    /// Deletes every item of one logical partition of `container` (like ``Store/deleteAllItems(in:partitionKey:)``);
    /// an empty partition is not an error.
    public static func deleteAll(in container: String, partitionKey: PartitionKey) -> ContainerOperation {
        ContainerOperation(container: container, action: .deletePartition(partitionKey))
    }
}

extension Store {
    /// Applies operations to several containers in one transaction: all of them, or none.
    ///
    /// Operations run in order, so a later one sees the effects of the earlier ones. Each item operation checks
    /// its own `ifMatch`, so a read-modify-write of several items is safe: read them, compute, then commit the
    /// writes with the etags read; a 412 in the response means another writer got there first (read again and
    /// retry).
    ///
    /// On failure nothing is written: the failing operation carries its own status and every other one 424
    /// (Failed Dependency), as in a transactional batch. A ``ContainerOperation/deleteAll(in:partitionKey:)``
    /// reports status 200 with no item.
    ///
    /// - Throws: ``StoreError`` 400 for an empty list. Failures of individual operations (including a missing
    ///   container, 404) are reported in the response, not thrown.
    public func executeTransaction(_ operations: [ContainerOperation]) throws -> BatchResponse {
        guard !operations.isEmpty else { throw StoreError.badRequest("a transaction needs at least one operation") }
        let now = nowSeconds()
        return try Self.allOrNothing(count: operations.count) {
            try write { txn, catalog, state in
                state.isOneTransaction = true
                var results = [BatchOperationResult]()
                results.reserveCapacity(operations.count)
                for (i, operation) in operations.enumerated() {
                    do {
                        let runtime = try self.runtime(operation.container, in: catalog)
                        switch operation.action {
                        case .item(let op):
                            results.append(try self.execute(op, txn, &state, runtime, partitionKey: op.partitionKey,
                                                            now: now))
                        case .deletePartition(let key):
                            _ = try self.removePartition(txn, &state, runtime, partitionKey: key, now: now)
                            results.append(BatchOperationResult(statusCode: 200, item: nil, error: nil))
                        }
                    } catch let error as StoreError {
                        throw BatchAbort(index: i, error: error)
                    }
                }
                return results
            }
        }
    }

    /// Applies operations to several containers in one transaction. See ``executeTransaction(_:)``.
    ///
    /// The transaction runs on a dispatch queue, never on the caller's task, so it is never held across an
    /// `await`.
    public func executeTransaction(_ operations: [ContainerOperation]) async throws -> BatchResponse {
        try await offload(write: true) { try self.executeTransaction(operations) }
    }
}
