// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
import CosmoliteStorage

/// Chooses how a query reads its documents: point read, composite index, range index (equality, range, string
/// prefix or `IN` list, in one partition or across partitions), the index of an array's elements, partition scan
/// or full scan.
///
/// The top-level AND terms of WHERE that an index can seek: comparisons and `BETWEEN` of a property with a
/// constant, `IN` lists of constants and ORs of equalities on one property, `STARTSWITH` (case-sensitive) and
/// `LIKE` up to the first wildcard, `ARRAY_CONTAINS` (`_ANY`, `_ALL`) of scalars, and ORs whose disjuncts are
/// each one of these (a union of reads).
///
/// Rules, after Cosmos DB:
/// - `ORDER BY` is always served by an index: one path needs that path range-indexed; several paths need a
///   composite index with the same sequence and the same or fully inverted directions (after a prefix of
///   equality-filtered paths). Otherwise the query gets Cosmos's 400.
/// - The WHERE condition is re-evaluated on every document unless the chosen access implies it exactly, so the
///   choice never changes results, only cost.
struct Planner {
    let query: Query
    let runtime: ContainerRuntime
    let evaluator: Evaluator
    let explicitKey: PartitionKey?

    /// A top-level conjunct of WHERE usable by an index.
    fileprivate enum Predicate {
        case equal(path: [String], value: JSONValue)
        case range(path: [String], lower: (JSONValue, inclusive: Bool)?, upper: (JSONValue, inclusive: Bool)?)
        /// Strings starting with `prefix`: `STARTSWITH(path, prefix)`, or `path LIKE pattern` up to the pattern's
        /// first wildcard. `complete` when the condition says no more than that (`STARTSWITH`, or a pattern that
        /// is the prefix and one trailing `%`): then a key range that holds the whole prefix implies it.
        case prefix(path: [String], prefix: String, complete: Bool)
        /// `path IN (v1, v2, ...)` with two or more scalar values: one equality interval per value.
        case anyOf(path: [String], values: [JSONValue])
        /// Arrays at `path` holding one of `values` (scalars), read from the index of the array's elements
        /// (`/path/[]`): `ARRAY_CONTAINS`, `ARRAY_CONTAINS_ANY`, ORs of them. `complete` when that is all the
        /// condition says; `ARRAY_CONTAINS_ALL` reads the arrays holding its first value and is checked per item.
        /// An array holding several of the values (or other long strings sharing one's key prefix) has an entry at
        /// each: the scan takes its item at its first entry for a value read (``QueryPlan/Scan/elementValues``).
        case element(path: [String], values: [JSONValue], complete: Bool)
        /// Items whose string at `path` holds one of `terms` (key components of analyzed terms), read from the
        /// postings of the path's full-text index: `FullTextContains` and `FullTextContainsAll` read the longest
        /// term of their phrases, `FullTextContainsAny` the longest of each phrase. `complete` when every phrase read
        /// is one term and finding one is all the condition asks; otherwise each item is checked.
        case fullText(path: [String], terms: [[UInt8]], complete: Bool)
        /// Items whose shape at `path` lies in one of `area`'s boxes: `ST_DISTANCE(path, shape) < d` (or `<=`),
        /// `ST_WITHIN(path, shape)`, `ST_INTERSECTS(path, shape)`, read from the cells of the path's spatial index
        /// (the boxes, and the key of the shapes that are not points); always checked per item.
        case spatial(path: [String], area: [GeoBox])

        var path: [String] {
            switch self {
            case .equal(let p, _), .range(let p, _, _), .prefix(let p, _, _), .anyOf(let p, _), .element(let p, _, _),
                 .fullText(let p, _, _), .spatial(let p, _): p
            }
        }

        var isElement: Bool {
            switch self {
            case .element: true
            case .equal, .range, .prefix, .anyOf, .fullText, .spatial: false
            }
        }

        var isFullText: Bool {
            if case .fullText = self { true } else { false }
        }

        var isSpatial: Bool {
            if case .spatial = self { true } else { false }
        }

        /// Whether this predicate bounds a key range (rather than fixing one value).
        var isRange: Bool {
            switch self {
            case .equal, .anyOf, .element, .fullText, .spatial: false
            case .range, .prefix: true
            }
        }

        var isPrefix: Bool {
            switch self {
            case .prefix: true
            case .equal, .range, .anyOf, .element, .fullText, .spatial: false
            }
        }

        /// Whether this is an `IN` list on `path`.
        func isAnyOf(_ path: [String]) -> Bool {
            if case .anyOf(let p, _) = self { return p == path }
            return false
        }
    }

    /// The index-usable conjuncts of WHERE, in conjunct order, with the equalities apart: planning looks
    /// equalities up by path several times per composite index.
    fileprivate struct Predicates {
        private(set) var all = [(index: Int, predicate: Predicate)]()
        private(set) var equalities = [(path: [String], index: Int, value: JSONValue)]()

        mutating func append(_ index: Int, _ predicate: Predicate) {
            all.append((index, predicate))
            if case .equal(let path, let value) = predicate { equalities.append((path, index, value)) }
        }
    }

    private struct Candidate {
        var access: QueryPlan.Access
        var cost: Double
        var consumed: Set<Int>
        var exact: Bool
        var restrictedToScope: Bool
        /// Built only when asked for (string building costs more than planning itself).
        var describe: @Sendable () -> String
        var orderComponent: QueryPlan.OrderComponent?
        /// Whether this candidate reads an index in ORDER BY order.
        var isIndexScan: Bool
    }

    /// One way to read a query's documents, named apart from the values it seeks: the same choice serves the same
    /// query at other parameter values of the same ``Analysis/signature``.
    enum Choice: Hashable, Sendable {
        /// Point read by id and the full partition key.
        case point
        /// The composite index at this position of the policy's composite indexes.
        case composite(Int)
        /// A range index (or, for the partition-key path and the id, `docs`) seeking the predicate of this conjunct.
        case range(conjunct: Int)
        /// The range index of the single ORDER BY path, without a predicate on it.
        case orderRange
        /// Partition or full scan of `docs`.
        case scan
        /// One read per disjunct of the OR at this conjunct (`c.a = 1 OR c.b = 2`), each through its own index.
        case union(conjunct: Int)
        /// The rows of the vector index `ORDER BY VectorDistance(...)` ranks by, in the partition scope.
        case vectors
        /// The postings of the full-text index `ORDER BY RANK FullTextScore(...)` ranks by.
        case fullText
    }

    /// The most disjuncts an OR read as a union may have (a page position records its read in one byte, and each
    /// later read tests the earlier disjuncts on its items).
    static let maxUnionReads = 16

    /// An OR among the top-level AND terms whose disjuncts each have an index-usable predicate (on different
    /// paths: an OR on one path is a single predicate).
    fileprivate struct Union {
        let conjunct: Int
        let branches: [(predicate: Predicate, disjunct: Expression)]
    }

    /// What a query asks for at its parameter values, as planning sees it: the index-usable predicates with their
    /// values, the ORDER BY paths and the partition scope.
    struct Analysis {
        fileprivate let conjunctCount: Int
        fileprivate let predicates: Predicates
        fileprivate let unions: [Union]
        fileprivate var order: [(path: [String], descending: Bool)]
        fileprivate let scope: [PartitionKey.Component]
        /// Conjuncts the scope came from (none for an explicit partition key).
        fileprivate let scopeConsumed: Set<Int>
        fileprivate let scopeBytes: [UInt8]
        fileprivate let explicitScope: Bool
        fileprivate let fullScope: Bool
        /// For `ORDER BY VectorDistance(...)`: how results are ranked.
        fileprivate var ranking: QueryPlan.Ranking?
        /// Everything the choice among candidates depends on that parameter values can change: per predicate its
        /// conjunct, kind, path and the JSON types of its values (and, for a range bound that is a long string, its
        /// escaped length); the ORDER BY paths; whether the partition key was given and the kinds of the scope's
        /// components. Candidates' costs and applicability depend on these alone, so queries with equal signatures
        /// (and the same text and container) have the same best ``Choice``.
        let signature: [UInt8]
    }

    // MARK: - Entry point

    /// Plans the query: analysis, then the cheapest candidate.
    func plan() throws -> QueryPlan {
        try plan(try analyze()).plan
    }

