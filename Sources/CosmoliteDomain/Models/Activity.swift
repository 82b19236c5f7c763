// SPDX-License-Identifier: Apache-2.0

public import Foundation
import Synchronization

/// What happened, in the activity log (an open set).
public struct ActivityAction: StringValue {
    /// The stored value.
    public let rawValue: String
    /// Creates an action.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An integration was created.
    public static let created: ActivityAction = "created"
    /// An integration's configuration (name, settings, sync configuration, search) changed.
    public static let configChanged: ActivityAction = "config_changed"
    /// An integration was enabled.
    public static let enabled: ActivityAction = "enabled"
    /// An integration was disabled.
    public static let disabled: ActivityAction = "disabled"
    /// An integration was deleted (with its connections and sync records).
    public static let deleted: ActivityAction = "deleted"
    /// A connection was made or remade.
    public static let connected: ActivityAction = "connected"
    /// A connection was removed.
    public static let disconnected: ActivityAction = "disconnected"
    /// A connection's status was set (revoked, ...).
    public static let connectionStatusChanged: ActivityAction = "connection_status_changed"
    /// OAuth tokens were refreshed.
    public static let oauthRefreshed: ActivityAction = "oauth_refreshed"
    /// An OAuth refresh failed.
    public static let oauthRefreshFailed: ActivityAction = "oauth_refresh_failed"
    /// A sync started.
    public static let syncStarted: ActivityAction = "sync_started"
    /// A sync succeeded.
    public static let syncCompleted: ActivityAction = "sync_completed"
    /// A sync failed.
    public static let syncFailed: ActivityAction = "sync_failed"
    /// Syncing was paused.
    public static let syncPaused: ActivityAction = "sync_paused"
    /// Syncing was resumed.
    public static let syncResumed: ActivityAction = "sync_resumed"
}

/// One entry of a tenant's activity log (container `integration-activity`, partitioned by `/tenantId`).
public struct ActivityEntry: Codable, Hashable, Sendable, Identifiable {
    /// The item id (a random UUID).
    public var id: String
    /// The tenant (the partition key).
    public var tenantId: TenantID
    /// The integration concerned, if any.
    public var integrationId: String?
    /// Its name at the time.
    public var integrationName: String?
    /// What happened.
    public var action: ActivityAction
    /// Whether it succeeded.
    public var success: Bool
    /// Records affected (syncs).
    public var recordsAffected: Int
    /// The error, for a failure (never a secret).
    public var errorMessage: String?
    /// The user who did it, if any.
    public var userId: UserID?
    /// Details.
    public var metadata: JSONFields
    /// When it happened.
    public var createdAt: Date

    /// Creates an entry (with an id from ``makeID(at:)`` by default).
    public init(id: String? = nil, tenantId: TenantID, integrationId: String? = nil,
                integrationName: String? = nil, action: ActivityAction, success: Bool = true, recordsAffected: Int = 0,
                errorMessage: String? = nil, userId: UserID? = nil, metadata: JSONFields = [:], createdAt: Date) {
        self.id = id ?? Self.makeID(at: createdAt)
        self.tenantId = tenantId
        self.integrationId = integrationId
        self.integrationName = integrationName
        self.action = action
        self.success = success
        self.recordsAffected = recordsAffected
        self.errorMessage = errorMessage
        self.userId = userId
        self.metadata = metadata
        self.createdAt = createdAt
    }

    /// An id that sorts by creation: the time in milliseconds and a process-wide sequence number (both fixed-width
    /// hex), then 32 random bits. Entries of the same millisecond thus list newest first under
    /// `ORDER BY c.createdAt DESC`, whose ties the index breaks by id.
    public static func makeID(at date: Date) -> String {
        func hex<T: FixedWidthInteger>(_ value: T, _ width: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        let sequence = activitySequence.add(1, ordering: .relaxed).newValue
        return hex(millis, 12) + "-" + hex(sequence, 12) + "-" + hex(UInt32.random(in: .min ... .max), 8)
    }

    /// An entry about `integration` by `scope`.
    static func about(_ integration: Integration, _ action: ActivityAction, by scope: Scope, at now: Date,
                      success: Bool = true, records: Int = 0, error: String? = nil,
                      metadata: JSONFields = [:]) -> ActivityEntry {
        ActivityEntry(tenantId: integration.tenantId, integrationId: integration.id,
                      integrationName: integration.name, action: action, success: success, recordsAffected: records,
                      errorMessage: error, userId: scope.userId, metadata: metadata, createdAt: now)
    }
}

/// The sequence numbers of ``ActivityEntry/makeID(at:)``: process-wide so that ids made in the same millisecond
/// keep their creation order. An atomic counter is safe to share; it is never reset.
private let activitySequence = Atomic<UInt64>(0)
