// SPDX-License-Identifier: Apache-2.0

import CosmoliteEvaluation
import CosmoliteJSON
import CosmoliteSQL
import CosmoliteStorage

/// How a query reaches its documents: a point read, or an ordered scan of key intervals of one DBI.
struct QueryPlan: Sendable {
    /// The DBI scanned and how its keys lead to documents.
    enum Source: Sendable, Equatable {
        /// `docs`: keys are document keys, values are records.
        case documents
        /// `pidx` of one partition: key = prefix ‖ V ‖ ID; the partition's PK bytes are known.
        case partitionIndex(pk: [UInt8])
        /// `gidx`: key = prefix ‖ V ‖ PK ‖ ID.
        case globalIndex
        /// `cidx`: key = prefix ‖ V1 … Vn ‖ PK ‖ ID, with the components' directions.
        case compositeIndex(descending: [Bool])
    }

    /// A half-open key interval `[start, end)`.
    struct Interval: Sendable, Equatable {
        var start: [UInt8]
        var end: [UInt8]
    }

    /// An ordered scan over disjoint half-open key intervals, in key order (one for a range or an equality; one
    /// per value for an `IN` list).
    struct Scan: Sendable {
        var source: Source
        var intervals: [Interval]
        var reverse: Bool
        /// Bytes every scanned key starts with (the index and, for composites, the equality prefix).
        var prefix: [UInt8]
        /// For a composite index: how many leading components `prefix` holds whole (the equality prefix). Every
        /// scanned key starts with them, so reading a key's later components can start right after `prefix`.
        var prefixComponents = 0
        /// For a read of the index of an array's elements: the key components of the values read, sorted. An item
        /// has an entry at each value its array holds, so a scan visits it at its first entry for one of these
        /// values: an entry for another value (another string sharing a long value's key prefix) is skipped, and
        /// so is one whose key, with an earlier value in place of its own, is also found. Empty for every other
        /// scan.
        var elementValues: [[UInt8]] = []
        /// For a composite index read through an `IN` list (one interval per value, each `prefix ‖ value`): the
        /// intervals are merged rather than read one after the other, entries ordered by what follows each
        /// interval's start (the ORDER BY components, then `PK ‖ ID`), so that the scan is in ORDER BY order. A
        /// position is the key of the last entry: it resumes every interval after the same tail.
        var merged = false

        /// A scan of the one interval `[start, end)`.
        init(source: Source, start: [UInt8], end: [UInt8], reverse: Bool, prefix: [UInt8], prefixComponents: Int = 0) {
            self.init(source: source, intervals: [Interval(start: start, end: end)], reverse: reverse, prefix: prefix,
                      prefixComponents: prefixComponents)
        }

        /// A scan of `intervals`, which must be disjoint and in key order.
        init(source: Source, intervals: [Interval], reverse: Bool, prefix: [UInt8], prefixComponents: Int = 0) {
            self.source = source
            self.intervals = intervals
            self.reverse = reverse
            self.prefix = prefix
            self.prefixComponents = prefixComponents
        }
    }

    /// One read of an OR served by several indexes: a scan, and the disjunct it reads.
    struct Branch: Sendable {
        var scan: Scan
        var disjunct: Expression
        /// Whether the scan gives exactly the items `disjunct` holds for, and no other branch's disjunct holds for
        /// them (the range index of an ORDER BY path beside the read of the items lacking the path): its items are
        /// taken as they come, without evaluating any disjunct.
        var takesEveryItem = false
        /// For the read of the items lacking an ORDER BY path (`disjunct` is `NOT IS_DEFINED(path)`): the path's
        /// properties from the root, and its first property as a member selection. The branch takes the items where
        /// the path is undefined, found by building that member alone rather than the whole item.
        var lacking: (path: [String], first: JSONMemberSelection)?
    }

