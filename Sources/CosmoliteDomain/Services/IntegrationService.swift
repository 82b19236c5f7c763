// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import Foundation

/// A tenant's integrations: create (several instances of one provider, unique by provider and name), read,
/// list, update, upsert, enable, disable and delete, plus the listings a dashboard needs.
///
/// ```swift
/// let scope = Scope(tenant: "acme", user: "alice")
/// let crm = try await platform.integrations.create(scope, IntegrationDraft(provider: "salesforce", name: "EU"))
/// let page = try await platform.integrations.list(scope, pageSize: 20)
/// _ = try await platform.integrations.disable(scope, id: crm.id)
/// try await platform.integrations.delete(scope, id: crm.id)   // with its connections and sync records
/// ```
///
/// Every call checks the scope first (``DomainError/Code/invalidScope``); another tenant's integration is
/// ``DomainError/Code/notFound``. Read-modify-write calls retry on a concurrent change, unless the caller
/// passed an etag to insist on one version.
public struct IntegrationService: Sendable {
    let repository: any IntegrationRepository
    let catalog: ProviderCatalog
    let activity: any ActivityRepository
    let clock: @Sendable () -> Date

    /// How many times a read-modify-write is retried after a concurrent change.
    static let attempts = 6

    /// Creates the service.
    public init(repository: any IntegrationRepository, catalog: ProviderCatalog, activity: any ActivityRepository,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.catalog = catalog
        self.activity = activity
        self.clock = clock
    }

    var now: Date { Timestamp.truncated(clock()) }

    // MARK: - Create

    /// Creates an integration of an active, tenant-visible provider.
    ///
    /// - Throws: ``DomainError``: ``DomainError/Code/validation`` (bad fields, unavailable provider),
    ///   ``DomainError/Code/notFound`` (unknown provider), ``DomainError/Code/conflict`` with
    ///   `uniqueKey == ["/tenantId", "/providerName", "/name"]` when the tenant already has one of that name.
    public func create(_ scope: Scope, _ draft: IntegrationDraft) async throws -> Integration {
        let scope = try scope.validated()
        try Self.validate(draft)
        let provider = try await catalog.availableProvider(named: draft.provider, category: draft.category)
        if draft.userScoped == false && provider.requiresUserScoping {
            throw DomainError.validation("invalid integration", [
                .init("userScoped", "provider '\(provider.provider)' requires user-scoped connections"),
            ])
        }
        let now = self.now
        let integration = Integration(
            id: UUID().uuidString.lowercased(), tenantId: scope.tenantId, providerName: provider.provider,
            providerId: provider.id, providerCategory: provider.category, name: draft.name,
            displayName: draft.displayName ?? provider.displayName, description: draft.description,
            searchEnabled: draft.searchEnabled ?? provider.supportsSearch,
            userScoped: draft.userScoped ?? provider.requiresUserScoping, settings: draft.settings,
            syncConfig: draft.syncConfig, enabledAt: now, createdBy: scope.userId, createdAt: now, updatedAt: now)
        do {
            return try await repository.create(integration, activity: .about(integration, .created, by: scope, at: now))
        } catch let error as DomainError where error.code == .conflict {
            throw DomainError(.conflict, "tenant \(scope.tenantId) already has an integration of provider "
                                  + "'\(provider.provider)' named '\(draft.name)'",
                              uniqueKey: StoreIntegrationRepository.uniqueKey, cause: error)
        }
    }

    /// Creates the integration of this provider and name, or updates the existing one with the draft's
    /// configuration (display name, description, search, settings, sync configuration).
    ///
    /// An update changes only what the draft gives: a `nil` display name, description or search flag, and empty
    /// settings or sync configuration, leave the integration's own as they are (clear them with
    /// ``update(_:id:_:ifMatch:)``).
    ///
    /// - Returns: The integration and whether it was created.
    public func upsert(_ scope: Scope,
                       _ draft: IntegrationDraft) async throws -> (integration: Integration, created: Bool) {
        let scope = try scope.validated()
        try Self.validate(draft)
        for _ in 0..<Self.attempts {
            let provider = try await catalog.provider(named: draft.provider, category: draft.category)
            if let existing = try await repository.integration(tenant: scope.tenantId, providerName: provider.provider,
                                                               name: draft.name) {
                let changes = IntegrationChanges(displayName: draft.displayName, description: draft.description,
                                                 searchEnabled: draft.searchEnabled,
                                                 settings: draft.settings.isEmpty ? nil : draft.settings,
                                                 syncConfig: draft.syncConfig.isEmpty ? nil : draft.syncConfig)
                do {
                    return (try await update(scope, id: existing.id, changes, ifMatch: existing.etag), false)
                } catch let error as DomainError where error.code == .preconditionFailed || error.code == .notFound {
                    continue
                }
            }
            do {
                return (try await create(scope, draft), true)
            } catch let error as DomainError where error.code == .conflict {
                continue   // created concurrently: update it on the next attempt
            }
        }
        throw DomainError(.preconditionFailed, "the integration kept changing during the upsert; retry")
    }

