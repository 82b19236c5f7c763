// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct IntegrationServiceTests {
    let acme = Scope(tenant: "acme", user: "alice")

    @Test func createsSeveralInstancesOfAProviderUniqueByName() async throws {
        let fixture = try DomainFixture()
        let service = fixture.platform.integrations
        let eu = try await service.create(acme, IntegrationDraft(provider: "salesforce", name: "EU"))
        let us = try await service.create(acme, IntegrationDraft(provider: "salesforce", name: "US",
                                                                 settings: ["region": "us"]))
        #expect(eu.id != us.id)
        #expect(eu.status == .pending && eu.connectionStatus == .disconnected)
        #expect(eu.providerId == "crm-salesforce" && eu.providerCategory == "crm" && eu.displayName == "Salesforce")
        #expect(eu.searchEnabled, "defaults to the provider's search support")
        #expect(eu.createdBy == "alice" && eu.etag != nil)
        #expect(us.settings["region"] == "us")
        do {
            _ = try await service.create(acme, IntegrationDraft(provider: "salesforce", name: "EU"))
            Issue.record("created a duplicate")
        } catch let error as DomainError {
            #expect(error.code == .conflict)
            #expect(error.status == 409)
            #expect(error.uniqueKey == ["/tenantId", "/providerName", "/name"])
        }
        // The same name under another tenant or another provider is fine.
        _ = try await service.create(Scope(tenant: "globex"), IntegrationDraft(provider: "salesforce", name: "EU"))
        _ = try await service.create(acme, IntegrationDraft(provider: "hubspot", name: "EU"))
    }

    @Test func validatesFieldsAndScope() async throws {
        let fixture = try DomainFixture()
        let service = fixture.platform.integrations
        do {
            _ = try await service.create(acme, IntegrationDraft(provider: "", name: " ", displayName: "a\u{7}b"))
            Issue.record("accepted an invalid draft")
        } catch let error as DomainError {
            #expect(error.code == .validation)
            #expect(error.fieldErrors.map(\.field) == ["provider", "name", "displayName"])
        }
        for bad in [Scope(tenant: ""), Scope(tenant: "a/b"), Scope(tenant: "acme", user: "")] {
            do {
                _ = try await service.list(bad)
                Issue.record("accepted \(bad)")
            } catch let error as DomainError {
                #expect(error.code == .invalidScope)
            }
        }
        do {
            _ = try await service.create(acme, IntegrationDraft(provider: "gmail", name: "mail", userScoped: false))
            Issue.record("a user-scoped provider made a tenant-wide integration")
        } catch let error as DomainError {
            #expect(error.fieldErrors.first?.field == "userScoped")
        }
        #expect(try await service.create(acme, IntegrationDraft(provider: "gmail", name: "mail")).userScoped)
    }

    @Test func getFindListAndPageOrderedByName() async throws {
        let fixture = try DomainFixture()
        let service = fixture.platform.integrations
        let names = ["delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf"]
        for (i, name) in names.enumerated() {
            _ = try await service.create(acme, IntegrationDraft(provider: i % 2 == 0 ? "hubspot" : "slack", name: name))
        }
        _ = try await service.create(Scope(tenant: "globex"), IntegrationDraft(provider: "hubspot", name: "aaa"))
        let listed = try await DomainFixture.all { try await service.list(acme, pageSize: 3, continuation: $0) }
        #expect(listed.map(\.name) == names.sorted())
        let found = try #require(try await service.find(acme, providerName: "slack", name: "alpha"))
        #expect(try await service.get(acme, id: found.id) == found)
        #expect(try await service.find(acme, providerName: "hubspot", name: "alpha") == nil)
        let plan = try fixture.store.explain(in: IntegrationContainers.integrations,
                                             "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
                                             parameters: ["t": "acme"])
        #expect(plan.contains("partition range index /name"), "\(plan)")
    }

    @Test func updateUpsertEnableDisable() async throws {
        let fixture = try DomainFixture()
        let service = fixture.platform.integrations
        let created = try await service.create(acme, IntegrationDraft(provider: "zendesk", name: "Support"))
        fixture.clock.advance(by: 10)
        let updated = try await service.update(acme, id: created.id, IntegrationChanges(
            name: "Support EU", searchEnabled: false, settings: ["subdomain": "acme-eu"]))
        #expect(updated.name == "Support EU" && !updated.searchEnabled && updated.settings["subdomain"] == "acme-eu")
        #expect(updated.updatedAt > created.updatedAt && updated.etag != created.etag)
        // A stale etag is refused; no change writes nothing.
        await #expect(throws: DomainError.self) {
            _ = try await service.update(acme, id: created.id, IntegrationChanges(name: "x"), ifMatch: created.etag)
        }
        let same = try await service.update(acme, id: created.id, IntegrationChanges(name: "Support EU"))
        #expect(same.etag == updated.etag)

        fixture.clock.advance(by: 1)
        let (upserted, wasCreated) = try await service.upsert(acme, IntegrationDraft(
            provider: "zendesk", name: "Support EU", description: "tickets", settings: ["subdomain": "acme"]))
        #expect(!wasCreated && upserted.id == created.id && upserted.description == "tickets")
        #expect(upserted.settings["subdomain"] == "acme")
        // An upsert that gives no settings or sync configuration keeps the integration's.
        let (kept, _) = try await service.upsert(acme, IntegrationDraft(
            provider: "zendesk", name: "Support EU", description: "tier 2"))
        #expect(kept.id == created.id && kept.description == "tier 2" && kept.settings["subdomain"] == "acme")
        let (fresh, freshCreated) = try await service.upsert(acme, IntegrationDraft(provider: "zendesk", name: "Other"))
        #expect(freshCreated && fresh.id != created.id)

        fixture.clock.advance(by: 1)
        let disabled = try await service.disable(acme, id: created.id)
        #expect(disabled.status == .disabled)
        await #expect(throws: DomainError.self) { _ = try await service.disable(acme, id: created.id) }
        fixture.clock.advance(by: 1)
        let enabled = try await service.enable(acme, id: created.id)
        #expect(enabled.status == .pending && enabled.enabledAt != nil)
        let actions = try await service.activity(acme, integrationId: created.id).items.map(\.action)
        #expect(actions == [.enabled, .disabled, .configChanged, .configChanged, .configChanged, .created])
    }

    @Test func deletingRemovesConnectionsAndSyncRecordsInOneTransaction() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let doomed = try await platform.integrations.create(acme, IntegrationDraft(provider: "hubspot", name: "doomed"))
        let kept = try await platform.integrations.create(acme, IntegrationDraft(provider: "hubspot", name: "kept"))
        for integration in [doomed, kept] {
            _ = try await platform.connections.connect(acme, integrationId: integration.id, ConnectionDraft(
                scope: .tenant, authType: .apiKey, credentials: Credentials(apiKeys: ["default": "k"])))
            _ = try await platform.connections.connect(acme, integrationId: integration.id, ConnectionDraft(
                scope: .user("alice"), authType: .oauth2, credentials: Credentials(accessToken: "a")))
            for _ in 0..<3 {
                _ = try await platform.sync.record(acme, integrationId: integration.id, SyncResult(
                    success: true, direction: .fromExternal, recordsCreated: 1, startedAt: fixture.now,
                    completedAt: fixture.now))
            }
        }
        // A stale etag refuses the whole delete: nothing is removed.
        await #expect(throws: DomainError.self) {
            try await platform.integrations.delete(acme, id: doomed.id, ifMatch: doomed.etag)
        }
        #expect(try await platform.connections.list(acme, integrationId: doomed.id).items.count == 2)

        fixture.clock.advance(by: 1)
        try await platform.integrations.delete(acme, id: doomed.id)
        await #expect(throws: DomainError.self) { _ = try await platform.integrations.get(acme, id: doomed.id) }
        let store = fixture.store
        #expect(try await store.readItems(in: IntegrationContainers.connections, partitionKey: PartitionKey(doomed.id))
                    .items.isEmpty)
        #expect(try await store.readItems(in: IntegrationContainers.syncExecutions, partitionKey: PartitionKey(doomed.id))
                    .items.isEmpty)
        #expect(try await platform.connections.list(acme, integrationId: kept.id).items.count == 2)
        #expect(try await platform.sync.history(acme, integrationId: kept.id).items.count == 3)
        #expect(try await platform.integrations.activity(acme, integrationId: doomed.id).items.first?.action == .deleted)
    }

    @Test func connectionErrorsNewestFirstAndSearchEnabled() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        var ids = [String]()
        for (i, provider) in ["hubspot", "slack", "notion", "stripe"].enumerated() {
            let integration = try await platform.integrations.create(acme, IntegrationDraft(
                provider: provider, name: "i\(i)", searchEnabled: i != 1))
            ids.append(integration.id)
            _ = try await platform.connections.connect(acme, integrationId: integration.id, ConnectionDraft(
                scope: .tenant, authType: .oauth2, credentials: Credentials(accessToken: "a")))
        }
        for id in [ids[2], ids[0], ids[3]] {
            fixture.clock.advance(by: 5)
            _ = try await platform.connections.setStatus(acme, integrationId: id, scope: .tenant, to: .error,
                                                         reason: "boom")
        }
        let errors = try await DomainFixture.all {
            try await platform.integrations.withConnectionErrors(acme, pageSize: 2, continuation: $0)
        }
        #expect(errors.map(\.id) == [ids[3], ids[0], ids[2]])
        #expect(try await platform.integrations.withConnectionErrors(Scope(tenant: "globex")).items.isEmpty)
        let plan = try fixture.store.explain(
            in: IntegrationContainers.integrations,
            "SELECT * FROM c WHERE c.tenantId = @t AND c.connectionStatus = @s ORDER BY c.updatedAt DESC",
            parameters: ["t": "acme", "s": "error"])
        #expect(plan.contains("composite index (/tenantId ASC, /connectionStatus ASC, /updatedAt DESC)"), "\(plan)")

        let searchable = try await platform.integrations.searchEnabled(acme).items.map(\.name)
        #expect(searchable == ["i0", "i2", "i3"])
        _ = try await platform.sync.record(acme, integrationId: ids[2], SyncResult(
            success: true, direction: .fromExternal, startedAt: fixture.now, completedAt: fixture.now))
        #expect(try await platform.integrations.searchEnabled(acme, status: .active).items.map(\.name) == ["i2"])
        let searchPlan = try fixture.store.explain(
            in: IntegrationContainers.integrations,
            "SELECT * FROM c WHERE c.tenantId = @t AND c.searchEnabled = true AND c.status = @s ORDER BY c.name",
            parameters: ["t": "acme", "s": "active"])
        #expect(searchPlan.contains("composite index (/tenantId ASC, /status ASC, /searchEnabled ASC, /name ASC)"))
    }

    /// An item in the service's container that the service did not write (here, created with the raw item API and
    /// lacking `providerName`) is named by its id when a listing meets it, with the missing field and what to do.
    @Test func aForeignItemIsNamedWhenItCannotBeDecoded() async throws {
        let fixture = try DomainFixture()
        _ = try await fixture.store.createItem(in: IntegrationContainers.integrations,
                                               document: .object(["id": "raw", "tenantId": "acme"]))
        do {
            _ = try await fixture.platform.integrations.list(acme)
            Issue.record("a listing decoded an item without a providerName")
        } catch let error as DomainError {
            #expect(error.message.hasPrefix("a stored Integration (item 'raw') cannot be decoded: providerName: "
                                                + "missing; "), "\(error.message)")
            #expect(error.message.hasSuffix("must be fixed or deleted (cosmolite items)"))
        }
    }
}
