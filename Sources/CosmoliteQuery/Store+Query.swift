// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
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
    ///   - maxItemCount: The most results per page (default 100; -1 for a dynamic page size, with which a query that
    ///     cannot be continued, GROUP BY, aggregates or DISTINCT without ORDER BY, returns all its results at once).
    ///   - continuation: The token of the previous page of the same query.
    /// - Throws: ``StoreError`` 400 for a syntax error (with line and column), an unknown function, a missing
    ///   parameter, an ORDER BY the indexes cannot serve, or a token of another query; 404 for a missing container.
    public func query(in container: String, _ text: String, parameters: [String: JSONValue] = [:],
                      partitionKey: PartitionKey? = nil, maxItemCount: Int? = nil,
                      continuation: String? = nil) throws -> QueryPage {
        let parsed = try QueryCache.shared.entry(text)
        let (itemLimit, byteLimit) = try Store.pageLimits(maxItemCount)
        let clock = configuration.clock()
        let encodedParameters = Self.encode(parameters)
        return try QueryError.reportingEvaluation {
            try withQuerySnapshot(container: container) { txn, runtime, now in
                let evaluator = Evaluator(parameters: parameters, now: clock, runtime: runtime, query: parsed.query)
                let planned = try PlanCache.shared.plan(
                    PlanCache.Key(cid: runtime.cid, query: parsed.serial, parameters: encodedParameters,
                                  partitionKey: partitionKey?.fullEncoding),
                    text: text, runtime: runtime, cacheable: !parsed.usesClock, memoized: parsed.memoized
                ) {
                    Planner(query: parsed.query, runtime: runtime, evaluator: evaluator, explicitKey: partitionKey)
                }
                let inner = try Self.subqueryPlan(parsed.query, parameters: parameters, now: clock, runtime: runtime,
                                                  partitionKey: partitionKey)
                // Read once a page at most: a page that resumes and continues needs it twice.
                var tokenBinding: [UInt8]?
                func binding() -> [UInt8] {
                    if let tokenBinding { return tokenBinding }
                    let made = Self.binding(planned, inner)
                    tokenBinding = made
                    return made
                }
                let resume = try continuation.map {
                    try QueryPosition(decoding: try self.openQueryToken($0, binding: binding()))
                }
                let executor = QueryExecutor(store: self, query: parsed.query, plan: planned.plan, runtime: runtime,
                                             evaluator: evaluator, now: now, maxItems: itemLimit, maxBytes: byteLimit,
                                             dynamicPageSize: maxItemCount == -1, subquery: inner)
                let outcome = try executor.run(txn, resume: resume)
                let token = outcome.position.map {
                    self.makeQueryToken(binding: binding(), position: $0.encoded())
                }
                var describePlan = planned.plan.describe
                if let describeInner = inner?.plan.describe {
                    let describeOuter = describePlan
                    describePlan = { describeOuter() + "; subquery: " + describeInner() }
                }
                return QueryPage(items: outcome.results, continuation: token, metrics: outcome.metrics,
                                 describePlan: describePlan)
            }
        }
    }

    /// What a query's tokens are bound to: its planned entry's binding, and for a query over a FROM subquery the
    /// subquery's plan too, since a position inside the subquery is a place in the subquery's scan. Made only when
    /// a token is read or made.
    static func binding(_ planned: PlanCache.Entry, _ subquery: QueryExecutor.Subquery?) -> [UInt8] {
        guard let subquery else { return planned.binding }
        return ContinuationToken.binding([planned.binding, subquery.plan.fingerprint])
    }

    /// Parameters in a canonical byte form (sorted by name), for plan-cache keys and token bindings.
    static func encode(_ parameters: [String: JSONValue]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64)
        func append(_ name: String, _ value: JSONValue) {
            out.append(contentsOf: name.utf8)
            out.append(0)
            OrderedEncoding.append(value, to: &out)
        }
        // One or two parameters (the common case) need no sorted copy of the dictionary.
        switch parameters.count {
        case 1:
            let only = parameters[parameters.startIndex]
            append(only.key, only.value)
        case 2:
            let a = parameters[parameters.startIndex]
            let b = parameters[parameters.index(after: parameters.startIndex)]
            let (first, second) = a.key < b.key ? (a, b) : (b, a)
            append(first.key, first.value)
            append(second.key, second.value)
        default:
            for (name, value) in parameters.sorted(by: { $0.key < $1.key }) { append(name, value) }
        }
        return out
    }

    /// The plan a query would run with, without running it (what `cosmolite query --explain` prints).
    public func explain(in container: String, _ text: String, parameters: [String: JSONValue] = [:],
                        partitionKey: PartitionKey? = nil) throws -> String {
        let parsed = try QueryCache.shared.parse(text)
        let clock = configuration.clock()
        return try QueryError.reportingEvaluation {
            try withQuerySnapshot(container: container) { _, runtime, _ in
                let evaluator = Evaluator(parameters: parameters, now: clock, runtime: runtime, query: parsed)
                let plan = try Planner(query: parsed, runtime: runtime, evaluator: evaluator, explicitKey: partitionKey)
                    .plan()
                let inner = try Self.subqueryPlan(parsed, parameters: parameters, now: clock, runtime: runtime,
                                                  partitionKey: partitionKey)
                return plan.description + (inner.map { "; subquery: " + $0.plan.description } ?? "")
            }
        }
    }

    /// For a query over `FROM (subquery)`: the subquery, its evaluator and its plan (planned afresh each time; the
    /// partition key restricts the subquery). `nil` for any other query.
    static func subqueryPlan(_ query: Query, parameters: [String: JSONValue], now: Double, runtime: ContainerRuntime,
                             partitionKey: PartitionKey?) throws -> QueryExecutor.Subquery? {
        guard let inner = query.from?.subquery?.query else { return nil }
        let evaluator = Evaluator(parameters: parameters, now: now, runtime: runtime, query: inner)
        let plan = try Planner(query: inner, runtime: runtime, evaluator: evaluator, explicitKey: partitionKey).plan()
        return QueryExecutor.Subquery(query: inner, plan: plan, evaluator: evaluator)
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
    static func queryBinding(runtime: ContainerRuntime, text: String, parameters: [UInt8],
                             partitionKey: [UInt8]?, plan: QueryPlan) -> [UInt8] {
        ContinuationToken.binding([
            runtime.keyPrefix, Array(runtime.rid.utf8), Array(text.utf8), parameters,
            partitionKey ?? [0xFF], plan.fingerprint,
        ])
    }
}

