// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteLMDB
import CosmoliteSQL
import CosmoliteStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one page of a planned query inside one read transaction.
///
/// Streaming queries (projections, filters, ORDER BY, TOP, OFFSET/LIMIT, DISTINCT with ORDER BY) stop when the
/// page is full and the next result is known to exist, and record where to resume; aggregates, GROUP BY and
/// DISTINCT without ORDER BY read everything and cannot be continued (as in Cosmos). A query over a FROM subquery
/// streams when the subquery does (``runOverSubquery(_:resume:inner:)``).
///
/// A class: the per-entry closures capture it by reference instead of copying the query and plan it holds.
final class QueryExecutor {
    let store: Store
    let query: Query
    let plan: QueryPlan
    let runtime: ContainerRuntime
    let evaluator: Evaluator
    let now: UInt64
    let maxItems: Int
    let maxBytes: Int
    /// Whether the page size is dynamic (`maxItemCount` -1): then a query that cannot be continued returns all its
    /// results in one page.
    let dynamicPageSize: Bool
    /// For a query over `FROM (subquery)`: what runs the subquery.
    let subquery: Subquery?
    /// When set, a streaming query hands each result to it instead of making a page: with the result's value and
    /// a function giving the position that would produce this result next (the place a page filling here would
    /// record). It returns `false` to stop the query. The executor of a FROM subquery runs with one, set by the
    /// query over it (``runOverSubquery(_:resume:inner:)``).
    var sink: ((JSONValue, () throws -> QueryPosition) throws -> Bool)?

    /// The query of `FROM (subquery)`, planned, and the evaluator of its expressions. A class: the executor and
    /// the page test whether a query has one on every page, which for a class is a pointer compare.
    final class Subquery {
        let query: Query
        let plan: QueryPlan
        let evaluator: Evaluator

        init(query: Query, plan: QueryPlan, evaluator: Evaluator) {
            self.query = query
            self.plan = plan
            self.evaluator = evaluator
        }
    }

    init(store: Store, query: Query, plan: QueryPlan, runtime: ContainerRuntime, evaluator: Evaluator, now: UInt64,
         maxItems: Int, maxBytes: Int, dynamicPageSize: Bool = false, subquery: Subquery? = nil) {
        self.dynamicPageSize = dynamicPageSize
        self.subquery = subquery
        self.store = store
        self.query = query
        self.plan = plan
        self.runtime = runtime
        self.evaluator = evaluator
        self.now = now
        self.maxItems = maxItems
        self.maxBytes = maxBytes
        starAliases = query.starAliases
    }
    /// The aliases a row binds, which `SELECT *` shows.
    private let starAliases: [String]
    /// The most entries examined in one page before returning (possibly short) with a continuation.
    let scanBudget = 50_000
    /// Result slots reserved up front (pages are usually small; large ones grow as usual).
    static let reservedResults = 128
    /// For a union plan: the branch whose entries are being visited, which a page's position records.
    private var currentBranch: UInt8 = 0
    /// For a union plan: the item a read parsed to see which disjunct holds, kept for the one ``parse(_:)`` of the
    /// same bytes that follows, so that the item is parsed once.
    private var parsedForUnion: (base: UnsafeRawPointer?, count: Int, value: JSONValue)?
    /// The first row ``forEachDocument(_:resume:metrics:_:)`` gives for an item a union's read leaves to another
    /// read (an earlier read's disjunct holds for it, or this read's does not: its index gave the item, but the
    /// first disjunct that holds, if any, is another's): none of its rows is produced, but the entry counts toward a
    /// page's scan budget and can be resumed after.
    static let takenByAnotherRead = Int.max

    struct Outcome {
        var results: [QueryResult]
        var position: QueryPosition?
        var metrics: QueryMetrics
    }

    private var isFullResult: Bool {
        query.select.distinct && plan.ranking == nil && !distinctFollowsOrder || !query.groupBy.isEmpty
            || hasAggregates
    }

