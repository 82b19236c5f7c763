// SPDX-License-Identifier: Apache-2.0

import CosmoliteJSON
public import CosmoliteStorage

/// The provider catalog in the `integration_providers` container.
///
/// Listings are answered from the container's composite indexes: `(category, status, audience, displayName)`
/// for a category with both filters, `(category, displayName)` for a category alone, `(supportsSearch, status,
/// displayName)` for search-capable providers, and the `/displayName` range index across categories.
public struct StoreProviderRepository: ProviderRepository {
    let gateway: StoreGateway

    /// Creates the repository over `store`.
    public init(store: Store) { gateway = StoreGateway(store: store) }

    /// The provider with this id in this category, or `nil` (a point read).
    public func provider(id: String, category: String) async throws -> Provider? {
        try await gateway.read(Provider.self, in: IntegrationContainers.providers, id: id,
                               partitionKey: PartitionKey(category))
    }

    /// The providers with this key, in every category.
    public func providers(named name: String) async throws -> [Provider] {
        var all = [Provider]()
        var token: String?
        repeat {
            let page = try await gateway.query(Provider.self, in: IntegrationContainers.providers,
                                               "SELECT * FROM c WHERE c.provider = @p",
                                               parameters: ["p": .string(name)],
                                               pageSize: 100, continuation: token)
            all += page.items
            token = page.continuation
        } while token != nil
        return all
    }

    /// One page of providers, ordered by display name.
    public func list(_ filter: ProviderFilter, pageSize: Int?, continuation: String?) async throws -> Page<Provider> {
        var conditions = [String]()
        var parameters = [String: JSONValue]()
        if let category = filter.category {
            conditions.append("c.category = @category")
            parameters["category"] = .string(category)
        }
        if filter.searchCapable { conditions.append("c.supportsSearch = true") }
        if let status = filter.status {
            conditions.append("c.status = @status")
            parameters["status"] = .string(status.rawValue)
        }
        if let audience = filter.audience {
            conditions.append("c.audience = @audience")
            parameters["audience"] = .string(audience.rawValue)
        }
        let sql = "SELECT * FROM c" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY c.displayName"
        return try await gateway.query(Provider.self, in: IntegrationContainers.providers, sql, parameters: parameters,
                                       pageSize: pageSize,
                                       continuation: continuation)
    }

    /// Creates or replaces a catalog entry.
    public func save(_ provider: Provider) async throws -> Provider {
        let results = try await gateway.commit(
            [(.item(BatchOperation(.upsert, resourceBody: try DocumentCoder.document(provider),
                                   partitionKey: PartitionKey(provider.category)), in: IntegrationContainers.providers),
              "saving provider '\(provider.id)'")],
            uniqueKey: ["/category", "/provider"])
        guard let item = results.first?.item else { return provider }
        return try DocumentCoder.decode(Provider.self, from: item)
    }
}