    // MARK: - Read

    /// The tenant's integration with this id.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/notFound`` (also for another tenant's integration).
    public func get(_ scope: Scope, id: String) async throws -> Integration {
        let scope = try scope.validated()
        guard let integration = try await repository.integration(tenant: scope.tenantId, id: id) else {
            throw Self.notFound(id, scope)
        }
        return integration
    }

    /// The tenant's integration of this provider (``Provider/provider``) with this name, or `nil`.
    public func find(_ scope: Scope, providerName: String, name: String) async throws -> Integration? {
        let scope = try scope.validated()
        return try await repository.integration(tenant: scope.tenantId, providerName: providerName, name: name)
    }

    /// One page of the tenant's integrations, ordered by name.
    public func list(_ scope: Scope, pageSize: Int? = nil,
                     continuation: String? = nil) async throws -> Page<Integration> {
        let scope = try scope.validated()
        return try await repository.list(tenant: scope.tenantId, pageSize: pageSize, continuation: continuation)
    }

    /// One page of the tenant's integrations whose connections are in error, most recently updated first.
    public func withConnectionErrors(_ scope: Scope, pageSize: Int? = nil,
                                     continuation: String? = nil) async throws -> Page<Integration> {
        let scope = try scope.validated()
        return try await repository.list(tenant: scope.tenantId, connectionStatus: .error, pageSize: pageSize,
                                         continuation: continuation)
    }

    /// One page of the tenant's search-enabled integrations (optionally only those in `status`), ordered by name.
    public func searchEnabled(_ scope: Scope, status: IntegrationStatus? = nil, pageSize: Int? = nil,
                              continuation: String? = nil) async throws -> Page<Integration> {
        let scope = try scope.validated()
        return try await repository.listSearchEnabled(tenant: scope.tenantId, status: status, pageSize: pageSize,
                                                      continuation: continuation)
    }

    /// One page of the tenant's activity log (optionally of one integration), most recent first.
    public func activity(_ scope: Scope, integrationId: String? = nil, pageSize: Int? = nil,
                         continuation: String? = nil) async throws -> Page<ActivityEntry> {
        let scope = try scope.validated()
        return try await activity.list(tenant: scope.tenantId, integrationId: integrationId, pageSize: pageSize,
                                       continuation: continuation)
    }

    // MARK: - Change

    /// Applies configuration changes.
    ///
    /// - Parameter ifMatch: Update only this version (its ``Integration/etag``), else 412.
    /// - Throws: ``DomainError`` ``DomainError/Code/notFound``, ``DomainError/Code/validation``,
    ///   ``DomainError/Code/conflict`` (the new name is taken), ``DomainError/Code/preconditionFailed``.
    public func update(_ scope: Scope, id: String, _ changes: IntegrationChanges,
                       ifMatch: String? = nil) async throws -> Integration {
        let scope = try scope.validated()
        try Self.validate(changes)
        return try await mutate(scope, id: id, ifMatch: ifMatch) { integration in
            var changed = [String]()
            func set<T: Equatable>(_ path: WritableKeyPath<Integration, T>, _ value: T?, _ name: String) {
                if let value, integration[keyPath: path] != value {
                    integration[keyPath: path] = value
                    changed.append(name)
                }
            }
            set(\.name, changes.name, "name")
            set(\.displayName, changes.displayName, "displayName")
            if let description = changes.description, integration.description != description {
                integration.description = description
                changed.append("description")
            }
            set(\.searchEnabled, changes.searchEnabled, "searchEnabled")
            set(\.settings, changes.settings, "settings")
            set(\.syncConfig, changes.syncConfig, "syncConfig")
            guard !changed.isEmpty else { return nil }
            return (.configChanged, ["fields": .array(changed.map { .string($0) })])
        }
    }