private let queryQueue = DispatchQueue(label: "cosmolite.query", qos: .userInitiated, attributes: .concurrent)

/// Parsed queries by text: parsing is a pure function of the text, so a bounded process-wide memo is safe and
/// saves the parse on hot, repeated queries (every page of a paginated listing repeats its text).
final class QueryCache: Sendable {
    /// A parsed query; a class, so that a hit costs one retain rather than a copy of the syntax tree.
    final class Entry: Sendable {
        /// The query as it runs: as parsed, with an ORDER BY of a FROM subquery's results moved into the subquery
        /// (``CosmoliteSQL/Query/movingOrderIntoSubquery()``).
        let query: Query
        /// Whether the query calls a current-time function (whose value a cached plan must not freeze).
        let usesClock: Bool
        /// A number no other entry of this process has: plans are cached under it instead of the query text,
        /// which saves hashing and comparing the text a second time on every page.
        let serial: UInt64
        /// Whether the memo keeps this entry: a text it does not keep gets a new serial number on every parse, so
        /// its plans are not cached either.
        let memoized: Bool

        init(query: Query, usesClock: Bool, serial: UInt64, memoized: Bool) {
            self.query = query
            self.usesClock = usesClock
            self.serial = serial
            self.memoized = memoized
        }
    }

    static let shared = QueryCache()
    private let entries = Mutex<[String: Entry]>([:])
    private let nextSerial = Atomic<UInt64>(1)
    private let limit = 512
    /// Longer texts are parsed every time; with ``limit``, this bounds the memo to 8 MB of text.
    static let maxCachedTextBytes = 16 * 1024

    /// Whether the memo holds `text` (for tests).
    func contains(_ text: String) -> Bool { entries.withLock { $0[text] != nil } }

    /// The parsed query.
    func parse(_ text: String) throws -> Query { try entry(text).query }

    /// The parsed query, and whether it calls a current-time function.
    func entry(_ text: String) throws -> Entry {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let query: Query
        do {
            // An ORDER BY of a FROM subquery's results runs inside the subquery (the parser has checked it maps).
            query = try Query.parse(text).movingOrderIntoSubquery()
        } catch {
            throw StoreError(.badRequest, error.message)
        }
        // A long text (a query with its values written in) is unlikely to repeat, and would make the memo large.
        let memoized = text.utf8.count <= Self.maxCachedTextBytes
        let entry = Entry(query: query, usesClock: text.lowercased().contains("getcurrent"),
                          serial: nextSerial.wrappingAdd(1, ordering: .relaxed).oldValue, memoized: memoized)
        guard memoized else { return entry }
        entries.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = entry
        }
        return entry
    }
}

/// Plans, cached at two levels, both keyed by the container and the query (its ``QueryCache`` entry's serial number,
/// which stands for its text):
/// - by parameter values and partition key: the plan itself. Planning costs more than reading a small page, and
///   paginated listings repeat the same query at the same values.
/// - by the query's ``Planner/Analysis/signature`` (its predicates' paths and value types, ORDER BY and scope):
///   which candidate won. A query at new values of the same signature (the next tenant, say) then costs an
///   analysis and the one candidate's key bounds, not a comparison of every index. Values that matter to
///   the choice are in the signature, so this gives the very plan full planning would.
///
/// An entry is used only with the very container runtime it was planned for, so any change of the container
/// (indexing policy included) plans again.
final class PlanCache: Sendable {
    struct Key: Hashable, Sendable {
        let cid: UInt32
        /// ``QueryCache/Entry/serial`` of the parsed query text.
        let query: UInt64
        let parameters: [UInt8]
        let partitionKey: [UInt8]?

