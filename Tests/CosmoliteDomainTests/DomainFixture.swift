// SPDX-License-Identifier: Apache-2.0

import CosmoliteCrypto
import CosmoliteDomain
import CosmoliteJSON
import CosmoliteStorage
import CosmoliteTestSupport
import Foundation

/// A fresh store with the repository's `Containers/` applied and `Seeds/integration_providers.json` loaded, and
/// the platform's services on it, with a manual clock and a random encryption key.
final class DomainFixture: Sendable {
    let test: TestStore
    let platform: IntegrationPlatform
    let keyRing: KeyRing

    var store: Store { test.store }
    var clock: ManualClock { test.clock }
    var now: Date { Date(timeIntervalSince1970: test.clock.now) }

    /// The repository root (two levels above this file's folder).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    init(seed: Bool = true, keyRing: KeyRing? = nil, refresher: any TokenRefresher = OAuth2TokenRefresher(timeout: 10),
         strict: Bool = true) throws {
        test = try TestStore(strict: strict)
        let definitions = try Store.loadContainerDefinitions(fromDirectory: Self.root + "/Containers")
        _ = try test.store.applyContainerDefinitions(definitions)
        if seed {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/Seeds/integration_providers.json"))
            guard case .array(let entries) = try JSONReader.parse(Array(data)) else { fatalError("seed file") }
            _ = try test.store.bulk(in: IntegrationContainers.providers,
                                    operations: entries.map { BatchOperation(.upsert, resourceBody: $0) }, atomic: true)
        }
        let ring = try keyRing ?? KeyRing([("test-key", try SymmetricKey.random())])
        self.keyRing = ring
        let clock = test.clock
        platform = IntegrationPlatform(store: test.store, keyRing: ring, refresher: refresher,
                                       clock: { Date(timeIntervalSince1970: clock.now) })
    }

    /// The same store with other keys (or another refresher).
    func platform(keyRing: KeyRing?, refresher: any TokenRefresher = OAuth2TokenRefresher(timeout: 10))
        -> IntegrationPlatform {
        let clock = test.clock
        return IntegrationPlatform(store: test.store, keyRing: keyRing, refresher: refresher,
                                   clock: { Date(timeIntervalSince1970: clock.now) })
    }

    /// Every page of a listing.
    static func all<T>(_ fetch: (String?) async throws -> Page<T>) async throws -> [T] {
        var items = [T]()
        var token: String?
        repeat {
            let page = try await fetch(token)
            items += page.items
            token = page.continuation
        } while token != nil
        return items
    }

    /// Adds a provider to the catalog whose token endpoint is `tokenURL` (for refresh tests).
    func addProvider(_ key: String, tokenURL: String, category: String = "testing",
                     requiresUserScoping: Bool = false) async throws -> Provider {
        try await platform.catalog.save(Provider(
            id: "\(category)-\(key)", category: category, provider: key, name: key, displayName: key.capitalized,
            description: "A provider for tests.", supportsSearch: true, requiresUserScoping: requiresUserScoping,
            oauthConfig: OAuthConfig(authorizationUrl: "https://example.com/authorize", tokenUrl: tokenURL,
                                     scopes: ["read"]),
            availableEntities: ["things"], createdAt: now, updatedAt: now))
    }

    /// The raw bytes of the store's LMDB data file.
    func storeFileBytes() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: test.directory + "/data.mdb")))
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var i = 0
        let last = count - needle.count
        while i <= last {
            if self[i] == first && self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