    enum Access: Sendable {
        /// No item: a query without FROM runs its clauses once, over one row that binds no alias.
        case none
        case point(documentKey: [UInt8])
        case scan(Scan)
        /// The scans of an OR's disjuncts, one after the other. An item is taken by the first branch whose disjunct
        /// it satisfies: a branch skips it when an earlier disjunct holds, and when its own does not (a scan may
        /// give more items than its disjunct holds for), so each item comes once. Also an ORDER BY over a path
        /// whose range index has no entries for the items lacking it: those items, read another way, before the
        /// index's (ascending) or after them (descending).
        case union([Branch])
        /// The rows of a vector index (only for a ranked plan): every item with a vector at the path, in key order.
        case vectors(VectorRead)
        /// The postings of a full-text index (only for a plan ranked by `FullTextScore`): the items holding a
        /// phrase are scored from them, and the items of the scope are read in rank order.
        case fullText(FullTextRead)
    }

    /// A read of a full-text index for `ORDER BY RANK FullTextScore(c.path, ...)`: each phrase's postings
    /// (`index ‖ T ‖ scope`, each `… ‖ PK ‖ ID`) give the items where it occurs and how often, and the index's counter
    /// row the corpus statistics. Items without any phrase score 0 and follow the others in document-key order.
    struct FullTextRead: Sendable {
        /// `cid ‖ fullTextHash(8)`.
        var index: [UInt8]
        /// The index's counter row (``KeyLayout/fullTextCounterKey(_:hash:)``).
        var counterKey: [UInt8]
        /// The partition scope's key bytes (empty for the whole container).
        var scope: [UInt8]
        /// Each phrase's terms as key components, with their positions relative to the first (none for a phrase of
        /// stop words only).
        var phrases: [[(term: [UInt8], offset: Int)]]
    }

    /// A read of a vector index's rows: `cid ‖ vectorHash ‖ scope`, each row `… ‖ PK ‖ ID` holding the item's
    /// vector packed, scored against `query`.
    struct VectorRead: Sendable {
        var prefix: [UInt8]
        var query: [Double]