    /// Reads the query's predicates, ORDER BY and partition scope at the current parameter values.
    func analyze() throws -> Analysis {
        guard let from = query.from, from.subquery == nil else {
            // No FROM, or FROM (subquery): nothing to analyse; ``plan(_:)`` reads no item (the subquery is planned
            // on its own).
            return Analysis(conjunctCount: 0, predicates: Predicates(), unions: [], order: [], scope: [],
                            scopeConsumed: [], scopeBytes: [], explicitScope: explicitKey != nil, fullScope: false,
                            signature: [0xFE])
        }
        let rootAlias: String? = (from.path == nil && from.iteration == nil) ? from.alias : nil
        let conjuncts = query.whereClause.map(Self.conjuncts) ?? []
        var predicates = Predicates()
        var unions = [Union]()
        if rootAlias != nil {
            for (i, c) in conjuncts.enumerated() {
                guard case .binary(.or, _, _) = c else {
                    if let p = try predicate(c, rootAlias: rootAlias) { predicates.append(i, p) }
                    continue
                }
                // An OR is one predicate when its disjuncts read one path, else possibly a union of reads.
                let parts = try disjunctPredicates(c, rootAlias: rootAlias)
                if let p = Self.onePathPredicate(parts.map(\.predicate)) {
                    predicates.append(i, p)
                } else if parts.count <= Self.maxUnionReads {
                    let branches = parts.compactMap { part in part.predicate.map { ($0, part.disjunct) } }
                    if branches.count == parts.count { unions.append(Union(conjunct: i, branches: branches)) }
                }
            }
        }
        let ranking = try self.ranking()
        let order = ranking == nil ? try orderPaths(rootAlias: rootAlias) : []
        let pkPaths = runtime.partitionKeyPaths

        // Partition scope: the explicit key, or equality predicates on the leading partition-key paths.
        var scope = [PartitionKey.Component]()
        var scopeConsumed = Set<Int>()
        if let explicitKey {
            // A hierarchical key's leading levels scope the query to every partition under them.
            try runtime.definition.partitionKey.validate(explicitKey, prefix: true)
            scope = explicitKey.components
        } else {
            for path in pkPaths {
                guard let (i, value) = equality(on: path, in: predicates), let component = Self.component(value) else {
                    break
                }
                scope.append(component)
                scopeConsumed.insert(i)
            }
        }
        var scopeBytes = [UInt8]()
        PartitionKey(components: scope).appendKeyComponent(to: &scopeBytes, pathCount: pkPaths.count)
        var signature = Self.signature(predicates: predicates, unions: unions, order: order, scope: scope,
                                       explicitScope: explicitKey != nil)
        // Whether a vector index serves the ranking (the constant may be a vector at some values only) decides the
        // choice too.
        if ranking?.vectorIndex != nil { signature.append(0x56) }
        if ranking?.fullTextIndex != nil { signature.append(0x46) }
        return Analysis(conjunctCount: conjuncts.count, predicates: predicates, unions: unions, order: order,
                        scope: scope, scopeConsumed: scopeConsumed, scopeBytes: scopeBytes,
                        explicitScope: explicitKey != nil, fullScope: scope.count == pkPaths.count, ranking: ranking,
                        signature: signature)
    }

    /// Plans an analysed query: builds every candidate and keeps the cheapest (the first of equal costs).
    ///
    /// - Throws: 400 when the ORDER BY has no index that serves it.
    func plan(_ analysis: Analysis) throws -> (plan: QueryPlan, choice: Choice) {
        if readsNoItems { return (withoutSource, .scan) }
        if let vectors = vectorCandidate(analysis) { return (finish(vectors, analysis), .vectors) }
        if let postings = fullTextCandidate(analysis) { return (finish(postings, analysis), .fullText) }
        var best: (choice: Choice, candidate: Candidate)?
        var anyIndexScan = false
        for choice in choices(analysis) {
            guard let candidate = candidate(choice, analysis) else { continue }
            anyIndexScan = anyIndexScan || candidate.isIndexScan
            if best == nil || candidate.cost < best!.candidate.cost { best = (choice, candidate) }
        }
        if analysis.order.count > 1 && !anyIndexScan {
            throw QueryError.missingCompositeIndex(runtime: runtime)
        }
        guard let best else {
            throw QueryError.orderByNotIndexed("/" + (analysis.order.first?.path.joined(separator: "/") ?? ""),
                                               runtime: runtime)
        }
        return (finish(best.candidate, analysis), best.choice)
    }

    /// The plan of a choice made for another query with the same text and ``Analysis/signature``, built at this
    /// query's values; `nil` if the choice does not apply (then plan in full).
    func plan(_ analysis: Analysis, choice: Choice) -> QueryPlan? {
        if readsNoItems { return withoutSource }
        return candidate(choice, analysis).map { finish($0, analysis) }
    }

    /// Whether the query reads no item itself: it has no FROM, or its FROM is a subquery (planned on its own).
    private var readsNoItems: Bool { query.from == nil || query.from?.subquery != nil }

    /// The plan of a query without FROM (no item read, WHERE checked on the one row) or over a FROM subquery (its
    /// results are the rows; the subquery has a plan of its own).
    private var withoutSource: QueryPlan {
        let subquery = query.from?.subquery != nil
        return QueryPlan(access: .none, residual: query.whereClause, partitionFilter: nil,
                         describe: { subquery ? "the results of the FROM subquery" : "no FROM: one row, no item read" },
                         orderComponent: nil)
    }

    /// The candidates worth building, in the order planning compares them.
    private func choices(_ analysis: Analysis) -> [Choice] {
        var out = [Choice]()
        let order = analysis.order
        if analysis.fullScope && order.count <= 1 { out.append(.point) }
        let readsIndexes = runtime.readsIndexes
        if readsIndexes {
            out.append(contentsOf: runtime.readableComposites.indices.map { Choice.composite($0) })
        }
        if readsIndexes && order.count <= 1 {
            let orderPath = order.first?.path
            var orderRangeAdded = false
            for (i, predicate) in analysis.predicates.all {
                let path = predicate.path
                if predicate.isFullText {
                    // Postings are in term order: they serve no ORDER BY.
                    guard orderPath == nil, runtime.readableFullTextPaths.contains(where: { $0.properties == path })
                    else { continue }
                    out.append(.range(conjunct: i))
                    continue
                }
                if predicate.isSpatial {
                    // Spatial rows are in cell order: they serve no ORDER BY.
                    guard orderPath == nil, runtime.readableSpatialFrame(at: path) != nil else { continue }
                    out.append(.range(conjunct: i))
                    continue
                }
                if predicate.isElement {
                    // The elements' index is ordered by element value: it serves no ORDER BY.
                    guard orderPath == nil, runtime.isReadable(elementsOf: path) else { continue }
                    out.append(.range(conjunct: i))
                    continue
                }
                if let orderPath, path != orderPath { continue }
                if orderPath == nil && analysis.fullScope && runtime.partitionKeyPaths.contains(path) { continue }
                guard runtime.isReadable(properties: path) else { continue }
                out.append(.range(conjunct: i))
                orderRangeAdded = orderRangeAdded || orderPath != nil
            }
            if orderPath != nil && !orderRangeAdded { out.append(.orderRange) }
        }
        if order.isEmpty && readsIndexes {
            out.append(contentsOf: analysis.unions.map { Choice.union(conjunct: $0.conjunct) })
        }
        if order.isEmpty { out.append(.scan) }
        return out
    }

    /// Builds one candidate; `nil` when it cannot serve the query.
    private func candidate(_ choice: Choice, _ analysis: Analysis) -> Candidate? {
        let cid = runtime.keyPrefix
        let order = analysis.order
        switch choice {
        case .point:
            guard analysis.fullScope, order.count <= 1, let (i, value) = equality(on: ["id"], in: analysis.predicates),
                  case .string(let id) = value else { return nil }
            var key = cid + analysis.scopeBytes
            KeyLayout.appendID(id, to: &key)
            return Candidate(access: .point(documentKey: key), cost: 0,
                             consumed: analysis.scopeConsumed.union([i]), exact: true, restrictedToScope: true,
                             describe: { "point read (id and partition key)" }, isIndexScan: false)
        case .composite(let k):
            let composites = runtime.readableComposites
            guard runtime.readsIndexes, composites.indices.contains(k) else { return nil }
            return compositeCandidate(composites[k], predicates: analysis.predicates, order: order,
                                      scope: analysis.scope, explicitScope: analysis.explicitScope, cid: cid)
        case .range(let conjunct):
            guard order.count <= 1, let (i, predicate) = analysis.predicates.all.first(where: { $0.index == conjunct })
            else { return nil }
            if predicate.isFullText {
                guard order.isEmpty else { return nil }
                return fullTextPredicateCandidate((i, predicate), analysis)
            }
            if predicate.isSpatial {
                guard order.isEmpty else { return nil }
                return spatialCandidate((i, predicate), analysis)
            }
            if predicate.isElement {
                guard order.isEmpty else { return nil }
                return elementCandidate(path: predicate.path, predicate: (i, predicate), fullScope: analysis.fullScope,
                                        scopeBytes: analysis.scopeBytes, cid: cid)
            }
            return rangeCandidate(path: predicate.path, predicate: (i, predicate), reverse: order.first?.descending ?? false,
                                  fullScope: analysis.fullScope, scopeBytes: analysis.scopeBytes, cid: cid)
        case .orderRange:
            guard order.count == 1 else { return nil }
            return rangeCandidate(path: order[0].path, predicate: nil, reverse: order[0].descending,
                                  fullScope: analysis.fullScope, scopeBytes: analysis.scopeBytes, cid: cid)
        case .union(let conjunct):
            guard order.isEmpty, let union = analysis.unions.first(where: { $0.conjunct == conjunct }) else {
                return nil
            }
            return unionCandidate(union, analysis)
        case .vectors:
            return vectorCandidate(analysis)
        case .fullText:
            return fullTextCandidate(analysis)
        case .scan:
            guard order.isEmpty else { return nil }
            let prefix = cid + analysis.scopeBytes
            let partition = !analysis.scope.isEmpty
            return Candidate(
                access: .scan(QueryPlan.Scan(source: .documents, start: prefix, end: prefix.keyAfterPrefix ?? prefix + [0xFF],
                                             reverse: false, prefix: prefix)),
                cost: partition ? 3 : 10, consumed: analysis.scopeConsumed, exact: true, restrictedToScope: true,
                describe: { partition ? "partition scan" : "full scan" }, isIndexScan: false)
        }
    }

