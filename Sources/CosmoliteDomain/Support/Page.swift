// SPDX-License-Identifier: Apache-2.0

/// One page of a listing, with the token for the next.
///
/// ```swift
/// var token: String? = nil
/// repeat {
///     let page = try await platform.integrations.list(scope, pageSize: 50, continuation: token)
///     for integration in page.items { print(integration.name) }
///     token = page.continuation
/// } while token != nil
/// ```
///
/// Tokens are opaque, signed and bound to the listing that produced them (its filters and scope): a token
/// given to another listing, or another tenant's listing, is refused with a validation error.
public struct Page<Element: Sendable>: Sendable {
    /// The items of this page (possibly fewer than the page size, even none, when more may follow).
    public let items: [Element]
    /// The token for the next page, or `nil` when this is the last one.
    public let continuation: String?

    /// Creates a page.
    public init(items: [Element], continuation: String?) {
        self.items = items
        self.continuation = continuation
    }

    /// The page with each item transformed.
    public func map<T: Sendable>(_ transform: (Element) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), continuation: continuation)
    }
}

extension Page {
    /// Checks a requested page size: 1 to 1,000, or `nil` for the default (100).
    static func validate(pageSize: Int?) throws {
        if let pageSize, !(1...1_000).contains(pageSize) {
            throw DomainError.validation("invalid page request",
                                         [DomainError.FieldError("pageSize", "must be 1 to 1000, got \(pageSize)")])
        }
    }
}