    /// Whether DISTINCT can drop a result by comparing it with the one before it, and so page: the ORDER BY sorts
    /// equal results next to each other because its leading expressions are exactly the projected ones
    /// (`SELECT DISTINCT VALUE c.a ... ORDER BY c.a`, `SELECT DISTINCT c.a, c.b ... ORDER BY c.b, c.a, c.c`).
    /// Any other DISTINCT (`SELECT DISTINCT VALUE c.name ... ORDER BY c.age`) compares each result with all the
    /// earlier ones, in one page: the service's query plan calls those "Unordered" and gives them no continuation.
    private var distinctFollowsOrder: Bool {
        let projected: [Expression]
        switch query.select.projection {
        case .value(let e): projected = [e]
        case .items(let items): projected = items.map(\.expression)
        case .star: return false
        }
        let leading = query.orderBy.prefix(projected.count).map(\.expression)
        return leading.count == projected.count && Set(projected).count == projected.count
            && Set(leading) == Set(projected)
    }

    var hasAggregates: Bool {
        var calls = [Expression]()
        for e in query.select.projection.expressions { AggregateCalls.collect(e, into: &calls) }
        return !calls.isEmpty
    }


    /// Whether the document bytes can be returned as they are (SELECT * over the documents, nothing to check).
    private var passThrough: Bool {
        if sink == nil, case .star = query.select.projection, query.joins.isEmpty, query.from?.path == nil,
           query.from?.iteration == nil, plan.residual == nil, !query.select.distinct {
            return true
        }
        return false
    }

    // MARK: - Running

    /// Whether ``run(_:resume:)`` streams this query's results one item at a time (``runStreaming(_:resume:)``),
    /// so that a ``sink`` can take them: a query over the container's items that neither aggregates, groups,
    /// deduplicates without ORDER BY nor ranks.
    private var streamsItems: Bool {
        !isFullResult && query.from != nil && subquery == nil && plan.ranking == nil
    }

    /// The executor of the FROM subquery when both queries stream (``streamsItems``), else `nil`.
    private func streamingSubquery() -> QueryExecutor? {
        guard let subquery, !isFullResult else { return nil }
        let inner = QueryExecutor(store: store, query: subquery.query, plan: subquery.plan, runtime: runtime,
                                  evaluator: subquery.evaluator, now: now, maxItems: Int.max, maxBytes: Int.max / 2,
                                  dynamicPageSize: true)
        return inner.streamsItems ? inner : nil
    }

    func run(_ txn: borrowing Transaction, resume: QueryPosition?) throws -> Outcome {
        if let ranking = plan.ranking, !isFullResult, query.from != nil, subquery == nil {
            return try runRanked(txn, resume: resume, ranking: ranking)
        }
        if isFullResult || query.from == nil || subquery != nil {
            // (A position of format 4 reaches only queries over a FROM subquery: a token is bound to the query's
            // text.)
            if let inner = streamingSubquery() { return try runOverSubquery(txn, resume: resume, inner: inner) }
            if resume != nil {
                throw QueryError.badRequest("queries with GROUP BY, aggregates or DISTINCT not ordered by its "
                    + "projected values cannot be continued; run them without a continuation token")
            }
            return try runFull(txn)
        }
        return try runStreaming(txn, resume: resume)
    }