    /// For a query ranked by the vector distance to a constant over a path with a readable vector index: the read
    /// of that index's rows in the partition scope (every item with a vector there, scored from its row; items are
    /// read in rank order, WHERE checked on them). `nil` otherwise.
    private func vectorCandidate(_ analysis: Analysis) -> Candidate? {
        guard let vector = analysis.ranking?.vectorIndex else { return nil }
        let prefix = runtime.keyPrefix + vector.hash + analysis.scopeBytes
        let partition = !analysis.scope.isEmpty
        let path = "/" + vector.path.joined(separator: "/")
        return Candidate(
            access: .vectors(QueryPlan.VectorRead(prefix: prefix, query: vector.query)), cost: 0,
            consumed: analysis.scopeConsumed, exact: true, restrictedToScope: true,
            describe: { "vector index \(path)" + (partition ? " of the partition" : "") }, isIndexScan: true)
    }

    /// For a query ranked by `FullTextScore` over a path with a readable full-text index: the read of its postings
    /// in the partition scope (items holding a phrase scored from them, then read in rank order, WHERE checked on
    /// them; the other items of the scope after them). `nil` otherwise.
    private func fullTextCandidate(_ analysis: Analysis) -> Candidate? {
        guard let ranking = analysis.ranking, let index = ranking.fullTextIndex,
              case .fullText(_, let score)? = ranking.components.first else { return nil }
        let phrases = score.phrases.map { phrase in
            phrase.tokens.map { (term: KeyLayout.fullTextTerm($0.term), offset: $0.position) }
        }
        let read = QueryPlan.FullTextRead(index: runtime.keyPrefix + index.hash,
                                          counterKey: KeyLayout.fullTextCounterKey(runtime.cid, hash: index.hash),
                                          scope: analysis.scopeBytes, phrases: phrases)
        let partition = !analysis.scope.isEmpty
        let path = "/" + index.path.joined(separator: "/")
        return Candidate(
            access: .fullText(read), cost: 0, consumed: analysis.scopeConsumed, exact: true, restrictedToScope: true,
            describe: { "full-text index \(path)" + (partition ? " of the partition" : "") }, isIndexScan: true)
    }

    /// A single-path ORDER BY read from a range index that has no entries for the items lacking the path (a path
    /// covered by a wildcard such as the default `/*`, not explicitly included): those items are results too, as
    /// in the service ("Queries with ORDER BY return all items, including items where the property in the ORDER BY
    /// clause isn't defined", order-by.md), first in ascending order and last in descending order. They are read
    /// the way the query would be without its ORDER BY (a partition or full scan, or an index a WHERE predicate
    /// selects), keeping those that lack the path, before or after the index's items.
    ///
    /// `nil` when nothing is missing: the path is explicitly included (its index has undefined entries), the read is
    /// not a range index of the path, or a WHERE predicate on the path already leaves out the items lacking it.
    private func readingUndefinedToo(_ ordered: Candidate, _ analysis: Analysis) -> Candidate? {
        guard analysis.order.count == 1, let orderItem = query.orderBy.first, let from = query.from,
              from.path == nil, from.iteration == nil, case .scan(let scan) = ordered.access else { return nil }
        switch scan.source {
        case .partitionIndex, .globalIndex: break
        case .documents, .compositeIndex: return nil
        }
        let path = analysis.order[0].path
        // `id` and `_ts` are in every item.
        guard path != ["id"], path != ["_ts"], !runtime.hasUndefinedEntries(properties: path),
              !analysis.predicates.all.contains(where: { $0.predicate.path == path }) else { return nil }
        var unordered = analysis
        unordered.order = []
        var missing: (candidate: Candidate, scan: QueryPlan.Scan)?
        for choice in choices(unordered) {
            guard let candidate = candidate(choice, unordered), case .scan(let read) = candidate.access else {
                continue
            }
            if missing == nil || candidate.cost < missing!.candidate.cost { missing = (candidate, read) }
        }
        guard let missing else { return nil }
        let isDefined = Expression.call(name: "IS_DEFINED", arguments: [orderItem.expression])
        let lacking = QueryPlan.Branch(scan: missing.scan, disjunct: .unary(.not, isDefined),
                                       lacking: (path, JSONMemberSelection([path[0]])))
        let indexed = QueryPlan.Branch(scan: scan, disjunct: isDefined, takesEveryItem: true)
        let descending = analysis.order[0].descending
        let describeIndexed = ordered.describe, describeMissing = missing.candidate.describe
        let name = "/" + path.joined(separator: "/")
        return Candidate(
            access: .union(descending ? [indexed, lacking] : [lacking, indexed]),
            cost: ordered.cost + missing.candidate.cost,
            consumed: ordered.consumed.intersection(missing.candidate.consumed),
            exact: ordered.exact && missing.candidate.exact,
            restrictedToScope: ordered.restrictedToScope && missing.candidate.restrictedToScope,
            describe: {
                let lacking = "items without \(name) by " + describeMissing()
                return descending ? describeIndexed() + ", then " + lacking
                                  : lacking + ", then " + describeIndexed()
            },
            orderComponent: ordered.orderComponent, isIndexScan: ordered.isIndexScan)
    }

    /// The plan of the chosen candidate: what of WHERE it leaves to check per row, and whether it needs the
    /// partition filter.
    private func finish(_ chosen: Candidate, _ analysis: Analysis) -> QueryPlan {
        let best = readingUndefinedToo(chosen, analysis) ?? chosen
        var consumed = best.consumed
        if best.restrictedToScope { consumed.formUnion(analysis.scopeConsumed) }
        let covered = best.exact && consumed.isSuperset(of: 0..<analysis.conjunctCount)
        let needsPartitionFilter = !analysis.scope.isEmpty && !best.restrictedToScope
        let describeAccess = best.describe
        let hasWhere = query.whereClause != nil
        let ranking = analysis.ranking
        return QueryPlan(access: best.access, residual: covered ? nil : query.whereClause,
                         partitionFilter: needsPartitionFilter ? analysis.scopeBytes : nil,
                         describe: {
                             describeAccess() + (needsPartitionFilter ? "; partition filter" : "")
                                 + (covered || !hasWhere ? "; no residual filter" : "; residual filter: WHERE")
                                 + (ranking.map { "; " + $0.description } ?? "")
                         },
                         orderComponent: best.orderComponent, ranking: ranking)
    }

