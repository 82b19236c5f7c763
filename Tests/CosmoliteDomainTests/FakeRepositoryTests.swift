// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import Foundation
import Synchronization
import Testing

/// The services run against any repositories: here, in-memory ones, with no store at all.
struct FakeRepositoryTests {
    final class MemoryProviders: ProviderRepository {
        let providers: [Provider]
        init(_ providers: [Provider]) { self.providers = providers }
        func provider(id: String, category: String) async throws -> Provider? {
            providers.first { $0.id == id && $0.category == category }
        }
        func providers(named name: String) async throws -> [Provider] { providers.filter { $0.provider == name } }
        func list(_ filter: ProviderFilter, pageSize: Int?, continuation: String?) async throws -> Page<Provider> {
            Page(items: providers.filter { filter.category == nil || $0.category == filter.category }
                    .sorted { $0.displayName < $1.displayName }, continuation: nil)
        }
        func save(_ provider: Provider) async throws -> Provider { provider }
    }

    final class MemoryIntegrations: IntegrationRepository {
        let items = Mutex<[String: Integration]>([:])
        let log = Mutex<[ActivityEntry]>([])
        func integration(tenant: TenantID, id: String) async throws -> Integration? {
            items.withLock { $0[id] }.flatMap { $0.tenantId == tenant ? $0 : nil }
        }
        func integration(tenant: TenantID, providerName: String, name: String) async throws -> Integration? {
            items.withLock { $0.values.first { $0.tenantId == tenant && $0.providerName == providerName && $0.name == name } }
        }
        func list(tenant: TenantID, pageSize: Int?, continuation: String?) async throws -> Page<Integration> {
            Page(items: items.withLock { $0.values.filter { $0.tenantId == tenant }.sorted { $0.name < $1.name } },
                 continuation: nil)
        }
        func list(tenant: TenantID, connectionStatus: IntegrationConnectionStatus, pageSize: Int?,
                  continuation: String?) async throws -> Page<Integration> { Page(items: [], continuation: nil) }
        func listSearchEnabled(tenant: TenantID, status: IntegrationStatus?, pageSize: Int?,
                               continuation: String?) async throws -> Page<Integration> { Page(items: [], continuation: nil) }
        func create(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration {
            var stored = integration
            stored.etag = UUID().uuidString
            try items.withLock { items in
                if items.values.contains(where: { $0.tenantId == stored.tenantId && $0.providerName == stored.providerName
                    && $0.name == stored.name }) {
                    throw DomainError(.conflict, "taken", uniqueKey: ["/tenantId", "/providerName", "/name"])
                }
                items[stored.id] = stored
            }
            if let activity { log.withLock { $0.append(activity) } }
            return stored
        }
        func replace(_ integration: Integration, activity: ActivityEntry?) async throws -> Integration {
            var stored = integration
            stored.etag = UUID().uuidString
            try items.withLock { items in
                guard items[stored.id]?.etag == integration.etag else { throw DomainError(.preconditionFailed, "stale") }
                items[stored.id] = stored
            }
            if let activity { log.withLock { $0.append(activity) } }
            return stored
        }
        func delete(_ integration: Integration, activity: ActivityEntry?) async throws {
            _ = items.withLock { $0.removeValue(forKey: integration.id) }
        }
    }

    final class MemoryActivity: ActivityRepository {
        func append(_ entry: ActivityEntry) async throws {}
        func list(tenant: TenantID, integrationId: String?, pageSize: Int?,
                  continuation: String?) async throws -> Page<ActivityEntry> { Page(items: [], continuation: nil) }
    }

    @Test func theIntegrationServiceRunsOnInMemoryRepositories() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let catalog = ProviderCatalog(repository: MemoryProviders([
            Provider(id: "crm-acme", category: "crm", provider: "acme", name: "acme", displayName: "Acme",
                     description: "d", createdAt: now, updatedAt: now),
            Provider(id: "crm-old", category: "crm", provider: "old", name: "old", displayName: "Old",
                     description: "d", status: .deprecated, createdAt: now, updatedAt: now),
        ]))
        let repository = MemoryIntegrations()
        let service = IntegrationService(repository: repository, catalog: catalog, activity: MemoryActivity(),
                                         clock: { now })
        let scope = Scope(tenant: "t1")
        let created = try await service.create(scope, IntegrationDraft(provider: "acme", name: "main"))
        #expect(created.createdAt == now && created.providerId == "crm-acme")
        await expectError(.conflict) { _ = try await service.create(scope, IntegrationDraft(provider: "acme", name: "main")) }
        await expectError(.validation) { _ = try await service.create(scope, IntegrationDraft(provider: "old", name: "x")) }
        await expectError(.notFound) { _ = try await service.get(Scope(tenant: "t2"), id: created.id) }
        let disabled = try await service.disable(scope, id: created.id)
        #expect(disabled.status == .disabled)
        #expect(repository.log.withLock { $0.map(\.action) } == [.created, .disabled])
    }
}
