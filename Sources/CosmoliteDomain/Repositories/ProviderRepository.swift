// SPDX-License-Identifier: Apache-2.0

// The persistence interfaces of the integration services. The services depend only on these protocols, so they
// can be tested against in-memory doubles; the LMDB-backed implementations are the `Store…Repository` types.
//
// Repositories do no authorization: they take a tenant id (or a partition) and trust it. The services check
// the scope first. Writes that must be atomic are single repository calls (an integration and its activity
// entry; a connection, its integration's status and an activity entry; a sync record and its integration).
// A model's `etag`, when set, makes its write conditional on that version (a 412 error otherwise).

/// Filters of a provider listing.
public struct ProviderFilter: Hashable, Sendable {
    /// Only this category.
    public var category: String?
    /// Only this status.
    public var status: ProviderStatus?
    /// Only this audience.
    public var audience: ProviderAudience?
    /// Only providers whose data can be searched.
    public var searchCapable: Bool

    /// Creates a filter (no filter by default).
    public init(category: String? = nil, status: ProviderStatus? = nil, audience: ProviderAudience? = nil,
                searchCapable: Bool = false) {
        self.category = category
        self.status = status
        self.audience = audience
        self.searchCapable = searchCapable
    }
}

/// The provider catalog's storage.
public protocol ProviderRepository: Sendable {
    /// The provider with this id in this category, or `nil`.
    func provider(id: String, category: String) async throws -> Provider?
    /// The providers whose key (``Provider/provider``) is `name`, in any category.
    func providers(named name: String) async throws -> [Provider]
    /// One page of providers matching `filter`, ordered by display name.
    func list(_ filter: ProviderFilter, pageSize: Int?, continuation: String?) async throws -> Page<Provider>
    /// Creates or replaces a catalog entry.
    func save(_ provider: Provider) async throws -> Provider
}
