// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// An integration provider of the system-level catalog (container `integration_providers`, partitioned by
/// `/category`, unique by category and provider).
///
/// ```swift
/// let page = try await platform.catalog.list(category: "crm", status: .active, audience: .public)
/// let salesforce = try await platform.catalog.provider(id: "crm-salesforce", category: "crm")
/// ```
public struct Provider: Codable, Hashable, Sendable, Identifiable {
    /// The item id, for example `crm-salesforce`.
    public var id: String
    /// The category (the partition key), for example `crm`.
    public var category: String
    /// The provider's key, unique within its category, for example `salesforce`; integrations refer to it as
    /// their `providerName`.
    public var provider: String
    /// A short machine name.
    public var name: String
    /// The name shown to people (listings are ordered by it).
    public var displayName: String
    /// What the integration does.
    public var description: String
    /// Whether it can be used.
    public var status: ProviderStatus
    /// Who may see it.
    public var audience: ProviderAudience
    /// Whether its data can be searched.
    public var supportsSearch: Bool
    /// Whether it can send notifications.
    public var supportsNotifications: Bool
    /// Whether its connections must be made per user (OAuth on behalf of each user).
    public var requiresUserScoping: Bool
    /// How to authorize with it, when it uses OAuth 2.0.
    public var oauthConfig: OAuthConfig?
    /// The kinds of records it exposes (`contacts`, `deals`, ...).
    public var availableEntities: [String]
    /// When the entry was created.
    public var createdAt: Date
    /// When the entry was last changed.
    public var updatedAt: Date

    /// Creates a provider entry.
    public init(id: String, category: String, provider: String, name: String, displayName: String,
                description: String, status: ProviderStatus = .active, audience: ProviderAudience = .public,
                supportsSearch: Bool = false, supportsNotifications: Bool = false, requiresUserScoping: Bool = false,
                oauthConfig: OAuthConfig? = nil, availableEntities: [String] = [], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.category = category
        self.provider = provider
        self.name = name
        self.displayName = displayName
        self.description = description
        self.status = status
        self.audience = audience
        self.supportsSearch = supportsSearch
        self.supportsNotifications = supportsNotifications
        self.requiresUserScoping = requiresUserScoping
        self.oauthConfig = oauthConfig
        self.availableEntities = availableEntities
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether a tenant may create an integration backed by this provider: it is active and visible to tenants.
    public var isAvailableToTenants: Bool { status == .active && audience.isTenantVisible }
}

/// A provider's lifecycle status (an open set).
public struct ProviderStatus: StringValue {
    /// The stored value.
    public let rawValue: String
    /// Creates a status.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Generally available: may back new integrations.
    public static let active: ProviderStatus = "active"
    /// In testing: listed, but cannot back new integrations.
    public static let beta: ProviderStatus = "beta"
    /// Being retired: existing integrations keep working, new ones cannot be created.
    public static let deprecated: ProviderStatus = "deprecated"
    /// Switched off.
    public static let disabled: ProviderStatus = "disabled"
    /// The statuses the catalog knows.
    public static let known: [ProviderStatus] = [.active, .beta, .deprecated, .disabled]
}

/// Who may see a provider (an open set).
public struct ProviderAudience: StringValue {
    /// The stored value.
    public let rawValue: String
    /// Creates an audience.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Every tenant.
    public static let `public`: ProviderAudience = "public"
    /// Tenants (the design document's spelling of "every tenant").
    public static let tenant: ProviderAudience = "tenant"
    /// Only the operator's own staff.
    public static let `internal`: ProviderAudience = "internal"
    /// Tenants enrolled in a preview.
    public static let preview: ProviderAudience = "preview"
    /// The audiences the catalog knows.
    public static let known: [ProviderAudience] = [.public, .tenant, .internal, .preview]

    /// Whether every tenant may see (and use) the provider: `public` or `tenant`.
    public var isTenantVisible: Bool { self == .public || self == .tenant }
}

/// A provider's OAuth 2.0 endpoints and scopes.
public struct OAuthConfig: Codable, Hashable, Sendable {
    /// The authorization endpoint (RFC 6749 section 3.1).
    public var authorizationUrl: String
    /// The token endpoint (RFC 6749 section 3.2); may hold `{name}` placeholders filled from the integration's
    /// settings (for example `https://{subdomain}.zendesk.com/oauth/tokens`).
    public var tokenUrl: String
    /// The scopes requested.
    public var scopes: [String]
    /// Whether the authorization code flow uses PKCE (RFC 7636).
    public var pkce: Bool?

    /// Creates a configuration.
    public init(authorizationUrl: String, tokenUrl: String, scopes: [String] = [], pkce: Bool? = nil) {
        self.authorizationUrl = authorizationUrl
        self.tokenUrl = tokenUrl
        self.scopes = scopes
        self.pkce = pkce
    }
}
