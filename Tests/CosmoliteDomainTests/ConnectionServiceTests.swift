// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteDomain
import CosmoliteJSON
import CosmoliteQuery
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct ConnectionServiceTests {
    let admin = Scope(tenant: "acme")
    let alice = Scope(tenant: "acme", user: "alice")
    let bob = Scope(tenant: "acme", user: "bob")

    func oauth(_ access: String, refresh: String? = nil, expiresAt: Date? = nil) -> (Credentials, OAuthMetadata) {
        (Credentials(accessToken: access, refreshToken: refresh),
         OAuthMetadata(expiresAt: expiresAt, scopes: ["read"], tokenType: "Bearer"))
    }

    @Test func connectIsAnUpsertAndConnectedIsCheap() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let crm = try await platform.integrations.create(admin, IntegrationDraft(provider: "hubspot", name: "crm"))
        #expect(try await !platform.connections.connected(admin, integrationId: crm.id, scope: .tenant))
        let (credentials, metadata) = oauth("access-1", refresh: "refresh-1")
        let first = try await platform.connections.connect(admin, integrationId: crm.id, ConnectionDraft(
            scope: .tenant, authType: .oauth2, credentials: credentials, oauth: metadata))
        #expect(first.id == "tenant" && first.status == .active && first.encryptedCredentials?.keyId == "test-key")
        #expect(try await platform.connections.connected(admin, integrationId: crm.id, scope: .tenant))
        #expect(try await platform.integrations.get(admin, id: crm.id).connectionStatus == .connected)
        fixture.clock.advance(by: 60)
        let second = try await platform.connections.connect(admin, integrationId: crm.id, ConnectionDraft(
            scope: .tenant, authType: .oauth2, credentials: Credentials(accessToken: "access-2")))
        #expect(second.createdAt == first.createdAt && second.updatedAt > first.updatedAt)
        #expect(try await platform.connections.list(admin, integrationId: crm.id).items.count == 1)
        #expect(try await platform.connections.credentials(admin, integrationId: crm.id, scope: .tenant).accessToken
                    == "access-2")
        let revoked = try await platform.connections.setStatus(admin, integrationId: crm.id, scope: .tenant,
                                                              to: .revoked)
        #expect(revoked.status == .revoked)
        #expect(try await !platform.connections.connected(admin, integrationId: crm.id, scope: .tenant))
        #expect(try await platform.integrations.get(admin, id: crm.id).connectionStatus == .disconnected)
        try await platform.connections.disconnect(admin, integrationId: crm.id, scope: .tenant)
        await #expect(throws: DomainError.self) {
            _ = try await platform.connections.connection(admin, integrationId: crm.id, scope: .tenant)
        }
        let actions = try await platform.integrations.activity(admin, integrationId: crm.id).items.map(\.action)
        #expect(actions.filter { $0 == .connected }.count == 2 && actions.contains(.disconnected))
    }

    @Test func userScopedConnectionsBelongToTheirUser() async throws {
        let fixture = try DomainFixture()
        let connections = fixture.platform.connections
        let mail = try await fixture.platform.integrations.create(alice, IntegrationDraft(provider: "gmail", name: "mail"))
        let (credentials, metadata) = oauth("alice-access", refresh: "alice-refresh")
        _ = try await connections.connect(alice, integrationId: mail.id, ConnectionDraft(
            scope: .user("alice"), authType: .oauth2, credentials: credentials, oauth: metadata))
        // Connecting for someone else, or a tenant-wide connection of a user-scoped integration, is refused.
        await expectError(.forbidden) {
            _ = try await connections.connect(bob, integrationId: mail.id, ConnectionDraft(
                scope: .user("alice"), authType: .oauth2, credentials: credentials))
        }
        await expectError(.validation) {
            _ = try await connections.connect(bob, integrationId: mail.id, ConnectionDraft(
                scope: .tenant, authType: .oauth2, credentials: credentials))
        }
        // Bob: forbidden on every call about Alice's connection, and does not see it listed.
        await expectError(.forbidden) { _ = try await connections.credentials(bob, integrationId: mail.id, scope: .user("alice")) }
        await expectError(.forbidden) { _ = try await connections.connection(bob, integrationId: mail.id, scope: .user("alice")) }
        await expectError(.forbidden) { _ = try await connections.connected(bob, integrationId: mail.id, scope: .user("alice")) }
        await expectError(.forbidden) { _ = try await connections.refresh(bob, integrationId: mail.id, scope: .user("alice")) }
        await expectError(.forbidden) { try await connections.disconnect(bob, integrationId: mail.id, scope: .user("alice")) }
        #expect(try await connections.list(bob, integrationId: mail.id).items.isEmpty)
        // The tenant (no user) sees metadata but not the secrets.
        #expect(try await connections.list(admin, integrationId: mail.id).items.map(\.id) == ["user-alice"])
        await expectError(.forbidden) { _ = try await connections.credentials(admin, integrationId: mail.id, scope: .user("alice")) }
        #expect(try await connections.credentials(alice, integrationId: mail.id, scope: .user("alice")) == credentials)
        // Another tenant: not found, whoever asks.
        await expectError(.notFound) {
            _ = try await connections.credentials(Scope(tenant: "globex", user: "alice"), integrationId: mail.id,
                                                  scope: .user("alice"))
        }
    }

    @Test func expiredListsBothKindsOncePagedAndIndexed() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let now = fixture.now
        var expected = Set<String>()
        for i in 0..<9 {
            let integration = try await platform.integrations.create(admin, IntegrationDraft(provider: "slack", name: "s\(i)"))
            // 0-2: expire in the past; 3-5: in the future; 6-8: in the future but status expired; 0 is both.
            let expiry = now.addingTimeInterval(i < 3 ? -600 + Double(i) : 3_600)
            let (credentials, metadata) = oauth("a\(i)", refresh: "r\(i)", expiresAt: expiry)
            _ = try await platform.connections.connect(admin, integrationId: integration.id, ConnectionDraft(
                scope: .tenant, authType: .oauth2, credentials: credentials, oauth: metadata))
            if i == 0 || i >= 6 {
                _ = try await platform.connections.setStatus(admin, integrationId: integration.id, scope: .tenant,
                                                             to: .expired)
            }
            if i < 3 || i >= 6 { expected.insert(integration.id) }
        }
        let other = try await platform.integrations.create(Scope(tenant: "globex"), IntegrationDraft(provider: "slack", name: "g"))
        _ = try await platform.connections.connect(Scope(tenant: "globex"), integrationId: other.id, ConnectionDraft(
            scope: .tenant, authType: .oauth2, credentials: Credentials(accessToken: "g"),
            oauth: OAuthMetadata(expiresAt: now.addingTimeInterval(-1))))
        for size in [1, 2, 4, 100] {
            let listed = try await DomainFixture.all {
                try await platform.connections.expired(admin, now: now, pageSize: size, continuation: $0)
            }
            #expect(listed.count == expected.count, "page size \(size)")
            #expect(Set(listed.map(\.integrationId)) == expected)
        }
        let all = try await DomainFixture.all {
            try await platform.connections.expiredAcrossTenants(now: now, pageSize: 3, continuation: $0)
        }
        #expect(Set(all.map(\.integrationId)) == expected.union([other.id]))
        let plan = try fixture.store.explain(
            in: IntegrationContainers.connections,
            "SELECT * FROM c WHERE c.oauth.expiresAt < @now AND c.status != 'expired'",
            parameters: ["now": .string(Timestamp.string(from: now))])
        #expect(plan.contains("range index /oauth/expiresAt"), "\(plan)")
        let statusPlan = try fixture.store.explain(in: IntegrationContainers.connections,
                                                   "SELECT * FROM c WHERE c.status = 'expired'")
        #expect(statusPlan.contains("range index /status"), "\(statusPlan)")
        await expectError(.validation) {
            _ = try await platform.connections.expired(admin, now: now, pageSize: 2, continuation: "garbage")
        }
    }

    @Test func rotationReencryptsEverythingUnderTheNewestKey() async throws {
        let oldKey = try SymmetricKey.random()
        let fixture = try DomainFixture(keyRing: try KeyRing([("k1", oldKey)]))
        var ids = [String]()
        for i in 0..<5 {
            let integration = try await fixture.platform.integrations.create(
                admin, IntegrationDraft(provider: "notion", name: "n\(i)"))
            ids.append(integration.id)
            _ = try await fixture.platform.connections.connect(admin, integrationId: integration.id, ConnectionDraft(
                scope: .tenant, authType: .apiKey, credentials: Credentials(apiKeys: ["default": "key-\(i)"])))
        }
        let newKey = try SymmetricKey.random()
        let rotated = fixture.platform(keyRing: try KeyRing([("k2", newKey), ("k1", oldKey)]))
        // Before rotating, old ciphertexts still open.
        #expect(try await rotated.connections.credentials(admin, integrationId: ids[0], scope: .tenant).apiKeys
                    == ["default": "key-0"])
        let report = try await rotated.connections.rotateKeys(pageSize: 2)
        #expect(report.examined == 5 && report.rotated == 5 && report.current == 0 && report.failures.isEmpty)
        let again = try await rotated.connections.rotateKeys()
        #expect(again.rotated == 0 && again.current == 5)
        // Now the old key can go.
        let newOnly = fixture.platform(keyRing: try KeyRing([("k2", newKey)]))
        for (i, id) in ids.enumerated() {
            #expect(try await newOnly.connections.credentials(admin, integrationId: id, scope: .tenant).apiKeys
                        == ["default": "key-\(i)"])
            #expect(try await newOnly.connections.connection(admin, integrationId: id, scope: .tenant)
                        .encryptedCredentials?.keyId == "k2")
        }
        // A ring without the needed key reports failures instead of stopping.
        let stranger = fixture.platform(keyRing: try KeyRing([("k3", try SymmetricKey.random())]))
        let failed = try await stranger.connections.rotateKeys()
        #expect(failed.failures.count == 5 && failed.rotated == 0)
        #expect(failed.failures[0].reason.contains("key 'k2', which is not configured"))
    }
}

/// Expects `body` to throw a ``DomainError`` with `code`.
func expectError(_ code: DomainError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                 _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as DomainError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
