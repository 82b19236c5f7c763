// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import Foundation

/// Sync bookkeeping: start, record results, pause and resume, keep the incremental-sync cursor, and read the
/// history.
///
/// ```swift
/// _ = try await platform.sync.begin(scope, integrationId: id)                       // pending → syncing
/// let cursor = try await platform.sync.cursor(scope, integrationId: id)             // where the last run stopped
/// let execution = try await platform.sync.record(scope, integrationId: id, SyncResult(
///     success: true, direction: .fromExternal, recordsCreated: 42, startedAt: start, completedAt: Date(),
///     cursor: nextCursor))                                                        // syncing → active
/// let history = try await platform.sync.history(scope, integrationId: id, pageSize: 20)
/// ```
///
/// Recording a result writes the sync record (kept 30 days from its recording), the integration's `lastSyncAt`,
/// `errorCount`, `errorMessage`, cursor and status, and the activity entry, in one transaction. A failure increments
/// `errorCount`; the third failure in a row puts the integration in status `error`; a success resets the count.
public struct SyncService: Sendable {
    let repository: any SyncRepository
    let integrations: IntegrationService
    let clock: @Sendable () -> Date

    /// Creates the service.
    public init(repository: any SyncRepository, integrations: IntegrationService,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.integrations = integrations
        self.clock = clock
    }

    var now: Date { Timestamp.truncated(clock()) }

    /// How far in the future (seconds) a result's completion may lie: the reporting machine's clock may run ahead.
    public static let clockSkew: TimeInterval = 300

    /// Marks a sync as started (`pending`, `active` or `error` → `syncing`).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/invalidTransition`` when already syncing, paused or disabled.
    public func begin(_ scope: Scope, integrationId: String) async throws -> Integration {
        let scope = try scope.validated()
        return try await integrations.mutate(scope, id: integrationId, ifMatch: nil) { integration in
            integration.status = try integration.status.transition(.start)
            return (.syncStarted, [:])
        }
    }

    /// Records a sync result (see the type's documentation).
    ///
    /// A result that completed before the integration's last recorded sync (a run reported late) goes into the
    /// history and the activity log (marked `superseded`), but leaves the integration as the later run left it:
    /// its status, failure count, cursor and last sync time never move back.
    ///
    /// - Throws: ``DomainError``: ``DomainError/Code/validation`` (negative counts, end before start, an end more
    ///   than ``clockSkew`` seconds in the future), ``DomainError/Code/invalidTransition`` (paused or disabled),
    ///   ``DomainError/Code/notFound``.
    public func record(_ scope: Scope, integrationId: String, _ result: SyncResult) async throws -> SyncExecution {
        let scope = try scope.validated()
        let problems = result.problems()
        guard problems.isEmpty else { throw DomainError.validation("invalid sync result", problems) }
        let completedAt = Timestamp.truncated(result.completedAt)
        guard completedAt <= now.addingTimeInterval(Self.clockSkew) else {
            throw DomainError.validation("invalid sync result", [
                .init("completedAt", "is in the future (\(Timestamp.string(from: completedAt)); now is "
                          + "\(Timestamp.string(from: now)))"),
            ])
        }
        let failureMessage = String((result.errors.first ?? "the sync failed").prefix(1_000))
        for _ in 0..<IntegrationService.attempts {
            let stored = try await integrations.get(scope, id: integrationId)
            var integration = stored
            if result.success {
                integration.status = try integration.status.transition(.succeed)
                integration.errorCount = 0
                integration.errorMessage = nil
                integration.lastSuccessAt = completedAt
                if let cursor = result.cursor { integration.syncCursor = cursor }
            } else {
                let failures = integration.errorCount + 1
                integration.status = try integration.status.transition(
                    .fail(consecutiveFailures: failures, hasSucceeded: integration.lastSuccessAt != nil))
                integration.errorCount = failures
                integration.errorMessage = failureMessage
            }
            integration.lastSyncAt = completedAt
            integration.updatedAt = now
            // A run reported after a later one goes into the history, but the integration's state (status, failure
            // count, cursor, last sync) already reflects the later run and is not rewound. A paused or disabled
            // integration has refused it above, as it refuses any result.
            let superseded = stored.lastSyncAt.map { completedAt < $0 } ?? false
            if superseded { integration = stored }
            let execution = SyncExecution(integration: integration, result: result)
            var metadata: JSONFields = ["syncExecutionId": .string(execution.id),
                                        "direction": .string(result.direction.rawValue)]
            if superseded {
                metadata["superseded"] = .bool(true)
            } else if stored.status != integration.status {
                metadata["status"] = .string(integration.status.rawValue)
                metadata["previousStatus"] = .string(stored.status.rawValue)
            }
            let activity = ActivityEntry.about(
                integration, result.success ? .syncCompleted : .syncFailed, by: scope, at: now,
                success: result.success, records: result.recordsSynced,
                error: result.success ? nil : failureMessage, metadata: metadata)
            do {
                _ = try await repository.record(execution, integration: integration, activity: activity)
                return execution
            } catch let error as DomainError where error.code == .preconditionFailed {
                continue
            }
        }
        throw IntegrationService.stale(integrationId)
    }

    /// Pauses syncing (`pending`, `syncing`, `active` or `error` → `paused`).
    public func pause(_ scope: Scope, integrationId: String) async throws -> Integration {
        let scope = try scope.validated()
        return try await integrations.mutate(scope, id: integrationId, ifMatch: nil) { integration in
            integration.status = try integration.status.transition(.pause)
            return (.syncPaused, [:])
        }
    }

    /// Resumes syncing (`paused` → `pending`).
    public func resume(_ scope: Scope, integrationId: String) async throws -> Integration {
        let scope = try scope.validated()
        return try await integrations.mutate(scope, id: integrationId, ifMatch: nil) { integration in
            integration.status = try integration.status.transition(.resume)
            return (.syncResumed, [:])
        }
    }

    /// The incremental-sync cursor the next run starts from (`nil` before the first successful run).
    public func cursor(_ scope: Scope, integrationId: String) async throws -> String? {
        try await integrations.get(scope, id: integrationId).syncCursor
    }

    /// Sets (or, with `nil`, clears, forcing a full sync) the incremental-sync cursor.
    public func setCursor(_ scope: Scope, integrationId: String, _ cursor: String?) async throws -> Integration {
        let scope = try scope.validated()
        if let cursor, cursor.utf8.count > 4_096 {
            throw DomainError.validation("invalid cursor", [.init("cursor", "is longer than 4096 bytes")])
        }
        return try await integrations.mutate(scope, id: integrationId, ifMatch: nil) { integration in
            guard integration.syncCursor != cursor else { return nil }
            integration.syncCursor = cursor
            return (.configChanged, ["fields": ["syncCursor"]])
        }
    }

    /// One page of the integration's sync records, most recent first: those recorded in the last 30 days (the
    /// container's TTL counts from the write, so a run reported late stays 30 days from its reporting).
    public func history(_ scope: Scope, integrationId: String, pageSize: Int? = nil,
                        continuation: String? = nil) async throws -> Page<SyncExecution> {
        let scope = try scope.validated()
        _ = try await integrations.get(scope, id: integrationId)
        return try await repository.history(integrationId: integrationId, pageSize: pageSize,
                                            continuation: continuation)
    }
}
