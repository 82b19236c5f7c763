// SPDX-License-Identifier: Apache-2.0

/// The activity log's storage.
public protocol ActivityRepository: Sendable {
    /// Appends an entry.
    func append(_ entry: ActivityEntry) async throws
    /// One page of a tenant's entries (optionally of one integration), most recent first.
    func list(tenant: TenantID, integrationId: String?, pageSize: Int?, continuation: String?) async throws
        -> Page<ActivityEntry>
}
