// SPDX-License-Identifier: Apache-2.0

/// An error from the Cosmolite engine, shaped like an Azure Cosmos DB response error.
///
/// Every failure carries a Cosmos-style HTTP ``status`` (400, 404, 409, 412, 413, 424, ...), an optional
/// Cosmos ``subStatus`` and a ``message`` that says what went wrong and how to fix it. The engine imports
/// no HTTP types: the status is a plain integer so that the command line and the HTTP service can map it.
///
/// A failed write leaves nothing behind: the engine throws before its LMDB transaction commits.
///
/// ```swift
/// do {
///     _ = try store.createItem(in: "integrations", json: body)
/// } catch let error as StoreError where error.code == .conflict {
///     print(error.message)   // "an item with id 'x' already exists in partition ["acme"]"
/// }
/// ```
///
/// - Warning: Messages never contain document bodies or secrets; they name ids, paths and fields only.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set of static members so that codes can be added later.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case badRequest, notFound, conflict, preconditionFailed, entityTooLarge, failedDependency
            case storageFull, corrupted, unavailable, internalError
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// 400: the request is malformed or violates a rule; the message names what to fix.
        public static let badRequest = Code(.badRequest)
        /// 404: the container or item does not exist (or has expired).
        public static let notFound = Code(.notFound)
        /// 409: an item with the same id, or the same unique-key values, already exists; or the container exists.
        public static let conflict = Code(.conflict)
        /// 412: an `If-Match` precondition failed because the item changed since it was read.
        public static let preconditionFailed = Code(.preconditionFailed)
        /// 413: the item or request exceeds a size limit.
        public static let entityTooLarge = Code(.entityTooLarge)
        /// 424: a batch operation was not applied because another operation of the same batch failed.
        public static let failedDependency = Code(.failedDependency)
        /// 507: the disk is full.
        public static let storageFull = Code(.storageFull)
        /// 500: the store file is damaged.
        public static let corrupted = Code(.corrupted)
        /// 503: the store cannot be used (locked, wrong format version, missing, permission denied).
        public static let unavailable = Code(.unavailable)
        /// 500: an unexpected internal failure.
        public static let internalError = Code(.internalError)

        /// The Cosmos DB HTTP status code for this kind of failure.
        public var status: Int {
            switch kind {
            case .badRequest: 400
            case .notFound: 404
            case .conflict: 409
            case .preconditionFailed: 412
            case .entityTooLarge: 413
            case .failedDependency: 424
            case .storageFull: 507
            case .corrupted, .internalError: 500
            case .unavailable: 503
            }
        }

        /// The HTTP reason phrase of ``status`` (for example `Conflict`).
        public var reason: String {
            switch kind {
            case .badRequest: "Bad Request"
            case .notFound: "Not Found"
            case .conflict: "Conflict"
            case .preconditionFailed: "Precondition Failed"
            case .entityTooLarge: "Request Entity Too Large"
            case .failedDependency: "Failed Dependency"
            case .storageFull: "Insufficient Storage"
            case .corrupted: "Internal Server Error"
            case .unavailable: "Service Unavailable"
            case .internalError: "Internal Server Error"
            }
        }

        /// A short identifier such as `badRequest`.
        public var description: String { "\(kind)" }
    }

    /// The kind of failure.
    public let code: Code
    /// The Cosmos DB sub-status where the service has one (for example 1001 for a partition-key mismatch).
    public let subStatus: Int?
    /// What went wrong and how to fix it.
    public let message: String
    /// The underlying error (for example an LMDB error), if any.
    public let cause: (any Error & Sendable)?
    /// Whether this 409 is a unique-key violation rather than an id that exists. The service answers both with 409;
    /// callers that must tell them apart read this, not the message.
    public private(set) var isUniqueKeyViolation = false

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong and how to fix it; must not contain secrets or document bodies.
    ///   - subStatus: The Cosmos DB sub-status, if any.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, subStatus: Int? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.subStatus = subStatus
        self.cause = cause
    }

    /// The HTTP status code (``Code/status``).
    public var status: Int { code.status }

    /// `STATUS REASON: message`, for example `409 Conflict: an item with id 'a' already exists ...`.
    public var description: String { "\(code.status) \(code.reason): \(message)" }
}

// MARK: - Factories

extension StoreError {
    static func badRequest(_ message: String, subStatus: Int? = nil) -> StoreError {
        StoreError(.badRequest, message, subStatus: subStatus)
    }
    static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    static func conflict(_ message: String) -> StoreError { StoreError(.conflict, message) }
    /// A 409 for a unique-key violation (``isUniqueKeyViolation``).
    static func uniqueKeyViolation(_ message: String) -> StoreError {
        var error = StoreError(.conflict, message)
        error.isUniqueKeyViolation = true
        return error
    }
    static func preconditionFailed(_ message: String) -> StoreError { StoreError(.preconditionFailed, message) }
    static func tooLarge(_ message: String) -> StoreError { StoreError(.entityTooLarge, message) }
    static func corrupted(_ message: String) -> StoreError { StoreError(.corrupted, message) }

    /// Cosmos sub-status 1001: the partition key given with the request does not match the document's.
    static let partitionKeyMismatchSubStatus = 1001
}
