// SPDX-License-Identifier: Apache-2.0

/// Tenant integrations' storage.
public protocol IntegrationRepository: Sendable {
    /// The tenant's integration with this id, or `nil`.
    func integration(tenant: TenantID, id: String) async throws -> Integration?
    /// The tenant's integration of this provider with this name, or `nil`.
    func integration(tenant: TenantID, providerName: String, name: String) async throws -> Integration?
    /// One page of the tenant's integrations, ordered by name.
    func list(tenant: TenantID, pageSize: Int?, continuation: String?) async throws -> Page<Integration>
    /// One page of the tenant's integrations whose connection status is `status`, most recently updated first.
    func list(tenant: TenantID, connectionStatus: IntegrationConnectionStatus, pageSize: Int?,
              continuation: String?) async throws -> Page<Integration>
    /// One page of the tenant's search-enabled integrations (optionally in one status), ordered by name.
    func listSearchEnabled(tenant: TenantID, status: IntegrationStatus?, pageSize: Int?,
                           continuation: String?) async throws -> Page<Integration>
    /// Stores a new integration and an activity entry together.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/conflict`` with the unique key when the tenant already has an
    ///   integration of this provider with this name.
    func create(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration
    /// Replaces an integration (conditional on its `etag`) and stores an activity entry, together.
    func replace(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration
    /// Deletes an integration (conditional on its `etag`) with all its connections and sync records, and stores
    /// an activity entry, in one transaction.
    func delete(_ integration: Integration, activity: ActivityEntry?) async throws
}
