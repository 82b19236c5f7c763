// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// A tenant's instance of a provider, with its configuration and sync bookkeeping (container `integrations`,
/// partitioned by `/tenantId`, unique by tenant, provider and name, so a tenant may have several instances of
/// one provider under different names).
///
/// ```swift
/// let created = try await platform.integrations.create(scope, IntegrationDraft(provider: "hubspot", name: "EU sales"))
/// print(created.status)            // pending
/// print(created.connectionStatus)  // disconnected
/// ```
public struct Integration: Codable, Hashable, Sendable, Identifiable {
    /// The item id (a random UUID, unique across tenants).
    public var id: String
    /// The owning tenant (the partition key).
    public var tenantId: TenantID
    /// The provider's key (``Provider/provider``).
    public var providerName: String
    /// The provider's catalog id (``Provider/id``).
    public var providerId: String
    /// The provider's category (``Provider/category``).
    public var providerCategory: String
    /// The instance's name, unique per tenant and provider.
    public var name: String
    /// A name for people; defaults to the provider's display name.
    public var displayName: String
    /// A free description.
    public var description: String?
    /// The sync state (``IntegrationStatus``).
    public var status: IntegrationStatus
    /// The state of its connections: `connected`, `disconnected`, `expired` or `error`.
    public var connectionStatus: IntegrationConnectionStatus
    /// Whether its data is offered to search.
    public var searchEnabled: Bool
    /// Whether its connections are made per user.
    public var userScoped: Bool
    /// Provider-specific settings (for example `subdomain`).
    public var settings: JSONFields
    /// How to sync (direction, frequency, entities); free-form.
    public var syncConfig: JSONFields
    /// The position reached by the last incremental sync, passed to the next one.
    public var syncCursor: String?
    /// When the last sync finished (successfully or not).
    public var lastSyncAt: Date?
    /// When the last successful sync finished.
    public var lastSuccessAt: Date?
    /// Consecutive failed syncs (reset by a success); 3 put the integration in status `error`.
    public var errorCount: Int
    /// The last sync or connection error.
    public var errorMessage: String?
    /// When it was last enabled (creation counts).
    public var enabledAt: Date?
    /// Who created it, when a user did.
    public var createdBy: UserID?
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// The stored version's entity tag (`_etag`); `nil` before it is stored. Pass it back to update only that
    /// version.
    public var etag: String?

    enum CodingKeys: String, CodingKey {
        case id, tenantId, providerName, providerId, providerCategory, name, displayName, description, status
        case connectionStatus, searchEnabled, userScoped, settings, syncConfig, syncCursor, lastSyncAt
        case lastSuccessAt, errorCount, errorMessage, enabledAt, createdBy, createdAt, updatedAt
        case etag = "_etag"
    }

    /// Creates an integration value (the services create stored ones; see ``IntegrationService/create(_:_:)``).
    public init(id: String, tenantId: TenantID, providerName: String, providerId: String, providerCategory: String,
                name: String, displayName: String, description: String? = nil, status: IntegrationStatus = .pending,
                connectionStatus: IntegrationConnectionStatus = .disconnected, searchEnabled: Bool = false,
                userScoped: Bool = false, settings: JSONFields = [:], syncConfig: JSONFields = [:],
                syncCursor: String? = nil, lastSyncAt: Date? = nil, lastSuccessAt: Date? = nil, errorCount: Int = 0,
                errorMessage: String? = nil, enabledAt: Date? = nil, createdBy: UserID? = nil, createdAt: Date,
                updatedAt: Date, etag: String? = nil) {
        self.id = id
        self.tenantId = tenantId
        self.providerName = providerName
        self.providerId = providerId
        self.providerCategory = providerCategory
        self.name = name
        self.displayName = displayName
        self.description = description
        self.status = status
        self.connectionStatus = connectionStatus
        self.searchEnabled = searchEnabled
        self.userScoped = userScoped
        self.settings = settings
        self.syncConfig = syncConfig
        self.syncCursor = syncCursor
        self.lastSyncAt = lastSyncAt
        self.lastSuccessAt = lastSuccessAt
        self.errorCount = errorCount
        self.errorMessage = errorMessage
        self.enabledAt = enabledAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.etag = etag
    }

