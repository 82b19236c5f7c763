// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON

/// One result of a query: a document, a projection or a value, as UTF-8 JSON.
///
/// The documents of one page are copied out of the store into one buffer that the page's results share (one
/// allocation per page instead of one per document); ``withJSONBytes(_:)`` reads a result in place, ``json`` hands
/// out an array of its own.
public struct QueryResult: Sendable, CustomStringConvertible {
    /// The buffer holding this result (and, for documents, the other documents of its page).
    private let storage: [UInt8]
    /// Where this result is in ``storage``.
    private let range: Range<Int>

    /// A result that owns its bytes.
    init(json: [UInt8]) {
        storage = json
        range = json.indices
    }

    /// A result stored at `range` of a page's shared buffer.
    init(sharing buffer: [UInt8], range: Range<Int>) {
        storage = buffer
        self.range = range
    }

    /// The result as UTF-8 JSON, in an array of its own.
    public var json: [UInt8] { range == storage.indices ? storage : Array(storage[range]) }

    /// The number of bytes of the result's JSON.
    public var jsonByteCount: Int { range.count }

    /// Calls `body` with the result's UTF-8 JSON in place, without copying it.
    ///
    /// The buffer is valid only during the call.
    public func withJSONBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Decodes the result's JSON.
    public func value() throws -> JSONValue { try withJSONBytes { try JSONReader.parse($0) } }

    /// A short description that never prints the content (which may hold secrets).
    public var description: String { "QueryResult(\(range.count) bytes)" }
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