    /// Enables a disabled integration (its sync state becomes `pending`).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/invalidTransition`` when it is not disabled.
    public func enable(_ scope: Scope, id: String) async throws -> Integration {
        let scope = try scope.validated()
        return try await mutate(scope, id: id, ifMatch: nil) { integration in
            integration.status = try integration.status.transition(.enable)
            integration.enabledAt = self.now
            return (.enabled, [:])
        }
    }

    /// Disables an integration (from any state; its connections are kept).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/invalidTransition`` when it is already disabled.
    public func disable(_ scope: Scope, id: String) async throws -> Integration {
        let scope = try scope.validated()
        return try await mutate(scope, id: id, ifMatch: nil) { integration in
            let previous = integration.status
            integration.status = try integration.status.transition(.disable)
            return (.disabled, ["previousStatus": .string(previous.rawValue)])
        }
    }

    /// Deletes an integration with all its connections and sync records, in one transaction, and records it in
    /// the activity log.
    ///
    /// - Parameter ifMatch: Delete only this version, else 412.
    public func delete(_ scope: Scope, id: String, ifMatch: String? = nil) async throws {
        let scope = try scope.validated()
        for _ in 0..<Self.attempts {
            var integration = try await get(scope, id: id)
            if let ifMatch {
                guard integration.etag == ifMatch else { throw Self.stale(id) }
            }
            integration.etag = ifMatch ?? integration.etag
            do {
                try await repository.delete(integration, activity: .about(integration, .deleted, by: scope, at: now))
                return
            } catch let error as DomainError where error.code == .preconditionFailed && ifMatch == nil {
                continue
            }
        }
        throw Self.stale(id)
    }

    // MARK: - Helpers

    /// Reads, changes and writes back an integration with its activity entry, retrying on concurrent changes.
    ///
    /// `change` returns the activity to record, or `nil` when nothing changed (then nothing is written).
    func mutate(_ scope: Scope, id: String, ifMatch: String?,
                _ change: (inout Integration) throws -> (ActivityAction, JSONFields)?) async throws -> Integration {
        for _ in 0..<Self.attempts {
            var integration = try await get(scope, id: id)
            if let ifMatch, integration.etag != ifMatch { throw Self.stale(id) }
            guard let (action, metadata) = try change(&integration) else { return integration }
            integration.updatedAt = now
            do {
                return try await repository.replace(
                    integration, activity: .about(integration, action, by: scope, at: now, metadata: metadata))
            } catch let error as DomainError where error.code == .preconditionFailed && ifMatch == nil {
                continue
            } catch let error as DomainError where error.code == .conflict {
                throw DomainError(.conflict, "tenant \(scope.tenantId) already has an integration of provider "
                                      + "'\(integration.providerName)' named '\(integration.name)'",
                                  uniqueKey: StoreIntegrationRepository.uniqueKey, cause: error)
            }
        }
        throw Self.stale(id)
    }

    static func notFound(_ id: String, _ scope: Scope) -> DomainError {
        DomainError(.notFound, "integration '\(id)' does not exist for tenant \(scope.tenantId)")
    }

    static func stale(_ id: String) -> DomainError {
        DomainError(.preconditionFailed, "integration '\(id)' changed since it was read; read it again and retry")
    }

    static func validate(_ draft: IntegrationDraft) throws {
        var problems = [DomainError.FieldError]()
        if draft.provider.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init("provider", "required"))
        }
        problems += nameProblems(draft.name, field: "name", required: true)
        if let displayName = draft.displayName {
            problems += nameProblems(displayName, field: "displayName", required: true)
        }
        if let description = draft.description, description.count > 2_000 {
            problems.append(.init("description", "must be at most 2000 characters"))
        }
        guard problems.isEmpty else { throw DomainError.validation("invalid integration", problems) }
    }

    static func validate(_ changes: IntegrationChanges) throws {
        var problems = [DomainError.FieldError]()
        if let name = changes.name { problems += nameProblems(name, field: "name", required: true) }
        if let displayName = changes.displayName {
            problems += nameProblems(displayName, field: "displayName", required: true)
        }
        if let description = changes.description, description.count > 2_000 {
            problems.append(.init("description", "must be at most 2000 characters"))
        }
        guard problems.isEmpty else { throw DomainError.validation("invalid integration changes", problems) }
    }

    static func nameProblems(_ value: String, field: String, required: Bool) -> [DomainError.FieldError] {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return [.init(field, "must not be empty")] }
        if value.count > 200 { return [.init(field, "must be at most 200 characters")] }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return [.init(field, "must not contain control characters")]
        }
        return []
    }
}
