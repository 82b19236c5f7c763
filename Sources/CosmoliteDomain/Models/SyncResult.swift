// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// Which way a sync moved records.
public enum SyncDirection: String, Codable, Hashable, Sendable, CaseIterable {
    /// From the app to the provider.
    case toExternal = "to_external"
    /// From the provider to the app.
    case fromExternal = "from_external"
    /// Both ways.
    case bidirectional
}

/// The outcome of one sync run, as a sync job reports it.
///
/// ```swift
/// let result = SyncResult(success: true, direction: .fromExternal, recordsCreated: 12, recordsUpdated: 3,
///                         startedAt: start, completedAt: Date(), cursor: "2026-03-01T10:00:00Z")
/// let execution = try await platform.sync.record(scope, integrationId: id, result)
/// ```
public struct SyncResult: Codable, Hashable, Sendable {
    /// Whether the run succeeded.
    public var success: Bool
    /// Which way records moved.
    public var direction: SyncDirection
    /// Records created.
    public var recordsCreated: Int
    /// Records updated.
    public var recordsUpdated: Int
    /// Records that failed.
    public var recordsFailed: Int
    /// Error messages (at most 100 are kept, each cut to 1,000 characters).
    public var errors: [String]
    /// When the run started.
    public var startedAt: Date
    /// When it finished.
    public var completedAt: Date
    /// The incremental-sync position reached (kept on the integration after a success).
    public var cursor: String?
    /// Details.
    public var metadata: JSONFields

    /// Creates a result.
    public init(success: Bool, direction: SyncDirection, recordsCreated: Int = 0, recordsUpdated: Int = 0,
                recordsFailed: Int = 0, errors: [String] = [], startedAt: Date, completedAt: Date,
                cursor: String? = nil, metadata: JSONFields = [:]) {
        self.success = success
        self.direction = direction
        self.recordsCreated = recordsCreated
        self.recordsUpdated = recordsUpdated
        self.recordsFailed = recordsFailed
        self.errors = errors
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.cursor = cursor
        self.metadata = metadata
    }

    /// Records created or updated.
    public var recordsSynced: Int { recordsCreated + recordsUpdated }

    /// The run's duration in milliseconds.
    public var durationMs: Int { max(0, Int((completedAt.timeIntervalSince(startedAt) * 1000).rounded())) }

    /// The problems of this result, field by field; empty when it is valid.
    func problems() -> [DomainError.FieldError] {
        var problems = [DomainError.FieldError]()
        for (name, value) in [("recordsCreated", recordsCreated), ("recordsUpdated", recordsUpdated),
                              ("recordsFailed", recordsFailed)] where value < 0 {
            problems.append(.init(name, "must not be negative, got \(value)"))
        }
        if completedAt < startedAt { problems.append(.init("completedAt", "is before startedAt")) }
        if let cursor, cursor.utf8.count > 4_096 { problems.append(.init("cursor", "is longer than 4096 bytes")) }
        return problems
    }
}

/// A recorded sync run (container `sync-executions`, partitioned by `/integrationId`; removed after 30 days by
/// the container's TTL).
public struct SyncExecution: Codable, Hashable, Sendable, Identifiable {
    /// The item id (a random UUID).
    public var id: String
    /// The integration (the partition key).
    public var integrationId: String
    /// The tenant.
    public var tenantId: TenantID
    /// The provider's key.
    public var providerName: String
    /// Whether the run succeeded.
    public var success: Bool
    /// Which way records moved.
    public var direction: SyncDirection
    /// Records created or updated.
    public var recordsSynced: Int
    /// Records created.
    public var recordsCreated: Int
    /// Records updated.
    public var recordsUpdated: Int
    /// Records that failed.
    public var recordsFailed: Int
    /// Error messages.
    public var errors: [String]
    /// Duration in milliseconds.
    public var durationMs: Int
    /// When it started.
    public var startedAt: Date
    /// When it finished.
    public var completedAt: Date
    /// The cursor reached.
    public var cursor: String?
    /// Details.
    public var metadata: JSONFields

    /// A record of `result` for `integration`.
    public init(id: String = UUID().uuidString.lowercased(), integration: Integration, result: SyncResult) {
        self.id = id
        self.integrationId = integration.id
        self.tenantId = integration.tenantId
        self.providerName = integration.providerName
        self.success = result.success
        self.direction = result.direction
        self.recordsSynced = result.recordsSynced
        self.recordsCreated = result.recordsCreated
        self.recordsUpdated = result.recordsUpdated
        self.recordsFailed = result.recordsFailed
        self.errors = Array(result.errors.prefix(100).map { String($0.prefix(1_000)) })
        self.durationMs = result.durationMs
        self.startedAt = result.startedAt
        self.completedAt = result.completedAt
        self.cursor = result.cursor
        self.metadata = result.metadata
    }
}