        /// Writes the document key (`cid ‖ PK ‖ ID`) of the vector row `row` (`cid ‖ vectorHash(8) ‖ PK ‖ ID`) into
        /// `out`, replacing what it held.
        static func documentKey(ofRow row: UnsafeRawBufferPointer, into out: inout [UInt8]) {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: row[..<4])
            out.append(contentsOf: row[12...])
        }
    }

    var access: Access
    /// The WHERE condition still to evaluate per row, or `nil` when the access implies it exactly.
    var residual: Expression?
    /// When the access does not restrict to the queried partition (key prefix of the PK component bytes).
    var partitionFilter: [UInt8]?
    /// Builds the human-readable description (`--explain`); only called when someone asks for it.
    var describe: @Sendable () -> String

    /// The human-readable description (`--explain`).
    var description: String { describe() }

    /// How many key intervals the plan reads (a point read counts as one).
    var intervalCount: Int {
        switch access {
        case .none: 0
        case .point: 1
        case .scan(let scan): scan.intervals.count
        case .union(let branches): branches.reduce(0) { $0 + $1.scan.intervals.count }
        case .vectors, .fullText: 1
        }
    }

    /// A compact identity of the access path (source, direction, key prefix), which continuation tokens are bound
    /// to: a token from before an indexing-policy change that altered the plan is refused.
    var fingerprint: [UInt8] {
        guard let ranking else { return accessFingerprint }
        // Only ranked plans carry it: other fingerprints stay as they were.
        return accessFingerprint + ranking.fingerprint
    }

    /// ``fingerprint`` without the ranking.
    private var accessFingerprint: [UInt8] {
        func identity(of scan: Scan) -> [UInt8] {
            var out: [UInt8]
            switch scan.source {
            case .documents: out = [1]
            case .partitionIndex: out = [2]
            case .globalIndex: out = [3]
            case .compositeIndex(let descending): out = [4] + descending.map { $0 ? 1 : 0 }
            }
            out.append(scan.reverse ? 1 : 0)
            out.append(residual == nil ? 0 : 1)
            if scan.merged { out.append(0x4D) }   // only merged scans carry it: other fingerprints stay as they were
            return out + scan.prefix
        }
        switch access {
        case .none: return [6]
        case .vectors(let read): return [7] + read.prefix
        case .fullText(let read): return [8] + read.index + read.scope
        case .point(let key): return [0] + key
        case .scan(let scan): return identity(of: scan)
        case .union(let branches):
            var out: [UInt8] = [5, UInt8(truncatingIfNeeded: branches.count)]
            for branch in branches {
                let part = identity(of: branch.scan)
                out.append(UInt8(truncatingIfNeeded: part.count))
                out += part
            }
            return out
        }
    }
    /// For a composite index serving a single-path ORDER BY: the component holding the ORDER BY value, and which of
    /// its entries a range index would also have, so that results do not depend on which index serves the query.
    var orderComponent: OrderComponent?

    /// For `ORDER BY [RANK] VectorDistance(...)`, `ORDER BY RANK FullTextScore(...)` and `ORDER BY RANK RRF(...)`:
    /// how each row is scored. The access then reads every selected item (or, `.vectors`, every row of a vector
    /// index), in no particular order, and a page holds the best-ranked rows after the position it resumes from.
    var ranking: Ranking?

    /// How `ORDER BY RANK` ranks rows: by one scoring function, most relevant first (the highest cosine, dot product
    /// or BM25 score, the lowest Euclidean distance), or by several fused with RRF; ties by document key and row.
    ///
    /// A class: a plan is copied on every query, and every other query's plan then carries one `nil` reference.
    final class Ranking: Sendable {
        /// One scoring function.
        enum Component: Sendable {
            /// `VectorDistance(...)`: the call, and the measure it uses.
            case vector(call: Expression, measure: VectorDistance)
            /// `FullTextScore(path, phrase, ...)`: the path's expression, and the phrases' score.
            case fullText(path: Expression, score: FullTextScore)

            /// Whether a higher score ranks first.
            var higherFirst: Bool {
                if case .vector(_, let measure) = self { return measure.higherIsMoreSimilar }
                return true
            }
        }

        /// The scoring functions: one, or (RRF) two or more.
        let components: [Component]
        /// For RRF: each component's weight (1 when the query gives none); a negative weight ranks the component's
        /// lowest scores first, with the weight's magnitude. Empty for a single scoring function.
        let weights: [Double]
        /// When a vector index serves the ranking: its rows' hash, the constant vector, and the indexed path.
        let vectorIndex: (hash: [UInt8], query: [Double], path: [String])?
        /// When a full-text index serves the ranking: its rows' hash and the indexed path.
        let fullTextIndex: (hash: [UInt8], path: [String])?

        init(components: [Component], weights: [Double],
             vectorIndex: (hash: [UInt8], query: [Double], path: [String])?,
             fullTextIndex: (hash: [UInt8], path: [String])? = nil) {
            self.components = components
            self.weights = weights
            self.vectorIndex = vectorIndex
            self.fullTextIndex = fullTextIndex
        }

        /// Whether several components are fused (RRF).
        var isFused: Bool { !weights.isEmpty }

        /// Whether a higher score ranks first (always, for RRF's fused score).
        var higherFirst: Bool { isFused || components[0].higherFirst }

        /// The full-text scores whose statistics a page needs, in component order.
        var fullTextScores: [FullTextScore] {
            components.compactMap { if case .fullText(_, let score) = $0 { score } else { nil } }
        }

        /// The measure of a single `VectorDistance` ranking, else `nil`.
        var vectorMeasure: VectorDistance? {
            guard !isFused, case .vector(_, let measure) = components[0] else { return nil }
            return measure
        }

        /// What the ranking adds to a plan's fingerprint: a vector ranking's function (as it always has), 0x46 for
        /// full text, 0x52 for RRF.
        var fingerprint: [UInt8] {
            if let measure = vectorMeasure {
                return [0x52, UInt8(VectorDistance.Function.allCases.firstIndex(of: measure.function)!)]
            }
            return [0x52, isFused ? 0x52 : 0x46]
        }

        /// For `--explain`.
        var description: String {
            if isFused {
                return "ranked by RRF of \(components.count) scoring functions (weights "
                    + weights.map { "\($0)" }.joined(separator: ", ") + "): every selected item is read and scored, "
                    + "then ranked by each function and fused"
            }
            if case .vector(_, let measure) = components[0] {
                return "ranked by VectorDistance (\(measure.function.rawValue), "
                    + "\(measure.higherIsMoreSimilar ? "highest" : "lowest") first), exact: "
                    + (vectorIndex == nil ? "every selected item is read and scored"
                        : "every row is scored, items are read in rank order")
            }
            return "ranked by FullTextScore (BM25, highest first; statistics over the whole container): "
                + (fullTextIndex == nil ? "every selected item is read and scored"
                    : "the phrases' postings are scored, items are read in rank order")
        }
    }

    /// The ORDER BY component of a composite index serving a single-path ORDER BY (see ``orderComponent``).
    struct OrderComponent: Sendable {
        /// The component's position in the composite index.
        var index: Int
        /// Whether undefined entries are results (the items lacking the path, which an ORDER BY returns first).
        var allowUndefined: Bool
        /// Whether array and object entries are results: every item's range entries include them (format 2, no
        /// upgrade under way).
        var allowCompound: Bool
    }
}

