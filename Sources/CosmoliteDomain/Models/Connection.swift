// SPDX-License-Identifier: Apache-2.0

public import Foundation

/// Who a connection's credentials belong to.
///
/// A connection is identified by its integration and scope: there is at most one `system` and one `tenant`
/// connection per integration, and one `user` connection per user. Connecting again replaces it (upsert).
public enum ConnectionScope: Hashable, Sendable, CustomStringConvertible {
    /// The platform's own credentials for the integration.
    case system
    /// The tenant's shared credentials.
    case tenant
    /// One user's credentials (OAuth on their behalf); only that user may use them.
    case user(UserID)

    /// `system`, `tenant` or `user`.
    public var kind: String {
        switch self {
        case .system: "system"
        case .tenant: "tenant"
        case .user: "user"
        }
    }

    /// The user, for a user scope.
    public var userId: UserID? {
        if case .user(let user) = self { return user }
        return nil
    }

    /// The connection's item id: `system`, `tenant` or `user-<userId>`.
    public var connectionId: String {
        switch self {
        case .system: "system"
        case .tenant: "tenant"
        case .user(let user): "user-" + user.rawValue
        }
    }

    /// Parses `system`, `tenant` or `user` (with `user`).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/validation``.
    public init(kind: String, user: UserID?) throws {
        switch (kind, user) {
        case ("system", nil): self = .system
        case ("tenant", nil): self = .tenant
        case ("user", let user?): self = .user(user)
        case ("user", nil):
            throw DomainError.validation("invalid connection scope", [.init("userId", "required for scope 'user'")])
        case ("system", _), ("tenant", _):
            throw DomainError.validation("invalid connection scope",
                                         [.init("userId", "only a 'user' connection has a user id")])
        default:
            throw DomainError.validation("invalid connection scope",
                                         [.init("scope", "must be system, tenant or user, got '\(kind)'")])
        }
    }

    /// `system`, `tenant` or `user alice`.
    public var description: String { userId.map { "user \($0.rawValue)" } ?? kind }
}

/// The state of a connection's credentials.
public enum ConnectionStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Usable.
    case active
    /// The access token expired and could not be refreshed: reconnect.
    case expired
    /// Revoked by the user or the provider.
    case revoked
    /// The last refresh or check failed for another reason.
    case error
}

/// How a connection authenticates.
public enum AuthType: String, Codable, Hashable, Sendable, CaseIterable {
    /// OAuth 2.0 access and refresh tokens.
    case oauth2
    /// One or more API keys.
    case apiKey
    /// A user name and password (kept in ``Credentials/extra``).
    case basic
}

/// Non-secret OAuth facts about a connection's tokens; stored in clear so they can be queried (`expiresAt` is
/// indexed for the expired-connections listing).
public struct OAuthMetadata: Codable, Hashable, Sendable {
    /// When the access token expires.
    public var expiresAt: Date?
    /// The scopes granted.
    public var scopes: [String]
    /// The token type (usually `Bearer`).
    public var tokenType: String?
    /// When the tokens were last refreshed.
    public var refreshedAt: Date?

    /// Creates metadata.
    public init(expiresAt: Date? = nil, scopes: [String] = [], tokenType: String? = nil, refreshedAt: Date? = nil) {
        self.expiresAt = expiresAt
        self.scopes = scopes
        self.tokenType = tokenType
        self.refreshedAt = refreshedAt
    }
}

/// A connection of an integration (container `integration-connections`, partitioned by `/integrationId`):
/// its scope, status and OAuth metadata in clear, its credentials sealed with AES-256-GCM.
///
/// A `Connection` never holds plaintext secrets: read them with
/// ``ConnectionService/credentials(_:integrationId:scope:)``.
public struct Connection: Codable, Hashable, Sendable, Identifiable {
    /// The item id (``ConnectionScope/connectionId``).
    public var id: String
    /// The integration (the partition key).
    public var integrationId: String
    /// The owning tenant.
    public var tenantId: TenantID
    /// `system`, `tenant` or `user`.
    public var scopeKind: String
    /// The user, for a user-scoped connection.
    public var userId: UserID?
    /// The credentials' state.
    public var status: ConnectionStatus
    /// How it authenticates.
    public var authType: AuthType
    /// OAuth token facts (not secret).
    public var oauth: OAuthMetadata?
    /// The credentials, sealed (see `Docs/adr/0003-credential-encryption.md`); not secret.
    public var encryptedCredentials: SealedCredentials?
    /// The last refresh or check error (never a secret).
    public var lastError: String?
    /// When it was first connected.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// The stored version's entity tag (`_etag`).
    public var etag: String?

    enum CodingKeys: String, CodingKey {
        case id, integrationId, tenantId, userId, status, authType, oauth, encryptedCredentials, lastError
        case createdAt, updatedAt
        case scopeKind = "scope"
        case etag = "_etag"
    }

    /// Creates a connection value (services create stored ones).
    public init(integrationId: String, tenantId: TenantID, scope: ConnectionScope, status: ConnectionStatus = .active,
                authType: AuthType, oauth: OAuthMetadata? = nil, encryptedCredentials: SealedCredentials? = nil,
                lastError: String? = nil, createdAt: Date, updatedAt: Date, etag: String? = nil) {
        self.id = scope.connectionId
        self.integrationId = integrationId
        self.tenantId = tenantId
        self.scopeKind = scope.kind
        self.userId = scope.userId
        self.status = status
        self.authType = authType
        self.oauth = oauth
        self.encryptedCredentials = encryptedCredentials
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.etag = etag
    }

    /// The connection's scope.
    public var scope: ConnectionScope {
        switch (scopeKind, userId) {
        case ("user", let user?): .user(user)
        case ("system", _): .system
        default: .tenant
        }
    }

    /// What the credentials are bound to (the associated data of their encryption).
    var binding: CredentialBinding {
        CredentialBinding(tenantId: tenantId, integrationId: integrationId, connectionId: id)
    }
}

/// What is given to connect (or reconnect) an integration.
///
/// ```swift
/// let draft = ConnectionDraft(scope: .user("alice"), authType: .oauth2,
///                             credentials: Credentials(accessToken: access, refreshToken: refresh),
///                             oauth: OAuthMetadata(expiresAt: expiry, scopes: ["contacts"], tokenType: "Bearer"))
/// ```
public struct ConnectionDraft: Sendable, Hashable, CustomStringConvertible {
    /// Whose credentials they are.
    public var scope: ConnectionScope
    /// How it authenticates.
    public var authType: AuthType
    /// The secrets (sealed before they are stored).
    public var credentials: Credentials
    /// OAuth token facts.
    public var oauth: OAuthMetadata?

    /// Creates a draft.
    public init(scope: ConnectionScope, authType: AuthType, credentials: Credentials, oauth: OAuthMetadata? = nil) {
        self.scope = scope
        self.authType = authType
        self.credentials = credentials
        self.oauth = oauth
    }

    /// The scope and auth type; never the credentials.
    public var description: String { "ConnectionDraft(scope: \(scope), authType: \(authType.rawValue))" }
}
