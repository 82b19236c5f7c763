// SPDX-License-Identifier: Apache-2.0

/// A tenant's identifier.
///
/// ```swift
/// let acme: TenantID = "acme"
/// ```
public struct TenantID: StringValue {
    /// The identifier.
    public let rawValue: String

    /// Wraps an identifier (checked when used, by ``Scope/validated()``).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps an identifier.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A user's identifier (within a tenant).
public struct UserID: StringValue {
    /// The identifier.
    public let rawValue: String

    /// Wraps an identifier (checked when used).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps an identifier.
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// Who is calling: the tenant, and the user when the caller acts for one.
///
/// Every tenant-facing call of the domain services takes a scope. Data of another tenant is reported as not
/// found (its existence never leaks); another user's user-scoped connection is forbidden.
///
/// ```swift
/// let service = Scope(tenant: "acme")                 // a tenant-level caller (a job, an admin API)
/// let alice = Scope(tenant: "acme", user: "alice")    // a user of the tenant
/// let integrations = try await platform.integrations.list(alice)
/// ```
public struct Scope: Hashable, Sendable, CustomStringConvertible {
    /// The tenant.
    public let tenantId: TenantID
    /// The user, when the caller acts for one.
    public let userId: UserID?

    /// Creates a scope.
    public init(tenant: TenantID, user: UserID? = nil) {
        self.tenantId = tenant
        self.userId = user
    }

    /// `tenant acme, user alice`.
    public var description: String {
        "tenant \(tenantId.rawValue)" + (userId.map { ", user \($0.rawValue)" } ?? "")
    }

    /// The scope after checking it: a non-empty tenant id and, if present, a non-empty user id, each at most
    /// 255 characters without `/ \ ? #` or control characters.
    ///
    /// - Throws: ``DomainError`` ``DomainError/Code/invalidScope``.
    public func validated() throws -> Scope {
        if let problem = Identifier.problem(tenantId.rawValue) {
            throw DomainError(.invalidScope, "the scope has no valid tenant id: \(problem)")
        }
        if let userId, let problem = Identifier.problem(userId.rawValue) {
            throw DomainError(.invalidScope, "the scope's user id is not valid: \(problem)")
        }
        return self
    }

    /// The user, or an ``DomainError/Code/invalidScope`` error naming what needs it.
    func requireUser(for what: String) throws -> UserID {
        guard let userId else {
            throw DomainError(.invalidScope, "\(what) needs a scope with a user id")
        }
        return userId
    }
}

/// Rules shared by the identifiers stored in item ids and partition keys.
enum Identifier {
    /// Why `value` is not a usable identifier, or `nil` when it is.
    static func problem(_ value: String) -> String? {
        if value.isEmpty { return "it is empty" }
        if value.unicodeScalars.count > 255 { return "it is longer than 255 characters" }
        if value.unicodeScalars.contains(where: { "/\\?#".unicodeScalars.contains($0) }) {
            return "it contains one of / \\ ? #"
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a control character"
        }
        return nil
    }
}
