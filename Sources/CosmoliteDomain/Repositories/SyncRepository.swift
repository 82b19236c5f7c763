// SPDX-License-Identifier: Apache-2.0

/// Sync records' storage.
public protocol SyncRepository: Sendable {
    /// Stores a sync record, replaces the integration (conditional on its etag) and stores an activity entry, in
    /// one transaction; returns the stored integration.
    func record(_ execution: SyncExecution, integration: Integration, activity: ActivityEntry?) async throws
        -> Integration
    /// One page of an integration's sync records, most recent first.
    func history(integrationId: String, pageSize: Int?, continuation: String?) async throws -> Page<SyncExecution>
}
