// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import CosmoliteStorage

/// Tenant integrations in the `integrations` container (partitioned by `/tenantId`).
///
/// Every read and query is confined to the tenant's logical partition. Deleting an integration also deletes its
/// partitions of `integration-connections` and `sync-executions`, in the same transaction.
public struct StoreIntegrationRepository: IntegrationRepository {
    let gateway: StoreGateway
    static let uniqueKey = ["/tenantId", "/providerName", "/name"]

    /// Creates the repository over `store`.
    public init(store: Store) { gateway = StoreGateway(store: store) }

    /// The tenant's integration with this id, or `nil` (a point read in the tenant's partition).
    public func integration(tenant: TenantID, id: String) async throws -> Integration? {
        guard Identifier.problem(id) == nil else { return nil }
        return try await gateway.read(Integration.self, in: IntegrationContainers.integrations, id: id,
                                      partitionKey: PartitionKey(tenant.rawValue))
    }

    /// The tenant's integration of this provider with this name, or `nil`.
    public func integration(tenant: TenantID, providerName: String, name: String) async throws -> Integration? {
        let page = try await gateway.query(
            Integration.self, in: IntegrationContainers.integrations,
            "SELECT * FROM c WHERE c.tenantId = @t AND c.providerName = @p AND c.name = @n",
            parameters: ["t": .string(tenant.rawValue), "p": .string(providerName), "n": .string(name)],
            pageSize: 2, continuation: nil)
        return page.items.first
    }

    /// One page of the tenant's integrations ordered by name.
    public func list(tenant: TenantID, pageSize: Int?, continuation: String?) async throws -> Page<Integration> {
        try await gateway.query(Integration.self, in: IntegrationContainers.integrations,
                                "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
                                parameters: ["t": .string(tenant.rawValue)], pageSize: pageSize,
                                continuation: continuation)
    }

    /// One page of the tenant's integrations in one connection status, most recently updated first.
    public func list(tenant: TenantID, connectionStatus: IntegrationConnectionStatus, pageSize: Int?,
                     continuation: String?) async throws -> Page<Integration> {
        try await gateway.query(
            Integration.self, in: IntegrationContainers.integrations,
            "SELECT * FROM c WHERE c.tenantId = @t AND c.connectionStatus = @s ORDER BY c.updatedAt DESC",
            parameters: ["t": .string(tenant.rawValue), "s": .string(connectionStatus.rawValue)],
            pageSize: pageSize, continuation: continuation)
    }

    /// One page of the tenant's search-enabled integrations, ordered by name.
    public func listSearchEnabled(tenant: TenantID, status: IntegrationStatus?, pageSize: Int?,
                                  continuation: String?) async throws -> Page<Integration> {
        var sql = "SELECT * FROM c WHERE c.tenantId = @t AND c.searchEnabled = true"
        var parameters: [String: JSONValue] = ["t": .string(tenant.rawValue)]
        if let status {
            sql += " AND c.status = @s"
            parameters["s"] = .string(status.rawValue)
        }
        return try await gateway.query(Integration.self, in: IntegrationContainers.integrations,
                                       sql + " ORDER BY c.name",
                                       parameters: parameters, pageSize: pageSize, continuation: continuation)
    }

    /// Creates an integration with its activity entry.
    public func create(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration {
        var operations = [(ContainerOperation.item(
            BatchOperation(.create, resourceBody: try DocumentCoder.document(integration),
                           partitionKey: PartitionKey(integration.tenantId.rawValue)),
            in: IntegrationContainers.integrations), what: "creating integration '\(integration.name)'")]
        if let activity { operations.append(try StoreGateway.append(activity)) }
        let results = try await gateway.commit(operations, uniqueKey: Self.uniqueKey)
        return try Self.decode(results[0], fallback: integration)
    }

    /// Replaces an integration (if its etag still matches) with its activity entry.
    public func replace(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration {
        var operations = [(StoreGateway.write(try DocumentCoder.document(integration), id: integration.id,
                                              partitionKey: PartitionKey(integration.tenantId.rawValue),
                                              etag: integration.etag, upsert: false,
                                              in: IntegrationContainers.integrations),
                           what: "updating integration '\(integration.id)'")]
        if let activity { operations.append(try StoreGateway.append(activity)) }
        let results = try await gateway.commit(operations, uniqueKey: Self.uniqueKey)
        return try Self.decode(results[0], fallback: integration)
    }

    /// Deletes an integration, its connections and its sync records, and appends the activity entry, in one
    /// transaction.
    public func delete(_ integration: Integration, activity: ActivityEntry?) async throws {
        var operations: [(ContainerOperation, what: String)] = [
            (.item(BatchOperation(.delete, id: integration.id, ifMatch: integration.etag,
                                  partitionKey: PartitionKey(integration.tenantId.rawValue)),
                   in: IntegrationContainers.integrations), "deleting integration '\(integration.id)'"),
            (.deleteAll(in: IntegrationContainers.connections, partitionKey: PartitionKey(integration.id)),
             "deleting the connections of integration '\(integration.id)'"),
            (.deleteAll(in: IntegrationContainers.syncExecutions, partitionKey: PartitionKey(integration.id)),
             "deleting the sync records of integration '\(integration.id)'"),
        ]
        if let activity { operations.append(try StoreGateway.append(activity)) }
        try await gateway.commit(operations)
    }

    static func decode(_ result: BatchOperationResult, fallback: Integration) throws -> Integration {
        guard let item = result.item else { return fallback }
        return try DocumentCoder.decode(Integration.self, from: item)
    }
}
