// SPDX-License-Identifier: Apache-2.0

public import CosmoliteJSON
import CosmoliteSQL
public import CosmoliteStorage
import Dispatch
import Synchronization

extension Store {
    /// Runs one page of a Cosmos SQL query over a container.
    ///
    /// ```swift
    /// var token: String? = nil
    /// repeat {
    ///     let page = try store.query(in: "integrations",
    ///                                "SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.name",
    ///                                parameters: ["t": "acme"], maxItemCount: 20, continuation: token)
    ///     for result in page.items { print(try result.value()) }
    ///     token = page.continuation
    /// } while token != nil
    /// ```
    ///
    /// Each page is one short read transaction. The continuation token is stateless, signed and bound to the
    /// query text, its parameters and the partition key; a page resumes by seeking in the index, so page *k*
    /// costs the same as page 1, and an item that exists unchanged during the whole paging appears exactly once.
    ///
    /// - Parameters:
    ///   - text: The query (Cosmos DB NoSQL subset).
    ///   - parameters: Values of `@name` parameters, by name without `@`.
    ///   - partitionKey: Restricts the query to one logical partition (or, for hierarchical keys, a prefix).
    ///   - maxItemCount: The most results per page (default 100; -1 for a dynamic page size).
    ///   - continuation: The token of the previous page of the same query.
    /// - Throws: ``StoreError`` 400 for a syntax error (with line and column), an unknown function, a missing
    ///   parameter, an ORDER BY the indexes cannot serve, or a token of another query; 404 for a missing container.
    public func query(in container: String, _ text: String, parameters: [String: JSONValue] = [:],
                      partitionKey: PartitionKey? = nil, maxItemCount: Int? = nil,
                      continuation: String? = nil) throws -> QueryPage {
        let parsed = try QueryCache.shared.parse(text)
        let (itemLimit, byteLimit) = try Store.pageLimits(maxItemCount)
        let evaluator = Evaluator(parameters: parameters, now: configuration.clock())
        return try withQuerySnapshot(container: container) { txn, runtime, now in
            let plan = try Planner(query: parsed, runtime: runtime, evaluator: evaluator, explicitKey: partitionKey).plan()
            let binding = Self.queryBinding(runtime: runtime, text: text, parameters: parameters,
                                            partitionKey: partitionKey, plan: plan)
            let resume = try continuation.map { try QueryPosition(decoding: try self.openQueryToken($0, binding: binding)) }
            let executor = QueryExecutor(store: self, query: parsed, plan: plan, runtime: runtime, evaluator: evaluator,
                                         now: now, maxItems: itemLimit, maxBytes: byteLimit)
            let outcome = try executor.run(txn, resume: resume)
            let token = outcome.position.map { self.makeQueryToken(binding: binding, position: $0.encoded()) }
            return QueryPage(items: outcome.results, continuation: token, metrics: outcome.metrics,
                             describePlan: plan.describe)
        }
    }

    /// The plan a query would run with, without running it (what `cosmolite query --explain` prints).
    public func explain(in container: String, _ text: String, parameters: [String: JSONValue] = [:],
                        partitionKey: PartitionKey? = nil) throws -> String {
        let parsed = try QueryCache.shared.parse(text)
        let evaluator = Evaluator(parameters: parameters, now: configuration.clock())
        return try withQuerySnapshot(container: container) { _, runtime, _ in
            try Planner(query: parsed, runtime: runtime, evaluator: evaluator, explicitKey: partitionKey).plan().description
        }
    }

    /// Runs one page of a query. See ``query(in:_:parameters:partitionKey:maxItemCount:continuation:)``.
    public func query(in container: String, _ text: String, parameters: [String: JSONValue] = [:],
                      partitionKey: PartitionKey? = nil, maxItemCount: Int? = nil,
                      continuation: String? = nil) async throws -> QueryPage {
        try Task.checkCancellation()
        return try await withCheckedThrowingContinuation { result in
            queryQueue.async {
                result.resume(with: Result {
                    try self.query(in: container, text, parameters: parameters, partitionKey: partitionKey,
                                   maxItemCount: maxItemCount, continuation: continuation)
                })
            }
        }
    }

    /// What a continuation token is bound to: the container, the query text, its parameters, the partition key
    /// and the plan (a token from before an indexing-policy change that altered the plan is refused).
    static func queryBinding(runtime: ContainerRuntime, text: String, parameters: [String: JSONValue],
                             partitionKey: PartitionKey?, plan: QueryPlan) -> [UInt8] {
        var params = [UInt8]()
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            params.append(contentsOf: Array(name.utf8) + [0])
            OrderedEncoding.append(value, to: &params)
        }
        return ContinuationToken.binding([
            KeyLayout.containerPrefix(runtime.cid), Array(runtime.rid.utf8), Array(text.utf8), params,
            partitionKey?.fullEncoding ?? [0xFF], plan.fingerprint,
        ])
    }
}

private let queryQueue = DispatchQueue(label: "cosmolite.query", qos: .userInitiated, attributes: .concurrent)

/// Parsed queries by text: parsing is a pure function of the text, so a bounded process-wide memo is safe and
/// saves the parse on hot, repeated queries (every page of a paginated listing repeats its text).
final class QueryCache: Sendable {
    static let shared = QueryCache()
    private let entries = Mutex<[String: Query]>([:])
    private let limit = 512

    func parse(_ text: String) throws -> Query {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let query: Query
        do {
            query = try Query.parse(text)
        } catch {
            throw StoreError(.badRequest, error.message)
        }
        entries.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = query
        }
        return query
    }
}
