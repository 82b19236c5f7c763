// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import CosmoliteStorage
public import Foundation

/// Connections in the `integration-connections` container (partitioned by `/integrationId`).
///
/// The expired listing runs two indexed queries one after the other, behind one continuation token: first the
/// connections whose status is `expired` (the `/status` index), then those whose `oauth.expiresAt` is before
/// `now` and whose status is not `expired` (the `/oauth/expiresAt` range index), so no connection is listed twice
/// and neither query scans the container.
public struct StoreConnectionRepository: ConnectionRepository {
    let gateway: StoreGateway

    /// Creates the repository over `store`.
    public init(store: Store) { gateway = StoreGateway(store: store) }

    /// The connection with this id of this integration, or `nil` (a point read).
    public func connection(integrationId: String, id: String) async throws -> Connection? {
        guard Identifier.problem(integrationId) == nil, Identifier.problem(id) == nil else { return nil }
        return try await gateway.read(Connection.self, in: IntegrationContainers.connections, id: id,
                                      partitionKey: PartitionKey(integrationId))
    }

    /// One page of an integration's connections, ordered by id.
    public func list(integrationId: String, pageSize: Int?, continuation: String?) async throws -> Page<Connection> {
        try await gateway.query(Connection.self, in: IntegrationContainers.connections,
                                "SELECT * FROM c WHERE c.integrationId = @i", parameters: ["i": .string(integrationId)],
                                pageSize: pageSize,
                                continuation: continuation)
    }

    /// One page of expired connections (see the type's documentation).
    public func expired(now: Date, tenant: TenantID?, pageSize: Int?,
                        continuation: String?) async throws -> Page<Connection> {
        try Page<Connection>.validate(pageSize: pageSize)
        var phase = 1
        var token: String?
        if let continuation {
            guard let parsed = Self.parsePhaseToken(continuation) else {
                throw DomainError.validation("invalid page request", [
                    .init("continuation", "the token does not belong to this listing"),
                ])
            }
            (phase, token) = parsed
        }
        let tenantFilter = tenant == nil ? "" : " AND c.tenantId = @t"
        var parameters: [String: JSONValue] = [:]
        if let tenant { parameters["t"] = .string(tenant.rawValue) }
        let limit = pageSize ?? 100
        var items = [Connection]()
        while items.count < limit {
            let sql: String
            var phaseParameters = parameters
            if phase == 1 {
                sql = "SELECT * FROM c WHERE c.status = 'expired'" + tenantFilter
            } else {
                sql = "SELECT * FROM c WHERE c.oauth.expiresAt < @now AND c.status != 'expired'" + tenantFilter
                phaseParameters["now"] = .string(Timestamp.string(from: now))
            }
            let page = try await gateway.query(Connection.self, in: IntegrationContainers.connections, sql,
                                               parameters: phaseParameters, pageSize: limit - items.count,
                                               continuation: token)
            items += page.items
            if let next = page.continuation {
                return Page(items: items, continuation: "x\(phase).\(next)")
            }
            if phase == 2 { return Page(items: items, continuation: nil) }
            phase = 2
            token = nil
        }
        return Page(items: items, continuation: "x\(phase).")
    }

    /// One page of every connection (a cross-partition scan, for key rotation).
    public func all(pageSize: Int?, continuation: String?) async throws -> Page<Connection> {
        try await gateway.query(Connection.self, in: IntegrationContainers.connections, "SELECT * FROM c",
                                pageSize: pageSize, continuation: continuation)
    }

    /// Upserts a connection (conditional on its etag), replaces its integration and appends activity, together.
    public func save(_ connection: Connection, integration: Integration?,
                     activity: ActivityEntry?) async throws -> Connection {
        var operations = [(StoreGateway.write(try DocumentCoder.document(connection), id: connection.id,
                                              partitionKey: PartitionKey(connection.integrationId),
                                              etag: connection.etag, upsert: true,
                                              in: IntegrationContainers.connections),
                           what: "saving connection '\(connection.id)' of integration '\(connection.integrationId)'")]
        if let integration { operations.append(try Self.replacing(integration)) }
        if let activity { operations.append(try StoreGateway.append(activity)) }
        let results = try await gateway.commit(operations)
        guard let item = results[0].item else { return connection }
        return try DocumentCoder.decode(Connection.self, from: item)
    }

    /// Deletes a connection (conditional on its etag), replaces its integration and appends activity, together.
    public func delete(_ connection: Connection, integration: Integration?, activity: ActivityEntry?) async throws {
        var operations: [(ContainerOperation, what: String)] = [
            (.item(BatchOperation(.delete, id: connection.id, ifMatch: connection.etag,
                                  partitionKey: PartitionKey(connection.integrationId)),
                   in: IntegrationContainers.connections),
             "deleting connection '\(connection.id)' of integration '\(connection.integrationId)'"),
        ]
        if let integration { operations.append(try Self.replacing(integration)) }
        if let activity { operations.append(try StoreGateway.append(activity)) }
        try await gateway.commit(operations)
    }

    static func replacing(_ integration: Integration) throws -> (ContainerOperation, what: String) {
        (StoreGateway.write(try DocumentCoder.document(integration), id: integration.id,
                            partitionKey: PartitionKey(integration.tenantId.rawValue), etag: integration.etag,
                            upsert: false, in: IntegrationContainers.integrations),
         "updating integration '\(integration.id)'")
    }

    /// `x1.TOKEN` / `x2.TOKEN` (the phase and the engine's token, empty to start the phase).
    static func parsePhaseToken(_ text: String) -> (Int, String?)? {
        guard text.count >= 3, text.hasPrefix("x"), let dot = text.firstIndex(of: "."),
              let phase = Int(text[text.index(after: text.startIndex)..<dot]), phase == 1 || phase == 2 else {
            return nil
        }
        let rest = String(text[text.index(after: dot)...])
        return (phase, rest.isEmpty ? nil : rest)
    }
}
