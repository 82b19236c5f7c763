// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import Foundation

/// Connections of integrations and their credentials: connect (upsert), read, list, check, reveal credentials,
/// change status, disconnect, list expired ones, refresh OAuth tokens and rotate the encryption key.
///
/// ```swift
/// let alice = Scope(tenant: "acme", user: "alice")
/// _ = try await platform.connections.connect(alice, integrationId: gmail.id, ConnectionDraft(
///     scope: .user("alice"), authType: .oauth2,
///     credentials: Credentials(accessToken: access, refreshToken: refresh, clientId: id, clientSecret: secret),
///     oauth: OAuthMetadata(expiresAt: Date().addingTimeInterval(3600), scopes: ["gmail.readonly"],
///                          tokenType: "Bearer")))
/// if try await platform.connections.connected(alice, integrationId: gmail.id, scope: .user("alice")) { … }
/// let secrets = try await platform.connections.credentials(alice, integrationId: gmail.id, scope: .user("alice"))
/// let fresh = try await platform.connections.refresh(alice, integrationId: gmail.id, scope: .user("alice"))
/// ```
///
/// Access rules: another tenant's integration or connection is ``DomainError/Code/notFound``. A user-scoped
/// connection belongs to its user: another user gets ``DomainError/Code/forbidden`` for every call on it and does
/// not see it in listings; a tenant-level scope (no user) may see its metadata, refresh it and disconnect it, but
/// not read its credentials. `system` and `tenant` connections are open to every caller of the tenant.
///
/// Credentials are sealed with ``CredentialCipher`` before they are stored and opened only by
/// ``credentials(_:integrationId:scope:)`` and the refresh; nothing else decrypts them.
public struct ConnectionService: Sendable {
    let connections: any ConnectionRepository
    let integrations: any IntegrationRepository
    let catalog: ProviderCatalog
    let cipher: CredentialCipher?
    let refresher: any TokenRefresher
    let clock: @Sendable () -> Date

    /// Creates the service.
    ///
    /// - Parameter cipher: The credential cipher; without one, only metadata calls work (connecting, reading
    ///   credentials, refreshing and rotating throw ``DomainError/Code/encryption``).
    public init(connections: any ConnectionRepository, integrations: any IntegrationRepository,
                catalog: ProviderCatalog, cipher: CredentialCipher?, refresher: any TokenRefresher,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.connections = connections
        self.integrations = integrations
        self.catalog = catalog
        self.cipher = cipher
        self.refresher = refresher
        self.clock = clock
    }

    var now: Date { Timestamp.truncated(clock()) }

    /// What a call does with a connection, for the access rules.
    enum Access { case read, manage, secrets }

    // MARK: - Connect and read

    /// Connects (or reconnects, replacing the credentials of) the integration for the draft's scope.
    ///
    /// - Throws: ``DomainError``: ``DomainError/Code/notFound`` (integration), ``DomainError/Code/forbidden`` (a
    ///   user connection for someone else), ``DomainError/Code/validation`` (missing secrets, a non-user connection
    ///   of a user-scoped integration), ``DomainError/Code/encryption`` (no key).
    public func connect(_ scope: Scope, integrationId: String, _ draft: ConnectionDraft) async throws -> Connection {
        let scope = try scope.validated()
        if case .user(let owner) = draft.scope, let problem = Identifier.problem(owner.rawValue) {
            throw DomainError.validation("invalid connection", [.init("userId", problem)])
        }
        try Self.validate(draft)
        let cipher = try requireCipher()
        _ = try await integration(scope, integrationId)
        if case .user(let owner) = draft.scope, scope.userId != owner {
            throw DomainError(.forbidden, "a user connection can only be made by its user (\(owner.rawValue))")
        }
        for _ in 0..<IntegrationService.attempts {
            var integration = try await integration(scope, integrationId)
            if integration.userScoped, draft.scope.userId == nil {
                throw DomainError.validation("invalid connection", [
                    .init("scope", "integration '\(integration.name)' is user-scoped: connect with scope 'user'"),
                ])
            }
            let existing = try await connections.connection(integrationId: integrationId, id: draft.scope.connectionId)
            if let existing, existing.tenantId != scope.tenantId { throw Self.notFound(integrationId, draft.scope) }
            let now = self.now
            var connection = Connection(integrationId: integrationId, tenantId: scope.tenantId, scope: draft.scope,
                                        status: .active, authType: draft.authType, oauth: draft.oauth,
                                        createdAt: existing?.createdAt ?? now, updatedAt: now, etag: existing?.etag)
            connection.encryptedCredentials = try cipher.seal(draft.credentials, for: connection.binding)
            let changed = try await withAggregateStatus(&integration, replacing: connection)
            let activity = ActivityEntry.about(integration, .connected, by: scope, at: now, metadata: [
                "connectionId": .string(connection.id), "scope": .string(draft.scope.kind),
                "reconnect": .bool(existing != nil),
            ])
            do {
                return try await connections.save(connection, integration: changed ? integration : nil,
                                                  activity: activity)
            } catch let error as DomainError where error.code == .preconditionFailed {
                continue
            }
        }
        throw DomainError(.preconditionFailed, "the connection kept changing while it was being saved; retry")
    }

