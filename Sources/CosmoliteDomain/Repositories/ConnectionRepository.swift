// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// Connections' storage.
public protocol ConnectionRepository: Sendable {
    /// The connection with this id of this integration, or `nil`.
    func connection(integrationId: String, id: String) async throws -> Connection?
    /// One page of an integration's connections, ordered by id.
    func list(integrationId: String, pageSize: Int?, continuation: String?) async throws -> Page<Connection>
    /// One page of connections with status `expired` or `oauth.expiresAt` before `now` (of one tenant, or of
    /// all when `tenant` is `nil`).
    func expired(now: Date, tenant: TenantID?, pageSize: Int?, continuation: String?) async throws -> Page<Connection>
    /// One page of every connection of every tenant (key rotation).
    func all(pageSize: Int?, continuation: String?) async throws -> Page<Connection>
    /// Creates or replaces a connection (conditional on its `etag` when set), replaces `integration` (conditional
    /// on its etag) when given, and stores an activity entry, in one transaction.
    func save(_ connection: Connection, integration: Integration?, activity: ActivityEntry?) async throws -> Connection
    /// Deletes a connection (conditional on its `etag`), replaces `integration` when given and stores an activity
    /// entry, in one transaction.
    func delete(_ connection: Connection, integration: Integration?, activity: ActivityEntry?) async throws
}
