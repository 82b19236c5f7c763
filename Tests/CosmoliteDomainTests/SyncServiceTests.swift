// SPDX-License-Identifier: Apache-2.0

import CosmoliteDomain
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation
import Testing

struct SyncServiceTests {
    let scope = Scope(tenant: "acme", user: "alice")

    func result(_ success: Bool, at start: Date, cursor: String? = nil, error: String = "rate limited") -> SyncResult {
        SyncResult(success: success, direction: .fromExternal, recordsCreated: success ? 10 : 0,
                   recordsUpdated: success ? 2 : 0, recordsFailed: success ? 0 : 5, errors: success ? [] : [error],
                   startedAt: start, completedAt: start.addingTimeInterval(1.5), cursor: cursor)
    }

    @Test func threeConsecutiveFailuresPutTheIntegrationInErrorAndASuccessResets() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let id = try await platform.integrations.create(scope, IntegrationDraft(provider: "github", name: "repos")).id
        _ = try await platform.sync.begin(scope, integrationId: id)
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now, cursor: "c1"))
        var integration = try await platform.integrations.get(scope, id: id)
        #expect(integration.status == .active && integration.errorCount == 0 && integration.syncCursor == "c1")
        #expect(integration.lastSyncAt == fixture.now.addingTimeInterval(1.5))
        for n in 1...3 {
            fixture.clock.advance(by: 60)
            _ = try await platform.sync.record(scope, integrationId: id, result(false, at: fixture.now, error: "e\(n)"))
            integration = try await platform.integrations.get(scope, id: id)
            #expect(integration.errorCount == n && integration.errorMessage == "e\(n)")
            #expect(integration.status == (n < 3 ? .active : .error))
            #expect(integration.syncCursor == "c1", "a failure keeps the cursor")
        }
        fixture.clock.advance(by: 60)
        _ = try await platform.sync.begin(scope, integrationId: id)
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now, cursor: "c2"))
        integration = try await platform.integrations.get(scope, id: id)
        #expect(integration.status == .active && integration.errorCount == 0 && integration.errorMessage == nil)
        #expect(try await platform.sync.cursor(scope, integrationId: id) == "c2")

        let history = try await DomainFixture.all {
            try await platform.sync.history(scope, integrationId: id, pageSize: 2, continuation: $0)
        }
        #expect(history.map(\.success) == [true, false, false, false, true])
        #expect(history[0].recordsSynced == 12 && history[0].durationMs == 1500)
        let actions = try await platform.integrations.activity(scope, integrationId: id).items.map(\.action)
        #expect(actions.prefix(3) == [.syncCompleted, .syncStarted, .syncFailed])
    }

    @Test func pausedAndDisabledIntegrationsRefuseResults() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let id = try await platform.integrations.create(scope, IntegrationDraft(provider: "github", name: "repos")).id
        #expect(try await platform.sync.pause(scope, integrationId: id).status == .paused)
        await expectError(.invalidTransition) {
            _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now))
        }
        await expectError(.invalidTransition) { _ = try await platform.sync.begin(scope, integrationId: id) }
        #expect(try await platform.sync.resume(scope, integrationId: id).status == .pending)
        _ = try await platform.integrations.disable(scope, id: id)
        await expectError(.invalidTransition) {
            _ = try await platform.sync.record(scope, integrationId: id, result(false, at: fixture.now))
        }
        #expect(try await platform.sync.history(scope, integrationId: id).items.isEmpty, "nothing was recorded")
        await expectError(.validation) {
            var bad = result(true, at: fixture.now)
            bad.recordsCreated = -1
            bad.completedAt = fixture.now.addingTimeInterval(-10)
            _ = try await platform.sync.record(scope, integrationId: id, bad)
        }
    }

    /// A run reported after a later one is history only: the integration keeps the later run's state.
    @Test func aResultReportedLateNeverRewindsTheIntegration() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let id = try await platform.integrations.create(scope, IntegrationDraft(provider: "github", name: "repos")).id
        let early = fixture.now
        fixture.clock.advance(by: 600)
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now, cursor: "page-200"))
        let latest = try await platform.integrations.get(scope, id: id)
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: early, cursor: "page-100"))
        _ = try await platform.sync.record(scope, integrationId: id, result(false, at: early, error: "late failure"))
        let after = try await platform.integrations.get(scope, id: id)
        #expect(after.syncCursor == "page-200" && after.lastSyncAt == latest.lastSyncAt)
        #expect(after.lastSuccessAt == latest.lastSuccessAt && after.status == latest.status)
        #expect(after.errorCount == 0 && after.errorMessage == nil)
        #expect(try await platform.sync.history(scope, integrationId: id).items.count == 3, "all three are history")

        // A completion beyond the allowed clock skew is refused, and nothing is recorded.
        await expectError(.validation) {
            _ = try await platform.sync.record(scope, integrationId: id, result(
                true, at: fixture.now.addingTimeInterval(SyncService.clockSkew + 60), cursor: "future"))
        }
        #expect(try await platform.sync.history(scope, integrationId: id).items.count == 3)
        #expect(try await platform.integrations.get(scope, id: id).syncCursor == "page-200")
    }

    @Test func cursorCanBeSetAndCleared() async throws {
        let fixture = try DomainFixture()
        let id = try await fixture.platform.integrations.create(scope, IntegrationDraft(provider: "jira", name: "j")).id
        _ = try await fixture.platform.sync.setCursor(scope, integrationId: id, "page-7")
        #expect(try await fixture.platform.sync.cursor(scope, integrationId: id) == "page-7")
        _ = try await fixture.platform.sync.setCursor(scope, integrationId: id, nil)
        #expect(try await fixture.platform.sync.cursor(scope, integrationId: id) == nil)
    }

    @Test func syncRecordsExpireAfterThirtyDays() async throws {
        let fixture = try DomainFixture()
        let platform = fixture.platform
        let id = try await platform.integrations.create(scope, IntegrationDraft(provider: "github", name: "repos")).id
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now))
        fixture.clock.advance(by: 29 * 86_400)
        _ = try await platform.sync.record(scope, integrationId: id, result(true, at: fixture.now))
        #expect(try await platform.sync.history(scope, integrationId: id).items.count == 2)
        fixture.clock.advance(by: 86_400 + 1)
        #expect(try await platform.sync.history(scope, integrationId: id).items.count == 1)
        #expect(try await fixture.store.container(IntegrationContainers.syncExecutions).definition.defaultTtl == 2_592_000)
    }
}
