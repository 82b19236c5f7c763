// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteTestSupport
import Foundation
import Testing

/// Random operations by three tenants with two users each, checked against a model of what each scope owns:
/// no call ever returns or changes another tenant's data or another user's user-scoped connection.
struct TenantIsolationTests {
    struct Owned {
        var tenant: String
        var id: String
        var name: String
        var userScoped: Bool
        /// Connection id → the secret stored in it.
        var connections: [String: String] = [:]
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomOperationsNeverCrossTenantsOrUsers(seed: UInt64) async throws {
        let fixture = try DomainFixture(strict: false)
        let platform = fixture.platform
        var random = SeededGenerator(seed: seed)
        let tenants = ["t-acme", "t-globex", "t-initech"]
        let users = ["u1", "u2"]
        var owned = [Owned]()
        var created = 0
        let providers = ["hubspot", "slack", "gmail", "notion", "dropbox"]

        func scope(_ tenant: String, _ user: String?) -> Scope { Scope(tenant: TenantID(tenant), user: user.map { UserID($0) }) }

        for step in 0..<300 {
            let tenant = tenants.randomElement(using: &random)!
            let user = Bool.random(using: &random) ? users.randomElement(using: &random)! : nil
            let caller = scope(tenant, user)
            let context = "seed \(seed) step \(step) \(caller)"
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1:   // create
                let provider = providers.randomElement(using: &random)!
                created += 1
                let integration = try await platform.integrations.create(
                    caller, IntegrationDraft(provider: provider, name: "n\(created)"))
                owned.append(Owned(tenant: tenant, id: integration.id, name: integration.name,
                                   userScoped: integration.userScoped))
            case 2:   // read or update a random integration, own or not
                guard let target = owned.randomElement(using: &random) else { continue }
                if target.tenant == tenant {
                    #expect(try await platform.integrations.get(caller, id: target.id).name == target.name, "\(context)")
                } else {
                    await expectError(.notFound) { _ = try await platform.integrations.get(caller, id: target.id) }
                    await expectError(.notFound) {
                        _ = try await platform.integrations.update(caller, id: target.id, IntegrationChanges(name: "stolen"))
                    }
                    await expectError(.notFound) { _ = try await platform.integrations.disable(caller, id: target.id) }
                    await expectError(.notFound) {
                        _ = try await platform.sync.record(caller, integrationId: target.id, SyncResult(
                            success: false, direction: .toExternal, startedAt: fixture.now, completedAt: fixture.now))
                    }
                    #expect(try await platform.integrations.find(caller, providerName: "hubspot", name: target.name)
                                == nil || owned.contains { $0.tenant == tenant && $0.name == target.name })
                }
            case 3, 4:   // connect
                guard let index = owned.indices.randomElement(using: &random) else { continue }
                let target = owned[index]
                let secret = "secret-\(UUID().uuidString)"
                let which: ConnectionScope = target.userScoped ? .user(UserID(user ?? "u1")) : .tenant
                let draft = ConnectionDraft(scope: which, authType: .oauth2, credentials: Credentials(accessToken: secret))
                if target.tenant != tenant {
                    await expectError(.notFound) {
                        _ = try await platform.connections.connect(scope(tenant, which.userId?.rawValue),
                                                                   integrationId: target.id, draft)
                    }
                } else if case .user(let owner) = which, owner.rawValue != user {
                    await expectError(.forbidden) {
                        _ = try await platform.connections.connect(caller, integrationId: target.id, draft)
                    }
                } else {
                    _ = try await platform.connections.connect(caller, integrationId: target.id, draft)
                    owned[index].connections[which.connectionId] = secret
                }
            case 5, 6:   // read credentials of a random connection
                guard let target = owned.filter({ !$0.connections.isEmpty }).randomElement(using: &random),
                      let (connectionId, secret) = target.connections.randomElement(using: &random) else { continue }
                let which: ConnectionScope = connectionId == "tenant" ? .tenant
                    : .user(UserID(String(connectionId.dropFirst("user-".count))))
                if target.tenant != tenant {
                    await expectError(.notFound) {
                        _ = try await platform.connections.credentials(caller, integrationId: target.id, scope: which)
                    }
                } else if let owner = which.userId, owner.rawValue != user {
                    await expectError(.forbidden) {
                        _ = try await platform.connections.credentials(caller, integrationId: target.id, scope: which)
                    }
                } else {
                    #expect(try await platform.connections.credentials(caller, integrationId: target.id, scope: which)
                                .accessToken == secret, "\(context)")
                }
            case 7:   // list connections: only visible ones, never another tenant's
                guard let target = owned.randomElement(using: &random) else { continue }
                if target.tenant != tenant {
                    await expectError(.notFound) { _ = try await platform.connections.list(caller, integrationId: target.id) }
                } else {
                    let listed = try await platform.connections.list(caller, integrationId: target.id).items
                    #expect(listed.allSatisfy { $0.tenantId.rawValue == tenant }, "\(context)")
                    if let user {
                        #expect(listed.allSatisfy { $0.userId == nil || $0.userId?.rawValue == user }, "\(context)")
                    }
                    #expect(Set(listed.map(\.id)).isSubset(of: Set(target.connections.keys)), "\(context)")
                }
            case 8:   // delete, own or not
                guard let index = owned.indices.randomElement(using: &random) else { continue }
                let target = owned[index]
                if target.tenant != tenant {
                    await expectError(.notFound) { try await platform.integrations.delete(caller, id: target.id) }
                } else {
                    try await platform.integrations.delete(caller, id: target.id)
                    owned.remove(at: index)
                }
            default:   // list everything the tenant has, with expired and error listings
                let listed = try await DomainFixture.all {
                    try await platform.integrations.list(caller, pageSize: 4, continuation: $0)
                }
                #expect(Set(listed.map(\.id)) == Set(owned.filter { $0.tenant == tenant }.map(\.id)), "\(context)")
                let expired = try await platform.connections.expired(caller, now: fixture.now.addingTimeInterval(1e6))
                #expect(expired.items.allSatisfy { $0.tenantId.rawValue == tenant }, "\(context)")
                let activity = try await platform.integrations.activity(caller, pageSize: 50).items
                #expect(activity.allSatisfy { $0.tenantId.rawValue == tenant }, "\(context)")
            }
        }
        // At the end every tenant sees exactly its own.
        for tenant in tenants {
            let listed = try await DomainFixture.all {
                try await platform.integrations.list(scope(tenant, nil), continuation: $0)
            }
            #expect(Set(listed.map(\.id)) == Set(owned.filter { $0.tenant == tenant }.map(\.id)))
        }
        // A continuation token of one tenant's listing is refused for another's.
        let page = try await platform.integrations.list(scope("t-acme", nil), pageSize: 1)
        if let token = page.continuation {
            await expectError(.validation) {
                _ = try await platform.integrations.list(scope("t-globex", nil), pageSize: 1, continuation: token)
            }
        }
    }
}