        /// Hashes the byte strings in one call each (a synthesized `[UInt8]` hash combines byte by byte, which cost
        /// a few percent of a small query page).
        func hash(into hasher: inout Hasher) {
            hasher.combine(cid)
            hasher.combine(query)
            hasher.combineBytes(of: parameters)
            if let partitionKey { hasher.combineBytes(of: partitionKey) } else { hasher.combine(-1) }
        }
    }

    /// A query at any parameter values with one analysis signature.
    struct ShapeKey: Hashable, Sendable {
        let cid: UInt32
        let query: UInt64
        let signature: [UInt8]

        /// Hashes the signature in one call (see ``Key/hash(into:)``).
        func hash(into hasher: inout Hasher) {
            hasher.combine(cid)
            hasher.combine(query)
            hasher.combineBytes(of: signature)
        }
    }

    /// A planned query; a class, so that a hit costs one retain rather than a copy of the plan.
    final class Entry: Sendable {
        let runtime: ContainerRuntime
        let plan: QueryPlan
        private let text: String
        private let key: Key
        private let computedBinding = Mutex<[UInt8]?>(nil)

        init(runtime: ContainerRuntime, plan: QueryPlan, text: String, key: Key) {
            self.runtime = runtime
            self.plan = plan
            self.text = text
            self.key = key
        }

        /// The continuation-token binding (``Store/queryBinding(runtime:text:parameters:partitionKey:plan:)``),
        /// digested on first use: a query whose pages carry no token never needs it.
        var binding: [UInt8] {
            computedBinding.withLock { binding in
                if let binding { return binding }
                let digest = Store.queryBinding(runtime: runtime, text: text, parameters: key.parameters,
                                                partitionKey: key.partitionKey, plan: plan)
                binding = digest
                return digest
            }
        }
    }

    /// The candidate that won for a signature, and the runtime it was chosen under.
    private struct Choice: Sendable {
        let runtime: ContainerRuntime
        let choice: Planner.Choice
    }

    static let shared = PlanCache()
    private let entries = Mutex<[Key: Entry]>([:])
    private let choices = Mutex<[ShapeKey: Choice]>([:])
    private let limit = 4_096
    /// What one entry may hold: parameter values (and signatures) of at most this many bytes, plans of at most
    /// ``maxCachedIntervals`` key intervals. Larger ones (long `IN` lists, long values) are planned every time, so
    /// that, with ``limit``, the caches stay within some tens of megabytes however the queries look.
    static let maxCachedBytes = 2_048
    static let maxCachedIntervals = 16

    /// Whether the plan cache holds `key` (for tests).
    func contains(_ key: Key) -> Bool { entries.withLock { $0[key] != nil } }

    /// The plan of `key` (query `text` at the parameter values the key holds): from the cache when `cacheable`,
    /// else planned by `planner` (through the choice cache). `memoized`: whether the query's ``QueryCache`` entry
    /// (whose serial number the keys hold) is kept; when it is not, neither cache keeps anything for it.
    func plan(_ key: Key, text: String, runtime: ContainerRuntime, cacheable: Bool, memoized: Bool,
              planner: () -> Planner) throws -> Entry {
        let cachesPlan = cacheable && memoized
            && key.parameters.count + (key.partitionKey?.count ?? 0) <= Self.maxCachedBytes
        if cachesPlan, let hit = entries.withLock({ $0[key] }), hit.runtime === runtime { return hit }
        let entry = Entry(runtime: runtime, plan: try plan(planner(), key: key, cachesChoice: memoized), text: text,
                          key: key)
        if cachesPlan && entry.plan.intervalCount <= Self.maxCachedIntervals { insert(entry, for: key, into: entries) }
        return entry
    }

    /// Analyses the query at its values, then builds the candidate remembered for its signature, or plans in full
    /// and remembers the winner (when `cachesChoice`). Current-time values need no care here: the analysis is
    /// redone for every query.
    private func plan(_ planner: Planner, key: Key, cachesChoice: Bool) throws -> QueryPlan {
        let analysis = try planner.analyze()
        let shape = ShapeKey(cid: key.cid, query: key.query, signature: analysis.signature)
        if let hit = choices.withLock({ $0[shape] }), hit.runtime === planner.runtime,
           let plan = planner.plan(analysis, choice: hit.choice) {
            return plan
        }
        let (plan, choice) = try planner.plan(analysis)
        if cachesChoice && shape.signature.count <= Self.maxCachedBytes {
            insert(Choice(runtime: planner.runtime, choice: choice), for: shape, into: choices)
        }
        return plan
    }

    /// Adds an entry, emptying the map first when it is full (a bounded memo, not an LRU: refilling is cheap).
    private func insert<K: Hashable & Sendable, V: Sendable>(_ value: V, for key: K, into map: borrowing Mutex<[K: V]>) {
        map.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[key] = value
        }
    }
}

extension Hasher {
    /// Feeds a byte string's length and bytes in two calls.
    fileprivate mutating func combineBytes(of bytes: [UInt8]) {
        combine(bytes.count)
        bytes.withUnsafeBytes { combine(bytes: $0) }
    }
}
