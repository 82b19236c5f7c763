// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import CosmoliteStorage

/// Sync records in the `sync-executions` container (partitioned by `/integrationId`; the container's
/// `defaultTtl` of 30 days removes them).
public struct StoreSyncRepository: SyncRepository {
    let gateway: StoreGateway

    /// Creates the repository over `store`.
    public init(store: Store) { gateway = StoreGateway(store: store) }

    /// Stores the record, the integration's new sync state and the activity entry in one transaction.
    public func record(_ execution: SyncExecution, integration: Integration,
                       activity: ActivityEntry?) async throws -> Integration {
        var operations: [(ContainerOperation, what: String)] = [
            (.item(BatchOperation(.create, resourceBody: try DocumentCoder.document(execution),
                                  partitionKey: PartitionKey(execution.integrationId)),
                   in: IntegrationContainers.syncExecutions), "recording a sync of integration '\(integration.id)'"),
            try StoreConnectionRepository.replacing(integration),
        ]
        if let activity { operations.append(try StoreGateway.append(activity)) }
        let results = try await gateway.commit(operations)
        return try StoreIntegrationRepository.decode(results[1], fallback: integration)
    }

    /// One page of an integration's sync records, most recent first.
    public func history(integrationId: String, pageSize: Int?,
                        continuation: String?) async throws -> Page<SyncExecution> {
        try await gateway.query(SyncExecution.self, in: IntegrationContainers.syncExecutions,
                                "SELECT * FROM c WHERE c.integrationId = @i ORDER BY c.startedAt DESC",
                                parameters: ["i": .string(integrationId)], pageSize: pageSize,
                                continuation: continuation)
    }
}

/// The activity log in the `integration-activity` container (partitioned by `/tenantId`).
public struct StoreActivityRepository: ActivityRepository {
    let gateway: StoreGateway

    /// Creates the repository over `store`.
    public init(store: Store) { gateway = StoreGateway(store: store) }

    /// Appends an entry.
    public func append(_ entry: ActivityEntry) async throws {
        try await gateway.commit([try StoreGateway.append(entry)])
    }

    /// One page of a tenant's entries, most recent first: by `createdAt`, then by id (ids sort by creation, see
    /// ``ActivityEntry/makeID(at:)``), served by the composite indexes `(tenantId, createdAt DESC, id DESC)` and
    /// `(tenantId, integrationId, createdAt DESC, id DESC)`.
    public func list(tenant: TenantID, integrationId: String?, pageSize: Int?,
                     continuation: String?) async throws -> Page<ActivityEntry> {
        var sql = "SELECT * FROM c WHERE c.tenantId = @t"
        var parameters: [String: JSONValue] = ["t": .string(tenant.rawValue)]
        if let integrationId {
            sql += " AND c.integrationId = @i"
            parameters["i"] = .string(integrationId)
        }
        return try await gateway.query(ActivityEntry.self, in: IntegrationContainers.activity,
                                       sql + " ORDER BY c.createdAt DESC, c.id DESC", parameters: parameters,
                                       pageSize: pageSize,
                                       continuation: continuation)
    }
}