    /// See ``Analysis/signature``.
    private static func signature(predicates: Predicates, unions: [Union], order: [(path: [String], descending: Bool)],
                                  scope: [PartitionKey.Component], explicitScope: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64)
        func append(_ path: [String]) {
            for name in path {
                out.append(contentsOf: name.utf8)
                out.append(0)
            }
            out.append(0xFF)
        }
        // A range bound that is a string longer than the shortest key bound is told apart by its escaped length:
        // whether it is truncated decides whether the predicate is exact, and that whether some composite
        // indexes apply at all.
        func appendLengthClass(_ text: String) {
            let length = OrderedEncoding.escapedLength(text)
            let lengthClass = length <= KeyLayout.shortestStringBound
                ? 0 : min(length, KeyLayout.longestStringBound + 1)
            out.append(UInt8(truncatingIfNeeded: lengthClass))
            out.append(UInt8(truncatingIfNeeded: lengthClass >> 8))
        }
        func appendType(_ bound: (JSONValue, inclusive: Bool)?) {
            guard let (value, inclusive) = bound else { return out.append(0) }
            out.append(typeTag(value))
            out.append(inclusive ? 1 : 0)
            if case .string(let text) = value { appendLengthClass(text) }
        }
        func appendPredicate(_ predicate: Predicate) {
            switch predicate {
            case .equal(let path, let value):
                out.append(1)
                out.append(typeTag(value))
                append(path)
            case .range(let path, let lower, let upper):
                out.append(2)
                appendType(lower)
                appendType(upper)
                append(path)
            case .prefix(let path, let prefix, let complete):
                // As for a range bound, whether the range implies the condition depends on the prefix's length.
                out.append(3)
                out.append(complete ? 1 : 0)
                appendLengthClass(prefix)
                append(path)
            case .anyOf(let path, let values):
                // The number of values sets the cost; long strings, whether the intervals imply the condition.
                out.append(4)
                out.append(UInt8(truncatingIfNeeded: values.count))
                out.append(UInt8(truncatingIfNeeded: values.count >> 8))
                for value in values { appendType((value, true)) }
                append(path)
            case .element(let path, let values, let complete):
                out.append(5)
                out.append(complete ? 1 : 0)
                out.append(UInt8(truncatingIfNeeded: values.count))
                out.append(UInt8(truncatingIfNeeded: values.count >> 8))
                for value in values { appendType((value, true)) }
                append(path)
            case .fullText(let path, let terms, let complete):
                // Whether the read implies the condition, and how many terms it reads.
                out.append(6)
                out.append(complete ? 1 : 0)
                out.append(UInt8(truncatingIfNeeded: terms.count))
                out.append(UInt8(truncatingIfNeeded: terms.count >> 8))
                append(path)
            case .spatial(let path, _):
                out.append(7)
                append(path)
            }
        }
        for (index, predicate) in predicates.all {
            out.append(UInt8(truncatingIfNeeded: index))
            out.append(UInt8(truncatingIfNeeded: index >> 8))
            appendPredicate(predicate)
        }
        // Each OR the planner could read as a union, with its disjuncts' predicates.
        for union in unions {
            out.append(0xFC)
            out.append(UInt8(truncatingIfNeeded: union.conjunct))
            out.append(UInt8(truncatingIfNeeded: union.conjunct >> 8))
            for branch in union.branches { appendPredicate(branch.predicate) }
        }
        out.append(0xFE)
        for (path, descending) in order {
            out.append(descending ? 1 : 0)
            append(path)
        }
        out.append(explicitScope ? 0xFD : 0xFE)
        for component in scope {
            switch component {
            case .undefined: out.append(2)
            case .null: out.append(3)
            case .bool: out.append(4)
            case .number: out.append(6)
            case .string: out.append(7)
            }
        }
        return out
    }

    // MARK: - Candidates

    private func compositeCandidate(_ composite: CompiledIndexingPolicy.Composite, predicates: Predicates,
                                    order: [(path: [String], descending: Bool)], scope: [PartitionKey.Component],
                                    explicitScope: Bool, cid: [UInt8]) -> Candidate? {
        let pkPaths = runtime.partitionKeyPaths
        var prefix = cid + composite.hash
        var consumed = Set<Int>()
        var exact = true
        // The leading paths an equality (or the partition scope) fixes.
        var fixed = [(value: JSONValue, predicate: Int?, isScope: Bool)]()
        for path in composite.paths {
            if let k = pkPaths.firstIndex(of: path), k < scope.count, let v = scope[k].jsonValue {
                fixed.append((v, explicitScope ? nil : equality(on: path, in: predicates)?.0, true))
            } else if let (i, v) = equality(on: path, in: predicates) {
                fixed.append((v, i, false))
            } else {
                break
            }
        }
        if !order.isEmpty, let merged = mergeCandidate(composite, fixed: fixed, predicates: predicates, order: order,
                                                      scope: scope, cid: cid) {
            return merged
        }
        var j = fixed.count
        var reverse = false
        if !order.isEmpty {
            // The longest equality prefix after which the ORDER BY paths follow in sequence.
            guard let at = (0...j).reversed().first(where: { Self.orderDirection(order, in: composite, at: $0) != nil })
            else { return nil }
            j = at
            reverse = Self.orderDirection(order, in: composite, at: at)!
        }
        let fixedPrefix = Self.appendFixed(fixed.prefix(j), of: composite, to: &prefix)
        if !fixedPrefix.exact { exact = false }
        consumed.formUnion(fixedPrefix.consumed)
        let scopeCovered = fixedPrefix.scopeCovered
        var names = fixedPrefix.names
        let coversScope = scopeCovered == scope.count
        var start = prefix
        var end = prefix.keyAfterPrefix ?? prefix + [0xFF]
        // A range on the next path (the first ORDER BY path, or any path without ORDER BY).
        if j < composite.paths.count, let (i, predicate) = predicates.all.first(where: {
            $0.predicate.isRange && $0.predicate.path == composite.paths[j]
        }) {
            if let bounds = interval(prefix: prefix, predicate: predicate, bound: composite.stringBound,
                                     descending: composite.descending[j]) {
                start = bounds.start
                end = bounds.end
                if bounds.exact { consumed.insert(i) } else { exact = false }
                names.append(["range "] + composite.paths[j])
            }
        }
        if order.isEmpty && j == 0 && consumed.isEmpty { return nil }
        // Without ORDER BY a composite only helps through equalities beyond the partition key (a partition scan
        // reads the same documents more cheaply) or a range on the next path.
        let selective = j - scopeCovered
        let ranged = names.count > j
        if order.isEmpty && selective == 0 && !ranged { return nil }
        let cost = order.isEmpty
            ? max(0.5, 3.5 - 1.5 * Double(selective) - (ranged ? 0.5 : 0))
            : max(0.5, 5 - 1.5 * Double(j))
        return Candidate(
            access: .scan(QueryPlan.Scan(source: .compositeIndex(descending: composite.descending), start: start, end: end,
                                         reverse: reverse, prefix: prefix, prefixComponents: j)),
            cost: cost, consumed: consumed, exact: exact, restrictedToScope: coversScope,
            describe: { [names, reverse] in
                let paths = composite.paths.enumerated().map { i, p in
                    "/" + p.joined(separator: "/") + (composite.descending[i] ? " DESC" : " ASC")
                }.joined(separator: ", ")
                let seek = names.map { n in n.first == "range " ? "range /" + n.dropFirst().joined(separator: "/")
                                                                 : "/" + n.joined(separator: "/") }
                return "composite index (\(paths))" + (seek.isEmpty ? "" : " seek \(seek.joined(separator: ", "))")
                    + (reverse ? ", reverse" : "")
            },
            orderComponent: order.count == 1 ? orderComponent(at: j) : nil,
            isIndexScan: !order.isEmpty)
    }

    /// Whether the ORDER BY paths follow in `composite` from path `at` on: `false` in the index's directions,
    /// `true` all inverted (a reverse scan), `nil` when they do not.
    private static func orderDirection(_ order: [(path: [String], descending: Bool)],
                                       in composite: CompiledIndexingPolicy.Composite, at: Int) -> Bool? {
        guard at + order.count <= composite.paths.count else { return nil }
        let same = order.indices.allSatisfy {
            composite.paths[at + $0] == order[$0].path && composite.descending[at + $0] == order[$0].descending
        }
        let inverted = order.indices.allSatisfy {
            composite.paths[at + $0] == order[$0].path && composite.descending[at + $0] != order[$0].descending
        }
        return same ? false : (inverted ? true : nil)
    }

    /// Appends the key components of a composite index's leading paths that equalities (or the partition scope)
    /// fix; returns whether they are exact (no string cut short), the predicates they consume, how many are the
    /// scope's, and their paths (for `--explain`).
    private static func appendFixed(_ fixed: ArraySlice<(value: JSONValue, predicate: Int?, isScope: Bool)>,
                                    of composite: CompiledIndexingPolicy.Composite, to prefix: inout [UInt8])
        -> (exact: Bool, consumed: Set<Int>, scopeCovered: Int, names: [[String]]) {
        var exact = true
        var consumed = Set<Int>()
        var scopeCovered = 0
        var names = [[String]]()
        for (k, entry) in fixed.enumerated() {
            let mark = prefix.count
            KeyLayout.appendValue(entry.value, bound: composite.stringBound, descending: composite.descending[k],
                                  to: &prefix)
            if isTruncated(prefix[mark...], descending: composite.descending[k]) { exact = false }
            if let p = entry.predicate { consumed.insert(p) }
            if entry.isScope { scopeCovered += 1 }
            names.append(composite.paths[k])
        }
        return (exact, consumed, scopeCovered, names)
    }

    /// The most values of an `IN` list whose intervals a composite scan merges.
    static let maxMergedValues = 32

    /// A composite index serving an `ORDER BY` through an `IN` list: the index's leading paths are fixed by
    /// equalities (or the partition scope), the next one by `IN (v1, ..., vk)`, and the ORDER BY paths follow, all in
    /// the index's directions or all inverted. Each value's entries are in ORDER BY order, so the scan reads one
    /// interval per value and merges them (``QueryPlan/Scan/merged``): the index serves the order, without a sort
    /// and without reading the items of other values. `nil` when the index has no such shape for the query.
    private func mergeCandidate(_ composite: CompiledIndexingPolicy.Composite,
                                fixed: [(value: JSONValue, predicate: Int?, isScope: Bool)], predicates: Predicates,
                                order: [(path: [String], descending: Bool)], scope: [PartitionKey.Component],
                                cid: [UInt8]) -> Candidate? {
        let j = fixed.count
        guard j < composite.paths.count,
              let (i, predicate) = predicates.all.first(where: { $0.predicate.isAnyOf(composite.paths[j]) }),
              case .anyOf(_, let values) = predicate, values.count <= Self.maxMergedValues else { return nil }
        // Equalities may fix more paths after the IN one; the ORDER BY paths follow them, all in the index's
        // directions or all inverted (the latest such start, as more equalities read fewer entries).
        var equalitiesAfter = [(value: JSONValue, predicate: Int)]()
        while j + 1 + equalitiesAfter.count < composite.paths.count,
              let (k, v) = equality(on: composite.paths[j + 1 + equalitiesAfter.count], in: predicates) {
            equalitiesAfter.append((v, k))
        }
        let starts = (j + 1...j + 1 + equalitiesAfter.count).reversed()
        guard let orderAt = starts.first(where: { Self.orderDirection(order, in: composite, at: $0) != nil }),
              let inverted = Self.orderDirection(order, in: composite, at: orderAt) else { return nil }
        equalitiesAfter.removeLast(j + 1 + equalitiesAfter.count - orderAt)
        var prefix = cid + composite.hash
        let fixedPrefix = Self.appendFixed(fixed[...], of: composite, to: &prefix)
        var consumed = fixedPrefix.consumed.union([i])
        var exact = fixedPrefix.exact
        let scopeCovered = fixedPrefix.scopeCovered
        var names = fixedPrefix.names
        // One interval per distinct value key. A long string's key keeps its digest, so its interval holds that
        // string's entries alone (the residual filter still checks it, as the key is not the whole string).
        var intervals = [QueryPlan.Interval]()
        var seen = Set<[UInt8]>()
        for value in values {
            if case .array = value { return nil }
            if case .object = value { return nil }
            var start = prefix
            KeyLayout.appendValue(value, bound: composite.stringBound, descending: composite.descending[j], to: &start)
            if Self.isTruncated(start[prefix.count...], descending: composite.descending[j]) { exact = false }
            for (k, (after, _)) in equalitiesAfter.enumerated() {
                let mark = start.count
                KeyLayout.appendValue(after, bound: composite.stringBound, descending: composite.descending[j + 1 + k],
                                      to: &start)
                if Self.isTruncated(start[mark...], descending: composite.descending[j + 1 + k]) { exact = false }
            }
            guard seen.insert(start).inserted else { continue }
            intervals.append(QueryPlan.Interval(start: start, end: start.keyAfterPrefix ?? start + [0xFF]))
        }
        consumed.formUnion(equalitiesAfter.map(\.predicate))
        names.append(composite.paths[j] + [" (\(values.count) values, merged)"])
        names.append(contentsOf: equalitiesAfter.indices.map { composite.paths[j + 1 + $0] })
        intervals.sort { EntryIterator.compare($0.start, $1.start) < 0 }
        var scan = QueryPlan.Scan(source: .compositeIndex(descending: composite.descending), intervals: intervals,
                                  reverse: inverted, prefix: prefix, prefixComponents: j)
        scan.merged = true
        return Candidate(
            access: .scan(scan),
            cost: max(0.5, 5 - 1.5 * Double(orderAt)) + 0.05 * Double(intervals.count), consumed: consumed,
            exact: exact, restrictedToScope: scopeCovered == scope.count,
            describe: { [names, inverted] in
                let paths = composite.paths.enumerated().map { i, p in
                    "/" + p.joined(separator: "/") + (composite.descending[i] ? " DESC" : " ASC")
                }.joined(separator: ", ")
                let seek = names.map { n in
                    n.last?.hasPrefix(" (") == true ? "/" + n.dropLast().joined(separator: "/") + n.last!
                                                    : "/" + n.joined(separator: "/")
                }
                return "composite index (\(paths)) seek \(seek.joined(separator: ", "))" + (inverted ? ", reverse" : "")
            },
            orderComponent: order.count == 1 ? orderComponent(at: orderAt) : nil,
            isIndexScan: true)
    }

    /// The ORDER BY component of a composite index serving a single-path ORDER BY: which of its entries are results.
    /// Every item has an entry in each composite index, at undefined where it lacks a path: those items are results,
    /// first in ascending order, as the service returns them.
    private func orderComponent(at index: Int) -> QueryPlan.OrderComponent {
        QueryPlan.OrderComponent(index: index, allowUndefined: true, allowCompound: runtime.hasCompoundEntries)
    }

    private func rangeCandidate(path: [String], predicate: (Int, Predicate)?, reverse: Bool, fullScope: Bool,
                                scopeBytes: [UInt8], cid: [UInt8]) -> Candidate {
        // The partition-key path and, within a partition, the id have no range entries: the `docs` keys
        // (cid ‖ PK ‖ ID) are already ordered by them, so those scans read `docs` directly.
        let source: QueryPlan.Source
        let prefix: [UInt8]
        let bound: Int
        let kind: String
        if path == runtime.policy.partitionKeyPath {
            source = .documents
            // With a predicate on the key, its bounds select the partitions; otherwise the scope does.
            prefix = fullScope && predicate == nil ? cid + scopeBytes : cid
            bound = KeyLayout.partitionKeyStringBound
            kind = fullScope ? "partition scan by partition key" : "scan by partition key"
        } else if path == ["id"] && fullScope {
            source = .documents
            prefix = cid + scopeBytes
            bound = KeyLayout.idStringBound
            kind = "partition scan by id"
        } else {
            let hash = runtime.policy.pathHash(properties: path)
            source = fullScope ? .partitionIndex(pk: scopeBytes) : .globalIndex
            prefix = fullScope ? cid + hash + scopeBytes : cid + hash
            bound = KeyLayout.valueStringBound
            kind = (fullScope ? "partition range index" : "cross-partition range index") + " /"
                + path.joined(separator: "/")
        }
        var intervals = [QueryPlan.Interval(start: prefix, end: prefix.keyAfterPrefix ?? prefix + [0xFF])]
        if source != .documents && !runtime.hasCompoundEntries {
            // Some items lack the entries of their arrays and objects (a format-1 store): leave them all out.
            intervals[0].end = prefix + [Self.typeTag(.array([]))]
        }
        var consumed = Set<Int>()
        var exact = true
        var what = "all values"
        var cost = fullScope ? 2.5 : 6.0
        if let (i, p) = predicate {
            var bounds: (start: [UInt8], end: [UInt8], exact: Bool)?
            switch p {
            case .equal(_, let value):
                bounds = interval(prefix: prefix, lower: (value, true), upper: (value, true), bound: bound,
                                  descending: false)
                what = "equality"
                cost = fullScope ? 1 : (path == ["id"] ? 1.5 : 2)
            case .range, .prefix:
                bounds = interval(prefix: prefix, predicate: p, bound: bound, descending: false)
                what = p.isPrefix ? "prefix" : "range"
                cost = fullScope ? 2 : 4
            case .anyOf(_, let values):
                // One seek per value: dearer than one equality, but always far cheaper than the scan it replaces.
                let union = Self.union(values.compactMap {
                    interval(prefix: prefix, lower: ($0, true), upper: ($0, true), bound: bound, descending: false)
                })
                intervals = union.intervals
                exact = union.exact
                consumed.insert(i)
                what = "\(values.count) values"
                cost = min(fullScope ? 2.9 : 9.5, (fullScope ? 1 : 2) + 0.25 * Double(values.count - 1))
            case .element, .fullText, .spatial:
                break   // planned by their own candidates; here they bound nothing and stay filters
            }
            if let bounds {
                intervals = [QueryPlan.Interval(start: bounds.start, end: bounds.end)]
                exact = bounds.exact
                consumed.insert(i)
            }
        }
        return Candidate(
            access: .scan(QueryPlan.Scan(source: source, intervals: intervals, reverse: reverse, prefix: prefix)),
            cost: cost, consumed: consumed, exact: exact,
            restrictedToScope: fullScope && !(path == runtime.policy.partitionKeyPath && predicate != nil),
            describe: { [what] in kind + " (\(what))" + (reverse ? ", reverse" : "") },
            isIndexScan: true)
    }

    /// One read per disjunct of an OR, each the cheapest index read of its predicate; `nil` when a disjunct has
    /// none. Never exact: the union only gathers the items, and WHERE is checked on each.
    private func unionCandidate(_ union: Union, _ analysis: Analysis) -> Candidate? {
        let cid = runtime.keyPrefix
        var branches = [QueryPlan.Branch]()
        var cost = 0.5
        var restricted = true
        var describes = [@Sendable () -> String]()
        for (predicate, disjunct) in union.branches {
            let path = predicate.path
            let candidate: Candidate?
            if predicate.isFullText {
                candidate = fullTextPredicateCandidate((union.conjunct, predicate), analysis)
            } else if predicate.isSpatial {
                candidate = spatialCandidate((union.conjunct, predicate), analysis)
            } else if predicate.isElement {
                candidate = runtime.isReadable(elementsOf: path)
                    ? elementCandidate(path: path, predicate: (union.conjunct, predicate),
                                       fullScope: analysis.fullScope, scopeBytes: analysis.scopeBytes, cid: cid)
                    : nil
            } else if runtime.isReadable(properties: path) || path == runtime.policy.partitionKeyPath {
                candidate = rangeCandidate(path: path, predicate: (union.conjunct, predicate), reverse: false,
                                           fullScope: analysis.fullScope, scopeBytes: analysis.scopeBytes, cid: cid)
            } else {
                candidate = nil
            }
            guard let candidate, case .scan(let scan) = candidate.access else { return nil }
            branches.append(QueryPlan.Branch(scan: scan, disjunct: disjunct))
            cost += candidate.cost
            restricted = restricted && candidate.restrictedToScope
            describes.append(candidate.describe)
        }
        // Index reads stay far cheaper than the scan they replace, however many: cost them just below it.
        cost = min(cost, analysis.fullScope ? 2.95 : 9.75)
        return Candidate(
            access: .union(branches), cost: cost, consumed: [], exact: false, restrictedToScope: restricted,
            describe: { [describes] in
                "union of \(describes.count) reads: " + describes.map { $0() }.joined(separator: " | ")
            },
            isIndexScan: false)
    }

    /// Reads the index of an array's elements (`/path/[]`) at each value: the items whose array holds one of them,
    /// each once.
    private func elementCandidate(path: [String], predicate: (Int, Predicate), fullScope: Bool, scopeBytes: [UInt8],
                                  cid: [UInt8]) -> Candidate? {
        guard case .element(_, let values, let complete) = predicate.1 else { return nil }
        let hash = runtime.policy.elementPathHash(properties: path)
        let prefix = fullScope ? cid + hash + scopeBytes : cid + hash
        let union = Self.union(values.compactMap {
            interval(prefix: prefix, lower: ($0, true), upper: ($0, true), bound: KeyLayout.valueStringBound,
                     descending: false)
        })
        guard !union.intervals.isEmpty else { return nil }
        var scan = QueryPlan.Scan(source: fullScope ? .partitionIndex(pk: scopeBytes) : .globalIndex,
                                  intervals: union.intervals, reverse: false, prefix: prefix)
        scan.elementValues = CompiledIndexingPolicy.sortedUnique(values.map { value in
            var component = [UInt8]()
            KeyLayout.appendValue(value, to: &component)
            return component
        })
        let kind = (fullScope ? "partition range index /" : "cross-partition range index /")
            + path.joined(separator: "/") + "/[]"
        let what = values.count == 1 ? "array element" : "array elements, \(values.count) values"
        return Candidate(
            access: .scan(scan), cost: (fullScope ? 1 : 2) + 0.25 * Double(values.count - 1), consumed: [predicate.0],
            exact: union.exact && complete, restrictedToScope: fullScope, describe: { kind + " (\(what))" },
            isIndexScan: false)
    }

    /// The read of a full-text predicate's terms from the postings of its path's full-text index, in the partition
    /// scope: one interval per term (`cid ‖ fullTextHash ‖ T ‖ scope`); an item holding several of the terms is
    /// taken at its first (``QueryPlan/Scan/elementValues``). `nil` when the path has no readable full-text index.
    private func fullTextPredicateCandidate(_ predicate: (Int, Predicate), _ analysis: Analysis) -> Candidate? {
        guard case .fullText(let path, let terms, let complete) = predicate.1,
              let index = runtime.readableFullTextPaths.first(where: { $0.properties == path }) else { return nil }
        let prefix = runtime.keyPrefix + index.hash
        let union = Self.union(terms.map { term in
            let start = prefix + term + analysis.scopeBytes
            return (start, start.keyAfterPrefix ?? start + [0xFF], true)
        })
        var scan = QueryPlan.Scan(source: .compositeIndex(descending: [false]), intervals: union.intervals,
                                  reverse: false, prefix: prefix)
        if terms.count > 1 { scan.elementValues = terms }
        let partition = !analysis.scope.isEmpty
        let kind = "full-text index /" + path.joined(separator: "/") + (partition ? " of the partition" : "")
        let what = terms.count == 1 ? "1 term" : "\(terms.count) terms"
        return Candidate(
            access: .scan(scan), cost: (analysis.fullScope ? 1.2 : 2.2) + 0.25 * Double(terms.count - 1),
            consumed: [predicate.0], exact: complete, restrictedToScope: true, describe: { kind + " (\(what))" },
            isIndexScan: false)
    }

    /// The read of a spatial predicate's area from the spatial index of its path, across partitions
    /// (`cid ‖ spatialHash ‖ C`, each row `… ‖ PK ‖ ID`): the cells of the area's boxes (one key interval per block
    /// of cells), the first cells of the blocks enclosing them (where larger shapes are filed) and the key of the
    /// shapes filed under no block. `nil` when no readable spatial index files the path.
    private func spatialCandidate(_ predicate: (Int, Predicate), _ analysis: Analysis) -> Candidate? {
        guard case .spatial(let path, let area) = predicate.1,
              let frame = runtime.readableSpatialFrame(at: path) else { return nil }
        let prefix = runtime.keyPrefix + CompiledIndexingPolicy.spatialHash(properties: path)
        let cells = frame.cellIntervals(covering: area)
        var parts = cells.map { cells in
            (start: prefix + KeyLayout.spatialTerm(cell: cells.lowerBound),
             end: (prefix + KeyLayout.spatialTerm(cell: cells.upperBound)).keyAfterPrefix!, exact: false)
        }
        let enclosing = frame.enclosingStarts(of: cells)
        for key in enclosing.map({ prefix + KeyLayout.spatialTerm(cell: $0) }) + [prefix + KeyLayout.spatialTerm(cell: nil)] {
            parts.append((start: key, end: key.keyAfterPrefix!, exact: false))
        }
        let union = Self.union(parts)
        let scan = QueryPlan.Scan(source: .compositeIndex(descending: [false]), intervals: union.intervals,
                                  reverse: false, prefix: prefix)
        let kind = "spatial index /" + path.joined(separator: "/")
        let count = cells.count
        return Candidate(
            access: .scan(scan), cost: analysis.fullScope ? 2.9 : 2.5, consumed: [predicate.0], exact: false,
            restrictedToScope: analysis.scope.isEmpty,
            describe: { kind + " (\(count) cell ranges and the blocks enclosing them)" }, isIndexScan: false)
    }

    /// Key intervals in key order, overlapping ones merged (strings truncated to the same key prefix give the same
    /// interval), and whether every one was exact.
    static func union(_ parts: [(start: [UInt8], end: [UInt8], exact: Bool)])
        -> (intervals: [QueryPlan.Interval], exact: Bool) {
        let sorted = parts.sorted { EntryIterator.compare($0.start, $1.start) < 0 }
        var out = [QueryPlan.Interval]()
        for part in sorted {
            if let last = out.last, EntryIterator.compare(part.start, last.end) < 0 {
                if EntryIterator.compare(part.end, last.end) > 0 { out[out.count - 1].end = part.end }
            } else {
                out.append(QueryPlan.Interval(start: part.start, end: part.end))
            }
        }
        return (out, parts.allSatisfy(\.exact))
    }

    /// The key interval of a range-like predicate's values (a range or a prefix) after `prefix`; `nil` for the
    /// other kinds.
    private func interval(prefix: [UInt8], predicate: Predicate, bound: Int,
                          descending: Bool) -> (start: [UInt8], end: [UInt8], exact: Bool)? {
        switch predicate {
        case .equal, .anyOf, .element, .fullText, .spatial:
            return nil
        case .range(_, let lower, let upper):
            return interval(prefix: prefix, lower: lower, upper: upper, bound: bound, descending: descending)
        case .prefix(_, let value, let complete):
            var start = prefix
            let whole = OrderedEncoding.appendStringPrefix(value, maxStringBytes: bound, descending: descending,
                                                           to: &start)
            return (start, start.keyAfterPrefix ?? start + [0xFF], complete && whole)
        }
    }

    /// The key interval of values within `lower...upper` (clipped to the bound's JSON type), after `prefix`.
    private func interval(prefix: [UInt8], lower: (JSONValue, inclusive: Bool)?, upper: (JSONValue, inclusive: Bool)?,
                          bound: Int, descending: Bool) -> (start: [UInt8], end: [UInt8], exact: Bool)? {
        let typeSource = lower?.0 ?? upper?.0
        guard let typeSource else { return nil }
        if let l = lower?.0, let u = upper?.0, Self.typeTag(l) != Self.typeTag(u) { return nil }
        var exact = true
        func component(_ v: JSONValue) -> [UInt8] {
            var c = [UInt8]()
            KeyLayout.appendValue(v, bound: bound, descending: descending, to: &c)
            if Self.isTruncated(c[...], descending: descending) {
                exact = false
                c.removeLast(16)   // keep "tag ‖ prefix ‖ marker": every truncated string with this prefix
            }
            return c
        }
        let (lowTag, highTag) = Self.typeRange(typeSource)
        // Keys of this JSON type lie in [typeStart, typeEnd) after the prefix (inverted for a descending component).
        let typeStart = prefix + [descending ? ~(highTag - 1) : lowTag]
        let typeEnd = prefix + [descending ? ~lowTag &+ 1 : highTag]
        // In a descending component, larger values have smaller keys: swap the roles of the bounds.
        let (keyLower, keyUpper) = descending ? (upper, lower) : (lower, upper)
        var start = typeStart
        if let (v, inclusive) = keyLower {
            let c = prefix + component(v)
            start = inclusive || !exact ? c : (c.keyAfterPrefix ?? c)
        }
        var end = typeEnd
        if let (v, inclusive) = keyUpper {
            let c = prefix + component(v)
            end = inclusive || !exact ? (c.keyAfterPrefix ?? c + [0xFF]) : c
        }
        return (start, end, exact)
    }

    // MARK: - Predicates

    /// Splits a condition into its top-level AND terms.
    static func conjuncts(_ e: Expression) -> [Expression] {
        var out = [Expression]()
        appendTerms(of: .and, e, to: &out)
        return out
    }

    /// Appends the operands of a chain of `op` (`a AND b AND c`, in any grouping) to `out`, or `e` itself.
    private static func appendTerms(of op: BinaryOperator, _ e: Expression, to out: inout [Expression]) {
        if case .binary(let o, let l, let r) = e, o == op {
            appendTerms(of: op, l, to: &out)
            appendTerms(of: op, r, to: &out)
        } else {
            out.append(e)
        }
    }

    private func predicate(_ e: Expression, rootAlias: String?) throws -> Predicate? {
        func flip(_ op: BinaryOperator) -> BinaryOperator {
            switch op {
            case .less: .greater
            case .lessOrEqual: .greaterOrEqual
            case .greater: .less
            case .greaterOrEqual: .lessOrEqual
            default: op
            }
        }
        switch e {
        case .binary(let op, let l, let r) where [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op)
            && (Self.isDistance(l) || Self.isDistance(r)):
            // ST_DISTANCE(path, shape) < d, d > ST_DISTANCE(...), either argument order.
            guard case .call(_, let arguments) = Self.isDistance(l) ? l : r,
                  Self.isDistance(l) ? (op == .less || op == .lessOrEqual) : (op == .greater || op == .greaterOrEqual),
                  case .number(let d)? = try constantValue(Self.isDistance(l) ? r : l), d.isFinite else { return nil }
            return try spatialPredicate(path: arguments[0], shape: arguments[1], distance: d, rootAlias: rootAlias)
                ?? spatialPredicate(path: arguments[1], shape: arguments[0], distance: d, rootAlias: rootAlias)
        case .binary(let op, let l, let r) where [.equal, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op):
            var path = propertyPath(l, rootAlias)
            var constant = r
            var op = op
            if path == nil {
                path = propertyPath(r, rootAlias)
                constant = l
                op = flip(op)
            }
            guard let path, !path.isEmpty, let value = try constantValue(constant), Self.isScalar(value) else { return nil }
            switch op {
            case .equal: return .equal(path: path, value: value)
            case .less: return .range(path: path, lower: nil, upper: (value, false))
            case .lessOrEqual: return .range(path: path, lower: nil, upper: (value, true))
            case .greater: return .range(path: path, lower: (value, false), upper: nil)
            default: return .range(path: path, lower: (value, true), upper: nil)
            }
        case .between(let v, let low, let high, negated: false):
            guard let path = propertyPath(v, rootAlias), !path.isEmpty, let lo = try constantValue(low),
                  let hi = try constantValue(high), Self.isScalar(lo), Self.typeTag(lo) == Self.typeTag(hi) else {
                return nil
            }
            return .range(path: path, lower: (lo, true), upper: (hi, true))
        case .inList(let value, let list, negated: false):
            guard let path = propertyPath(value, rootAlias), !path.isEmpty, !list.isEmpty else { return nil }
            var values = [JSONValue]()
            for item in list {
                guard let v = try constantValue(item), Self.isScalar(v) else { return nil }
                values.append(v)
            }
            return values.count == 1 ? .equal(path: path, value: values[0]) : .anyOf(path: path, values: values)
        case .binary(.or, _, _):
            return Self.onePathPredicate(try disjunctPredicates(e, rootAlias: rootAlias).map(\.predicate))
        case .call(name: "ARRAY_CONTAINS", let arguments) where arguments.count == 2 || arguments.count == 3:
            // A partial match only changes what an object value matches: a scalar is found by equality either way.
            guard let path = propertyPath(arguments[0], rootAlias), !path.isEmpty,
                  let value = try constantValue(arguments[1]), Self.isScalar(value) else { return nil }
            if arguments.count == 3 {
                guard case .bool? = try constantValue(arguments[2]) else { return nil }
            }
            return .element(path: path, values: [value], complete: true)
        case .call(name: let name, let arguments)
            where (name == "ARRAY_CONTAINS_ANY" || name == "ARRAY_CONTAINS_ALL") && arguments.count >= 2:
            guard let path = propertyPath(arguments[0], rootAlias), !path.isEmpty else { return nil }
            var values = [JSONValue]()
            for argument in arguments.dropFirst() {
                guard let value = try constantValue(argument), Self.isScalar(value) else { return nil }
                values.append(value)
            }
            // ALL: the arrays holding the first value include every match; the rest is checked per item.
            return name == "ARRAY_CONTAINS_ANY" ? .element(path: path, values: values, complete: true)
                : .element(path: path, values: [values[0]], complete: false)
        case .call(name: let name, let arguments) where name.hasPrefix("FULLTEXTCONTAINS"):
            return try fullTextPredicate(name, arguments, rootAlias: rootAlias)
        case .call(name: "ST_WITHIN", let arguments):
            // The item's shape within a constant, or a constant within the item's shape: either way they meet.
            return try spatialPredicate(path: arguments[0], shape: arguments[1], distance: 0, rootAlias: rootAlias)
                ?? spatialPredicate(path: arguments[1], shape: arguments[0], distance: 0, rootAlias: rootAlias)
        case .call(name: "ST_INTERSECTS", let arguments):
            return try spatialPredicate(path: arguments[0], shape: arguments[1], distance: 0, rootAlias: rootAlias)
                ?? spatialPredicate(path: arguments[1], shape: arguments[0], distance: 0, rootAlias: rootAlias)
        case .call(name: "STARTSWITH", let arguments) where arguments.count == 2 || arguments.count == 3:
            // Case-sensitive only: an ignore-case test matches strings outside the prefix's key range.
            guard let path = propertyPath(arguments[0], rootAlias), !path.isEmpty,
                  case .string(let prefix)? = try constantValue(arguments[1]) else { return nil }
            if arguments.count == 3 {
                guard case .bool(false)? = try constantValue(arguments[2]) else { return nil }
            }
            return .prefix(path: path, prefix: prefix, complete: true)
        case .like(let value, let pattern, let escape, negated: false):
            guard let path = propertyPath(value, rootAlias), !path.isEmpty,
                  case .string(let text)? = try constantValue(pattern) else { return nil }
            var escapeCharacter: Character?
            if let escape {
                guard case .string(let e)? = try constantValue(escape), e.count == 1 else { return nil }
                escapeCharacter = e.first
            }
            let like = LikePattern(text, escape: escapeCharacter)
            let prefix = like.literalPrefix
            return prefix.isEmpty ? nil : .prefix(path: path, prefix: prefix, complete: like.isPrefixMatch)
        default:
            return nil
        }
    }

    /// Whether `e` is a call of `ST_DISTANCE`.
    private static func isDistance(_ e: Expression) -> Bool {
        if case .call(name: "ST_DISTANCE", _) = e { true } else { false }
    }

    /// The predicate of a spatial condition on the shape at `path` with the constant `shape` (see
    /// ``Predicate/spatial``): the shape's area widened by `distance`. `nil` when `path` is not a property path of
    /// the item or `shape` not a constant valid shape (then the condition holds for no item, which a scan finds).
    private func spatialPredicate(path: Expression, shape: Expression, distance: Double,
                                  rootAlias: String?) throws -> Predicate? {
        guard let path = propertyPath(path, rootAlias), !path.isEmpty, let value = try constantValue(shape),
              case .success(let parsed) = GeoShape.parse(value, model: runtime.spatialModel) else { return nil }
        return .spatial(path: path, area: GeoBox.covering(parsed, within: distance, model: runtime.spatialModel))
    }

    /// The predicate of `FullTextContains[All|Any](path, constant phrases...)` (see ``Predicate/fullText``), or `nil`
    /// when a phrase is not constant or not a string (evaluation reports that), or none can match.
    private func fullTextPredicate(_ name: String, _ arguments: [Expression], rootAlias: String?) throws -> Predicate? {
        guard let path = propertyPath(arguments[0], rootAlias), !path.isEmpty else { return nil }
        var phrases = [FullTextPhrase]()
        for argument in arguments.dropFirst() {
            guard let value = try constantValue(argument),
                  let phrase = try? Functions.fullTextPhrase(value, function: name) else { return nil }
            phrases.append(phrase)
        }
        // A phrase of stop words only matches nothing: FullTextContainsAny never needs it; the others then match
        // nothing, which reading any phrase's items and checking them finds.
        let nonEmpty = phrases.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        // Any phrase's term finds every item that holds it; the longest is likely the rarest (long words are rare
        // words), so the read is short. `Any` reads one term of each phrase; the others, one of all their terms.
        func longest(_ tokens: [FullTextAnalyzer.Token]) -> String {
            tokens.max { $0.term.utf8.count < $1.term.utf8.count }!.term
        }
        let chosen = name == "FULLTEXTCONTAINSANY" ? nonEmpty.map { longest($0.tokens) }
            : [longest(nonEmpty.flatMap(\.tokens))]
        let read = name == "FULLTEXTCONTAINSANY" ? nonEmpty : Array(nonEmpty.prefix(1))
        let terms = CompiledIndexingPolicy.sortedUnique(chosen.map(KeyLayout.fullTextTerm))
        let complete = read.allSatisfy { $0.tokens.count == 1 }
            && (name == "FULLTEXTCONTAINSANY" || phrases.count == 1)
        return .fullText(path: path, terms: terms, complete: complete)
    }

    /// The disjuncts of an OR (nested ORs flattened), each with its predicate, `nil` where it has none.
    private func disjunctPredicates(_ e: Expression, rootAlias: String?) throws
        -> [(disjunct: Expression, predicate: Predicate?)] {
        var disjuncts = [Expression]()
        Self.appendTerms(of: .or, e, to: &disjuncts)
        return try disjuncts.map { ($0, try predicate($0, rootAlias: rootAlias)) }
    }

    /// The one predicate an OR of these disjunct predicates is, when they all read one path:
    /// `c.s = 'a' OR c.s = 'b' OR c.s IN ('c', 'd')` is an IN list (either way an item without the path, or with a
    /// value of another type, is filtered out); ORs of array-element conditions read the arrays holding any of
    /// their values. `nil` otherwise.
    private static func onePathPredicate(_ parts: [Predicate?]) -> Predicate? {
        guard let path = parts.first??.path, parts.allSatisfy({ $0?.path == path }) else { return nil }
        var values = [JSONValue]()
        var elements = 0
        for part in parts {
            switch part {
            case .equal(_, let value)?: values.append(value)
            case .anyOf(_, let more)?: values += more
            case .element(_, let more, true)?:
                values += more
                elements += 1
            default: return nil
            }
        }
        if elements == 0 { return .anyOf(path: path, values: values) }
        return elements == parts.count ? .element(path: path, values: values, complete: true) : nil
    }

    /// The first (lowest-numbered) equality predicate on `path`: its conjunct number and value.
    private func equality(on path: [String], in predicates: Predicates) -> (Int, JSONValue)? {
        for k in predicates.equalities.indices where predicates.equalities[k].path == path {
            return (predicates.equalities[k].index, predicates.equalities[k].value)
        }
        return nil
    }

    /// `c.a.b` / `c["a"]` / `c[@p]` (string parameter) → `["a", "b"]`, relative to the root alias.
    func propertyPath(_ e: Expression, _ rootAlias: String?) -> [String]? {
        var path = [String]()
        return appendPath(e, rootAlias, to: &path) ? path : nil
    }

    /// Appends the property names of `e` to `path` (built in one array, not one per level); `false` when `e` is not
    /// a property path of the root alias.
    private func appendPath(_ e: Expression, _ rootAlias: String?, to path: inout [String]) -> Bool {
        switch e {
        case .identifier(let name):
            return name == rootAlias
        case .property(let base, let name):
            guard appendPath(base, rootAlias, to: &path) else { return false }
            path.append(name)
            return true
        case .index(let base, let index):
            guard appendPath(base, rootAlias, to: &path) else { return false }
            switch index {
            case .literal(.string(let key)?):
                path.append(key)
                return true
            case .parameter(let name):
                guard case .string(let key)? = evaluator.parameters[name] else { return false }
                path.append(key)
                return true
            default:
                return false
            }
        default:
            return false
        }
    }

    /// The value of an expression that references no document, or nil if it does.
    private func constantValue(_ e: Expression) throws -> JSONValue? {
        guard Self.isConstant(e) else { return nil }
        return try evaluator.evaluate(e, [:])
    }

    static func isConstant(_ e: Expression) -> Bool {
        switch e {
        case .literal, .parameter: true
        case .identifier: false
        case .property(let b, _): isConstant(b)
        case .index(let b, let i): isConstant(b) && isConstant(i)
        case .unary(_, let x): isConstant(x)
        case .binary(_, let l, let r): isConstant(l) && isConstant(r)
        case .array(let items): items.allSatisfy(isConstant)
        case .object(let members): members.allSatisfy { isConstant($0.value) }
        default: false
        }
    }

    /// For `ORDER BY [RANK] VectorDistance(...)`, `ORDER BY RANK FullTextScore(...)` and `ORDER BY RANK RRF(...)`:
    /// how results are ranked; `nil` for any other query.
    ///
    /// - Throws: 400 when the scoring function is not the only ORDER BY item, a `VectorDistance`'s `bruteForce` or
    ///   options argument or a `FullTextScore`'s phrase reads the item, or full-text scoring meets what it cannot
    ///   rank (JOIN, aggregates, GROUP BY, no FROM).
    private func ranking() throws -> QueryPlan.Ranking? {
        guard let index = query.orderBy.firstIndex(where: {
            if case .call(let name, _) = $0.expression { BuiltinFunctions.scoring.contains(name) } else { false }
        }), case .call(let name, let arguments) = query.orderBy[index].expression else {
            return nil
        }
        guard query.orderBy.count == 1 else {
            throw QueryError.badRequest("ORDER BY \(name == "VECTORDISTANCE" ? "VectorDistance" : "RANK")(...) must be "
                + "the only ORDER BY item; rank by the score alone")
        }
        var components = [QueryPlan.Ranking.Component]()
        var weights = [Double]()
        switch name {
        case "RRF":
            var scores = arguments[...]
            weights = Array(repeating: 1, count: arguments.count)
            // The weights: a literal array, or a parameter holding one, as the service takes them (the Python SDK's
            // hybrid-search tests); the parser checked a literal one already.
            let named: String? = switch arguments.last {
            case .array?: "It"
            case .parameter(let parameter)?: "@" + parameter
            default: nil
            }
            if let named, let last = arguments.last {
                scores = scores.dropLast()
                guard case .array(let given)? = try constantValue(last),
                      given.count == scores.count, given.allSatisfy({ $0.numberValue != nil }) else {
                    throw QueryError.badRequest("The last parameter of the RRF function is an optional array of "
                        + "weights. \(named) must be an array of numbers, one for each of the component scores used "
                        + "for the RRF function (here \(scores.count)).")
                }
                weights = given.compactMap(\.numberValue)
            }
            // The parser let only FullTextScore and VectorDistance calls stand here.
            for case .call(let function, let inner) in scores { components.append(try component(function, inner)) }
        default:
            components = [try component(name, arguments)]
        }
        var aggregates = [Expression]()
        for e in query.select.projection.expressions { AggregateCalls.collect(e, into: &aggregates) }
        if components.contains(where: { if case .fullText = $0 { true } else { false } }) {
            try checkFullTextScoring(aggregates: !aggregates.isEmpty)
        }
        var vectorIndex: (hash: [UInt8], query: [Double], path: [String])?
        // A vector index scores each item from its row when every row of the query is an item (no JOIN, no FROM
        // ... IN) and the call compares the indexed path with a constant vector. DISTINCT needs each value's best
        // row, and aggregates every item (with a vector or not), so those read the items.
        if name == "VECTORDISTANCE", query.joins.isEmpty, let from = query.from, from.path == nil,
           from.iteration == nil, !query.select.distinct, aggregates.isEmpty {
            for (vector, other) in [(arguments[0], arguments[1]), (arguments[1], arguments[0])] {
                guard let path = propertyPath(vector, from.alias), Self.isConstant(other),
                      let index = runtime.readableVectorPaths.first(where: { $0.properties == path }) else { continue }
                // Not a vector: no item has a score, which reading the items finds as well.
                guard case .array(let elements)? = try evaluator.evaluate(other, [:]),
                      let numbers = Functions.numbers(elements), !numbers.isEmpty else { break }
                vectorIndex = (index.hash, numbers, path)
                break
            }
        }
        // A full-text index scores each item from its postings under the same conditions (FullTextScore already
        // refuses JOIN, iterations and aggregates).
        var fullTextIndex: (hash: [UInt8], path: [String])?
        if name == "FULLTEXTSCORE", !query.select.distinct, let alias = query.from?.alias,
           let path = propertyPath(arguments[0], alias),
           let index = runtime.readableFullTextPaths.first(where: { $0.properties == path }) {
            fullTextIndex = (index.hash, path)
        }
        return QueryPlan.Ranking(components: components, weights: weights, vectorIndex: vectorIndex,
                                 fullTextIndex: fullTextIndex)
    }

    /// The ranking component of one scoring call, `name(arguments)` (`VectorDistance` or `FullTextScore`).
    ///
    /// - Throws: 400 when an argument that must be constant reads the item, or a phrase is not a string.
    private func component(_ name: String, _ arguments: [Expression]) throws -> QueryPlan.Ranking.Component {
        if name == "VECTORDISTANCE" {
            guard arguments.dropFirst(2).allSatisfy(Self.isConstant) else {
                throw QueryError.badRequest("the bruteForce and options arguments of VectorDistance in ORDER BY must "
                    + "be constants (true or false, and an object literal or parameter)")
            }
            return .vector(call: .call(name: name, arguments: arguments),
                           measure: try evaluator.vectorMeasure(arguments, [:]))
        }
        guard let alias = query.from?.alias, propertyPath(arguments[0], alias)?.isEmpty == false else {
            throw QueryError.badRequest("the first argument of FullTextScore must be a property path of the item, such "
                + "as c.text")
        }
        let phrases = try arguments.dropFirst().map { argument in
            guard Self.isConstant(argument) else {
                throw QueryError.badRequest("the search words and phrases of FullTextScore must be constants (string "
                    + "literals or parameters), not read from the item")
            }
            return try Functions.fullTextPhrase(try evaluator.evaluate(argument, [:]), function: "FullTextScore")
        }
        return .fullText(path: arguments[0], score: FullTextScore(phrases: phrases))
    }

    /// Checks that full-text scoring can rank this query's rows: they are items of the container (no JOIN, no
    /// `FROM x IN ...`), and nothing aggregates them (`aggregates`: the projection has aggregate calls).
    ///
    /// - Throws: 400 saying what to remove.
    private func checkFullTextScoring(aggregates: Bool) throws {
        guard let from = query.from, from.path == nil, from.iteration == nil, from.subquery == nil else {
            throw QueryError.badRequest("ORDER BY RANK with FullTextScore ranks the container's items: query FROM the "
                + "container (FROM c), not a path, an iteration or a subquery")
        }
        guard query.joins.isEmpty else {
            throw QueryError.badRequest("Queries using FullTextScore within a JOIN aren't supported (as in the "
                + "service); remove the JOIN, or filter with FullTextContains")
        }
        guard !aggregates, query.groupBy.isEmpty else {
            throw QueryError.badRequest("ORDER BY RANK cannot rank aggregates or GROUP BY groups; remove one or the "
                + "other")
        }
    }

    private func orderPaths(rootAlias: String?) throws -> [(path: [String], descending: Bool)] {
        let order = try query.orderBy.map { item -> (path: [String], descending: Bool) in
            guard let path = propertyPath(item.expression, rootAlias), !path.isEmpty else {
                throw QueryError.badRequest(
                    "Unsupported ORDER BY clause. ORDER BY item expression could not be mapped to a document path. "
                        + "Order by properties of the FROM alias (for example ORDER BY c.name).")
            }
            return (path, item.descending)
        }
        if order.count == 1, !runtime.isReadable(properties: order[0].path) {
            throw QueryError.orderByNotIndexed("/" + order[0].path.joined(separator: "/") + "/?", runtime: runtime)
        }
        return order
    }

    // MARK: - Values

    static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .null, .bool, .number, .string: true
        default: false
        }
    }

    static func component(_ v: JSONValue) -> PartitionKey.Component? {
        switch v {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n)
        case .string(let s): .string(s)
        default: nil
        }
    }

    /// The tag bytes `[low, high)` of a scalar's JSON type in OrderedEncoding (booleans span false 0x04 and true 0x05).
    static func typeRange(_ v: JSONValue) -> (UInt8, UInt8) {
        switch v {
        case .bool: (0x04, 0x06)
        default: (typeTag(v), typeTag(v) + 1)
        }
    }

    /// The OrderedEncoding tag byte of a value's type (booleans: 0x04).
    static func typeTag(_ v: JSONValue) -> UInt8 {
        switch v {
        case .null: 0x03
        case .bool: 0x04
        case .number: 0x06
        case .string: 0x07
        case .array: 0x08
        case .object: 0x09
        }
    }

    /// Whether a key component is a truncated string (`0x07 ‖ escaped prefix ‖ 0x00 0x02 ‖ digest`).
    static func isTruncated(_ component: ArraySlice<UInt8>, descending: Bool) -> Bool {
        let flip: UInt8 = descending ? 0xFF : 0
        guard let tag = component.first, tag ^ flip == 0x07 else { return false }
        var i = component.startIndex + 1
        while i + 1 < component.endIndex {
            if component[i] ^ flip == 0x00 {
                let next = component[i + 1] ^ flip
                if next == 0xFF {
                    i += 2
                    continue
                }
                return next == 0x02
            }
            i += 1
        }
        return false
    }
}
