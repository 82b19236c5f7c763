// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import Foundation
import Testing

struct ProviderCatalogTests {
    @Test func theSeedCatalogIsBroadAndValid() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: DomainFixture.root + "/Seeds/integration_providers.json"))
        let entries = try #require(try JSONReader.parse(Array(data)).arrayValue)
        #expect(entries.count >= 30)
        #expect(Set(entries.compactMap { $0["category"]?.stringValue }).count >= 8)
        for entry in entries {
            #expect(Provider.problems(in: entry).isEmpty, "\(entry["id"] ?? nil): \(Provider.problems(in: entry))")
        }
    }

    @Test func listsACategoryByStatusAndAudienceOrderedByDisplayName() async throws {
        let fixture = try DomainFixture()
        let catalog = fixture.platform.catalog
        let crm = try await DomainFixture.all { try await catalog.list(category: "crm", status: .active,
                                                                        audience: .public, pageSize: 3, continuation: $0) }
        #expect(crm.map(\.provider) == ["hubspot", "pipedrive", "salesforce", "zoho-crm"])
        let devTools = try await catalog.list(category: "developer-tools").items
        #expect(devTools.map(\.displayName) == devTools.map(\.displayName).sorted())
        #expect(devTools.contains { $0.status == .deprecated })
        #expect(try await catalog.list(category: "developer-tools", status: .active).items.allSatisfy {
            $0.status == .active
        })
        #expect(try await catalog.list(category: "payments", audience: .internal).items.map(\.provider) == ["mollie"])
    }

    @Test func pagesAcrossAllCategoriesWithTokens() async throws {
        let fixture = try DomainFixture()
        let catalog = fixture.platform.catalog
        var seen = [String]()
        var token: String?
        var pages = 0
        repeat {
            let page = try await catalog.list(pageSize: 7, continuation: token)
            #expect(page.items.count <= 7)
            seen += page.items.map(\.displayName)
            token = page.continuation
            pages += 1
        } while token != nil
        #expect(seen.count == 38 && pages >= 6)
        #expect(seen == seen.sorted())
        #expect(Set(seen).count == seen.count)
        // A token is bound to its listing.
        let first = try await catalog.list(category: "crm", pageSize: 1)
        await #expect(throws: DomainError.self) {
            _ = try await catalog.list(category: "email", pageSize: 1, continuation: first.continuation)
        }
    }

    @Test func searchCapableProvidersAcrossCategories() async throws {
        let fixture = try DomainFixture()
        let searchable = try await DomainFixture.all {
            try await fixture.platform.catalog.searchCapable(pageSize: 10, continuation: $0)
        }
        #expect(searchable.count >= 20)
        #expect(searchable.allSatisfy { $0.supportsSearch && $0.status == .active })
        #expect(Set(searchable.map(\.category)).count >= 6)
        #expect(searchable.map(\.displayName) == searchable.map(\.displayName).sorted())
    }

    @Test func listingsAreAnsweredFromIndexes() throws {
        let fixture = try DomainFixture()
        let store = fixture.store
        let byCategory = try store.explain(
            in: IntegrationContainers.providers,
            "SELECT * FROM c WHERE c.category = @category AND c.status = @status AND c.audience = @audience ORDER BY c.displayName",
            parameters: ["category": "crm", "status": "active", "audience": "public"])
        #expect(byCategory.contains("composite index (/category ASC, /status ASC, /audience ASC, /displayName ASC)"))
        #expect(byCategory.contains("no residual filter"))
        let searchable = try store.explain(
            in: IntegrationContainers.providers,
            "SELECT * FROM c WHERE c.supportsSearch = true AND c.status = @status ORDER BY c.displayName",
            parameters: ["status": "active"])
        #expect(searchable.contains("composite index (/supportsSearch ASC, /status ASC, /displayName ASC)"))
        let all = try store.explain(in: IntegrationContainers.providers, "SELECT * FROM c ORDER BY c.displayName")
        #expect(all.contains("range index /displayName"))
    }

    @Test func getsOneProviderAndChecksAvailability() async throws {
        let fixture = try DomainFixture()
        let catalog = fixture.platform.catalog
        #expect(try await catalog.provider(id: "crm-salesforce", category: "crm").displayName == "Salesforce")
        #expect(try await catalog.provider(named: "gmail").category == "email")
        await #expect(throws: DomainError.self) { _ = try await catalog.provider(id: "crm-salesforce", category: "email") }
        let scope = Scope(tenant: "acme")
        for (provider, reason) in [("linear", "status is 'beta'"), ("bitbucket", "status is 'deprecated'"),
                                   ("mollie", "audience 'internal'")] {
            do {
                _ = try await fixture.platform.integrations.create(scope, IntegrationDraft(provider: provider, name: "x"))
                Issue.record("created an integration of \(provider)")
            } catch let error as DomainError {
                #expect(error.code == .validation)
                #expect(error.fieldErrors.first?.field == "provider")
                #expect(error.message.contains(reason), "\(error.message)")
            }
        }
    }

    @Test func savingValidatesEntries() async throws {
        let fixture = try DomainFixture(seed: false)
        var provider = try await fixture.addProvider("acme", tokenURL: "https://auth.acme.test/token")
        provider.oauthConfig?.tokenUrl = "http://auth.acme.test/token"
        provider.displayName = " "
        do {
            _ = try await fixture.platform.catalog.save(provider)
            Issue.record("saved an invalid provider")
        } catch let error as DomainError {
            #expect(Set(error.fieldErrors.map(\.field)) == ["displayName", "oauthConfig.tokenUrl"])
        }
    }
}
