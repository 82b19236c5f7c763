// SPDX-License-Identifier: Apache-2.0

/// The provider catalog: browse providers by category, status and audience, find the search-capable ones, and
/// check that a provider may back a new integration.
///
/// ```swift
/// let crm = try await platform.catalog.list(category: "crm", status: .active, audience: .public, pageSize: 20)
/// let searchable = try await platform.catalog.searchCapable()
/// let hubspot = try await platform.catalog.provider(named: "hubspot")
/// ```
///
/// The catalog is system-level data: it takes no tenant scope.
public struct ProviderCatalog: Sendable {
    let repository: any ProviderRepository

    /// Creates the catalog over a repository.
    public init(repository: any ProviderRepository) { self.repository = repository }

    /// One page of providers, ordered by display name, optionally of one category, status and audience, and
    /// only those whose data can be searched.
    public func list(category: String? = nil, status: ProviderStatus? = nil, audience: ProviderAudience? = nil,
                     searchCapable: Bool = false, pageSize: Int? = nil,
                     continuation: String? = nil) async throws -> Page<Provider> {
        try await repository.list(ProviderFilter(category: category, status: status, audience: audience,
                                                 searchCapable: searchCapable),
                                  pageSize: pageSize, continuation: continuation)
    }

    /// One page of providers with search capability across all categories (active ones by default), ordered by
    /// display name.
    public func searchCapable(status: ProviderStatus? = .active, pageSize: Int? = nil,
                              continuation: String? = nil) async throws -> Page<Provider> {
        try await list(status: status, searchCapable: true, pageSize: pageSize, continuation: continuation)
    }

    /// The provider with this id in this category.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/notFound``.
    public func provider(id: String, category: String) async throws -> Provider {
        guard let provider = try await repository.provider(id: id, category: category) else {
            throw DomainError(.notFound, "provider '\(id)' does not exist in category '\(category)'")
        }
        return provider
    }

    /// The provider with this key (``Provider/provider``), in `category` when given.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/notFound``, or ``DomainError/Code/validation`` when the key
    ///   exists in several categories and none was given.
    public func provider(named name: String, category: String? = nil) async throws -> Provider {
        let matches = try await repository.providers(named: name).filter { category == nil || $0.category == category }
        guard let first = matches.first else {
            throw DomainError(.notFound, "provider '\(name)' does not exist"
                                  + (category.map { " in category '\($0)'" } ?? ""))
        }
        guard matches.count == 1 else {
            throw DomainError.validation("ambiguous provider", [
                .init("category", "provider '\(name)' exists in categories "
                          + matches.map(\.category).sorted().joined(separator: ", ") + "; name one"),
            ])
        }
        return first
    }

    /// Creates or replaces a catalog entry after validating it (an operator's call, not a tenant's).
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/validation`` listing the bad fields.
    public func save(_ provider: Provider) async throws -> Provider {
        let problems = Provider.problems(in: try DocumentCoder.document(provider))
        guard problems.isEmpty else { throw DomainError.validation("invalid provider '\(provider.id)'", problems) }
        return try await repository.save(provider)
    }

    /// The provider a new integration may use: it exists, is active and is visible to tenants.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/notFound`` or ``DomainError/Code/validation`` (field
    ///   `provider`) saying why it cannot be used.
    func availableProvider(named name: String, category: String?) async throws -> Provider {
        let provider = try await provider(named: name, category: category)
        guard provider.isAvailableToTenants else {
            let why = provider.status != .active
                ? "its status is '\(provider.status.rawValue)' (only active providers can back new integrations)"
                : "its audience '\(provider.audience.rawValue)' is not visible to tenants"
            throw DomainError.validation("provider '\(name)' cannot back a new integration", [.init("provider", why)])
        }
        return provider
    }
}
