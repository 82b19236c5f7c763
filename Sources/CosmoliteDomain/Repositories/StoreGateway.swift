// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage

/// The LMDB-backed repositories' shared access to the engine: point reads, paged queries and multi-container
/// transactions, with engine errors mapped to ``DomainError``.
struct StoreGateway: Sendable {
    let store: Store

    /// A point read; `nil` when the item does not exist.
    func read<T: Decodable>(_ type: T.Type, in container: String, id: String,
                            partitionKey: PartitionKey) async throws -> T? {
        do {
            let item = try await store.readItem(in: container, id: id, partitionKey: partitionKey)
            return try DocumentCoder.decode(type, from: item)
        } catch let error as StoreError where error.code == .notFound {
            if error.message.hasPrefix("container ") { throw DomainError(error) }
            return nil
        } catch let error as StoreError {
            throw DomainError(error, "reading \(container)/\(id)")
        }
    }

    /// One page of a query's results decoded as `T`.
    func query<T: Decodable & Sendable>(_ type: T.Type, in container: String, _ sql: String,
                                        parameters: [String: JSONValue] = [:], partitionKey: PartitionKey? = nil,
                                        pageSize: Int?, continuation: String?) async throws -> Page<T> {
        try Page<T>.validate(pageSize: pageSize)
        let page: QueryPage
        do {
            page = try await store.query(in: container, sql, parameters: parameters, partitionKey: partitionKey,
                                         maxItemCount: pageSize ?? 100, continuation: continuation)
        } catch let error as StoreError {
            if error.code == .badRequest, continuation != nil, error.message.contains("token") {
                throw DomainError.validation("invalid page request", [
                    .init("continuation", "the token does not belong to this listing (\(error.message))"),
                ])
            }
            throw DomainError(error, "listing \(container)")
        }
        return Page(items: try page.items.map { try DocumentCoder.decode(type, from: $0.json, naming: .itemByItsID) },
                    continuation: page.continuation)
    }

    /// Commits operations in one transaction.
    ///
    /// - Parameters:
    ///   - what: What each operation does, for messages (same count as `operations`).
    ///   - uniqueKey: The unique key named by a 409 of a create or replace.
    /// - Returns: The results, one per operation.
    /// - Throws: ``DomainError`` from the failing operation's error.
    @discardableResult
    func commit(_ operations: [(ContainerOperation, what: String)],
                uniqueKey: [String]? = nil) async throws -> [BatchOperationResult] {
        let response: BatchResponse
        do {
            response = try await store.executeTransaction(operations.map(\.0))
        } catch let error as StoreError {
            throw DomainError(error)
        }
        guard let failed = response.failedIndex else { return response.results }
        let what = operations[failed].what
        let error = response.results[failed].error ?? StoreError(.internalError, "the operation failed")
        if error.isUniqueKeyViolation, let uniqueKey {
            throw DomainError(.conflict, "\(what): the unique key (\(uniqueKey.joined(separator: ", "))) is already "
                                  + "taken by another item", uniqueKey: uniqueKey, cause: error)
        }
        if error.code == .preconditionFailed {
            throw DomainError(.preconditionFailed, "\(what): the item changed since it was read; read it again and "
                                  + "retry", cause: error)
        }
        throw DomainError(error, what)
    }

    /// The operation that writes `entry` to the activity log.
    static func append(_ entry: ActivityEntry) throws -> (ContainerOperation, what: String) {
        (.item(BatchOperation(.create, resourceBody: try DocumentCoder.document(entry),
                              partitionKey: PartitionKey(entry.tenantId.rawValue)),
               in: IntegrationContainers.activity), "appending activity \(entry.action)")
    }

    /// The operation that replaces or upserts `document` under `etag` (upsert when `etag` is `nil`).
    static func write(_ document: JSONValue, id: String, partitionKey: PartitionKey, etag: String?, upsert: Bool,
                      in container: String) -> ContainerOperation {
        if upsert {
            return .item(BatchOperation(.upsert, id: id, resourceBody: document, ifMatch: etag,
                                        partitionKey: partitionKey), in: container)
        }
        return .item(BatchOperation(.replace, id: id, resourceBody: document, ifMatch: etag,
                                    partitionKey: partitionKey), in: container)
    }
}