    /// The connection's metadata (no secrets).
    public func connection(_ scope: Scope, integrationId: String,
                           scope connectionScope: ConnectionScope) async throws -> Connection {
        let scope = try scope.validated()
        _ = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .read)
        return try await load(scope, integrationId, connectionScope)
    }

    /// One page of the integration's connections that the caller may see, ordered by id.
    public func list(_ scope: Scope, integrationId: String, pageSize: Int? = nil,
                     continuation: String? = nil) async throws -> Page<Connection> {
        let scope = try scope.validated()
        _ = try await integration(scope, integrationId)
        let page = try await connections.list(integrationId: integrationId, pageSize: pageSize,
                                              continuation: continuation)
        return Page(items: page.items.filter { visible($0, to: scope) }, continuation: page.continuation)
    }

    /// Whether the integration has an active connection for this scope: two point reads, no decryption.
    public func connected(_ scope: Scope, integrationId: String,
                          scope connectionScope: ConnectionScope) async throws -> Bool {
        let scope = try scope.validated()
        _ = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .read)
        guard let connection = try await connections.connection(integrationId: integrationId,
                                                                id: connectionScope.connectionId),
              connection.tenantId == scope.tenantId else { return false }
        return connection.status == .active
    }

    /// The connection's decrypted credentials.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/forbidden`` for another user's connection, or for a user
    ///   connection asked by a tenant-level scope; ``DomainError/Code/encryption`` when they cannot be opened.
    public func credentials(_ scope: Scope, integrationId: String,
                            scope connectionScope: ConnectionScope) async throws -> Credentials {
        let scope = try scope.validated()
        let cipher = try requireCipher()
        _ = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .secrets)
        let connection = try await load(scope, integrationId, connectionScope)
        guard let sealed = connection.encryptedCredentials else { return Credentials() }
        return try cipher.open(sealed, for: connection.binding)
    }

    // MARK: - Change

    /// Sets a connection's status (for example `revoked`), updating the integration's connection status.
    public func setStatus(_ scope: Scope, integrationId: String, scope connectionScope: ConnectionScope,
                          to status: ConnectionStatus, reason: String? = nil) async throws -> Connection {
        let scope = try scope.validated()
        _ = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .manage)
        return try await change(scope, integrationId, connectionScope) { connection, integration in
            guard connection.status != status || connection.lastError != reason else { return nil }
            let previous = connection.status
            connection.status = status
            connection.lastError = reason
            return ActivityEntry.about(integration, .connectionStatusChanged, by: scope, at: self.now, metadata: [
                "connectionId": .string(connection.id), "from": .string(previous.rawValue),
                "to": .string(status.rawValue),
            ])
        }
    }

    /// Removes a connection and its credentials.
    public func disconnect(_ scope: Scope, integrationId: String, scope connectionScope: ConnectionScope) async throws {
        let scope = try scope.validated()
        _ = try await integration(scope, integrationId)
        try authorize(scope, connectionScope, .manage)
        for _ in 0..<IntegrationService.attempts {
            var integration = try await integration(scope, integrationId)
            let connection = try await load(scope, integrationId, connectionScope)
            let changed = try await withAggregateStatus(&integration, removing: connection.id)
            let activity = ActivityEntry.about(integration, .disconnected, by: scope, at: now,
                                               metadata: ["connectionId": .string(connection.id)])
            do {
                try await connections.delete(connection, integration: changed ? integration : nil, activity: activity)
                return
            } catch let error as DomainError where error.code == .preconditionFailed {
                continue
            }
        }
        throw DomainError(.preconditionFailed, "the connection kept changing while it was being removed; retry")
    }

    // MARK: - Expiry

    /// One page of the tenant's connections that the caller may see with status `expired` or an OAuth
    /// `expiresAt` before `now`.
    public func expired(_ scope: Scope, now: Date? = nil, pageSize: Int? = nil,
                        continuation: String? = nil) async throws -> Page<Connection> {
        let scope = try scope.validated()
        let page = try await connections.expired(now: now ?? self.now, tenant: scope.tenantId, pageSize: pageSize,
                                                 continuation: continuation)
        return Page(items: page.items.filter { visible($0, to: scope) }, continuation: page.continuation)
    }

    /// One page of every tenant's expired connections: the maintenance listing a background refresher walks.
    /// Not a tenant-facing call.
    public func expiredAcrossTenants(now: Date? = nil, pageSize: Int? = nil,
                                     continuation: String? = nil) async throws -> Page<Connection> {
        try await connections.expired(now: now ?? self.now, tenant: nil, pageSize: pageSize, continuation: continuation)
    }

    // MARK: - Helpers

    func requireCipher() throws -> CredentialCipher {
        guard let cipher else {
            throw DomainError(.encryption, "no encryption key is configured: set COSMOLITE_ENCRYPTION_KEY or "
                                  + "COSMOLITE_ENCRYPTION_KEY_FILE")
        }
        return cipher
    }

    /// Checks the access rules for a connection scope, after the integration was found in the tenant (so another
    /// tenant gets "not found") and before the connection is read (so nothing about it leaks).
    func authorize(_ scope: Scope, _ connectionScope: ConnectionScope, _ access: Access) throws {
        guard case .user(let owner) = connectionScope else { return }
        if let caller = scope.userId {
            guard caller == owner else {
                throw DomainError(.forbidden, "the connection of user \(owner.rawValue) belongs to that user")
            }
        } else if access == .secrets {
            throw DomainError(.forbidden, "the credentials of user \(owner.rawValue)'s connection are only given to "
                                  + "that user")
        }
    }

    /// Whether a listing shows `connection` to `scope` (another user's user connection is hidden).
    func visible(_ connection: Connection, to scope: Scope) -> Bool {
        guard connection.tenantId == scope.tenantId else { return false }
        guard let caller = scope.userId, let owner = connection.userId, connection.scopeKind == "user" else {
            return true
        }
        return caller == owner
    }

    func integration(_ scope: Scope, _ id: String) async throws -> Integration {
        guard let integration = try await integrations.integration(tenant: scope.tenantId, id: id) else {
            throw IntegrationService.notFound(id, scope)
        }
        return integration
    }

    func load(_ scope: Scope, _ integrationId: String, _ connectionScope: ConnectionScope) async throws -> Connection {
        guard let connection = try await connections.connection(integrationId: integrationId,
                                                                id: connectionScope.connectionId),
              connection.tenantId == scope.tenantId else {
            throw Self.notFound(integrationId, connectionScope)
        }
        return connection
    }

    /// Reads, changes and saves a connection (with its integration's connection status), retrying on conflicts.
    /// `body` returns the activity to record, or `nil` when nothing changed.
    func change(_ scope: Scope, _ integrationId: String, _ connectionScope: ConnectionScope,
                _ body: (inout Connection, Integration) throws -> ActivityEntry?) async throws -> Connection {
        for _ in 0..<IntegrationService.attempts {
            var integration = try await integration(scope, integrationId)
            var connection = try await load(scope, integrationId, connectionScope)
            guard let activity = try body(&connection, integration) else { return connection }
            connection.updatedAt = now
            let changed = try await withAggregateStatus(&integration, replacing: connection)
            do {
                return try await connections.save(connection, integration: changed ? integration : nil,
                                                  activity: activity)
            } catch let error as DomainError where error.code == .preconditionFailed {
                continue
            }
        }
        throw DomainError(.preconditionFailed, "the connection kept changing while it was being saved; retry")
    }

    /// Sets the integration's connection status from all its connections, with `connection` replacing the stored
    /// one of its id (or the one with id `removing` left out). Returns whether it changed.
    func withAggregateStatus(_ integration: inout Integration, replacing connection: Connection? = nil,
                             removing: String? = nil) async throws -> Bool {
        var statuses = [ConnectionStatus]()
        var token: String?
        repeat {
            let page = try await connections.list(integrationId: integration.id, pageSize: 1_000, continuation: token)
            for stored in page.items where stored.tenantId == integration.tenantId
                && stored.id != connection?.id && stored.id != removing {
                statuses.append(stored.status)
            }
            token = page.continuation
        } while token != nil
        if let connection { statuses.append(connection.status) }
        let aggregate: IntegrationConnectionStatus =
            statuses.contains(.error) ? .error
            : statuses.contains(.expired) ? .expired
            : statuses.contains(.active) ? .connected : .disconnected
        guard aggregate != integration.connectionStatus else { return false }
        integration.connectionStatus = aggregate
        integration.updatedAt = now
        return true
    }

    static func notFound(_ integrationId: String, _ scope: ConnectionScope) -> DomainError {
        DomainError(.notFound, "integration '\(integrationId)' has no \(scope) connection")
    }

    static func validate(_ draft: ConnectionDraft) throws {
        var problems = [DomainError.FieldError]()
        switch draft.authType {
        case .oauth2:
            if (draft.credentials.accessToken ?? "").isEmpty {
                problems.append(.init("credentials.accessToken", "required for an oauth2 connection"))
            }
        case .apiKey:
            if draft.credentials.apiKeys.isEmpty || draft.credentials.apiKeys.values.contains(where: \.isEmpty) {
                problems.append(.init("credentials.apiKeys", "at least one non-empty key is required"))
            }
        case .basic:
            if draft.credentials.extra.isEmpty {
                problems.append(.init("credentials.extra", "the user name and password are required"))
            }
        }
        if let scopes = draft.oauth?.scopes, scopes.contains(where: \.isEmpty) {
            problems.append(.init("oauth.scopes", "must not contain empty scopes"))
        }
        guard problems.isEmpty else { throw DomainError.validation("invalid connection", problems) }
    }
}
