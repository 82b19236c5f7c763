// SPDX-License-Identifier: Apache-2.0

public import CosmoliteStorage
public import Foundation

/// The integration catalog and connection service on a Cosmolite store: the provider catalog, tenant
/// integrations, connections with encrypted credentials, and sync bookkeeping, as async services over
/// repository protocols with LMDB-backed implementations.
///
/// ```swift
/// import CosmoliteDomain
///
/// let platform = try IntegrationPlatform.open(at: "./cosmolite-store", keyRing: try KeyRing.fromEnvironment())
/// let scope = Scope(tenant: "acme", user: "alice")
///
/// let providers = try await platform.catalog.list(category: "crm", status: .active)
/// let crm = try await platform.integrations.create(scope, IntegrationDraft(provider: "hubspot", name: "Sales"))
/// _ = try await platform.connections.connect(scope, integrationId: crm.id, ConnectionDraft(
///     scope: .tenant, authType: .apiKey, credentials: Credentials(apiKeys: ["default": apiKey])))
/// _ = try await platform.sync.record(scope, integrationId: crm.id, result)
/// ```
///
/// The containers (`Containers/*.json`) must exist: apply them with `cosmolite init` or
/// `store.applyContainerDefinitions(try Store.loadContainerDefinitions(fromDirectory: "Containers"))`.
///
/// To test a service without a store, build it from in-memory repositories:
/// `IntegrationService(repository: MyFakeIntegrations(), catalog: ProviderCatalog(repository: MyFakeCatalog()),
/// activity: MyFakeActivity())`.
public struct IntegrationPlatform: Sendable {
    /// The store.
    public let store: Store
    /// The provider catalog.
    public let catalog: ProviderCatalog
    /// Tenant integrations.
    public let integrations: IntegrationService
    /// Connections and credentials.
    public let connections: ConnectionService
    /// Sync bookkeeping.
    public let sync: SyncService

    /// Builds the services on an open store.
    ///
    /// - Parameters:
    ///   - keyRing: The credential-encryption keys; without it, credentials can be neither stored nor read.
    ///   - refresher: How OAuth tokens are refreshed (HTTP by default).
    ///   - clock: The current time (tests inject a fixed clock).
    public init(store: Store, keyRing: KeyRing?, refresher: any TokenRefresher = OAuth2TokenRefresher(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        let catalog = ProviderCatalog(repository: StoreProviderRepository(store: store))
        let integrationRepository = StoreIntegrationRepository(store: store)
        let integrations = IntegrationService(repository: integrationRepository, catalog: catalog,
                                              activity: StoreActivityRepository(store: store), clock: clock)
        self.catalog = catalog
        self.integrations = integrations
        self.connections = ConnectionService(
            connections: StoreConnectionRepository(store: store), integrations: integrationRepository,
            catalog: catalog, cipher: keyRing.map(CredentialCipher.init(keyRing:)), refresher: refresher, clock: clock)
        self.sync = SyncService(repository: StoreSyncRepository(store: store), integrations: integrations, clock: clock)
    }

    /// Opens the store at `path` and builds the services.
    ///
    /// - Throws: ``StoreError`` when the store cannot be opened.
    public static func open(at path: String, configuration: StoreConfiguration = StoreConfiguration(),
                            keyRing: KeyRing?, refresher: any TokenRefresher = OAuth2TokenRefresher()) throws
        -> IntegrationPlatform {
        IntegrationPlatform(store: try Store.open(at: path, configuration: configuration), keyRing: keyRing,
                            refresher: refresher)
    }

    /// The containers the services need that the store lacks (empty when it is ready).
    public func missingContainers() async throws -> [String] {
        let existing = Set(try await store.containers().map(\.id))
        return IntegrationContainers.all.filter { !existing.contains($0) }
    }
}