/// Where a page stopped: the last index/document key emitted from and how many rows of that document were
/// consumed, plus the counters of TOP, OFFSET/LIMIT and ordered DISTINCT.
struct QueryPosition: Sendable, Equatable {
    /// For a union: the branch `key` belongs to (0 otherwise).
    var branch: UInt8 = 0
    /// Whether this is a ranked plan's position (format 3; beside `branch`, it takes no room of its own).
    private(set) var ranked = false
    /// Whether this is the position of a query over a FROM subquery (format 4): `key` holds the encoding of the
    /// subquery's position at the result whose rows the page stopped in (``inner``), `rowsConsumed` counts the
    /// outer rows of that result already consumed, and the counters are the outer query's.
    private(set) var nested = false
    var key: [UInt8]
    /// Rows of the document at `key` already consumed; `UInt32.max` when the document is done.
    var rowsConsumed: UInt32
    var emitted: UInt64
    var skipped: UInt64
    /// Encoding of the last emitted projection (ordered DISTINCT), empty otherwise.
    var lastDistinct: [UInt8]

    /// For a ranked plan (``QueryPlan/ranking``): the score of the last row consumed, which the next page resumes
    /// after (with ``rankedKey``, its document key, and `rowsConsumed`, its row number, as its place among equal
    /// scores). Kept as the first 8 bytes of `key` (the bit pattern, big-endian), so that the position of every
    /// other plan, copied on each page, stays as small as it was.
    var score: Double? {
        guard ranked, key.count >= 8 else { return nil }
        return Double(bitPattern: key.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// For a ranked plan: the document key of the last row consumed (`key` after the score).
    var rankedKey: [UInt8] { Array(key.dropFirst(8)) }

    /// For a plan ranked by `FullTextScore`: the corpus statistics the first page scored with (encoded), which
    /// later pages score with too, so that an item unchanged during the paging keeps its score and place. Kept in
    /// `lastDistinct`, which ranked plans have no other use for.
    var rankingStatistics: [UInt8] { ranked ? lastDistinct : [] }

    /// For a query over a FROM subquery (``nested``): the subquery's position at the result the page stopped in.
    ///
    /// - Throws: 400 when this is not such a position (a token of another kind of plan).
    func inner() throws -> QueryPosition {
        guard nested else { throw QueryError.badRequest("the continuation token is malformed") }
        return try QueryPosition(decoding: key)
    }

    /// Format 1 is the position of a single scan; format 2 adds a trailing branch byte, and is written only for a
    /// union's later branches (so tokens of every other plan are as they were); format 3 is a ranked plan's, whose
    /// key holds the score before the document key; format 4 is a query's over a FROM subquery, whose key holds the
    /// subquery's position (one of the first three formats).
    func encoded() -> [UInt8] {
        var out = [UInt8]()
        // Format, two counts, three counters, the branch byte: one allocation for the whole position.
        out.reserveCapacity(1 + 4 + key.count + 4 + 8 + 8 + 4 + lastDistinct.count + 1)
        out.append(nested ? 4 : ranked ? 3 : branch == 0 ? 1 : 2)
        func appendInt<T: FixedWidthInteger>(_ v: T) {
            var big = v.bigEndian
            withUnsafeBytes(of: &big) { out.append(contentsOf: $0) }
        }
        appendInt(UInt32(key.count))
        out.append(contentsOf: key)
        appendInt(rowsConsumed)
        appendInt(emitted)
        appendInt(skipped)
        appendInt(UInt32(lastDistinct.count))
        out.append(contentsOf: lastDistinct)
        if !ranked && !nested && branch != 0 { out.append(branch) }
        return out
    }

    init(branch: UInt8 = 0, key: [UInt8], rowsConsumed: UInt32, emitted: UInt64, skipped: UInt64,
         lastDistinct: [UInt8]) {
        self.branch = branch
        self.key = key
        self.rowsConsumed = rowsConsumed
        self.emitted = emitted
        self.skipped = skipped
        self.lastDistinct = lastDistinct
    }

    /// The position of a ranked plan after the row at (`score`, `documentKey`, `row`), with the full-text
    /// statistics of its scores (``rankingStatistics``), if any.
    init(score: Double, documentKey: [UInt8], row: UInt32, emitted: UInt64, skipped: UInt64,
         statistics: [UInt8] = []) {
        var key = [UInt8]()
        key.reserveCapacity(8 + documentKey.count)
        var big = score.bitPattern.bigEndian
        withUnsafeBytes(of: &big) { key.append(contentsOf: $0) }
        key += documentKey
        self.init(key: key, rowsConsumed: row, emitted: emitted, skipped: skipped, lastDistinct: statistics)
        ranked = true
    }

    /// The position of a query over a FROM subquery, in the rows of the subquery's result at `inner`, with
    /// `rowsConsumed` of them consumed.
    init(inner: QueryPosition, rowsConsumed: UInt32, emitted: UInt64, skipped: UInt64) {
        self.init(key: inner.encoded(), rowsConsumed: rowsConsumed, emitted: emitted, skipped: skipped,
                  lastDistinct: [])
        nested = true
    }

    init(decoding bytes: [UInt8]) throws {
        var offset = 0
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - offset else {
                throw QueryError.badRequest("the continuation token is malformed")
            }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }
        // Big-endian, `size` bytes wide (at most 8).
        func int(_ size: Int) throws -> UInt64 {
            var value: UInt64 = 0
            for byte in try take(size) { value = value << 8 | UInt64(byte) }
            return value
        }
        let format = try take(1).first
        guard let format, (1...4).contains(format) else {
            throw QueryError.badRequest("the continuation token is malformed")
        }
        key = Array(try take(Int(try int(4))))
        rowsConsumed = UInt32(try int(4))
        emitted = try int(8)
        skipped = try int(8)
        lastDistinct = Array(try take(Int(try int(4))))
        if format == 2 {
            branch = UInt8(try int(1))
            guard branch != 0 else { throw QueryError.badRequest("the continuation token is malformed") }
        } else if format == 3 {
            ranked = true
            guard let score, score.isFinite else { throw QueryError.badRequest("the continuation token is malformed") }
        } else if format == 4 {
            // The subquery's position must read back, and be of a plain query (subqueries do not nest in FROM).
            nested = true
            guard try !inner().nested else { throw QueryError.badRequest("the continuation token is malformed") }
        }
        guard offset == bytes.count else { throw QueryError.badRequest("the continuation token is malformed") }
    }
}

extension Array where Element == UInt8 {
    /// The smallest key greater than every key that starts with `self` (nil when none exists: all 0xFF).
    var keyAfterPrefix: [UInt8]? {
        var k = self
        while let last = k.last {
            if last < 0xFF {
                k[k.count - 1] = last + 1
                return k
            }
            k.removeLast()
        }
        return nil
    }
}
