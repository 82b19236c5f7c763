// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// One result of a query: a document, a projection or a value, as UTF-8 JSON.
public struct QueryResult: Sendable, CustomStringConvertible {
    /// The result as UTF-8 JSON.
    public let json: [UInt8]

    /// Decodes ``json``.
    public func value() throws -> JSONValue { try JSONReader.parse(json) }

    /// A short description that never prints the content (which may hold secrets).
    public var description: String { "QueryResult(\(json.count) bytes)" }
}

/// What a page cost.
public struct QueryMetrics: Sendable, Hashable {
    /// Index or document-table entries read.
    public var indexEntriesRead = 0
    /// Documents loaded (fetched and, unless the index answered everything, parsed).
    public var documentsLoaded = 0
    /// Results returned.
    public var resultCount = 0
}

/// One page of query results.
public struct QueryPage: Sendable {
    /// The results of this page (possibly fewer than asked for, even none).
    public let items: [QueryResult]
    /// The token for the next page, or `nil` when the query is complete.
    public let continuation: String?
    /// What this page cost.
    public let metrics: QueryMetrics
    private let describePlan: @Sendable () -> String

    /// The plan the query ran with (what `--explain` shows).
    public var plan: String { describePlan() }

    init(items: [QueryResult], continuation: String?, metrics: QueryMetrics, describePlan: @escaping @Sendable () -> String) {
        self.items = items
        self.continuation = continuation
        self.metrics = metrics
        self.describePlan = describePlan
    }
}
