// SPDX-License-Identifier: Apache-2.0

import CosmoliteStorage

/// An error of the integration services, with a code that maps onto the engine's HTTP-style statuses.
///
/// ```swift
/// do {
///     _ = try await platform.integrations.create(scope, IntegrationDraft(provider: "salesforce", name: "EU"))
/// } catch let error as DomainError where error.code == .conflict {
///     print(error.uniqueKey ?? [])   // ["/tenantId", "/providerName", "/name"]
/// } catch let error as DomainError where error.code == .validation {
///     for field in error.fieldErrors { print(field.field, field.message) }
/// }
/// ```
///
/// - Warning: Messages name ids, fields and states only. They never contain credentials, tokens, keys or the
///   body of a token endpoint's response.
public struct DomainError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set of static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case notFound, invalidScope, forbidden, conflict, validation, invalidTransition, preconditionFailed
            case refreshFailed, encryption, storage
        }
        private let kind: Kind
        private let storageStatus: Int
        private init(_ kind: Kind, storageStatus: Int = 500) {
            self.kind = kind
            self.storageStatus = storageStatus
        }

        /// 404: the item does not exist for this scope (another tenant's item is reported the same way).
        public static let notFound = Code(.notFound)
        /// 400: the scope lacks a tenant, or a user where one is needed.
        public static let invalidScope = Code(.invalidScope)
        /// 403: the item exists for the tenant but belongs to another user.
        public static let forbidden = Code(.forbidden)
        /// 409: a unique key (see ``DomainError/uniqueKey``) or the id is already taken.
        public static let conflict = Code(.conflict)
        /// 400: the input is invalid; ``DomainError/fieldErrors`` says which fields and why.
        public static let validation = Code(.validation)
        /// 409: the state change is not allowed from the current state (for example resuming a disabled sync).
        public static let invalidTransition = Code(.invalidTransition)
        /// 412: the item changed since it was read (its etag no longer matches).
        public static let preconditionFailed = Code(.preconditionFailed)
        /// 502: the OAuth token endpoint refused the refresh or could not be reached.
        public static let refreshFailed = Code(.refreshFailed)
        /// 500: credentials could not be encrypted or decrypted (for example their key is not configured).
        public static let encryption = Code(.encryption)

        /// Another failure of the store, with the store's status.
        static func storage(status: Int) -> Code { Code(.storage, storageStatus: status) }

        /// The HTTP status.
        public var status: Int {
            switch kind {
            case .notFound: 404
            case .invalidScope, .validation: 400
            case .forbidden: 403
            case .conflict, .invalidTransition: 409
            case .preconditionFailed: 412
            case .refreshFailed: 502
            case .encryption: 500
            case .storage: storageStatus
            }
        }

        /// The HTTP reason phrase of ``status``.
        public var reason: String {
            switch status {
            case 400: "Bad Request"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 409: "Conflict"
            case 412: "Precondition Failed"
            case 413: "Request Entity Too Large"
            case 424: "Failed Dependency"
            case 502: "Bad Gateway"
            case 503: "Service Unavailable"
            case 507: "Insufficient Storage"
            default: "Internal Server Error"
            }
        }

        /// A short identifier such as `notFound`.
        public var description: String { kind == .storage ? "storage(\(storageStatus))" : "\(kind)" }
    }

    /// A problem with one input field.
    public struct FieldError: Hashable, Sendable, CustomStringConvertible {
        /// The field, for example `name` or `oauthConfig.tokenUrl`.
        public let field: String
        /// What is wrong with it.
        public let message: String

        /// Creates a field error.
        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }

        /// `field: message`.
        public var description: String { "\(field): \(message)" }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong and how to fix it.
    public let message: String
    /// For ``Code/validation``: the fields at fault.
    public let fieldErrors: [FieldError]
    /// For ``Code/conflict``: the unique key's paths, for example `["/tenantId", "/providerName", "/name"]`.
    public let uniqueKey: [String]?
    /// The underlying error, if any (a ``StoreError``, a ``TokenRefreshError``, a crypto error).
    public let cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, fieldErrors: [FieldError] = [], uniqueKey: [String]? = nil,
                cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.uniqueKey = uniqueKey
        self.cause = cause
    }

    /// A validation error listing `fields`.
    public static func validation(_ what: String, _ fields: [FieldError]) -> DomainError {
        DomainError(.validation, "\(what): " + fields.map(\.description).joined(separator: "; "), fieldErrors: fields)
    }

    /// The HTTP status (``Code/status``).
    public var status: Int { code.status }

    /// `STATUS REASON: message`, for example `404 Not Found: integration 'x' does not exist for tenant acme`.
    public var description: String { "\(code.status) \(code.reason): \(message)" }
}

extension DomainError {
    /// Maps an engine error: 404, 409 and 412 keep their meaning; others keep the engine's status.
    ///
    /// - Parameter what: What was being done, prefixed to the message (`reading integration 'x'`).
    init(_ error: StoreError, _ what: String? = nil) {
        let message = what.map { "\($0): \(error.message)" } ?? error.message
        switch error.code {
        case .notFound: self.init(.notFound, message, cause: error)
        case .conflict: self.init(.conflict, message, cause: error)
        case .preconditionFailed: self.init(.preconditionFailed, message, cause: error)
        case .badRequest: self.init(.validation, message, cause: error)
        default: self.init(.storage(status: error.status), message, cause: error)
        }
    }

    /// Runs `body`, turning engine errors into domain errors.
    static func mapping<R>(_ what: String? = nil, _ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as StoreError {
            throw DomainError(error, what)
        }
    }
}