    private func runStreaming(_ txn: borrowing Transaction, resume: QueryPosition?) throws -> Outcome {
        let (offset, cap) = try pageLimits()
        var emitted = resume?.emitted ?? 0
        var skipped = resume?.skipped ?? 0
        var lastDistinct = resume?.lastDistinct ?? []
        var results = [QueryResult]()
        var bytes = 0
        var metrics = QueryMetrics()
        var stop: QueryPosition?
        var examined = 0
        let orderedDistinct = query.select.distinct

        if let cap, emitted >= cap { return Outcome(results: [], position: nil, metrics: metrics) }

        let passThrough = self.passThrough
        // Read once: the closure below tests it on every row.
        let hasSink = sink != nil
        // Pass-through documents are copied into one buffer the page's results share: one allocation per page.
        var pageBuffer = [UInt8]()
        var documentRanges = [Range<Int>]()
        if passThrough {
            documentRanges.reserveCapacity(min(maxItems, Self.reservedResults))
        } else {
            results.reserveCapacity(min(maxItems, Self.reservedResults))
        }
        // A full page needs only the next entry's key for its token. When every entry that reaches the load is an
        // item the page returns (SELECT * without a residual filter, in a container whose items never expire), the
        // page stops at that key without loading the item; and TOP, once reached, stops before any load.
        let entriesAreItems = passThrough && !runtime.itemsExpire
        try forEachDocument(txn, resume: resume, metrics: &metrics, stopsBeforeLoading: { key in
            guard passThrough, skipped >= offset else { return false }
            if let cap, emitted >= cap { return true }
            guard entriesAreItems, documentRanges.count >= maxItems || bytes >= maxBytes else { return false }
            stop = QueryPosition(branch: currentBranch, key: Array(key), rowsConsumed: 0, emitted: emitted,
                                 skipped: skipped, lastDistinct: [])
            return true
        }) { key, startRow, body, _ in
            examined += 1
            if passThrough {
                // The document is the only row, and nothing filters it: copy it only once it is sure to be kept.
                if startRow == 0 {
                    if skipped < offset {
                        skipped += 1
                    } else {
                        if let cap, emitted >= cap { return false }
                        if documentRanges.count >= maxItems || bytes >= maxBytes {
                            stop = QueryPosition(branch: currentBranch, key: Array(key), rowsConsumed: 0,
                                                 emitted: emitted, skipped: skipped, lastDistinct: [])
                            return false
                        }
                        if documentRanges.isEmpty {
                            // Room for a page of documents the size of the first one (and a quarter more).
                            let expected = min(maxItems, Self.reservedResults) * (body.count + body.count / 4)
                            pageBuffer.reserveCapacity(min(expected, maxBytes + body.count))
                        }
                        let start = pageBuffer.count
                        pageBuffer.append(contentsOf: body)
                        documentRanges.append(start..<pageBuffer.count)
                        bytes += body.count
                        emitted += 1
                    }
                }
            } else if startRow != Self.takenByAnotherRead {
                // Rows are made one at a time; every row past the first the page examines in a document counts
                // toward the scan budget, so that a large JOIN product is paged, with the position inside the item.
                let document = try parse(body)
                let completed = try evaluator.forEachRow(of: query, in: document, from: startRow) { row, bindings in
                    if row > startRow {
                        examined += 1
                        if examined >= scanBudget {
                            stop = QueryPosition(branch: currentBranch, key: Array(key),
                                                 rowsConsumed: try Self.rowNumber(row), emitted: emitted,
                                                 skipped: skipped, lastDistinct: orderedDistinct ? lastDistinct : [])
                            return false
                        }
                    }
                    if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return true }
                    guard let value = try project(bindings) else { return true }
                    let result = try Self.result(value)
                    let distinct = orderedDistinct ? Self.distinctKey(value) : []
                    if orderedDistinct && distinct == lastDistinct { return true }
                    if skipped < offset {
                        skipped += 1
                        if orderedDistinct { lastDistinct = distinct }
                        return true
                    }
                    if let cap, emitted >= cap { return false }
                    if hasSink {
                        // A FROM subquery's result, for the query over it.
                        guard try offer(value, key: key, row: row, emitted: emitted, skipped: skipped,
                                        lastDistinct: orderedDistinct ? lastDistinct : []) else { return false }
                        emitted += 1
                        if orderedDistinct { lastDistinct = distinct }
                        return true
                    }
                    if results.count >= maxItems || bytes >= maxBytes {
                        stop = QueryPosition(branch: currentBranch, key: Array(key),
                                             rowsConsumed: try Self.rowNumber(row), emitted: emitted,
                                             skipped: skipped, lastDistinct: orderedDistinct ? lastDistinct : [])
                        return false
                    }
                    results.append(result)
                    bytes += result.json.count
                    emitted += 1
                    if orderedDistinct { lastDistinct = distinct }
                    return true
                }
                if !completed { return false }
            }
            if examined >= scanBudget {
                // Bound a page's cost: resume after this document.
                stop = QueryPosition(branch: currentBranch, key: Array(key), rowsConsumed: .max, emitted: emitted,
                                     skipped: skipped, lastDistinct: orderedDistinct ? lastDistinct : [])
                return false
            }
            return true
        }
        if let cap, emitted >= cap { stop = nil }
        if passThrough {
            results = documentRanges.map { QueryResult(sharing: pageBuffer, range: $0) }
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: stop, metrics: metrics)
    }

    /// Hands a result to ``sink`` with the position that makes it again (the one a page filling here would record);
    /// `false` when the sink stops the query. Kept out of ``runStreaming(_:resume:)``'s loop, which pages run
    /// without a sink.
    @inline(never)
    private func offer(_ value: JSONValue, key: UnsafeRawBufferPointer, row: Int, emitted: UInt64, skipped: UInt64,
                       lastDistinct: [UInt8]) throws -> Bool {
        guard let sink else { return true }
        return try sink(value) {
            QueryPosition(branch: currentBranch, key: Array(key), rowsConsumed: try Self.rowNumber(row),
                          emitted: emitted, skipped: skipped, lastDistinct: lastDistinct)
        }
    }

    private func runFull(_ txn: borrowing Transaction) throws -> Outcome {
        var metrics = QueryMetrics()
        var aggregateCalls = [Expression]()
        for e in query.select.projection.expressions { AggregateCalls.collect(e, into: &aggregateCalls) }
        let groupBy = query.groupBy
        if !groupBy.isEmpty || !aggregateCalls.isEmpty {
            let allowed = Set(groupBy + aggregateCalls)
            for e in query.select.projection.expressions where !AggregateCalls.usesOnly(e, allowed: allowed) {
                throw QueryError.badRequest(groupBy.isEmpty
                    ? "a query with aggregates may only select aggregates and constants (add GROUP BY for the rest)"
                    : "the SELECT list of a GROUP BY query may only use GROUP BY expressions and aggregates")
            }
        }
        struct Group {
            var keys: [JSONValue?]
            var accumulators: [Accumulator]
        }
        var groups = [[UInt8]: Int]()
        var ordered = [Group]()
        var plain = [QueryResult]()
        var seen = Set<[UInt8]>()
        let grouping = !groupBy.isEmpty || !aggregateCalls.isEmpty
        if grouping && groupBy.isEmpty {
            ordered.append(Group(keys: [], accumulators: aggregateCalls.map { Accumulator(AggregateCalls.name($0)) }))
            groups[[]] = 0
        }
        /// Adds one row: to its group, or as a result.
        func take(_ bindings: Evaluator.Bindings) throws {
            if let residual = plan.residual, try !evaluator.holds(residual, bindings) { return }
            if grouping {
                let keys = try groupBy.map { try evaluator.evaluate($0, bindings) }
                var encoded = [UInt8]()
                for k in keys { OrderedEncoding.append(k.map(\.membersSorted), to: &encoded) }
                let index: Int
                if let existing = groups[encoded] {
                    index = existing
                } else {
                    index = ordered.count
                    groups[encoded] = index
                    let accumulators = aggregateCalls.map { Accumulator(AggregateCalls.name($0)) }
                    ordered.append(Group(keys: keys, accumulators: accumulators))
                }
                for (i, call) in aggregateCalls.enumerated() {
                    guard case .call(_, let arguments) = call, let argument = arguments.first else { continue }
                    ordered[index].accumulators[i].add(try evaluator.evaluate(argument, bindings))
                }
            } else if let value = try project(bindings) {
                let result = try Self.result(value)
                // Only DISTINCT deduplicates: the rows of a FROM subquery that does not stream come here too.
                if !query.select.distinct || seen.insert(Self.distinctKey(value)).inserted { plain.append(result) }
            }
        }
        if query.from == nil {
            // No FROM: one row that binds no alias (SELECT VALUE 1 + 1), as in Cosmos DB.
            try take([:])
        } else if let subquery, let from = query.from {
            // FROM (subquery): each of its results is a row, expanded by the JOINs.
            try forEachResult(of: subquery, txn, metrics: &metrics) { value in
                _ = try evaluator.forEachJoinedRow(query.joins, [from.alias: value]) { row in
                    try take(row)
                    return true
                }
            }
        } else if groupBy.isEmpty, let counted = try constantCountArguments(aggregateCalls),
                  case .scan(let scan) = plan.access {
            // Only COUNTs of constants over what the index selects exactly: count the entries, read no document.
            let items = try countEntries(txn, scan, metrics: &metrics)
            for (i, argument) in counted.enumerated() { ordered[0].accumulators[i].add(argument, times: items) }
        } else {
            try forEachDocument(txn, resume: nil, metrics: &metrics) { _, startRow, body, _ in
                guard startRow != Self.takenByAnotherRead else { return true }
                return try evaluator.forEachRow(of: query, in: try parse(body)) { _, bindings in
                    try take(bindings)
                    return true
                }
            }
        }
        var results = plain
        if grouping {
            results = []
            for group in ordered {
                var substituted = evaluator
                for (i, e) in groupBy.enumerated() { substituted.substitutions[e] = group.keys[i] }
                for (i, call) in aggregateCalls.enumerated() { substituted.substitutions[call] = group.accumulators[i].result }
                if let value = try project([:], with: substituted) {
                    let result = try Self.result(value)
                    if !query.select.distinct || seen.insert(Self.distinctKey(value)).inserted {
                        results.append(result)
                    }
                }
            }
        }
        let (offset, cap) = try pageLimits()
        results = Array(results.dropFirst(Int(offset)))
        if let cap { results = Array(results.prefix(Int(cap))) }
        if results.count > maxItems && !dynamicPageSize {
            let kind = if subquery != nil && !isFullResult {
                "queries over a FROM subquery that aggregates, groups or has DISTINCT (unless the outer query orders "
                    + "it)"
            } else if subquery != nil && query.select.distinct && query.groupBy.isEmpty && !hasAggregates {
                // Its ORDER BY, if any, runs inside the subquery (Query.movingOrderIntoSubquery()).
                "DISTINCT queries over a FROM subquery (ordered or not)"
            } else {
                "GROUP BY, aggregate and DISTINCT queries (unless ordered by the projected values: ORDER BY the "
                    + "DISTINCT VALUE's expression)"
            }
            throw QueryError.badRequest("this query returns \(results.count) results but \(kind) cannot be continued; "
                + "pass maxItemCount -1 or at least \(results.count)")
        }
        metrics.resultCount = results.count
        return Outcome(results: results, position: nil, metrics: metrics)
    }

    // MARK: - Counting from the index

    /// The values of the aggregates' arguments when the query only counts constants (`COUNT(1)`) over whole items
    /// that the plan selects exactly, in a container whose items never expire: then every index entry the plan
    /// reads stands for one live item (invariant 2), and counting entries answers without loading documents.
    /// `nil` otherwise.
    private func constantCountArguments(_ aggregateCalls: [Expression]) throws -> [JSONValue?]? {
        guard !aggregateCalls.isEmpty, plan.residual == nil, query.joins.isEmpty, query.from?.path == nil,
              query.from?.iteration == nil, !query.select.distinct, query.orderBy.isEmpty,
              !runtime.itemsExpire else {
            return nil
        }
        var values = [JSONValue?]()
        for call in aggregateCalls {
            guard case .call("COUNT", let arguments) = call, arguments.count == 1, Planner.isConstant(arguments[0])
            else { return nil }
            values.append(try evaluator.evaluate(arguments[0], [:]))
        }
        return values
    }

    /// The number of items a scan selects, from its entries alone (the partition filter applies to the entries'
    /// document keys).
    private func countEntries(_ txn: borrowing Transaction, _ scan: QueryPlan.Scan,
                              metrics: inout QueryMetrics) throws -> Int {
        let iterator = EntryIterator(scan: scan, dbs: store.dbs, containerPrefix: runtime.keyPrefix)
        let partitionFilter = plan.partitionFilter
        var items = 0
        var read = 0
        try iterator.forEach(txn, resume: nil) { _, documentKey, _ in
            read += 1
            if let partitionFilter, !Self.hasPrefix(documentKey, at: 4, partitionFilter) { return true }
            items += 1
            return true
        }
        metrics.indexEntriesRead += read
        return items
    }

    // MARK: - Documents and rows

    /// Visits the live documents of the plan in order; `body` gets the entry key, the first row to produce
    /// (resuming mid-document), the JSON body and the document key, and returns `false` to stop.
    ///
    /// `stopsBeforeLoading` sees the key of each entry that passed the entry-level checks (partition filter, ORDER
    /// BY value) before its document is loaded, for a plan of one scan and for the union branches that take every
    /// item they read; `true` stops there, without the load.
    func forEachDocument(
        _ txn: borrowing Transaction, resume: QueryPosition?, metrics: inout QueryMetrics,
        stopsBeforeLoading: (UnsafeRawBufferPointer) -> Bool = { _ in false },
        _ body: (UnsafeRawBufferPointer, Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        switch plan.access {
        case .none:
            return
        case .point(let key):
            if let resume, resume.rowsConsumed == .max { return }
            let start = Int(resume?.rowsConsumed ?? 0)
            metrics.indexEntriesRead += 1
            try key.withUnsafeBytes { k in
                guard let (fixed, record) = try store.liveDocument(txn, runtime, key: k, now: now) else { return }
                metrics.documentsLoaded += 1
                _ = try body(k, start, UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]), k)
            }
        case .scan(let scan):
            try forEachDocument(txn, scan, resume: resume, metrics: &metrics, stopsBeforeLoading: stopsBeforeLoading,
                                body)
        case .vectors(let read):
            // Only ranked plans read vector rows, and they read the whole scope: no position to resume from.
            var documentKey = [UInt8]()
            try txn.forEach(store.dbs.compositeIndex, prefix: read.prefix) { key, _ in
                metrics.indexEntriesRead += 1
                QueryPlan.VectorRead.documentKey(ofRow: key, into: &documentKey)
                return try documentKey.withUnsafeBytes { k in
                    guard let (fixed, record) = try store.liveDocument(txn, runtime, key: k, now: now) else { return true }
                    metrics.documentsLoaded += 1
                    return try body(key, 0, UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]), k)
                }
            }
        case .fullText(let read):
            // Only plans ranked by FullTextScore read postings (``runRanked(_:resume:ranking:)``); every item of the
            // scope is a row of theirs.
            let documentKey = runtime.keyPrefix + read.scope
            try txn.forEach(store.dbs.docs, prefix: documentKey) { key, record in
                metrics.indexEntriesRead += 1
                guard let fixed = try store.liveHeader(runtime, record: record, now: now) else { return true }
                metrics.documentsLoaded += 1
                return try body(key, 0, UnsafeRawBufferPointer(rebasing: record[fixed.bodyOffset...]), key)
            }
        case .union(let branches):
            let first = Int(resume?.branch ?? 0)
            guard first < branches.count else { throw QueryError.badRequest("the continuation token is malformed") }
            let alias = query.from?.alias ?? ""
            for k in first..<branches.count {
                currentBranch = UInt8(k)
                var stopped = false
                let takesEveryItem = branches[k].takesEveryItem
                // Only a branch that takes every item it reads may stop on an entry alone.
                try forEachDocument(txn, branches[k].scan, resume: k == first ? resume : nil, metrics: &metrics,
                                    stopsBeforeLoading: { key in
                                        stopped = takesEveryItem && stopsBeforeLoading(key)
                                        return stopped
                                    }) {
                    key, start, document, documentKey in
                    if takesEveryItem {
                        stopped = try !body(key, start, document, documentKey)
                        return !stopped
                    }
                    if let lacking = branches[k].lacking {
                        // Its own disjunct, and the index branch's (the only other), hold exactly when the path is
                        // undefined, respectively defined.
                        let defined = try Self.isDefined(lacking.path, selecting: lacking.first, in: document)
                        stopped = try !body(key, defined ? Self.takenByAnotherRead : start, document, documentKey)
                        return !stopped
                    }
                    // Each item is taken by the read of the first disjunct that holds for it. A read's index may give
                    // items its disjunct does not hold for (ARRAY_CONTAINS_ALL reads one of its values; a long string
                    // sorts by a prefix): such an item is left to the read of a disjunct that holds, or to none.
                    var row = start
                    let parsed = try parse(document)
                    let bindings: Evaluator.Bindings = [alias: parsed]
                    if try !evaluator.holds(branches[k].disjunct, bindings) {
                        row = Self.takenByAnotherRead
                    } else {
                        for earlier in branches[..<k] where try evaluator.holds(earlier.disjunct, bindings) {
                            row = Self.takenByAnotherRead
                            break
                        }
                    }
                    if row != Self.takenByAnotherRead {
                        parsedForUnion = (document.baseAddress, document.count, parsed)
                    }
                    stopped = try !body(key, row, document, documentKey)
                    return !stopped
                }
                if stopped { return }
            }
        }
    }

    /// Visits the live documents of one scan in order, as ``forEachDocument(_:resume:metrics:_:)`` describes.
    private func forEachDocument(
        _ txn: borrowing Transaction, _ scan: QueryPlan.Scan, resume: QueryPosition?, metrics: inout QueryMetrics,
        stopsBeforeLoading: (UnsafeRawBufferPointer) -> Bool,
        _ body: (UnsafeRawBufferPointer, Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let iterator = EntryIterator(scan: scan, dbs: store.dbs, containerPrefix: runtime.keyPrefix)
        let resumeKey = resume.map { ($0.key, $0.rowsConsumed != .max) }
        let partitionFilter = plan.partitionFilter
        var orderCheck: (component: QueryPlan.OrderComponent, descending: [Bool])?
        if let order = plan.orderComponent, case .compositeIndex(let descending) = scan.source {
            orderCheck = (order, descending)
        }
        let knownPrefix = (components: scan.prefixComponents, byteCount: scan.prefix.count)
        var loaded = 0
        var read = 0
        defer {
            metrics.indexEntriesRead += read
            metrics.documentsLoaded += loaded
        }
        try iterator.forEach(txn, resume: resumeKey) { key, documentKey, record in
            read += 1
            if let partitionFilter, !Self.hasPrefix(documentKey, at: 4, partitionFilter) { return true }
            if let orderCheck, !Self.acceptsOrderValue(key, orderCheck.component, descending: orderCheck.descending,
                                                       knownPrefix: knownPrefix) {
                return true
            }
            var start = 0
            if let resume, resume.rowsConsumed != .max, EntryIterator.compare(key, resume.key) == 0 {
                start = Int(resume.rowsConsumed)
            }
            if start == 0, stopsBeforeLoading(key) { return false }
            let document: (fixed: DocumentRecord.Fixed, record: UnsafeRawBufferPointer)?
            if let record {
                document = try store.liveHeader(runtime, record: record, now: now).map { ($0, record) }
            } else {
                document = try store.liveDocument(txn, runtime, key: documentKey, now: now)
            }
            guard let (fixed, bytes) = document else { return true }
            loaded += 1
            return try body(key, start, UnsafeRawBufferPointer(rebasing: bytes[fixed.bodyOffset...]), documentKey)
        }
    }

    /// Whether the item `document` has a value at the property path `path` (`first` selects `path[0]`), building only
    /// that top-level member.
    static func isDefined(_ path: [String], selecting first: JSONMemberSelection,
                          in document: UnsafeRawBufferPointer) throws -> Bool {
        try JSONReader.parseMembers(document, selecting: first)?.value(atPath: path) != nil
    }

    /// Whether `bytes[offset...]` starts with `prefix`.
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ prefix: [UInt8]) -> Bool {
        guard bytes.count - offset >= prefix.count else { return false }
        return prefix.withUnsafeBytes { p in
            p.isEmpty || memcmp(bytes.baseAddress! + offset, p.baseAddress!, p.count) == 0
        }
    }

    /// Whether a composite entry's ORDER BY component holds a value a range index would have (a scalar; undefined
    /// when the path is explicitly included; an array or an object unless some items lack those entries).
    ///
    /// `knownPrefix`: the leading components every scanned key shares and their byte count (from the container
    /// prefix on), which need no decoding.
    static func acceptsOrderValue(_ key: UnsafeRawBufferPointer, _ order: QueryPlan.OrderComponent,
                                  descending: [Bool], knownPrefix: (components: Int, byteCount: Int)) -> Bool {
        let component = order.index
        var offset = 12
        var first = 0
        if knownPrefix.components <= component {
            offset = knownPrefix.byteCount
            first = knownPrefix.components
        }
        for i in first..<component {
            guard let end = OrderedEncoding.componentEnd(in: key, from: offset, descending: descending[i]) else {
                return false
            }
            offset = end
        }
        guard offset < key.count else { return false }
        let tag = descending[component] ? ~key[offset] : key[offset]
        switch tag {
        case 0x02: return order.allowUndefined
        case 0x08, 0x09: return order.allowCompound
        default: return true
        }
    }

    /// Runs a FROM subquery to its end in this transaction, page after page (each bounded by the scan budget),
    /// and calls `body` with each result.
    private func forEachResult(of subquery: Subquery, _ txn: borrowing Transaction, metrics: inout QueryMetrics,
                               _ body: (JSONValue) throws -> Void) throws {
        var resume: QueryPosition?
        repeat {
            let executor = QueryExecutor(store: store, query: subquery.query, plan: subquery.plan, runtime: runtime,
                                         evaluator: subquery.evaluator, now: now, maxItems: Int.max,
                                         maxBytes: Int.max / 2, dynamicPageSize: true)
            let outcome = try executor.run(txn, resume: resume)
            metrics.indexEntriesRead += outcome.metrics.indexEntriesRead
            metrics.documentsLoaded += outcome.metrics.documentsLoaded
            for result in outcome.results { try body(try result.value()) }
            resume = outcome.position
        } while resume != nil
    }

    /// What DISTINCT compares: the ordered encoding of the value with its objects' members sorted
    /// (`JSONValue.membersSorted`), as Cosmos's DISTINCT and GROUP BY treat objects that differ only in member order.
    static func distinctKey(_ value: JSONValue) -> [UInt8] {
        var out = [UInt8]()
        OrderedEncoding.append(value.membersSorted, to: &out)
        return out
    }

    /// A row number for a position; the format keeps 32 bits.
    static func rowNumber(_ row: Int) throws -> UInt32 {
        guard row < Int(UInt32.max) else {
            throw QueryError.badRequest("an item makes more than \(UInt32.max - 1) rows through its JOINs; "
                + "narrow the JOINs (filter them in a JOIN subquery)")
        }
        return UInt32(row)
    }

    /// A projected value as a result, refused (400) when it nests arrays and objects deeper than a document may
    /// (128 levels): nothing could read it back.
    static func result(_ value: JSONValue) throws -> QueryResult {
        guard let json = JSONWriter.serialize(value, maxDepth: JSONReader.Options().maxDepth) else {
            throw QueryError.badRequest("a query result nests arrays and objects deeper than "
                + "\(JSONReader.Options().maxDepth) levels, the limit for documents; build shallower values")
        }
        return QueryResult(json: json)
    }

    func parse(_ body: UnsafeRawBufferPointer) throws -> JSONValue {
        if let parsed = parsedForUnion, parsed.base == body.baseAddress, parsed.count == body.count {
            parsedForUnion = nil
            return parsed.value
        }
        do { return try JSONReader.parse(body) } catch {
            throw StoreError(.corrupted, "a stored document is not valid JSON; run cosmolite verify")
        }
    }

    func project(_ bindings: Evaluator.Bindings, with custom: Evaluator? = nil) throws -> JSONValue? {
        try (custom ?? evaluator).project(query.select.projection, bindings, starAliases: starAliases)
    }

    /// The query's OFFSET (0 without one) and the most results it returns (TOP or LIMIT), if it says.
    func pageLimits() throws -> (offset: UInt64, cap: UInt64?) {
        let top = try count(query.select.top, "TOP")
        let offset = try count(query.offset, "OFFSET") ?? 0
        // TOP with OFFSET LIMIT: at most TOP of the results OFFSET LIMIT keeps.
        let limit = try count(query.limit, "LIMIT")
        guard let top, let limit else { return (offset, top ?? limit) }
        return (offset, min(top, limit))
    }

    /// A TOP / OFFSET / LIMIT count: a non-negative integer literal or parameter.
    func count(_ e: Expression?, _ clause: String) throws -> UInt64? {
        guard let e else { return nil }
        guard case .number(let n)? = try evaluator.evaluate(e, [:]), n >= 0, n == n.rounded(), n < 1e15 else {
            throw QueryError.badRequest("\(clause) takes a non-negative integer")
        }
        return UInt64(n)
    }
}