    /// Decodes a stored integration.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        tenantId = try c.decode(TenantID.self, forKey: .tenantId)
        providerName = try c.decode(String.self, forKey: .providerName)
        providerId = try c.decode(String.self, forKey: .providerId)
        providerCategory = try c.decode(String.self, forKey: .providerCategory)
        name = try c.decode(String.self, forKey: .name)
        displayName = try c.decode(String.self, forKey: .displayName)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        status = try c.decode(IntegrationStatus.self, forKey: .status)
        connectionStatus = try c.decode(IntegrationConnectionStatus.self, forKey: .connectionStatus)
        searchEnabled = try c.decode(Bool.self, forKey: .searchEnabled)
        userScoped = try c.decode(Bool.self, forKey: .userScoped)
        settings = try c.decodeIfPresent(JSONFields.self, forKey: .settings) ?? [:]
        syncConfig = try c.decodeIfPresent(JSONFields.self, forKey: .syncConfig) ?? [:]
        syncCursor = try c.decodeIfPresent(String.self, forKey: .syncCursor)
        lastSyncAt = try c.decodeIfPresent(Date.self, forKey: .lastSyncAt)
        lastSuccessAt = try c.decodeIfPresent(Date.self, forKey: .lastSuccessAt)
        errorCount = try c.decodeIfPresent(Int.self, forKey: .errorCount) ?? 0
        errorMessage = try c.decodeIfPresent(String.self, forKey: .errorMessage)
        enabledAt = try c.decodeIfPresent(Date.self, forKey: .enabledAt)
        createdBy = try c.decodeIfPresent(UserID.self, forKey: .createdBy)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        etag = try c.decodeIfPresent(String.self, forKey: .etag)
    }

    /// Encodes the document (`_etag` is left to the store, which sets its own).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(tenantId, forKey: .tenantId)
        try c.encode(providerName, forKey: .providerName)
        try c.encode(providerId, forKey: .providerId)
        try c.encode(providerCategory, forKey: .providerCategory)
        try c.encode(name, forKey: .name)
        try c.encode(displayName, forKey: .displayName)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(status, forKey: .status)
        try c.encode(connectionStatus, forKey: .connectionStatus)
        try c.encode(searchEnabled, forKey: .searchEnabled)
        try c.encode(userScoped, forKey: .userScoped)
        try c.encode(settings, forKey: .settings)
        try c.encode(syncConfig, forKey: .syncConfig)
        try c.encodeIfPresent(syncCursor, forKey: .syncCursor)
        try c.encodeIfPresent(lastSyncAt, forKey: .lastSyncAt)
        try c.encodeIfPresent(lastSuccessAt, forKey: .lastSuccessAt)
        try c.encode(errorCount, forKey: .errorCount)
        try c.encodeIfPresent(errorMessage, forKey: .errorMessage)
        try c.encodeIfPresent(enabledAt, forKey: .enabledAt)
        try c.encodeIfPresent(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What a tenant gives to create an integration.
///
/// ```swift
/// var draft = IntegrationDraft(provider: "zendesk", name: "Support EU")
/// draft.settings = ["subdomain": "acme-eu"]
/// draft.searchEnabled = true
/// ```
public struct IntegrationDraft: Codable, Hashable, Sendable {
    /// The provider's key (``Provider/provider``), for example `salesforce`.
    public var provider: String
    /// The provider's category, needed only when the key exists in several categories.
    public var category: String?
    /// The instance's name (unique per tenant and provider).
    public var name: String
    /// A name for people (default: the provider's display name).
    public var displayName: String?
    /// A free description.
    public var description: String?
    /// Whether its data is offered to search (default: whether the provider supports search).
    public var searchEnabled: Bool?
    /// Whether connections are per user (default: whether the provider requires it; cannot be turned off then).
    public var userScoped: Bool?
    /// Provider-specific settings.
    public var settings: JSONFields
    /// Sync configuration.
    public var syncConfig: JSONFields

    /// Creates a draft.
    public init(provider: String, category: String? = nil, name: String, displayName: String? = nil,
                description: String? = nil, searchEnabled: Bool? = nil, userScoped: Bool? = nil,
                settings: JSONFields = [:], syncConfig: JSONFields = [:]) {
        self.provider = provider
        self.category = category
        self.name = name
        self.displayName = displayName
        self.description = description
        self.searchEnabled = searchEnabled
        self.userScoped = userScoped
        self.settings = settings
        self.syncConfig = syncConfig
    }
}

/// Changes to an integration's configuration; `nil` fields are left as they are.
///
/// ```swift
/// var changes = IntegrationChanges()
/// changes.searchEnabled = false
/// changes.settings = ["subdomain": "acme"]
/// let updated = try await platform.integrations.update(scope, id: integration.id, changes)
/// ```
public struct IntegrationChanges: Codable, Hashable, Sendable {
    /// A new name (unique per tenant and provider).
    public var name: String?
    /// A new display name.
    public var displayName: String?
    /// A new description.
    public var description: String?
    /// Whether its data is offered to search.
    public var searchEnabled: Bool?
    /// New settings (replacing the old ones).
    public var settings: JSONFields?
    /// New sync configuration (replacing the old one).
    public var syncConfig: JSONFields?

    /// No changes.
    public init(name: String? = nil, displayName: String? = nil, description: String? = nil,
                searchEnabled: Bool? = nil, settings: JSONFields? = nil, syncConfig: JSONFields? = nil) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.searchEnabled = searchEnabled
        self.settings = settings
        self.syncConfig = syncConfig
    }

    /// Whether nothing would change.
    public var isEmpty: Bool {
        name == nil && displayName == nil && description == nil && searchEnabled == nil && settings == nil
            && syncConfig == nil
    }
}

/// The state of an integration's connections, kept on the integration so that "integrations with connection
/// errors" is one indexed query.
public enum IntegrationConnectionStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// No connection.
    case disconnected
    /// Its last connection change or token refresh succeeded.
    case connected
    /// A token expired and could not be refreshed: the user must reconnect.
    case expired
    /// A token refresh or connection check failed.
    case error
}
